import os

import pytest

from assistant.errors import SkipFile
from assistant.ingest.corpus import CorpusFile, scan_corpus
from assistant.ingest.loaders import load_document
from tests.docs import write_docx, write_pdf

MB = 1_000_000


def _load(path, doc_id=None):
    return load_document(CorpusFile(doc_id or path.name, path, path.stat().st_size))


def test_markdown_front_matter_fields(corpus):
    p = corpus / "note.md"
    p.write_text("---\ntitle: Chips\ndate: 2026-05-01\nsource: Wire\ntags: [a, b]\n---\n# Chips\nText here.\n")
    doc, note = _load(p)
    meta = doc.meta
    assert (meta.title, meta.date, meta.origin, meta.tags) == ("Chips", "2026-05-01", "Wire", ("a", "b"))
    assert doc.text == p.read_text() and doc.text[doc.meta.body_start :].startswith("# Chips")
    assert note is None


def test_html_main_text_and_title(corpus):
    p = corpus / "page.html"
    p.write_text("<html><head><title>Export news</title><script>var x=1;</script></head><body>"
                 "<nav>Menu Home</nav><main><h1>Export news</h1><p>China added <b>seven</b> elements.</p>"
                 "<p>Second paragraph.</p></main><footer>Copyright</footer></body></html>")
    doc, _ = _load(p)
    assert doc.meta.title == "Export news" and doc.converted
    assert "China added seven elements." in doc.text and "Second paragraph." in doc.text
    assert "var x" not in doc.text and "Menu" not in doc.text and "Copyright" not in doc.text


def test_pdf_text_per_page_with_page_offsets(corpus):
    p = corpus / "report.pdf"
    write_pdf(p, ["First page about gallium.", "Second page about tungsten."], title="Minerals")
    doc, _ = _load(p)
    assert doc.meta.title == "Minerals"
    assert len(doc.meta.page_starts) == 2
    second = doc.text[doc.meta.page_starts[1] :]
    assert second.startswith("Second page about tungsten.")
    assert doc.text[: doc.meta.page_starts[1]].startswith("First page about gallium.")


def test_docx_paragraphs(corpus):
    p = corpus / "memo.docx"
    write_docx(p, ["Memo line one.", "Memo line two."], title="Memo")
    doc, _ = _load(p)
    assert doc.meta.title == "Memo" and doc.text == "Memo line one.\nMemo line two."


def test_non_utf8_text_is_decoded_and_reported(corpus):
    p = corpus / "latin.txt"
    p.write_bytes("Café société: les élèves étudient la géopolitique des métaux rares.".encode("cp1252"))
    doc, note = _load(p)
    assert "Café" in doc.text and note and "not UTF-8" in note


def test_binary_file_is_refused(corpus):
    p = corpus / "blob.txt"
    p.write_bytes(b"\x00\x01\x02binary\x00" * 10)
    with pytest.raises(SkipFile, match="binary"):
        _load(p)


def test_corrupt_pdf_is_refused_with_a_reason(corpus):
    p = corpus / "broken.pdf"
    p.write_bytes(b"%PDF-1.4 this is not really a pdf")
    with pytest.raises(SkipFile, match="PDF"):
        _load(p)


def test_scan_reports_every_refusal_and_ignores_temporary_files(corpus, tmp_path):
    (corpus / "good.txt").write_text("Fine text.")
    (corpus / "empty.txt").write_text("")
    (corpus / "tool.exe").write_bytes(b"MZ\x90")
    (corpus / "big.txt").write_text("x" * (2 * MB))
    (corpus / ".DS_Store").write_text("junk")
    (corpus / "~$draft.docx").write_text("junk")
    (corpus / ".~lock.memo.docx#").write_text("junk")
    (corpus / "notes.txt~").write_text("junk")
    outside = tmp_path / "secret.txt"
    outside.write_text("outside the corpus")
    os.symlink(outside, corpus / "link.txt")
    (corpus / "sub").mkdir()
    (corpus / "sub" / "inner.md").write_text("Inner.")
    files, skipped = scan_corpus(corpus, max_bytes=1 * MB)
    assert [f.doc_id for f in files] == ["good.txt", "sub/inner.md"]
    reasons = {s.doc_id: s.reason for s in skipped}
    assert reasons["empty.txt"] == "empty file"
    assert "unsupported" in reasons["tool.exe"]
    assert "too large" in reasons["big.txt"]
    assert "outside the corpus" in reasons["link.txt"]
    assert set(reasons) == {"empty.txt", "tool.exe", "big.txt", "link.txt"}


def test_an_mbox_may_be_larger_than_one_document(corpus):
    (corpus / "inbox.mbox").write_bytes(b"From a@b Tue Mar  4 09:30:00 2025\n" + b"x" * (3 * MB))
    (corpus / "big.txt").write_text("x" * (3 * MB))
    files, skipped = scan_corpus(corpus, max_bytes=1 * MB)
    assert [f.doc_id for f in files] == ["inbox.mbox"] and [s.doc_id for s in skipped] == ["big.txt"]


def test_missing_corpus_is_a_corpus_error(tmp_path):
    from assistant.errors import CorpusError

    with pytest.raises(CorpusError, match="not found"):
        scan_corpus(tmp_path / "nope", MB)
