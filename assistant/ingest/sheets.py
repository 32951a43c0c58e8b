"""Spreadsheets (.xlsx) and CSV files: each sheet's rows as labelled lines; a citation names the sheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import Any

from assistant.ingest.archives import check_office_archive
from assistant.ingest.converted import Converted
from assistant.ingest.office_properties import office_properties
from assistant.ingest.tables import MAX_ROWS, Table, table_lines
from assistant.markings.detect import marking_fields

MAX_SHEET_COLUMNS = 1024
"""Cells read per row, from the left (Excel's columns A to AMJ): a sheet may report a row 16,384
cells wide (a cell typed or formatted in column XFD), and the table reader keeps far fewer."""


def convert_xlsx(raw: bytes) -> Converted:
    import openpyxl

    # Read-only openpyxl reads sheets row by row and the shared strings as a list, never as trees.
    check_office_archive(raw, "XLSX", streamed=("xl/worksheets/", "xl/sharedStrings.xml"))
    book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    try:
        pages, labels = [], []
        for sheet in book.worksheets:
            # The stored dimension ("A1:XFD20" once anything touched column XFD) would pad every
            # row to its width; without it each row ends at its own last cell.
            sheet.reset_dimensions()
            lines = _sheet_lines(sheet.iter_rows(values_only=True))
            if lines:
                pages.append(f"Sheet: {sheet.title}\n" + "\n".join(lines))
                labels.append(f"sheet {sheet.title}")
        title = book.properties.title or ""
        created = book.properties.created
    finally:
        book.close()
    return Converted("\n\n".join(pages), title, created.date().isoformat() if created else None,
                     pages=pages, part_labels=labels, title_from_text=False,
                     metadata=marking_fields(office_properties(raw)))


def convert_csv(text: str) -> Converted:
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(text), dialect)
    return Converted("\n".join(_sheet_lines(rows)), title_from_text=False)


def _sheet_lines(rows: Iterable[Sequence[Any]]) -> list[str]:
    """Rows as labelled lines; the first row with two or more filled cells is the header."""
    kept: list[tuple[str, ...]] = []
    extra = 0
    for row in rows:
        if len(kept) > MAX_ROWS:
            extra += 1  # counted, not read: the note says how much was left out
            continue
        cells = filled_cells(row)
        if not kept and sum(1 for c in cells if c) < 2:
            continue  # a sheet's title above its table
        kept.append(cells)
    lines = table_lines(Table(tuple(kept), 1))
    if extra:
        lines.append(f"[table cut: {extra} more rows not indexed]")
    return lines


def filled_cells(row: Sequence[Any]) -> tuple[str, ...]:
    """A row's cell texts up to its last filled cell, in one pass: a row padded with thousands of
    empty cells (trailing commas, a sheet formatted to its last column) costs no more than its
    filled cells, at most ``MAX_SHEET_COLUMNS``."""
    row = row[:MAX_SHEET_COLUMNS]
    end = len(row)
    while end and (row[end - 1] is None or row[end - 1] == ""):
        end -= 1
    return tuple(cell_text(v) for v in row[:end])


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)
