"""Documents read as their authors laid them out (issue 34): columns, paragraphs over line,
column and page ends, page furniture kept but never cited, headings as sections, titles, files
of several notices, OCR lines, and library warnings kept out of the terminal.

The PDFs are typeset here (``tests.docs.write_columns_pdf``): Courier, so every line width is
exact, with each page's content stream written across the columns (as many typesetters write
it), so a reader that follows the stream interleaves the columns.
"""

from __future__ import annotations

import logging
import re
import threading
import warnings
from pathlib import Path

import pytest

from assistant.ingest.chunking import chunk_document
from assistant.ingest.corpus import CorpusFile
from assistant.ingest.loaders import parse_source
from assistant.ingest.ocr import OcrOptions, page_text
from assistant.ingest.paragraphs import join_text
from assistant.ingest.pdf_document import real_title
from assistant.ingest.structure import mark_parts
from assistant.types import Document, Section
from tests import docs

SENTENCES = [
    "The harbour authority approved the dredging programme for the northern channel in March.",
    "Contractors will remove about forty thousand cubic metres of silt before the autumn storms.",
    "The environmental assessment found no protected seagrass within the dredging corridor.",
    "Fishing cooperatives asked for compensation during the three weeks of restricted access.",
    "The administration published the international certification requirements in April.",
    "Inspectors documented responsibilities for every subcontractor on the waterfront site.",
    "Night work is forbidden within two hundred metres of the residential embankment.",
    "The budget allows a contingency of twelve percent for unexpected archaeological finds.",
    "Monitoring buoys will report turbidity every fifteen minutes to the operations centre.",
    "A public meeting on the programme is scheduled for the first Tuesday of each month.",
]
HEAD = "Harbour Gazette / Vol. 7, No. 3 / Notices"
STAMP = "PrintDate Jan 17 2024 16:54 Jkt 262001 Frm 00012"


def paragraph(i: int, n: int = 6) -> str:
    """Paragraph ``i``: ``n`` of the sentences, rotated so each paragraph is different."""
    return " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(n))


def typeset(path: Path, columns: int, paragraphs: int = 9, **kwargs: object) -> list[str]:
    """A report of ``paragraphs`` paragraphs (headings every third) in ``columns`` columns; the
    texts of the paragraphs and headings in order."""
    blocks: list[tuple[str, str]] = []
    for i in range(paragraphs):
        if i % 3 == 0:
            blocks.append(("h", f"{i // 3 + 1}. Works in phase {i // 3 + 1}"))
        blocks.append(("p", f"Paragraph {i}. " + paragraph(i)))
    docs.write_columns_pdf(path, blocks, columns=columns, head=HEAD, stamp=STAMP, **kwargs)  # type: ignore[arg-type]
    return [text for _, text in blocks]


def read(path: Path) -> Document:
    raw = path.read_bytes()
    return parse_source(CorpusFile(path.name, path, len(raw)), raw, OcrOptions(enabled=False)).documents[0]


def citable(doc: Document) -> list[str]:
    return [doc.text[a:b] for a, b in sorted({s for c in chunk_document(doc, 1000, 200) for s in c.sentences})]


@pytest.mark.parametrize("columns", [2, 3])
def test_columns_are_read_one_after_another_and_paragraphs_stay_whole(tmp_path, columns):
    path = tmp_path / "report.pdf"
    written = typeset(path, columns, title="Harbour Works Report")
    doc = read(path)
    body = [p for p in written if p.startswith("Paragraph")]
    paragraphs = doc.text.split("\n\n")
    at = -1
    for text in body:
        assert text in paragraphs, f"not read whole: {text[:40]}…"
        assert paragraphs.index(text) > at, "read out of order"
        at = paragraphs.index(text)
    assert len(doc.meta.page_starts) >= 2  # the paragraphs do run over columns and pages


def test_the_stream_order_alone_would_interleave_the_columns(tmp_path):
    """The generated page is a fair test: pypdf, following the content stream, mixes columns."""
    from pypdf import PdfReader

    path = tmp_path / "report.pdf"
    written = typeset(path, 3)
    stream = " ".join((PdfReader(path).pages[0].extract_text() or "").split())
    assert written[1][:80] not in stream


def test_a_sentence_over_a_column_and_a_page_end_is_one_citable_sentence(tmp_path):
    path = tmp_path / "report.pdf"
    typeset(path, 2, paragraphs=12)
    doc = read(path)
    sentences = citable(doc)
    for sentence in SENTENCES:
        assert sentence in sentences, f"cut: {sentence}"
    assert not any(s[:1].islower() for s in sentences)


