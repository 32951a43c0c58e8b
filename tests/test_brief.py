"""The brief: unit tests with the fake embedder, seed-corpus tests with the real model."""

import json

import pytest

from assistant.brief import make_brief
from assistant.engine import Engine
from assistant.errors import QuestionError
from assistant.json_output import brief_json
from tests.fakes import HashEmbedder
from tests.helpers import build

NEWS = (
    "---\ntitle: Cobalt wire\ndate: 2026-02-01\n---\n"
    "Cobalt exports from Congo were suspended on March 3, 2025. "
    "Miners such as Glencore and Umicore protested the cobalt ban.\n"
    "Cobalt prices doubled by June 2025 after the cobalt suspension.\n"
    "Congo plans to resume cobalt exports by 2027.\n"
    "Bakers in Paris prefer sourdough.\n"
)


@pytest.fixture
def engine(settings, corpus):
    (corpus / "wire.md").write_text(NEWS, encoding="utf-8")
    build(settings, HashEmbedder())
    return Engine(settings.replace(refusal_threshold=0.15), HashEmbedder())


def test_brief_sections_are_cited_and_ordered(engine, corpus):
    brief = make_brief(engine, "cobalt")
    text = (corpus / "wire.md").read_text()
    assert brief.not_covered is None and 1 <= len(brief.key_points) <= 7
    dates = [t.date for t in brief.timeline]
    assert dates == sorted(dates) and "2025-03-03" in dates and "2027" in dates
    assert next(t for t in brief.timeline if t.date == "2027").target
    assert all(t.reported == "2026-02-01" for t in brief.timeline)
    names = {a.name for a in brief.actors}
    assert {"Glencore", "Umicore"} <= names and "Congo" in {a.name for a in brief.actors if a.kind == "country"}
    everything = [k.citation for k in brief.key_points] + [t.citation for t in brief.timeline]
    everything += [c for a in brief.actors for c in a.citations]
    assert everything and all(text[c.start : c.end] == c.text for c in everything)
    assert not any("sourdough" in c.text for c in everything)


def test_brief_json_and_markdown(engine):
    brief = make_brief(engine, "cobalt")
    data = json.loads(json.dumps(brief_json(brief)))
    assert set(data) == {"topic", "key_points", "timeline", "actors", "not_covered"}
    for entry in data["timeline"]:
        assert {"date", "precision", "wording", "citation"} <= set(entry)
        assert {"doc", "start", "end", "text"} <= set(entry["citation"])
    note = brief.to_markdown()
    assert note.startswith("# Briefing: cobalt") and "[^1]:" in note


def test_absent_topic_is_not_covered(engine):
    brief = make_brief(engine, "medieval cathedral stained glass windows")
    assert brief.not_covered and not brief.key_points and not brief.timeline
    with pytest.raises(QuestionError):
        make_brief(engine, "  ")


@pytest.mark.integration
def test_seed_rare_earth_timeline(seed_engine, seed_settings):  # noqa: F811
    brief = make_brief(seed_engine, "rare earth export controls")
    by_date = {t.date: t for t in brief.timeline}
    assert "2025-04-04" in by_date and "2025-04" in by_date
    assert "IEA" in by_date["2025-04"].citation.text
    order = [t.date for t in brief.timeline]
    assert order.index("2025-04") < order.index("2025-04-04") or order.index("2025-04-04") < order.index("2025-04")
    lowers = [t.date for t in brief.timeline]
    assert lowers == sorted(lowers)
    source = (seed_settings.corpus_dir / "us-china-ai-power-struggle.txt").read_text(encoding="utf-8")
    for t in brief.timeline:
        assert source[t.citation.start : t.citation.end] == t.citation.text


@pytest.mark.integration
def test_seed_chip_actors(seed_engine, seed_settings):  # noqa: F811
    brief = make_brief(seed_engine, "chips")
    names = {a.name for a in brief.actors}
    assert {"Huawei", "Nvidia", "Alibaba"} <= names
    source = (seed_settings.corpus_dir / "us-china-ai-power-struggle.txt").read_text(encoding="utf-8")
    assert all(source[c.start : c.end] == c.text for a in brief.actors for c in a.citations)
    assert make_brief(seed_engine, "medieval cathedral architecture").not_covered
