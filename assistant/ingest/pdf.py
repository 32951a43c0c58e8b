"""PDF to text, page by page: the text layer where there is one, OCR where a page is a scan,
and ruled tables as labelled rows.

pypdf reads the text layer (as before; it is fast and keeps reading order). A page with almost
no text is a scan: pypdfium2 renders it and Tesseract reads it (``ocr``). pdfplumber finds
ruled tables; on a page that has one, the text outside the table keeps its lines and the table
is written as rows in its place (``tables``), instead of loose words in reading order.
"""

from __future__ import annotations

import io
import threading
from typing import Any

from assistant.errors import SkipFile
from assistant.ingest import ocr
from assistant.ingest.converted import Converted
from assistant.ingest.pdf_tables import FoundTable, document_tables
from assistant.ingest.tables import table_lines

MIN_TEXT_CHARS = 20
"""Letters and digits below which a page's text layer is taken for a scan (a page number,
a stray header) and the page is read by OCR."""
MAX_TABLE_PAGES = 400
"""Pages searched for tables (pdfplumber parses every drawing on a page; a 3,000-page
report would take minutes)."""
_RENDER_LOCK = threading.Lock()  # PDFium is not thread-safe: one page is rendered at a time


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
    pages = [(page.extract_text() or "") for page in reader.pages]
    meta = reader.metadata
    title = str(meta.title) if meta and meta.title else ""
    notes: list[str] = []
    _tables(raw, pages, notes)
    scanned = [i for i, text in enumerate(pages) if sum(ch.isalnum() for ch in text) < MIN_TEXT_CHARS]
    confidences: list[tuple[int, float]] = []
    unread: str | None = None
    if scanned:
        why = ocr.unavailable(options)
        if why is None:
            read = ocr.ocr_pages(file_sha, scanned, _renderer(raw, options.dpi), options)
            for i in scanned:
                if read[i].text.strip():
                    pages[i] = read[i].text
                    confidences.append((i + 1, read[i].confidence))
        elif any(_has_images(reader.pages[i]) for i in scanned):
            unread = why
            notes.append(f"{_page_list(scanned)}: scanned, not read ({why})")
    if unread is not None and not any(p.strip() for p in pages):
        raise SkipFile(f"scanned PDF, no text layer: {unread}")
    return Converted("\n\n".join(pages), title, None, pages=pages, ocr=confidences, notes=notes)


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


def _tables(raw: bytes, pages: list[str], notes: list[str]) -> None:
    """Rewrite the pages that hold ruled tables: their other lines as they are, tables as rows."""
    try:
        import pdfplumber
    except ImportError:
        return
    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            # Tables hook (issue 34, owned by ingest.pdf_tables): every page at once, so that a
            # table continued over pages keeps its header; notes say which pages were not searched.
            found = document_tables(raw, pdf.pages[:MAX_TABLE_PAGES])
            notes.extend(found.notes)
            for i, (page, tables) in enumerate(zip(pdf.pages, found.tables, strict=False)):
                if tables:
                    pages[i] = _page_with_tables(page, tables)
    except Exception as exc:  # noqa: BLE001 - the text layer read above stands; tables are extra
        notes.append(f"tables not read ({type(exc).__name__})")


def _page_with_tables(page: Any, found: list[FoundTable]) -> str:
    boxes = [t.bbox for t in found]

    def outside(obj: dict[str, Any]) -> bool:
        x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
        y = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    blocks: list[tuple[float, list[str]]] = []
    for line in page.filter(outside).extract_text_lines():
        blocks.append((float(line["top"]), [line["text"]]))
    for table in found:
        blocks.append((table.bbox[1], table_lines(table.table)))
    blocks.sort(key=lambda block: block[0])
    return "\n".join(line for _, lines in blocks for line in lines)
