"""End to end with the real bundled model over the seed corpus."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.settings import Settings
from tests.helpers import ROOT, SEED

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    "question, phrase",
    [
        ("Which chip did Alibaba's T-Head unit introduce?", "Zhenwu M890"),
        ("When did China add rare earth products to its export control list?", "April 4, 2025"),
        ("What chip density goal has Huawei set for 2031?", "1.4 nanometer"),
        ("When did the Trump administration repeal the AI Diffusion Rule?", "May 2025"),
        ("Which Nvidia chips could be sold to China from the end of 2025?", "H200"),
        ("How much will Alibaba invest in AI and cloud infrastructure?", "$53 billion"),
        ("What does the IEA say the April 2025 controls subject exports to?", "licensing mechanism"),
        ("Which materials is the European Union planning to stockpile?", "tungsten"),
        ("When did China release its computing infrastructure action plan?", "late 2023"),
        ("Where does China's decisive advantage in rare earths lie?", "processing and refining capacity"),
    ],
)
def test_cited_span_contains_the_fact(seed_engine, seed_settings, question, phrase):
    answer = seed_engine.ask(question)
    assert not answer.abstained, question
    assert any(phrase in c.text for c in answer.citations), answer.text
    source = (seed_settings.paths.corpus_dir / SEED.name).read_text(encoding="utf-8")
    assert all(source[c.start : c.end] == c.text for c in answer.citations)
    assert len(answer.text) <= 700


@pytest.mark.parametrize("question", ["What is the best recipe for a French omelette?",
                                      "Who won the 2018 FIFA World Cup?"])
def test_off_topic_is_refused(seed_engine, question):
    answer = seed_engine.ask(question)
    assert answer.abstained and not answer.citations


def _cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    paths = settings.paths
    env = {**os.environ, "BRIEFING_CORPUS": str(paths.corpus_dir), "BRIEFING_INDEX": str(paths.index_dir)}
    exe = Path(sys.executable).parent / "briefing"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, timeout=300, cwd=ROOT)


@pytest.mark.slow
def test_cli_ask_end_to_end(seed_settings):
    done = _cli(seed_settings, "ask", "Which chip did Alibaba's T-Head unit introduce?", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    text = (seed_settings.paths.corpus_dir / SEED.name).read_text(encoding="utf-8")
    hit = [c for c in data["citations"] if "Zhenwu M890" in c["text"]]
    assert hit and text[hit[0]["start"] : hit[0]["end"]] == hit[0]["text"]
    done = _cli(seed_settings, "ask", "What is the best recipe for a French omelette?", "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["abstained"] is True
    assert "Traceback" not in done.stderr
    done = _cli(seed_settings, "ask", "What export controls has Japan imposed on chipmaking equipment?", "--json")
    refused = json.loads(done.stdout)
    assert refused["abstained"] is True and refused["notes"] == ["the corpus never mentions Japan"]
    assert refused["citations"] == [] and refused["nearest"]  # nearest material, marked as not an answer


@pytest.mark.slow
def test_onnx_backend_matches_the_reference_model(tmp_path, reference_embedder):
    import numpy as np

    from assistant.embedders.onnx import OnnxEmbedder

    texts = ["Rare earth export controls.", "short", "A much longer passage about chips and data centres. " * 20]
    onnx = OnnxEmbedder(tmp_path / "models", batch_size=2)
    got, want = onnx.embed(texts), reference_embedder.embed(texts)
    assert got.shape == want.shape == (3, 384)
    assert np.min(np.sum(got * want, axis=1)) > 0.999
    exported = list((tmp_path / "models").glob("minilm-*.onnx"))
    assert len(exported) == 1  # exported once, cached, no temporaries left
    import onnx

    ops = {node.op_type for node in onnx.load(str(exported[0])).graph.node}
    assert {"Attention", "SkipLayerNormalization"} <= ops  # the fused graph, not the raw export


@pytest.mark.slow
def test_int8_backend_is_close_and_has_its_own_model_id(tmp_path, reference_embedder):
    import numpy as np

    from assistant.embedders.onnx import OnnxEmbedder

    texts = ["Rare earth export controls were tightened.", "Huawei set a goal for 2031."]
    int8 = OnnxEmbedder(tmp_path / "models", int8=True)
    assert int8.model_id != reference_embedder.model_id
    assert np.min(np.sum(int8.embed(texts) * reference_embedder.embed(texts), axis=1)) > 0.97


def test_a_failed_export_is_one_line_and_leaves_nothing(tmp_path, monkeypatch):
    import pytest

    from assistant.embedders import onnx as onnx_embedder
    from assistant.errors import ConfigError

    broken = tmp_path / "model"
    broken.mkdir()
    (broken / "model.safetensors").write_bytes(b"not weights")
    monkeypatch.setattr(onnx_embedder, "bundled_model_dir", lambda: broken)
    embedder = onnx_embedder.OnnxEmbedder(tmp_path / "models")
    with pytest.raises(ConfigError) as info:
        embedder.embed(["text"])
    message = str(info.value)
    assert "\n" not in message and message.startswith("cannot export the ONNX model (")
    assert "BRIEFING_EMBEDDER=torch" in message
    models = tmp_path / "models"
    left = [p.name for p in models.iterdir()] if models.exists() else []
    assert left in ([], [".export.lock"])  # no half-written export


@pytest.mark.parametrize(
    "question, phrase",
    [  # issue 25: as a new user asks, in British English, as an instruction, by abbreviation
        ("How did the International Energy Agency characterise China's April 2025 controls?", "licensing mechanism"),
        ("Summarise the Brookings assessment of frontier AI models.", "overall performance superiority"),
        ("Characterise Beijing's view of computing power.", "national infrastructure"),
        ("Elaborate on the EU's stockpiling plans.", "joint stockpiling mechanisms"),
    ],
)
def test_phrasing_is_not_a_reason_to_refuse(seed_engine, question, phrase):
    answer = seed_engine.ask(question)
    assert not answer.abstained, (question, answer.notes)
    assert any(phrase in c.text for c in answer.citations), answer.text


@pytest.mark.parametrize("question", ["Which rare earth elements were put under Chinese export controls?",
                                      "Enumerate the rare earth elements China put under export controls."])
def test_a_list_question_leads_with_the_sentence_that_lists(seed_engine, question):
    answer = seed_engine.ask(question)
    assert "samarium, gadolinium, terbium" in answer.citations[0].text, answer.text


def test_an_absent_subject_is_still_refused_however_asked(seed_engine):
    for question in ("Summarise Japan's export controls on chipmaking equipment.",
                     "What export controls has Japan imposed on chipmaking equipment?"):
        answer = seed_engine.ask(question)
        assert answer.abstained and answer.notes == ("the corpus never mentions Japan",), question
