"""Files of many documents and scanned files through a whole build: incremental, reported,
resumable; and, with the real model, questions answered from a table row, a speaker note, an
attachment, a sheet and a scanned page, each cited with where it stands and shown by `show`."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from assistant.answer.engine import Engine
from assistant.export.json_output import answer_json, dumps
from assistant.index.build import build_index
from assistant.index.manifest import read_manifest
from assistant.index.status import corpus_status
from assistant.settings import Settings
from tests import docs
from tests.helpers import build, run_cli

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None and not os.environ.get("CI"),
                                     reason="tesseract-ocr is not installed (make test installs it)")


def _messages(n: int) -> list[bytes]:
    return [docs.email_bytes(f"Update {i}", f"Harbour works update number {i}: the crane moved to berth {i}.")
            for i in range(1, n + 1)]


def test_an_mbox_with_one_new_message_embeds_one_message(settings, corpus, embedder):
    docs.write_mbox(corpus / "inbox.mbox", _messages(3))
    first = build(settings, embedder)
    assert (first.added, first.unchanged) == (3, 0)
    docs.write_mbox(corpus / "inbox.mbox", _messages(4))
    second = build(settings, embedder)
    assert (second.added, second.updated, second.unchanged) == (1, 0, 3)
    docs.write_mbox(corpus / "inbox.mbox", _messages(2))
    third = build(settings, embedder)
    assert (third.added, third.removed, third.unchanged) == (0, 2, 2)
    assert sorted(read_manifest(settings.paths.index_dir).documents) == ["inbox.mbox/00001", "inbox.mbox/00002"]
    (corpus / "inbox.mbox").unlink()
    gone = build(settings, embedder)
    assert gone.removed == 2 and read_manifest(settings.paths.index_dir).documents == {}


def test_attachments_are_listed_and_unreadable_ones_stay_reported_without_rewrites(settings, corpus, embedder,
                                                                                  capsys):
    pdf = docs._pdf_bytes([docs._text_op(72, 700, "The export figures for Japan rose in 2025.")])
    (corpus / "letter.eml").write_bytes(docs.email_bytes("Exports", "The figures are attached.", attachments=[
        ("figures.pdf", pdf, "application/pdf"), ("logo.bin", b"\0\1", "application/octet-stream")]))
    report = build(settings, embedder)
    assert report.added == 2 and [s.doc_id for s in report.skipped] == ["letter.eml/logo.bin"]
    again = build(settings, embedder)
    assert not again.wrote_index and [s.doc_id for s in again.skipped] == ["letter.eml/logo.bin"]
    states = {d.doc_id: d.state for d in corpus_status(settings).documents}
    assert states == {"letter.eml": "indexed", "letter.eml/figures.pdf": "indexed", "letter.eml/logo.bin": "skipped"}
    code, out, _ = run_cli(capsys, "show", "letter.eml/figures.pdf")
    assert code == 0 and out == "The export figures for Japan rose in 2025.\n"


@needs_tesseract
def test_a_killed_build_keeps_its_ocr_and_status_lists_doubtful_pages(settings, corpus, embedder, monkeypatch):
    from assistant.ingest import ocr

    docs.write_scanned_pdf(corpus / "scan.pdf", [["The harbour budget is 12 million euros."], ["Signed by the mayor."]])
    reached: list[str] = []  # killed after reading, before anything was written
    assert build_index(settings, embedder, progress=lambda step: reached.append(step.stage),
                       stop=lambda: "embed" in reached) is None
    assert not (settings.paths.index_dir / "CURRENT").exists()

    def no_tesseract(*_args, **_kwargs):
        raise AssertionError("a page read before the kill was read again")

    monkeypatch.setattr(ocr, "recognise", no_tesseract)
    report = build(settings, embedder)
    assert report.added == 1
    entry = read_manifest(settings.paths.index_dir).documents["scan.pdf"]
    assert [page for page, _ in entry.meta.ocr_pages] == [1, 2]
    assert corpus_status(settings).low_confidence == []
    strict = Settings.from_env({}, corpus_dir=settings.paths.corpus_dir, index_dir=settings.paths.index_dir,
                               ocr_low_confidence=99.9)
    assert [(p.doc_id, p.page) for p in corpus_status(strict).low_confidence] == [("scan.pdf", 1), ("scan.pdf", 2)]


# -- with the real model -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def folder(tmp_path_factory, real_embedder):
    root = tmp_path_factory.mktemp("formats")
    corpus = root / "corpus"
    corpus.mkdir()
    docs.write_docx_with_table(corpus / "memo.docx", "The council approved these repair costs.",
                               [["Project", "Cost"], ["Bridge repair", "4.5 million euros"],
                                ["School roof", "1.2 million euros"]], "The memo ends here.")
    docs.write_pptx(corpus / "harbour.pptx", [
        {"title": "Harbour plan", "bullets": ["Dredging starts in April."]},
        {"title": "Risks", "bullets": ["Weather may delay the works."],
         "notes": "The lighthouse keeper retires in September and nobody has been hired to replace him."}])
    docs.write_xlsx(corpus / "staff.xlsx", {"Summary": [["Team", "Size"], ["Port", 12]],
                                            "Divers": [["Diver", "Certified since"], ["Marta Ilves", "2019"]]})
    table = docs._pdf_bytes([docs._text_op(72, 700, "The tide gauge at Pier 9 reads 4.2 metres at high water.")])
    (corpus / "letter.eml").write_bytes(docs.email_bytes("Tide readings", "See the attached readings.",
                                                         attachments=[("tides.pdf", table, "application/pdf")]))
    if shutil.which("tesseract"):
        docs.write_scanned_pdf(corpus / "scan.pdf", [["Harbour committee minutes."],
                                                      ["The ferry contract was signed with Nordline in March."]])
    settings = Settings.from_env({}, corpus_dir=corpus, index_dir=root / "index")
    build_index(settings, real_embedder)
    return settings, Engine(settings, real_embedder)


@pytest.mark.integration
@pytest.mark.parametrize("question, doc, place, phrase", [
    ("How much does the bridge repair cost?", "memo.docx", None, "Project: Bridge repair; Cost: 4.5 million euros"),
    ("When does the lighthouse keeper retire?", "harbour.pptx", "slide 2", "retires in September"),
    ("Since when is Marta Ilves a certified diver?", "staff.xlsx", "sheet Divers", "Diver: Marta Ilves"),
    ("What does the tide gauge at Pier 9 read at high water?", "letter.eml/tides.pdf", "page 1", "4.2 metres"),
    ("Who was the ferry contract signed with?", "scan.pdf", "page 2", "Nordline"),
])
def test_answers_cite_the_part_that_holds_them(folder, capsys, monkeypatch, question, doc, place, phrase):
    settings, engine = folder
    if doc == "scan.pdf" and not shutil.which("tesseract"):
        pytest.skip("tesseract-ocr is not installed (make test installs it)")
    answer = engine.ask(question)
    assert not answer.abstained, answer.notes
    lead = answer.citations[0]
    assert lead.doc_id == doc and phrase in lead.text and lead.place == place
    monkeypatch.setenv("BRIEFING_CORPUS", str(settings.paths.corpus_dir))
    monkeypatch.setenv("BRIEFING_INDEX", str(settings.paths.index_dir))
    code, out, _ = run_cli(capsys, "show", doc, "--start", str(lead.start), "--end", str(lead.end))
    assert code == 0 and out.rstrip("\n") == lead.text
    cited = json.loads(dumps(answer_json(answer)))["citations"][0]
    assert cited["doc"] == doc and cited.get("location") == place


@pytest.mark.integration
def test_an_email_joins_the_timeline_by_its_date_header(folder):
    settings, _engine = folder
    entry = read_manifest(settings.paths.index_dir).documents["letter.eml"]
    assert entry.meta.date == "2025-03-04" and entry.meta.title == "Tide readings"
    assert Path(settings.paths.index_dir).is_dir()
