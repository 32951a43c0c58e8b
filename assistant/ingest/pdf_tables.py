"""Tables on a PDF page, found and read as their authors laid them out.

One entry point, ``find_tables``: the page reader (``pdf``) asks it for a page's tables, keeps
their regions out of the page's prose and writes each table's rows (``tables.table_lines``) in
its place. Which library finds the tables, and with which settings, is decided here alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.ingest.tables import Table

BBox = tuple[float, float, float, float]
"""(x0, top, x1, bottom) in PDF points, top-down, as pdfplumber measures a page."""


@dataclass(frozen=True)
class FoundTable:
    """A table on a page: where it stands and its cells."""

    bbox: BBox
    table: Table


def find_tables(page: Any) -> list[FoundTable]:
    """The tables of a pdfplumber ``page``, top to bottom.

    pdfplumber's default strategy finds tables drawn with ruling lines; a page without any
    lines or rectangles has none it can find.
    """
    if not page.lines and not page.rects:
        return []
    found = [t for t in page.find_tables() if len(t.rows) >= 2]
    out = []
    for t in found:
        rows = tuple(tuple(cell or "" for cell in row) for row in t.extract())
        out.append(FoundTable(tuple(float(v) for v in t.bbox), Table(rows, 1)))  # type: ignore[arg-type]
    return sorted(out, key=lambda f: f.bbox[1])
