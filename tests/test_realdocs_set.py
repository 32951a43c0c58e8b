"""The real-document set of issue 34 stays what it claims to be: every file accounted for in
SOURCES.md, the golden files valid, every document a question names present, and enough
questions of each kind (answerable, off-topic, near-topic) over enough documents.

Whether today's extraction holds each evidence string is deliberately not asserted here (the
PDF reading is being rewritten): ``scripts/realdocs_check.py`` reports it.
"""

import re
from pathlib import Path

import pytest

from assistant.eval.golden import load_golden
from tests.helpers import ROOT

REALDOCS = ROOT / "tests" / "realdocs" / "corpus"
QUESTIONS = ROOT / "tests" / "golden" / "realdocs.yaml"
BRIEFS = ROOT / "tests" / "golden" / "realdocs-briefs.yaml"
SOURCES = REALDOCS.parent / "SOURCES.md"
_SECTION = re.compile(r"^### `([^`]+)`\s*$", re.M)
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]+$")


def _documents() -> set[str]:
    return {p.name for p in REALDOCS.iterdir() if p.is_file()}


def test_every_document_has_a_sources_section_and_every_section_a_document():
    listed = _SECTION.findall(SOURCES.read_text(encoding="utf-8"))
    assert len(listed) == len(set(listed)), "a file is described twice in SOURCES.md"
    assert set(listed) == _documents()


def test_documents_are_flat_lower_case_hyphenated_and_small():
    assert not [p for p in REALDOCS.iterdir() if p.is_dir()]
    assert all(_NAME.match(name) for name in _documents()), "names: lower case, hyphens, original extension"
    sizes = {p.name: p.stat().st_size for p in REALDOCS.iterdir()}
    assert max(sizes.values()) <= 4 * 2**20
    assert sum(sizes.values()) <= 15 * 2**20


def test_questions_meet_the_issue():
    cases = load_golden(QUESTIONS).questions
    answerable = [c for c in cases if c.answerable]
    off_topic = [c for c in cases if not c.answerable and c.id.startswith("off-")]
    near_topic = [c for c in cases if not c.answerable and c.id.startswith("near-")]
    assert len(answerable) >= 40
    assert len(off_topic) >= 5 and len(near_topic) >= 5
    assert len(off_topic) + len(near_topic) == len(cases) - len(answerable), "unanswerable ids start off- or near-"
    assert not any(c.hard for c in off_topic), "off-topic questions are never ambiguous"
    assert all(c.evidence and c.sources for c in answerable), "each answer has evidence and its document"
    assert sum(not c.scope for c in cases) * 3 >= len(cases), "at least a third are asked over the whole set"
    used = {name for c in answerable for name in c.sources}
    assert len(used) >= 12


@pytest.mark.parametrize("golden", [QUESTIONS, BRIEFS], ids=["questions", "briefs"])
def test_every_document_a_case_names_exists(golden: Path):
    loaded = load_golden(golden)
    named = {name for case in loaded.questions for name in (*case.scope, *case.sources)}
    named |= {name for brief in loaded.briefs for name in brief.scope}
    assert named, "the file names no document"
    assert named <= _documents(), f"not in tests/realdocs: {sorted(named - _documents())}"


def test_briefs_cover_two_subjects_and_a_file_of_several_notices():
    briefs = load_golden(BRIEFS).briefs
    covered = [b for b in briefs if b.covered and not b.little]
    assert len(covered) >= 2 and all(b.facts for b in covered)
    scopes = [b.scope for b in covered]
    assert any(scopes.count(s) >= 2 for s in scopes), "two briefs on notices printed in the same file"
