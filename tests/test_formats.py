"""Each format an official's folder holds: what text it becomes, and where a citation points.

The files are made here (tests/docs.py). OCR tests need Tesseract, which `make test` installs;
they are skipped only outside CI when it is missing.
"""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from assistant.errors import SkipFile
from assistant.ingest.corpus import CorpusFile
from assistant.ingest.loaders import SourceRead, parse_source
from assistant.ingest.ocr import OcrOptions
from assistant.ingest.tables import MAX_COLUMNS, MAX_ROWS, Table, table_lines
from assistant.text.sentences import is_statement, split_sentences
from tests import docs

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None and not os.environ.get("CI"),
                                     reason="tesseract-ocr is not installed (make test installs it)")


def read(path: Path, options: OcrOptions | None = None) -> SourceRead:
    raw = path.read_bytes()
    return parse_source(CorpusFile(path.name, path, len(raw)), raw, options or OcrOptions())


def only(path: Path) -> str:
    result = read(path)
    assert len(result.documents) == 1
    return result.documents[0].text


# -- tables --------------------------------------------------------------------------------

def test_a_table_row_is_one_line_carrying_its_headers():
    lines = table_lines(Table((("Country", "2024", "2025"), ("Japan", "3.1", "3.4"), ("", "", ""))))
    assert lines == ["Country: Japan; 2024: 3.1; 2025: 3.4"]


def test_blank_and_merged_headers_and_semicolons_in_cells():
    rows = (("Region", "Region", ""), ("Asia", "Asia", "a; b"))  # a merged header cell, repeated
    assert table_lines(Table(rows)) == ["Region: Asia; Column 3: a, b"]


def test_two_header_rows_are_joined():
    rows = (("Exports", "Exports"), ("2024", "2025"), ("3.1", "3.4"))
    assert table_lines(Table(rows, header_rows=2)) == ["Exports / 2024: 3.1; Exports / 2025: 3.4"]


def test_wide_and_long_tables_are_cut_with_a_note():
    wide = Table((tuple(f"h{i}" for i in range(40)), tuple(f"v{i}" for i in range(40))))
    line = table_lines(wide)[0]
    assert line.count(": ") == MAX_COLUMNS and line.endswith(f"[{40 - MAX_COLUMNS} more columns]")
    long = Table((("n", "sq"),) + tuple((str(i), str(i * i)) for i in range(MAX_ROWS + 7)))
    lines = table_lines(long)
    assert len(lines) == MAX_ROWS + 1 and lines[-1] == "[table cut: 7 more rows not indexed]"


def test_each_row_is_its_own_citable_sentence():
    text = "Exports by country:\nCountry: Japan; 2024: 3.1; 2025: 3.4\nCountry: Korea; 2024: 2.2; 2025: 2.9\n"
    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert "Country: Japan; 2024: 3.1; 2025: 3.4" in sentences
    assert "Country: Korea; 2024: 2.2; 2025: 2.9" in sentences
    assert is_statement("Country: Japan; 2024: 3.1; 2025: 3.4")
    assert is_statement("Country: Japan")  # a labelled value, as a form prints it (issue 34)
    assert not is_statement("Exports by country:")


# -- Word, HTML, PDF tables ------------------------------------------------------------------

def test_word_tables_stand_between_their_paragraphs(tmp_path):
    path = tmp_path / "memo.docx"
    docs.write_docx_with_table(path, "The budget table follows.", [["Item", "Cost"], ["Bridge repair", "4.5 million"]],
                               "End of memo.")
    assert only(path) == "The budget table follows.\nItem: Bridge repair; Cost: 4.5 million\nEnd of memo."


def test_html_data_tables_keep_headers_and_layout_tables_stay_text(tmp_path):
    path = tmp_path / "page.html"
    long = "A paragraph that lays the page out rather than holding data, " * 4
    path.write_text(f"""<html><body><p>Before the table.</p>
    <table><thead><tr><th>City</th><th colspan="2">Population</th></tr></thead>
    <tr><td>Lyon</td><td>522,000</td><td>2021</td></tr></table>
    <table><tr><td>{long}</td><td>{long}</td></tr><tr><td>{long}</td><td>{long}</td></tr></table>
    <p>After.</p></body></html>""")
    text = only(path)
    assert "Before the table.\nCity: Lyon; Population: 522,000; Population: 2021\n" in text
    assert long.strip() in text and "Column" not in text
    assert text.index("Before") < text.index("City: Lyon") < text.index("After.")


def test_pdf_ruled_tables_become_rows_in_place(tmp_path):
    path = tmp_path / "exports.pdf"
    docs.write_table_pdf(path, "Table 2 shows exports by country.",
                         [["Country", "2024", "2025"], ["Japan", "3.1", "3.4"]], "Figures are in billions.")
    expected = "Table 2 shows exports by country.\n\nCountry: Japan; 2024: 3.1; 2025: 3.4\n\nFigures are in billions."
    assert only(path) == expected


