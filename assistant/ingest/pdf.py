"""PDF to text, page by page, as its author laid it out: the text layer where there is one, OCR
where a page is a scan, tables as labelled rows where they stand.

pdfplumber (over pdfminer.six) gives each word of the text layer with its box and font;
``pdf_layout`` reads every page in columns, blocks and paragraphs, ``pdf_document`` gives the
paragraphs their roles over the whole file (running heads and page numbers, headings, the title,
a sentence that goes on over a column or page end), and ``structure`` writes them out with the
spans that are never cited and the sections citations name. Tables come from ``pdf_tables`` and
stand in the flow where they are printed. A page with almost no text is a scan: pypdfium2
renders it and Tesseract reads it (``ocr``). If the layout cannot be read at all, pypdf's
text layer is used line by line, as before, and the file's notes say so.
"""

from __future__ import annotations

import io
import re
import threading
from typing import Any

from assistant.errors import SkipFile
from assistant.ingest import ocr
from assistant.ingest.converted import Converted
from assistant.ingest.paragraphs import Vocabulary
from assistant.ingest.pdf_document import assemble
from assistant.ingest.pdf_layout import PageLayout, Word, page_words, read_page
from assistant.ingest.pdf_tables import FoundTable, document_tables
from assistant.ingest.structure import Block, StructuredText, scanned_page
from assistant.ingest.tables import table_lines
from assistant.markings.detect import marking_fields

MIN_TEXT_CHARS = 20
"""Letters and digits below which a page's text layer is taken for a scan (a page number,
a stray header) and the page is read by OCR."""
MAX_TABLE_PAGES = 400
"""Pages searched for tables (pdfplumber parses every drawing on a page; a 3,000-page
report would take minutes)."""
_RENDER_LOCK = threading.Lock()  # PDFium is not thread-safe: one page is rendered at a time
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def convert_pdf(raw: bytes, file_sha: str, options: ocr.OcrOptions) -> Converted:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(raw))
    if reader.is_encrypted:
        try:
            opened = bool(reader.decrypt(""))
        except Exception:  # noqa: BLE001 - an unknown encryption scheme is as closed as a password
            opened = False
        if not opened:
            raise SkipFile("password-protected PDF")
    meta = reader.metadata
    metadata_title = str(meta.title) if meta and meta.title else ""
    notes: list[str] = []
    try:
        pages, title, chars = _laid_out(raw, metadata_title, notes)
    except SkipFile:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises anything on a damaged file: pypdf may still read it
        notes.append(f"layout not read ({type(exc).__name__}); text read line by line")
        texts = [(page.extract_text() or "") for page in reader.pages]
        pages = [[Block(text)] for text in texts]
        chars = [sum(ch.isalnum() for ch in text) for text in texts]
        title = metadata_title
    scanned = [i for i, n in enumerate(chars) if n < MIN_TEXT_CHARS]
    confidences: list[tuple[int, float]] = []
    unread: str | None = None
    if scanned:
        why = ocr.unavailable(options)
        if why is None:
            read = ocr.ocr_pages(file_sha, scanned, _renderer(raw, options.dpi), options)
            for i in scanned:
                if read[i].text.strip():
                    pages[i] = scanned_page(read[i].text, read[i].furniture)
                    confidences.append((i + 1, read[i].confidence))
        elif any(_has_images(reader.pages[i]) for i in scanned):
            unread = why
            notes.append(f"{_page_list(scanned)}: scanned, not read ({why})")
    written = StructuredText()
    for blocks in pages:
        written.add_page(blocks)
    done = written.finish()
    if unread is not None and not any(p.strip() for p in done.pages):
        raise SkipFile(f"scanned PDF, no text layer: {unread}")
    fields = {str(k).lstrip("/"): str(v) for k, v in (meta or {}).items() if isinstance(v, str)}
    return Converted(done.text, title, None, pages=list(done.pages), ocr=confidences, notes=notes,
                     sections=list(done.sections), uncitable=list(done.uncitable), metadata=marking_fields(fields))


def _laid_out(raw: bytes, metadata_title: str, notes: list[str]) -> tuple[list[list[Block]], str, list[int]]:
    """Every page's blocks read from its layout, the title, and each page's count of letters
    and digits (for telling scans)."""
    import pdfplumber

    words: list[list[Word]] = []
    layouts: list[PageLayout] = []
    tables: list[list[list[str]]] = []
    chars: list[int] = []
    vocabulary: set[str] = set()
    with pdfplumber.open(io.BytesIO(raw)) as pdf:
        # every page's tables at once, so that a table continued over pages keeps its header
        try:
            found_all = document_tables(raw, pdf.pages[:MAX_TABLE_PAGES])
            notes.extend(found_all.notes)
            page_found = found_all.tables
        except Exception as exc:  # noqa: BLE001 - the pages' prose stands; tables are extra
            notes.append(f"tables not read ({type(exc).__name__})")
            page_found = []
        for i, page in enumerate(pdf.pages):
            found: list[FoundTable] = page_found[i] if i < len(page_found) else []
            page_tables = [table_lines(t.table) for t in found]
            own, margin = page_words(page, [t.bbox for t in found])
            words.append(own)
            tables.append(page_tables)
            layouts.append(PageLayout(float(page.width), float(page.height), margin=margin))
            count = sum(ch.isalnum() for w in own for ch in w.text) + sum(ch.isalnum() for r in margin for ch in r)
            chars.append(count + sum(ch.isalnum() for rows in page_tables for row in rows for ch in row))
            for w in own:
                vocabulary.update(m.group(0).lower() for m in _WORD.finditer(w.text))
            page.close()
    known: Vocabulary = vocabulary.__contains__
    for layout, own in zip(layouts, words, strict=True):
        layout.items = read_page(own, known)
    structure = assemble(layouts, tables, metadata_title, known)
    return [list(blocks) for blocks in structure.pages], structure.title, chars


def _has_images(page: Any) -> bool:
    try:
        return bool(page.images)
    except Exception:  # noqa: BLE001 - a damaged image still means the page is not text
        return True


def _page_list(pages: list[int]) -> str:
    shown = ", ".join(str(p + 1) for p in pages[:10])
    more = f" and {len(pages) - 10} more" if len(pages) > 10 else ""
    return f"page{'s' if len(pages) > 1 else ''} {shown}{more}"


def _renderer(raw: bytes, dpi: int) -> Any:
    import pypdfium2 as pdfium

    with _RENDER_LOCK:
        document = pdfium.PdfDocument(raw)

    def render(index: int) -> Any:
        with _RENDER_LOCK:
            page = document[index]
            width, height = page.get_size()
            scale = dpi / 72
            if width * height * scale * scale > ocr.MAX_PIXELS:
                scale = (ocr.MAX_PIXELS / max(width * height, 1)) ** 0.5
            image = page.render(scale=scale, grayscale=True).to_pil()
            page.close()
        return image

    return render
