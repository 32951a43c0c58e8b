"""The documentation stays true to the code: generated blocks are current, the README is a front
door (at most 200 lines), links resolve, and every path, name, variable and command a page
mentions exists. ``scripts/docs.py`` writes the blocks; these tests run its checks in memory and
show that each check can fail."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, Field, create_model

from tests.helpers import ROOT


def _load_script() -> ModuleType:
    """``scripts/docs.py`` by path (``scripts`` is no package; ``tests/docs.py`` has its name)."""
    spec = importlib.util.spec_from_file_location("briefing_docs_script", ROOT / "scripts" / "docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


docs = _load_script()
from docgen import drift as drift_checks  # noqa: E402  (on sys.path once the script is loaded)
from docgen import settings_ref  # noqa: E402


@pytest.fixture(scope="module")
def known() -> Any:
    return drift_checks.known()


def test_generated_blocks_and_images_are_current():
    assert docs.stale() == [], "run: .venv/bin/python scripts/docs.py"


def test_the_readme_is_a_front_door():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= docs.README_MAX_LINES
    assert docs.readme_too_long() == []


def test_links_paths_names_variables_and_commands_exist():
    assert drift_checks.drift() == []


def test_the_readme_example_is_the_answer_the_eval_recorded():
    """The README's cited answer was pasted from a real run: the seed eval's report holds the
    same answer and citation, so a changed answer shows here."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split('$ briefing ask "When did Trump visit Beijing?"\n', 1)[1].split("```", 1)[0]
    case = next(c for c in json.loads((ROOT / "bench/results/eval-seed.json").read_text())["cases"]
                if c["question"] == "When did Trump visit Beijing?")
    cited = case["citations"][0]
    assert " ".join(case["answer"].split()) in " ".join(shown.split())
    assert f"{cited['doc']} [{cited['start']}:{cited['end']}]" in shown


# -- each check can fail ---------------------------------------------------------------------


def test_a_setting_added_without_regenerating_makes_the_settings_page_stale(monkeypatch):
    import assistant.settings

    page = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert docs.render(page, {}) == page
    grown = create_model("Settings", __base__=assistant.settings.Settings,
                         new_knob=(int, Field(3, ge=1, description="A setting nobody documented.")))
    monkeypatch.setattr(assistant.settings, "Settings", grown)
    rendered = docs.render(page, {})
    assert rendered != page
    assert "BRIEFING_NEW_KNOB" in rendered and "A setting nobody documented." in rendered


def test_a_nested_settings_model_renders_as_sections():
    class Server(BaseModel):
        """Settings of the local server."""

        model_config = ConfigDict(use_attribute_docstrings=True)

        workers: int = Field(2, ge=1, le=64)
        """Questions answered at once."""

    class Nested(BaseModel):
        model_config = ConfigDict(use_attribute_docstrings=True)

        top_k: int = Field(8, ge=1)
        """Passages retrieved per question."""

        server: Server = Server()
        """The server. Limits on what it accepts."""

    sections = settings_ref.settings_sections(Nested)
    assert [s.title for s in sections] == ["Settings", "The server"]
    assert [(s.env, s.default, s.allowed) for s in sections[1].settings] == [("BRIEFING_WORKERS", "`2`", "≥ 1, ≤ 64")]
    assert sections[0].settings[0].doc == "Passages retrieved per question."


@dataclass(frozen=True)
class ExampleTuning:
    """Values an answer is tuned by."""

    support_floor: float = 0.6
    """A supporting sentence is at least this relevant, relative to the lead."""

    budget: int = 450


def test_a_frozen_dataclass_renders_with_its_attribute_docstrings():
    out = settings_ref.dataclass_table(ExampleTuning)
    assert "| `support_floor` | `0.6` | A supporting sentence is at least this relevant, relative to the lead. |" in out
    assert "| `budget` | `450` | — |" in out
    assert "Placeholder" in settings_ref.tuning_block([])


@pytest.mark.parametrize("text, problem", [
    ("`assistant.answer.compose.no_such_rule`", "not defined"),
    ("`answer._phrase`", "not defined"),
    ("`compose.merely_uses`", "not defined"),
    ("`Engine.phrase_bonus`", "Engine has no phrase_bonus"),
    ("see `assistant/answer/phrase.py`", "does not exist"),
    ("`python -m bench.experiments.levers`", "no such module"),
    ("`make benchmarks`", "no such target"),
])
def test_a_drifted_name_is_found(known, text, problem):
    found = drift_checks.drifted_names(text, known.code)
    assert any(problem in p for p in found), found


def test_names_that_exist_pass(known):
    text = ("`assistant.answer.coverage.absent_terms`, `sentence_scores.merely_uses`, `Engine.ranked`, "
            "`assistant/answer/engine.py`, `python -m bench run`, `make test`, `torch.onnx.export`, `manifest.json`")
    assert drift_checks.drifted_names(text, known.code) == []


def test_an_unknown_variable_and_a_bad_command_line_are_found(known):
    assert drift_checks.unknown_variables("`BRIEFING_SENTENCE_VECTORS=1`", set(known.variables), known.source)
    assert drift_checks.unknown_variables("`BRIEFING_TOP_K=12`, `BRIEFING_DEBUG=1`", set(known.variables),
                                          known.source) == []
    assert drift_checks.bad_command_lines("`briefing ask --nope`", known.commands)
    assert drift_checks.bad_command_lines("`briefing index rebuild`", known.commands)
    good = "`briefing --corpus c index build --full --json`, `briefing brief \"X\" [--length short|long]`"
    assert drift_checks.bad_command_lines(good, known.commands) == []


def test_a_broken_link_or_anchor_is_found(tmp_path: Path):
    (tmp_path / "other.md").write_text("# A heading\n", encoding="utf-8")
    page = tmp_path / "page.md"
    text = "[ok](other.md#a-heading) [gone](missing.md) [no anchor](other.md#nowhere) [web](https://x.org/y)"
    found = drift_checks.broken_links(page, text)
    assert [re.sub(r":.*", "", p.removeprefix("link to ")) for p in found] == ["missing.md", "other.md#nowhere"]
