"""Files a careless or hostile folder holds (issue 35): names that are not UTF-8, a file that is
only a byte-order mark, sheets padded thousands of cells wide, Office files holding far more XML
than their size suggests. Each is skipped with a reason, or read in time linear in what it holds;
the rest of the corpus is indexed."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from assistant.errors import SkipFile
from assistant.index.manifest import read_manifest
from assistant.ingest import archives, sheets
from assistant.ingest import corpus as corpus_files
from assistant.ingest.corpus import CorpusFile, scan_corpus
from assistant.ingest.loaders import parse_source
from assistant.ingest.ocr import OcrOptions
from tests import docs
from tests.fakes import HashEmbedder
from tests.helpers import briefing_process, build, user_environment, write_doc

BAD_FILE = b"minutes-\xff\xfe.txt"
BAD_FOLDER = b"archive-\xe9t\xe9"  # Latin-1 "été": not UTF-8


def _bad_names(corpus: Path) -> None:
    """A file and a folder whose names are not UTF-8, made from bytes as a Latin-1 system or an
    old zip would leave them."""
    root = os.fsencode(corpus)
    fd = os.open(root + b"/" + BAD_FILE, os.O_CREAT | os.O_WRONLY, 0o644)
    os.write(fd, b"The hidden minutes say the budget doubled.")
    os.close(fd)
    os.mkdir(root + b"/" + BAD_FOLDER)
    with open(root + b"/" + BAD_FOLDER + b"/inside.txt", "w", encoding="utf-8") as fh:
        fh.write("A note inside a folder whose name is not UTF-8.")


def test_a_name_that_is_not_utf8_is_shown_with_its_bytes_escaped():
    name = os.fsdecode(BAD_FILE)
    assert not corpus_files.is_utf8_name(name) and corpus_files.is_utf8_name("été.txt")
    assert corpus_files.escaped_name(name) == "minutes-\\xff\\xfe.txt"
    assert corpus_files.escaped_name("\ud800x") == "\\ud800x"  # a surrogate standing for no byte still prints


def test_scan_skips_names_that_are_not_utf8_with_a_reason_and_keeps_the_rest(corpus):
    write_doc(corpus, "good.txt", "Cobalt exports were suspended in March 2025.")
    _bad_names(corpus)
    files, skipped = scan_corpus(corpus, 10_000_000)
    assert [f.doc_id for f in files] == ["good.txt"]
    reasons = {s.doc_id: s.reason for s in skipped}
    assert reasons == {"minutes-\\xff\\xfe.txt": "file name is not valid UTF-8 (rename it to index it)",
                       "archive-\\xe9t\\xe9/": "folder name is not valid UTF-8 (nothing in it is indexed; "
                                               "rename it to index it)"}
    for s in skipped:
        s.doc_id.encode("utf-8")  # text every index file, JSON answer and terminal can carry


@pytest.mark.integration
@pytest.mark.slow
def test_briefing_index_build_indexes_the_rest_of_a_corpus_holding_a_name_that_is_not_utf8(corpus, settings):
    """Issue 35, defect 1: the real command over a real folder (it exited 2 with
    "UnicodeEncodeError … surrogates not allowed", writing no index)."""
    write_doc(corpus, "good.txt", "Cobalt exports were suspended in March 2025.")
    _bad_names(corpus)
    env = user_environment(BRIEFING_CORPUS=str(corpus), BRIEFING_INDEX=str(settings.paths.index_dir))
    done = briefing_process("index", "build", "--json", env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["added"] == 1
    assert {s["doc"] for s in report["skipped"]} == {"minutes-\\xff\\xfe.txt", "archive-\\xe9t\\xe9/"}
    assert set(read_manifest(settings.paths.index_dir).documents) == {"good.txt"}
    status = briefing_process("index", "status", "--json", env=env, timeout=300)
    assert status.returncode == 0, status.stderr
    states = {d["doc"]: d["state"] for d in json.loads(status.stdout)["documents"]}
    assert states == {"good.txt": "indexed", "minutes-\\xff\\xfe.txt": "skipped", "archive-\\xe9t\\xe9/": "skipped"}


@pytest.mark.parametrize("content", [b"\xef\xbb\xbf", b"\xef\xbb\xbf \r\n\t", b"\xef\xbb\xbf\xe2\x80\x8b",
                                     b"\xff\xfe", b"\xfe\xff\x00\n"])
def test_a_file_holding_only_a_byte_order_mark_is_skipped_as_empty(corpus, settings, content):
    write_doc(corpus, "good.txt", "Cobalt exports were suspended in March 2025.")
    (corpus / "bom.txt").write_bytes(content)
    report = build(settings, HashEmbedder())
    assert {s.doc_id: s.reason for s in report.skipped} == {"bom.txt": "no text to index (empty after extraction)"}
    assert set(read_manifest(settings.paths.index_dir).documents) == {"good.txt"}


def test_a_byte_order_mark_before_text_is_still_a_document(corpus, settings):
    (corpus / "memo.txt").write_bytes(b"\xef\xbb\xbfThe memo says the budget doubled.")
    report = build(settings, HashEmbedder())
    assert report.added == 1 and not report.skipped


# -- sheets: linear in the cells that hold something -----------------------------------------------


class _Counted:
    """Counts the cells a sheet reader turns into text (``sheets.cell_text``)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        original = sheets.cell_text

        def counted(value: object) -> str:
            self.calls += 1
            return original(value)

        monkeypatch.setattr(sheets, "cell_text", counted)


