"""Word documents: paragraphs and tables in the order they stand in the document; paragraphs in
a Title or Heading N style are the title and the sections (``structure``)."""

from __future__ import annotations

import io
import re
from typing import Any

from assistant.ingest.archives import check_office_archive
from assistant.ingest.converted import Converted
from assistant.ingest.office_properties import office_properties
from assistant.ingest.structure import Block, Role, StructuredText
from assistant.ingest.tables import Table, table_lines
from assistant.markings.detect import marking_fields


def convert_docx(raw: bytes) -> Converted:
    import docx
    from docx.table import Table as DocxTable

    check_office_archive(raw, "DOCX")
    document = docx.Document(io.BytesIO(raw))
    blocks: list[Block] = []
    title = ""
    for block in document.iter_inner_content():
        if isinstance(block, DocxTable):
            blocks.extend(Block(line, "table") for line in table_lines(Table(_rows(block), 1)))
            continue
        role, level = _style(block)
        if role == "title" and not title:
            title = " ".join(block.text.split())
        blocks.append(Block(block.text, role, level))
    written = StructuredText("\n")
    written.add_page(blocks)
    done = written.finish()
    props = document.core_properties
    created = props.created.date().isoformat() if props.created else None
    return Converted(done.text, props.title or title, created, sections=list(done.sections),
                     uncitable=list(done.uncitable), metadata=marking_fields(office_properties(raw)))


_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.I)


def _style(paragraph: Any) -> tuple[Role, int]:
    """A paragraph's role by its style: "Title"/"Subtitle" the title, "Heading N" a heading."""
    try:
        style = paragraph.style
        names = [style.name or "", style.style_id or ""] if style is not None else []
    except (KeyError, ValueError, AttributeError):  # a style the document names but does not define
        names = []
    for name in names:
        if name.lower() in ("title", "subtitle"):
            return "title", 1
        m = _HEADING_STYLE.match(name)
        if m:
            return "heading", max(1, int(m.group(1)))
    return "body", 1


def _rows(table: Any) -> tuple[tuple[str, ...], ...]:
    """Cell texts by grid position: a merged cell repeats across the columns it spans."""
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            nested = "; ".join(line for t in cell.tables for line in table_lines(Table(_rows(t), 1)))
            cells.append(" ".join(p.text for p in cell.paragraphs) + (f" ({nested})" if nested else ""))
        rows.append(tuple(cells))
    return tuple(rows)
