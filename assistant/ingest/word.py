"""Word documents: paragraphs and tables in the order they stand in the document."""

from __future__ import annotations

import io
from typing import Any

from assistant.ingest.archives import check_office_archive
from assistant.ingest.converted import Converted
from assistant.ingest.tables import Table, table_lines


def convert_docx(raw: bytes) -> Converted:
    import docx
    from docx.table import Table as DocxTable

    check_office_archive(raw, "DOCX")
    document = docx.Document(io.BytesIO(raw))
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, DocxTable):
            lines.extend(table_lines(Table(_rows(block), 1)))
        else:
            lines.append(block.text)
    props = document.core_properties
    created = props.created.date().isoformat() if props.created else None
    return Converted("\n".join(lines), props.title or "", created)


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