# -- slides, spreadsheets, e-mail -------------------------------------------------------------

def test_slides_carry_titles_tables_and_speaker_notes_with_slide_labels(tmp_path):
    path = tmp_path / "deck.pptx"
    docs.write_pptx(path, [{"title": "Harbour plan", "bullets": ["Dredging starts in April"],
                            "notes": "The cost overrun is 3 million."},
                           {"title": "Budget", "table": [["Phase", "Cost"], ["One", "5 million"]]}])
    doc = read(path).documents[0]
    assert doc.meta.part_labels == ("slide 1", "slide 2")
    assert doc.text[doc.meta.page_starts[1]:].startswith("Budget\nPhase: One; Cost: 5 million")
    assert "Speaker notes: The cost overrun is 3 million." in doc.text[: doc.meta.page_starts[1]]
    assert doc.meta.title == "Harbour plan"


def test_a_list_typed_into_a_slides_title_placeholder_is_its_text_not_a_heading(tmp_path):
    path = tmp_path / "codes.pptx"
    codes = [f"Code {600 + 10 * i}: Division number {i} of the directorate" for i in range(8)]
    docs.write_pptx(path, [{"title": "\n".join(codes), "bullets": ["Contact the service desk"]}])
    doc = read(path).documents[0]
    assert "Code 670: Division number 7 of the directorate\n" in doc.text
    assert doc.meta.sections == ()  # no heading made of the list, so its lines can be cited


def test_workbooks_read_each_sheet_as_labelled_rows(tmp_path):
    path = tmp_path / "budget.xlsx"
    docs.write_xlsx(path, {"Budget": [["Quarterly budget"], ["Department", "Q1", "Q2"], ["Health", 10, 12.5]],
                           "Empty": [], "Staff": [["Name", "Role"], ["Ana Ruiz", "Director"]]})
    doc = read(path).documents[0]
    assert doc.meta.part_labels == ("sheet Budget", "sheet Staff")
    assert "Department: Health; Q1: 10; Q2: 12.5" in doc.text
    assert doc.text[doc.meta.page_starts[1]:] == "Sheet: Staff\nName: Ana Ruiz; Role: Director"
    assert doc.meta.title == "budget"  # not its first row


def test_csv_delimiters_are_detected(tmp_path):
    path = tmp_path / "cities.csv"
    path.write_text("city;population\nLyon;522000\n")
    assert only(path) == "city: Lyon; population: 522000"


def test_an_email_is_a_document_and_its_attachments_are_documents_of_their_own(tmp_path):
    pdf = tmp_path / "src.pdf"
    docs.write_table_pdf(pdf, "Exports by country.", [["Country", "2025"], ["Japan", "3.4"]], "End.")
    path = tmp_path / "letter.eml"
    path.write_bytes(docs.email_bytes("Export figures", "The table is attached.", attachments=[
        ("exports.pdf", pdf.read_bytes(), "application/pdf"), ("logo.bin", b"\0\1", "application/octet-stream"),
        ("broken.pdf", b"%PDF-1.4 not really", "application/pdf")]))
    result = read(path)
    message, attachment = result.documents
    assert message.doc_id == "letter.eml"
    assert message.meta.title == "Export figures" and message.meta.date == "2025-03-04"
    assert message.text.startswith("From: Ana Ruiz <ana@example.org>\nTo: Desk <desk@example.org>\n")
    assert message.text.endswith("Subject: Export figures\n\nThe table is attached.")
    assert attachment.doc_id == "letter.eml/exports.pdf" and attachment.meta.container == "letter.eml"
    assert "Country: Japan; 2025: 3.4" in attachment.text
    reasons = {s.doc_id: s.reason for s in result.skipped}
    assert "unsupported type '.bin'" in reasons["letter.eml/logo.bin"]
    assert "cannot read PDF" in reasons["letter.eml/broken.pdf"]


def test_an_mbox_is_one_document_per_message_and_a_broken_message_is_skipped(tmp_path):
    path = tmp_path / "inbox.mbox"
    docs.write_mbox(path, [docs.email_bytes("First", "The ferry timetable changes on 1 April."),
                           b"Subject: \n\n",  # no text at all
                           docs.email_bytes("Third", "From now on the pier is closed.",
                                            date="Wed, 05 Mar 2025 10:00:00 +0000")])
    result = read(path)
    assert [d.doc_id for d in result.documents] == ["inbox.mbox/00001", "inbox.mbox/00003"]
    assert result.documents[1].meta.date == "2025-03-05"
    assert result.documents[1].text.endswith("\n\nFrom now on the pier is closed.")  # mboxrd quoting undone
    assert [s.doc_id for s in result.skipped] == ["inbox.mbox/00002"]