def test_running_heads_folios_and_stamps_are_kept_but_never_cited(tmp_path):
    path = tmp_path / "report.pdf"
    typeset(path, 3, paragraphs=12)
    doc = read(path)
    pages = len(doc.meta.page_starts)
    assert pages >= 2
    assert doc.text.count(HEAD) == pages and doc.text.count(STAMP) == pages  # search still finds them
    assert "- 2 -" in doc.text
    sentences = citable(doc)
    assert not any(HEAD in s or STAMP in s or s.strip() in ("- 1 -", "- 2 -") for s in sentences)
    for start in doc.meta.page_starts[1:]:  # furniture follows its page's body: no paragraph is split by it
        before = doc.text[:start].rstrip().rsplit("\n\n", 1)[-1]
        assert before in (STAMP, f"- {doc.meta.page_starts.index(start)} -") or HEAD in before


def test_words_hyphenated_at_line_ends_are_made_whole(tmp_path):
    path = tmp_path / "report.pdf"
    typeset(path, 3)
    text = read(path).text
    assert not re.search(r"[a-z]-\n", text)
    for word in ("administration", "international", "certification", "responsibilities"):
        assert word in text
    assert not any(f"{word[:k]}-{word[k:]}" in text for word in ("administration", "certification")
                   for k in range(3, len(word) - 2))


def test_joining_lines_keeps_hyphens_that_belong_to_the_word():
    never = lambda word: False  # noqa: E731 - a document that uses neither form elsewhere
    assert join_text("the pro-", "posed rule", never) == "the proposed rule"
    assert join_text("a long-", "term plan", never) == "a long-term plan"
    assert join_text("COVID-", "19 cases", never) == "COVID-19 cases"
    assert join_text("Docket FAA–2020–", "0686", never) == "Docket FAA–2020–0686"
    assert join_text("the sub-", "lethal dose", {"sublethal"}.__contains__) == "the sublethal dose"
    assert join_text("a well-", "known case", {"well-known"}.__contains__) == "a well-known case"
    assert join_text("ends here", "And goes on", never) == "ends here And goes on"


def test_headings_become_sections_that_citations_name(tmp_path):
    from assistant.types import DocInfo

    path = tmp_path / "report.pdf"
    typeset(path, 2)
    doc = read(path)
    assert [s.heading for s in doc.meta.sections] == [f"{n}. Works in phase {n}" for n in (1, 2, 3)]
    heading = doc.meta.sections[1]
    assert doc.text[heading.start : heading.start + len(heading.heading)] == heading.heading
    assert not any(heading.heading in s for s in citable(doc))  # a heading names, it states nothing
    info = DocInfo(doc.meta)
    inside = doc.text.index("Paragraph 4.")
    assert info.meta.section_at(inside) == heading
    assert info.meta.section_at(0) is None or info.meta.section_at(0).start == 0


def test_a_signature_line_in_heading_type_runs_on_and_is_no_heading(tmp_path):
    """Realdocs fr-who-signed: "Lance T. Gant," over "Director, …" was a section heading, so the
    name that signed the notice was never a sentence an answer could cite."""
    path = tmp_path / "notice.pdf"
    blocks = [("h", "1. Works in phase 1"), ("p", "Paragraph 0. " + paragraph(0)), ("p", "Issued on May 4, 2020."),
              ("h", "Lance T. Gant,"), ("p", "Director, Harbour Works Division, Port Authority. " + paragraph(1))]
    docs.write_columns_pdf(path, blocks, columns=1, head=HEAD, stamp=STAMP)
    doc = read(path)
    assert [s.heading for s in doc.meta.sections] == ["1. Works in phase 1"]
    assert "Lance T. Gant," in citable(doc)


def test_citations_carry_their_section_through_the_index(tmp_path, capsys):
    import json

    from tests.helpers import run_cli

    corpus = tmp_path / "layout-corpus"
    corpus.mkdir()
    typeset(corpus / "harbour.pdf", 2)
    index = tmp_path / "layout-index"
    code, _, _ = run_cli(capsys, "--corpus", str(corpus), "--index", str(index), "index", "build")
    assert code == 0
    code, out, _ = run_cli(capsys, "--corpus", str(corpus), "--index", str(index), "ask",
                           "When will the monitoring buoys report turbidity?", "--json")
    answer = json.loads(out)
    assert not answer["abstained"]
    sections = {c.get("section") for c in answer["citations"]}
    assert sections and sections <= {"1. Works in phase 1", "2. Works in phase 2", "3. Works in phase 3"}


