"""Markings recorded by the index (issue 37): every document's marking with its sources, kept in
the generation's own file, and marked again without embedding when the scheme changes."""

from __future__ import annotations

from pathlib import Path

from assistant.index.store import load_index
from assistant.markings.marking import Marking
from tests.helpers import build, write_doc
from tests.test_markings import SCHEME


def _scheme(corpus: Path, text: str = SCHEME) -> Path:
    path = corpus.parent / "markings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_build_records_each_documents_marking_and_its_source(settings, corpus, embedder):
    _scheme(corpus)
    write_doc(corpus, "plain.txt", "Gallium exports were restricted in 2023.")
    write_doc(corpus, "restricted/memo.txt", "Tungsten stockpiles are being built.")
    write_doc(corpus, "banner.txt",
              "SECRET//NOFORN\nThe source is named here.\n\n(O) A harmless paragraph.\nSECRET//NOFORN")
    write_doc(corpus, "front.md", "---\nclassification: OFFICIAL-SENSITIVE\n---\nCobalt refining is concentrated.")
    build(settings, embedder)
    record = load_index(settings.paths.index_dir).markings
    assert record is not None and record.scheme is not None
    assert record.marking("plain.txt").marking == Marking(1)  # the unmarked level
    assert [(s.kind, s.detail) for s in record.marking("restricted/memo.txt").sources] == [("rule", "restricted/**")]
    banner = record.marking("banner.txt")
    assert banner.marking == Marking(3, frozenset({"NOFORN"}))
    harmless = "banner.txt"
    text = (corpus / harmless).read_text()
    at = text.index("A harmless")
    assert banner.at(at, at + 5) == Marking(1)
    front = record.marking("front.md")
    assert front.marking == Marking(2) and front.sources[0].kind == "metadata"


def test_a_changed_scheme_marks_documents_again_without_embedding_them(settings, corpus, embedder):
    path = _scheme(corpus)
    write_doc(corpus, "restricted/memo.txt", "Tungsten stockpiles are being built.")
    write_doc(corpus, "plain.txt", "Gallium exports were restricted in 2023.")
    build(settings, embedder)
    path.write_text(SCHEME.replace('glob = "restricted/**"\nmarking = "OFFICIAL-SENSITIVE"',
                                   'glob = "restricted/**"\nmarking = "SECRET"'), encoding="utf-8")
    report = build(settings, embedder)
    assert report.wrote_index and report.texts_embedded == 0 and report.unchanged == 2
    record = load_index(settings.paths.index_dir).markings
    assert record is not None and record.marking("restricted/memo.txt").marking == Marking(3)
    again = build(settings, embedder)
    assert not again.wrote_index  # nothing changed: nothing written


def test_without_a_scheme_nothing_is_marked_but_metadata_fields_are_kept(settings, corpus, embedder):
    write_doc(corpus, "front.md", "---\nclassification: SECRET\n---\nCobalt refining is concentrated.")
    build(settings, embedder)
    record = load_index(settings.paths.index_dir).markings
    assert record is not None and record.scheme is None and record.marking("front.md") is None
    assert record.documents["front.md"].fields == {"classification": "SECRET"}
    _scheme(corpus)  # a scheme added later marks from the recorded fields, embedding nothing
    report = build(settings, embedder)
    assert report.texts_embedded == 0
    record = load_index(settings.paths.index_dir).markings
    assert record is not None and record.marking("front.md").marking == Marking(3)


def test_a_scheme_changed_since_the_build_is_never_read_by(settings, corpus, embedder, capsys):
    from tests.helpers import run_cli

    path = _scheme(corpus)
    write_doc(corpus, "ops/banner.txt", "SECRET\nThe source is named here.\nSECRET")
    write_doc(corpus, "plain.txt", "Gallium exports were restricted in 2023.")
    build(settings, embedder)
    path.write_text(SCHEME.replace('unmarked = "OFFICIAL"', 'unmarked = "SECRET"'), encoding="utf-8")
    code, out, err = run_cli(capsys, "ask", "What is named here?")
    assert code == 2 and "marking scheme has changed" in err
    code, out, err = run_cli(capsys, "index", "status", "--json")
    assert code == 0 and "ops/banner.txt" not in out and '"withheld": 2' in out
    code, out, err = run_cli(capsys, "show", "plain.txt")
    assert code == 2 and "marking scheme has changed" in err
    build(settings, embedder)
    code, out, err = run_cli(capsys, "--clearance", "SECRET", "ask", "What is named here?", "--json")
    assert code == 0