# -- bad input --------------------------------------------------------------------------------

def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".pptx"])
def test_office_bombs_damaged_and_protected_files_are_refused_with_a_reason(tmp_path, suffix):
    bomb = tmp_path / f"bomb{suffix}"
    bomb.write_bytes(_zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"\0" * 50_000_000}))
    with pytest.raises(SkipFile, match="decompression bomb"):
        read(bomb)
    damaged = tmp_path / f"damaged{suffix}"
    damaged.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(SkipFile, match="damaged"):
        read(damaged)
    protected = tmp_path / f"protected{suffix}"
    protected.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(SkipFile, match="password-protected"):
        read(protected)


def test_password_protected_pdf_is_refused(tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = tmp_path / "plain.pdf"
    docs.write_pdf(plain, ["Secret budget lines."])
    writer = PdfWriter()
    writer.append(PdfReader(plain))
    writer.encrypt("hunter2")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(SkipFile, match="password-protected PDF"):
        read(locked)


def test_an_image_over_the_pixel_limit_is_refused_before_decoding(tmp_path):
    from PIL import Image

    path = tmp_path / "huge.png"
    Image.new("1", (12_000, 9_000), 1).save(path)
    with pytest.raises(SkipFile, match="too large"):
        read(path)


# -- OCR ----------------------------------------------------------------------------------------

def test_without_tesseract_scans_are_skipped_with_how_to_get_it(tmp_path, monkeypatch):
    from assistant.ingest import ocr

    monkeypatch.setattr(ocr.shutil, "which", lambda _name: None)
    ocr.missing_languages.cache_clear()
    try:
        image = tmp_path / "letter.png"
        docs.text_image(["A scanned letter."]).save(image)
        with pytest.raises(SkipFile, match="install tesseract-ocr"):
            read(image)
        scanned = tmp_path / "scan.pdf"
        docs.write_scanned_pdf(scanned, [["The harbour budget is 12 million."]])
        with pytest.raises(SkipFile, match=r"^scanned PDF, no text layer: install tesseract-ocr \(apt-get install"):
            read(scanned)
        from pypdf import PdfReader, PdfWriter

        typed = tmp_path / "typed.pdf"
        docs.write_pdf(typed, ["The typed cover page of the harbour report."])
        writer = PdfWriter()
        writer.append(PdfReader(typed))
        writer.append(PdfReader(scanned))
        mixed = tmp_path / "mixed.pdf"
        with mixed.open("wb") as fh:
            writer.write(fh)
        result = read(mixed)
        assert result.documents[0].text.startswith("The typed cover page of the harbour report.")
        assert [n.reason for n in result.notes] == [
            "page 2: scanned, not read (install tesseract-ocr (apt-get install tesseract-ocr tesseract-ocr-eng))"]
    finally:
        ocr.missing_languages.cache_clear()


def test_ocr_off_is_a_reason_too(tmp_path):
    image = tmp_path / "letter.png"
    docs.text_image(["A scanned letter."]).save(image)
    with pytest.raises(SkipFile, match="OCR is off"):
        read(image, OcrOptions(enabled=False))


@needs_tesseract
def test_a_scanned_pdf_is_read_page_by_page_with_confidence_and_cached(tmp_path, monkeypatch):
    from assistant.ingest import ocr

    path = tmp_path / "scan.pdf"
    docs.write_scanned_pdf(path, [["The committee met on 4 March 2025."], ["The ferry contract was signed."]])
    options = OcrOptions(cache_dir=tmp_path / "cache", workers=2)
    doc = read(path, options).documents[0]
    assert doc.text == "The committee met on 4 March 2025.\n\nThe ferry contract was signed."
    assert doc.meta.page_starts == (0, doc.text.index("The ferry")) and [p for p, _ in doc.meta.ocr_pages] == [1, 2]
    assert all(conf > 80 for _, conf in doc.meta.ocr_pages)

    def no_tesseract(*_args, **_kwargs):
        raise AssertionError("a cached page was read again")

    monkeypatch.setattr(ocr, "recognise", no_tesseract)
    assert read(path, options).documents[0].text == doc.text


@needs_tesseract
def test_multipage_tiff_pages_are_pages(tmp_path):
    path = tmp_path / "fax.tiff"
    docs.write_scanned_tiff(path, [["Fax page one: the lighthouse closes in May."],
                                   ["Fax page two: the pier reopens."]])
    doc = read(path).documents[0]
    assert len(doc.meta.page_starts) == 2
    assert doc.text[doc.meta.page_starts[1]:].startswith("Fax page two")