def test_the_title_is_the_metadata_when_it_is_a_real_title(tmp_path):
    assert real_title("Harbour Works Report") == "Harbour Works Report"
    for placeholder in ("Microsoft Word - report.docx", "untitled", "", "905_Precinct_NoOU", "10811.exe",
                        "C:\\reports\\final.pdf", "Document1"):
        assert real_title(placeholder) == "", placeholder
    named = tmp_path / "named.pdf"
    typeset(named, 2, title="Harbour Works Report", metadata_title="Dredging of the Northern Channel")
    assert read(named).meta.title == "Dredging of the Northern Channel"
    boilerplate = tmp_path / "boilerplate.pdf"
    typeset(boilerplate, 2, title="Harbour Works Report", metadata_title="Microsoft Word - report.docx")
    doc = read(boilerplate)
    assert doc.meta.title == "Harbour Works Report"
    assert "Harbour Works Report" not in " ".join(citable(doc))


def test_several_notices_in_one_file_become_parts():
    notice = ("AGENCY: Port Authority.\nACTION: Notice.\nSUMMARY: The authority gives notice of works "
              "on the quay and asks for comments from the public.\n")
    text = ""
    sections = []
    for name in ("DEPARTMENT OF HARBOURS", "DEPARTMENT OF FISHERIES"):
        sections.append(Section(len(text), name, 1))
        text += name + "\n" + notice
        sections.append(Section(len(text), "Background", 2))
        text += "Background\nThe quay was built in 1910 and has not been repaired since then.\n"
    parts = [s for s in mark_parts(text, sections) if s.part]
    assert [s.heading for s in parts] == ["DEPARTMENT OF HARBOURS", "DEPARTMENT OF FISHERIES"]
    paper = "1 Introduction\nWe study tides.\n2 Methods\nWe measured tides at the quay for a year.\n"
    chapters = [Section(0, "1 Introduction", 1), Section(paper.index("2 Methods"), "2 Methods", 1)]
    assert not any(s.part for s in mark_parts(paper, chapters))


def test_notices_are_parts_under_a_caption_set_larger_than_their_headings():
    notice = ("AGENCY: Port Authority.\nACTION: Notice.\nSUMMARY: The authority gives notice of works "
              "on the quay and asks for comments from the public.\n")
    text = "Proposed Rules\n"
    sections = [Section(0, "Proposed Rules", 3)]
    for name in ("DEPARTMENT OF HARBOURS", "DEPARTMENT OF FISHERIES"):
        sections.append(Section(len(text), name, 2))
        text += name + "\n" + notice
        sections.append(Section(len(text), "ESTIMATED COSTS", 1))  # a table's caption, set large
        text += "ESTIMATED COSTS\nRepairs: 4 million.\n"
    parts = [s for s in mark_parts(text, sections) if s.part]
    assert [s.heading for s in parts] == ["DEPARTMENT OF HARBOURS", "DEPARTMENT OF FISHERIES"]


def test_a_notice_in_a_typeset_file_is_a_part(tmp_path):
    blocks: list[tuple[str, str]] = []
    for agency in ("DEPARTMENT OF HARBOURS", "DEPARTMENT OF FISHERIES"):
        blocks += [("h", agency), ("p", "AGENCY: Port Authority."), ("p", "ACTION: Notice of proposed works."),
                   ("p", "SUMMARY: " + paragraph(len(blocks), 3))]
    path = tmp_path / "register.pdf"
    docs.write_columns_pdf(path, blocks, columns=2, head=HEAD)
    doc = read(path)
    assert [s.heading for s in doc.meta.sections if s.part] == ["DEPARTMENT OF HARBOURS", "DEPARTMENT OF FISHERIES"]


def _tesseract_table(lines: list[tuple[int, int, int, str, int]]) -> dict[str, list[object]]:
    """A fake ``image_to_data`` table: (block, paragraph, line, text, top) per line, words 60 px apart."""
    table: dict[str, list[object]] = {k: [] for k in ("text", "conf", "page_num", "block_num", "par_num", "line_num",
                                                       "left", "top", "width", "height")}
    for block, par, line, text, top in lines:
        for n, word in enumerate(text.split()):
            for key, value in (("text", word), ("conf", 91), ("page_num", 1), ("block_num", block), ("par_num", par),
                               ("line_num", line), ("left", 100 + 60 * n), ("top", top), ("width", 55),
                               ("height", 30)):
                table[key].append(value)
    return table


