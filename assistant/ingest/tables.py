"""Tables as citable text: one row is one line that carries its column headers.

"Country: Japan; 2024: 3.1; 2025: 3.4" can be found by a question about Japan's 2025 figure
and quoted whole, where a table flattened cell by cell ("Japan", "3.1", "3.4" on lines of
their own) loses which number belongs to which column. Every format with tables (Word, HTML,
PDF, slides, spreadsheets) goes through ``table_lines``, so they all read alike; the sentence
splitter knows the shape (``ingest.sentences.is_record``) and keeps each row one sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

MAX_COLUMNS = 24
"""Columns kept per row; a wider table gets a note saying how many were left out."""
MAX_ROWS = 5000
"""Rows kept per table; a longer one ends with a note saying how many were left out."""
MAX_CELL = 300
"""Characters kept per cell (a cell holding a whole paragraph is cut with an ellipsis)."""


_SLASH_BREAK = re.compile(r"/[ \t]*\n\s*")
"""A label broken after a slash ("Incomplete/" over "Terminated") is one word again."""


@dataclass(frozen=True)
class Table:
    """Cell texts, row by row, as a format's reader found them; the first ``header_rows`` rows
    name the columns (a header spread over two rows, as merged cells often are, is joined)."""

    rows: tuple[tuple[str, ...], ...]
    header_rows: int = 1


def clean_cell(value: object) -> str:
    """A cell's text on one line (a line broken after a slash joined without a space); ';' would
    read as the separator between cells, so it becomes ','."""
    if value is None:
        return ""
    text = " ".join(_SLASH_BREAK.sub("/", str(value)).split()).replace(";", ",")
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1].rstrip() + "…"


def table_lines(table: Table) -> list[str]:
    """The table as lines of text: one per body row, each cell labelled with its header.

    Header rows merge into one label per column ("Quarter 1 / Sales" under a label spanning
    several columns, a label printed over two lines joined by a space); a first header row with
    a single filled cell is the table's title and is written as a line of its own. A column with
    no header is "Column N"; a merged cell (repeated under a merged header) is written once; a
    row whose cells are all empty is dropped. A body row with a single filled cell in a table of
    three or more columns labels a group of rows ("Northern region"): it is carried on each row
    under it ("Group: Northern region; ...") rather than written as a row of its own. A table
    with no header rows (or a single row) reads as its cells joined by '; '.
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
    head = rows[:n_head]
    titles: list[str] = []
    while width >= 3 and len(head) > 1 and sum(1 for c in head[0] if c) == 1:
        titles.append(next(c for c in head[0] if c))  # a title printed across the top of the table
        head = head[1:]
    headers = _headers(head, width)
    body = rows[n_head:]
    lines: list[str] = list(titles)
    group, carried = "", True
    for row in body[:MAX_ROWS]:
        filled = [c for c in row if c]
        if width >= 3 and len(filled) == 1 and not _is_figure(filled[0]):
            if not carried:
                lines.append(group)  # a label with no rows under it stays as it was printed
            group, carried = filled[0].rstrip(":").strip() or filled[0], False
            continue
        cells = _row_cells(headers, row)
        if cells:
            lines.append("; ".join(([f"Group: {group.replace(':', ' -')}"] if group else []) + cells))
            carried = True
    if not carried:
        lines.append(group)
    if len(body) > MAX_ROWS:
        lines.append(f"[table cut: {len(body) - MAX_ROWS} more rows not indexed]")
    return lines


def _is_figure(cell: str) -> bool:
    return any(ch.isdigit() for ch in cell) and not any(ch.isalpha() for ch in cell.replace("n/a", ""))


def _headers(head: Sequence[Sequence[str]], width: int) -> list[str]:
    """One label per column from the header rows.

    Labels stacked in a column are joined: after a label that spans several columns (written in
    each) with " / ", as a level above the one below ("Percent fuel savings / Improved speed");
    otherwise with a space, as the lines of one label ("Medical &" over "Public Health"). A label
    repeated down the column (a cell spanning header rows) is taken once; a column with no label
    is named by its position.
    """
    labels: list[str] = []
    for col in range(width):
        label = ""
        previous = ""
        spanning = False
        for row in head:
            cell = row[col]
            if not cell or cell == previous:
                continue
            if label:
                label += " / " if spanning else " "
            label += cell
            previous = cell
            spanning = (col > 0 and row[col - 1] == cell) or (col + 1 < width and row[col + 1] == cell)
        label = label.replace(":", " -").replace(";", ",").strip()
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