def test_a_workbook_with_one_cell_in_the_last_column_reads_only_the_filled_cells(tmp_path, monkeypatch):
    """Issue 35, defect 2: a cell typed in column XFD made every row 16,384 cells wide, and the
    trailing blanks were dropped one copy at a time (55 s for a 10 KB workbook)."""
    import openpyxl

    rows = 60
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Country", "Year", "Output"])
    for i in range(rows):
        sheet.append([f"Land {i}", 2000 + i, i + 0.5])
    sheet["XFD2"] = "far away"
    path = tmp_path / "wide.xlsx"
    book.save(path)
    assert openpyxl.load_workbook(path, read_only=True).active.max_column == 16384  # what the reader is told
    counted = _Counted(monkeypatch)
    text = parse_source(CorpusFile("wide.xlsx", path, path.stat().st_size), path.read_bytes(),
                        OcrOptions()).documents[0].text
    assert "Country: Land 0; Year: 2000; Output: 0.5" in text
    assert f"Country: Land {rows - 1}; Year: {2000 + rows - 1}; Output: {rows - 0.5}" in text
    filled = 3 * (rows + 1)
    assert counted.calls <= filled + sheets.MAX_SHEET_COLUMNS, counted.calls  # 16,384 per row before


def test_a_csv_with_thousands_of_trailing_commas_reads_only_the_filled_cells(monkeypatch):
    rows = 200
    padding = "," * 5000
    text = f"Country,Year,Output{padding}\n" + "".join(f"Land {i},{2000 + i},{i}{padding}\n" for i in range(rows))
    counted = _Counted(monkeypatch)
    converted = sheets.convert_csv(text)
    lines = converted.text.splitlines()
    assert len(lines) == rows and lines[7] == "Country: Land 7; Year: 2007; Output: 7"
    assert counted.calls == 3 * (rows + 1)  # 5,003 per row before, each row then cut one cell at a time


def test_a_wide_row_keeps_its_filled_cells_in_place():
    cells = sheets.filled_cells(("a", None, "", "b", None, "", None))
    assert cells == ("a", "", "", "b")
    assert sheets.filled_cells(("", None)) == () and sheets.filled_cells(()) == ()
    assert len(sheets.filled_cells(("x",) * 5000)) == sheets.MAX_SHEET_COLUMNS