def test_ocr_lines_of_one_sentence_apart_by_wide_spacing_are_one_paragraph():
    # Tesseract put each line of the notice in a paragraph of its own (wide line spacing)
    data = _tesseract_table([
        (1, 1, 1, "The water supply will be interrupted on", 100),
        (2, 1, 1, "Monday between nine and eleven while the", 220),
        (3, 1, 1, "main is repaired.", 340),
        (4, 1, 1, "Residents should store drinking water.", 520),
    ])
    page = page_text(data)
    assert page.text.split("\n\n") == [
        "The water supply will be interrupted on Monday between nine and eleven while the main is repaired.",
        "Residents should store drinking water.",
    ]
    assert page.confidence == 91.0


def test_a_scanned_pages_running_head_is_kept_apart_from_its_text():
    data = _tesseract_table([
        (1, 1, 1, "5 CFR Ch. I (1-1-22 Edition)", 100),
        (2, 1, 1, "The agency shall publish the register of eligible", 300),
        (2, 1, 2, "candidates every quarter and keep it open to the", 340),
        (2, 1, 3, "public at its regional offices.", 380),
        (2, 2, 1, "Appointments are made from the top of the register.", 440),
    ])
    page = page_text(data)
    assert page.furniture == ("5 CFR Ch. I (1-1-22 Edition)",)
    assert page.text.startswith("The agency shall publish the register of eligible candidates every quarter")


def test_library_warnings_become_the_files_notes_not_terminal_output(monkeypatch, capfd):
    from assistant.ingest import converters
    from assistant.ingest.converted import Converted

    def noisy(fmt, raw, sha, options):  # noqa: ANN001 - a converter as converters calls it
        for n in range(3):
            logging.getLogger("pypdf._cmap").warning("Could not read font %s: {'/BaseFont': '/F%d'}", "F1", n)
        logging.getLogger("pdfminer.pdffont").warning("Could not get FontBBox from font descriptor")
        warnings.warn("odd xref entry 12", UserWarning, stacklevel=1)
        return Converted("Some text.")

    monkeypatch.setattr(converters, "read_format", noisy)
    converted = converters.convert("pdf", b"%PDF")
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    assert "pypdf warned 3×: Could not read font …: …" in converted.notes  # a font dictionary is not a kind
    assert "pdfminer warned: Could not get FontBBox from font descriptor" in converted.notes
    assert any("UserWarning: odd xref entry N" in note for note in converted.notes)


def test_a_capture_takes_only_its_own_threads_warnings(caplog):
    from assistant.ingest.library_warnings import captured

    started, done = threading.Event(), threading.Event()

    def other() -> None:
        started.wait()
        logging.getLogger("pypdf").warning("from another thread")
        done.set()

    thread = threading.Thread(target=other)
    thread.start()
    with captured() as caught:
        logging.getLogger("pypdf").warning("from this thread")
        started.set()
        done.wait(5)
    thread.join()
    assert caught.counts == {("pypdf", "from this thread"): 1}
    assert "from another thread" in caplog.text  # handled as before, by whoever handles it


def test_markdown_headings_are_uncitable_sections_and_plain_text_headings_only_sections(tmp_path):
    body = ("The dredging programme starts in March and runs until the autumn storms arrive "
            "on the northern channel of the harbour.")
    for name, text in (("notes.md", f"# Dredging\n\n{body}\n"), ("notes.txt", f"Dredging Programme\n{body}\n")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        doc = read(tmp_path / name)
        assert [s.heading for s in doc.meta.sections] == [text.split("\n")[0].lstrip("# ")]
        if name.endswith(".md"):
            assert doc.meta.uncitable == ((0, len("# Dredging")),)
        else:
            assert doc.meta.uncitable == ()
        assert body in citable(doc)


def test_headings_of_word_and_html_files_are_sections(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Harbour Report", 0)
    document.add_heading("Dredging", 1)
    document.add_paragraph(SENTENCES[0])
    document.save(str(tmp_path / "report.docx"))
    doc = read(tmp_path / "report.docx")
    assert doc.meta.title == "Harbour Report"
    assert [(s.heading, s.level) for s in doc.meta.sections] == [("Dredging", 1)]
    assert citable(doc) == [SENTENCES[0]]
    (tmp_path / "page.html").write_text(f"<html><body><h1>Harbour</h1><h2>Dredging <b>works</b></h2>"
                                        f"<p>{SENTENCES[1]}</p></body></html>", encoding="utf-8")
    doc = read(tmp_path / "page.html")
    assert [(s.heading, s.level) for s in doc.meta.sections] == [("Harbour", 1), ("Dredging works", 2)]
    assert citable(doc) == [SENTENCES[1]]
