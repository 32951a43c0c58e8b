"""Tables as citable text: one row is one line that carries its column headers.

"Country: Japan; 2024: 3.1; 2025: 3.4" can be found by a question about Japan's 2025 figure
and quoted whole, where a table flattened cell by cell ("Japan", "3.1", "3.4" on lines of
their own) loses which number belongs to which column. Every format with tables (Word, HTML,
PDF, slides, spreadsheets) goes through ``table_lines``, so they all read alike; the sentence
splitter knows the shape (``ingest.sentences.is_record``) and keeps each row one sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MAX_COLUMNS = 24
"""Columns kept per row; a wider table gets a note saying how many were left out."""
MAX_ROWS = 5000
"""Rows kept per table; a longer one ends with a note saying how many were left out."""
MAX_CELL = 300
"""Characters kept per cell (a cell holding a whole paragraph is cut with an ellipsis)."""


@dataclass(frozen=True)
class Table:
    """Cell texts, row by row, as a format's reader found them; the first ``header_rows`` rows
    name the columns (a header spread over two rows, as merged cells often are, is joined)."""

    rows: tuple[tuple[str, ...], ...]
    header_rows: int = 1


def clean_cell(value: object) -> str:
    """A cell's text on one line; ';' would read as the separator between cells, so it becomes ','."""
    if value is None:
        return ""
    text = " ".join(str(value).split()).replace(";", ",")
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1].rstrip() + "…"


def table_lines(table: Table) -> list[str]:
    """The table as lines of text: one per body row, each cell labelled with its header.

    A column with no header is "Column N"; a merged cell (repeated under a merged header) is
    written once; a row whose cells are all empty is dropped; a table with no body rows (or a
    single row) reads as its cells joined by '; '.
    """
    rows = [[clean_cell(c) for c in row] for row in table.rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        return []
    width = min(max(len(row) for row in rows), 4 * MAX_COLUMNS)
    rows = [(row + [""] * (width - len(row)))[:width] for row in rows]
    n_head = min(max(table.header_rows, 0), len(rows) - 1) if len(rows) > 1 else 0
    if n_head == 0:
        return ["; ".join(c for c in row if c) for row in rows]
    headers = _headers(rows[:n_head], width)
    body = rows[n_head:]
    lines: list[str] = []
    for row in body[:MAX_ROWS]:
        cells = _row_cells(headers, row)
        if cells:
            lines.append("; ".join(cells))
    if len(body) > MAX_ROWS:
        lines.append(f"[table cut: {len(body) - MAX_ROWS} more rows not indexed]")
    return lines


def _headers(head: Sequence[Sequence[str]], width: int) -> list[str]:
    """One label per column from the header rows: stacked labels joined, blanks named by position."""
    labels: list[str] = []
    for col in range(width):
        parts: list[str] = []
        for row in head:
            cell = row[col]
            if cell and (not parts or parts[-1] != cell):
                parts.append(cell)
        label = " ".join(parts).replace(":", " -").replace(";", ",").strip()
        labels.append(label or f"Column {col + 1}")
    return labels


def _row_cells(headers: list[str], row: list[str]) -> list[str]:
    cells: list[str] = []
    previous: tuple[str, str] | None = None
    kept = 0
    for header, cell in zip(headers, row, strict=True):
        if not cell or (header, cell) == previous:
            continue  # empty, or one merged cell repeated under its merged header
        previous = (header, cell)
        if kept == MAX_COLUMNS:
            cells.append(f"[{sum(1 for c in row if c) - kept} more columns]")
            break
        cells.append(f"{header}: {cell}")
        kept += 1
    return cells