# -- Office files: the XML a converter parses is bounded -------------------------------------------


def _docx_with_body_xml(path: Path, extra_bytes: int) -> None:
    """A real .docx whose ``word/document.xml`` is padded with ``extra_bytes`` of paragraphs:
    prose-like text that compresses about ten to one, so no ratio check notices it."""
    docs.write_docx(path, ["Seed paragraph."])
    with zipfile.ZipFile(path) as src:
        members = {m.filename: src.read(m.filename) for m in src.infolist()}
    words = ["alpha", "budget", "copper", "delta", "export", "fiscal", "growth", "harbour"]
    paragraph = "<w:p><w:r><w:t>{}</w:t></w:r></w:p>"
    body, size, i = [], 0, 0
    while size < extra_bytes:
        para = paragraph.format(" ".join(words[(i * 7 + j) % 8] + str(i % 97) for j in range(30)))
        body.append(para)
        size += len(para)
        i += 1
    xml = members["word/document.xml"].decode()
    members["word/document.xml"] = xml.replace("<w:body>", "<w:body>" + "".join(body), 1).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    path.write_bytes(out.getvalue())


def test_an_office_file_whose_xml_expands_far_is_refused_from_its_zip_directory(tmp_path, monkeypatch):
    """Minor in issue 35: a 4 MB .docx holding 40 MB of XML was parsed whole (27 s, 775 MB); the
    limit is read from the zip directory, before any parser runs."""
    monkeypatch.setattr(archives, "MAX_XML_PART_BYTES", 300_000)
    monkeypatch.setattr(archives, "MAX_XML_BYTES", 1_000_000)
    path = tmp_path / "long.docx"
    _docx_with_body_xml(path, 400_000)
    with zipfile.ZipFile(path) as archive:
        member = archive.getinfo("word/document.xml")
        assert member.file_size < archives.MAX_RATIO * member.compress_size  # the ratio alone lets it in
    parsed: list[bytes] = []
    import docx

    monkeypatch.setattr(docx, "Document", lambda *a: parsed.append(b"") or pytest.fail("parsed"))
    with pytest.raises(SkipFile, match=r"word/document\.xml is 0 MB of XML \(limit 0 MB per part\)"):
        parse_source(CorpusFile("long.docx", path, path.stat().st_size), path.read_bytes(), OcrOptions())
    assert not parsed


def test_the_xml_of_all_parts_together_is_bounded_and_streamed_sheets_are_not_counted(tmp_path, monkeypatch):
    monkeypatch.setattr(archives, "MAX_XML_PART_BYTES", 1_000_000)
    monkeypatch.setattr(archives, "MAX_XML_BYTES", 1_000_000)
    slides = {f"ppt/slides/slide{i}.xml": b"<p:sld>" + b"<a:t>word</a:t>" * 20_000 + b"</p:sld>" for i in range(4)}
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in slides.items():
            z.writestr(name, data)
    with pytest.raises(SkipFile, match=r"MB of XML to parse \(limit 1 MB\)"):
        archives.check_office_archive(archive.getvalue(), "PPTX")
    renamed = io.BytesIO()
    with zipfile.ZipFile(renamed, "w", zipfile.ZIP_DEFLATED) as z:
        for i, data in enumerate(slides.values()):
            z.writestr(f"xl/worksheets/sheet{i}.xml", data)
    archives.check_office_archive(renamed.getvalue(), "XLSX", streamed=("xl/worksheets/",))  # read row by row


def test_a_real_sized_office_file_is_well_within_the_xml_limits(tmp_path):
    path = tmp_path / "report.docx"
    _docx_with_body_xml(path, 2_000_000)  # some 300 pages of prose
    converted = parse_source(CorpusFile("report.docx", path, path.stat().st_size), path.read_bytes(), OcrOptions())
    assert "budget" in converted.documents[0].text
