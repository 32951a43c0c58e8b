"""A changed file is seen, whatever its size and mtime say (docs/architecture.md, Guarantees)."""


from __future__ import annotations

import os

from assistant.answer.engine import Engine
from assistant.index.status import corpus_status
from tests.fakes import HashEmbedder
from tests.helpers import build


def test_edit_that_keeps_size_and_mtime_is_seen_by_status_build_and_answers(three_docs, settings):
    build(settings, HashEmbedder())
    path = three_docs / "a.txt"
    before = path.stat()
    text = path.read_text()
    path.write_text(text.replace("2023", "2019"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # what `touch -r` does
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert {d.doc_id: d.state for d in corpus_status(settings).documents}["a.txt"] == "changed"
    report = build(settings, HashEmbedder())
    assert report.updated == 1
    engine = Engine(settings.replace(refusal_threshold=0.1), HashEmbedder())
    answer = engine.ask("When were gallium exports restricted?")
    assert "2019" in answer.text and not answer.notes


def test_stale_citation_note_names_a_command_that_exists(three_docs, settings):
    build(settings, HashEmbedder())
    (three_docs / "a.txt").write_text("Entirely different words now about copper and zinc smelting works.")
    answer = Engine(settings.replace(refusal_threshold=0.1), HashEmbedder()).ask("Which exports were restricted?")
    assert answer.notes and "`briefing index build`" in answer.notes[0]
