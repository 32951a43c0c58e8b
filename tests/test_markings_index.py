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


def test_office_properties_pdf_metadata_and_mail_headers_mark_their_documents(settings, corpus, embedder):
    import io
    import zipfile

    from pypdf import PdfReader, PdfWriter

    from tests.docs import email_bytes, write_docx, write_pdf

    _scheme(corpus)
    write_docx(corpus / "label.docx", ["Cobalt refining is concentrated in a few places."])
    raw = (corpus / "label.docx").read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("docProps/custom.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/'
            'officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
            'docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
            'name="MSIP_Label_1234_Name"><vt:lpwstr>SECRET</vt:lpwstr></property></Properties>'))
    (corpus / "label.docx").write_bytes(buffer.getvalue())
    write_docx(corpus / "category.docx", ["Tungsten stockpiles are being built by Europe."])
    import docx

    document = docx.Document(str(corpus / "category.docx"))
    document.core_properties.category = "OFFICIAL-SENSITIVE"
    document.save(str(corpus / "category.docx"))
    write_pdf(corpus / "meta.pdf", ["Gallium exports were restricted in 2023 by the ministry."])
    writer = PdfWriter(clone_from=PdfReader(str(corpus / "meta.pdf")))
    writer.add_metadata({"/Classification": "SECRET//NOFORN"})
    with (corpus / "meta.pdf").open("wb") as fh:
        writer.write(fh)
    message = email_bytes("Fuel budget", "The convoy fuel budget rose in 2024 for the harbour.")
    (corpus / "note.eml").write_bytes(b"X-Classification: OFFICIAL-SENSITIVE\r\n" + message)
    write_doc(corpus, "plain.txt", "A plain note about the weather, OFFICIAL in a sentence.")
    build(settings, embedder)
    record = load_index(settings.paths.index_dir).markings
    assert record is not None
    found = {doc_id: (record.marking(doc_id).marking, [s.kind for s in record.marking(doc_id).sources])
             for doc_id in ("label.docx", "category.docx", "meta.pdf", "note.eml", "plain.txt")}
    assert found == {"label.docx": (Marking(3), ["metadata"]), "category.docx": (Marking(2), ["metadata"]),
                     "meta.pdf": (Marking(3, frozenset({"NOFORN"})), ["metadata"]),
                     "note.eml": (Marking(2), ["metadata"]), "plain.txt": (Marking(1), [])}
