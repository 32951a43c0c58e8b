"""Tables on PDF pages, found and read as their authors laid them out.

The page reader (``pdf``) asks ``document_tables`` for the tables of a document's pages, keeps
their regions out of the pages' prose and writes each table's rows (``tables.table_lines``) in
their place. Which library finds the tables, and with which settings, is decided here alone.

camelot reads them (chosen by measurement against its own test expectations and the other
candidates: ``bench.tables``): its *lattice* parser for tables drawn with ruling lines (from
the PDF's vector lines, without rendering the page), copying a cell that spans rows into each
row it covers, and its *network* parser for tables aligned by whitespace alone. Both parse a
page afresh, so they are asked only about pages that look as if they hold a table: ruling
lines for lattice, text in aligned columns for network (``_looks_tabular``); a prose page costs
one pass over its words.

What the layout means is decided here too: how many of a table's first rows are its header
(the rows above its first row of figures), a header label spanning several columns, a row
whose cells each hold several printed lines that are really several rows, and a table that
continues on the next page without printing its header again.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from assistant.ingest.tables import Table

BBox = tuple[float, float, float, float]
"""(x0, top, x1, bottom) in PDF points, top-down, as pdfplumber measures a page."""

MAX_DRAWINGS = 5000
"""Lines and rectangles on a page beyond which it is not searched for ruled tables (a map or a
chart drawn stroke by stroke would take the table finder minutes); such pages get a note."""
MAX_HEADER_ROWS = 6
"""Header rows at most: a table whose first row of figures comes later has one header row."""
CONTINUED_TOP = 0.25
"""A table starting in the top quarter of a page may continue the previous page's table."""

_NUMBER = re.compile(r"^[-+−–(]?[$€£¥]?\s?\d[\d,.\s]*%?\)?[*†‡]?$|^[-–—]$|^n/?a$", re.IGNORECASE)

_LEADERS = re.compile(r"(?:\s*\.){3,}\s*$")
"""Leader dots running from a row's label to its figures ("Total . . . . ."): print, not text."""
_SPLIT_DECIMAL = re.compile(r"(\d)\s+(\.\d)")
"""A figure set with a gap before its decimals ("11,062 .6", aligned on the point): one number."""
_YEAR = re.compile(r"^(1[89]|20)\d\d$")

logging.getLogger("camelot").setLevel(logging.ERROR)
logging.getLogger("playa").setLevel(logging.ERROR)


@dataclass(frozen=True)
class FoundTable:
    """A table on a page: where it stands and its cells."""

    bbox: BBox
    table: Table


@dataclass(frozen=True)
class TablePages:
    """The tables of each page asked about (same order), and what could not be searched."""

    tables: list[list[FoundTable]]
    notes: list[str]


def find_tables(page: Any) -> list[FoundTable]:
    """The tables of one pdfplumber ``page``, top to bottom (``document_tables`` for one page)."""
    return document_tables(_raw(page), [page]).tables[0]


def document_tables(raw: bytes, pages: Sequence[Any]) -> TablePages:
    """The tables of each of ``pages`` (pdfplumber pages of the PDF ``raw``), top to bottom.

    A table at the top of a page with no header of its own and the same columns as the table
    that ends the page before it takes that table's header (a table continued over pages).
    """
    notes: list[str] = []
    ruled: list[int] = []
    aligned: list[int] = []
    crowded: list[int] = []
    for page in pages:
        kind = _looks_tabular(page)
        if kind == "crowded":
            crowded.append(page.page_number)
        if kind == "ruled":
            ruled.append(page.page_number)
        if kind in ("crowded", "ruled") and _aligned_columns(page) or kind == "aligned":
            aligned.append(page.page_number)
    if crowded:
        notes.append(f"page{'s' if len(crowded) > 1 else ''} {', '.join(map(str, crowded[:10]))}: "
                     f"over {MAX_DRAWINGS} drawings, not searched for ruled tables")
    by_page: dict[int, list[FoundTable]] = {}
    if ruled or aligned:
        heights = {page.page_number: float(page.height) for page in pages}
        lattice = _camelot(raw, ruled, "lattice", heights)
        network = _camelot(raw, aligned, "network", heights)
        for number in set(lattice) | set(network):
            by_page[number] = sorted(_merge(lattice.get(number, []), network.get(number, [])), key=lambda f: f.bbox[1])
    found = [by_page.get(page.page_number, []) for page in pages]
    return TablePages(_continue_headers(found, [float(page.height) for page in pages]), notes)


def _raw(page: Any) -> bytes:
    stream = page.pdf.stream
    if hasattr(stream, "getvalue"):
        return bytes(stream.getvalue())
    with open(stream.name, "rb") as fh:
        return fh.read()


def _looks_tabular(page: Any) -> str:
    """"ruled", "aligned", "crowded" (too many drawings to search) or "" for a prose page."""
    drawings = len(page.lines) + len(page.rects)
    if drawings > MAX_DRAWINGS:
        return "crowded"
    if drawings >= 4:
        return "ruled"
    return "aligned" if _aligned_columns(page) else ""


def _aligned_columns(page: Any) -> bool:
    """Three or more lines of short cells separated by wide gaps, with a column edge in common.

    Prose, even set in two columns, has long runs of words between its gaps, so it is not taken.
    """
    lines: dict[int, list[dict[str, Any]]] = {}
    for word in page.extract_words(x_tolerance=1.5, y_tolerance=2):
        lines.setdefault(round(float(word["top"]) / 3), []).append(word)
    edges: dict[int, int] = {}
    for words in lines.values():
        words.sort(key=lambda w: w["x0"])
        cells: list[list[dict[str, Any]]] = [[words[0]]]
        for prev, word in zip(words, words[1:], strict=False):
            size = float(word["bottom"]) - float(word["top"])
            if float(word["x0"]) - float(prev["x1"]) > 0.9 * size:
                cells.append([word])
            else:
                cells[-1].append(word)
        if len(cells) < 2 or sorted(len(c) for c in cells)[len(cells) // 2] > 4:
            continue
        seen = {round(float(c[0]["x0"]) / 4) for c in cells[1:]} | {-round(float(c[-1]["x1"]) / 4) for c in cells}
        for edge in seen:
            edges[edge] = edges.get(edge, 0) + 1
    return any(count >= 3 for count in edges.values())


def _camelot(raw: bytes, numbers: list[int], flavor: str, heights: dict[int, float]) -> dict[int, list[FoundTable]]:
    if not numbers:
        return {}
    import camelot

    options: dict[str, Any] = {"engine": "vector", "copy_text": ["v"]} if flavor == "lattice" else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = camelot.read_pdf(raw, pages=",".join(map(str, numbers)), flavor=flavor, suppress_stdout=True,
                                  **options)
    out: dict[int, list[FoundTable]] = {}
    for t in tables:
        rows = [["" if c is None else str(c) for c in row] for row in t.df.values.tolist()]
        table = _table(rows)
        if table is None:
            continue
        x0, y0, x1, y1 = (float(v) for v in t._bbox)
        height = heights.get(int(t.page), float(t.pdf_size[1]))
        out.setdefault(int(t.page), []).append(FoundTable((x0, height - y1, x1, height - y0), table))
    return out


def _merge(ruled: list[FoundTable], aligned: list[FoundTable]) -> list[FoundTable]:
    """The ruled tables, and the whitespace-aligned ones that stand apart from them; where the
    two overlap, the one with more columns (ruling that draws only some column edges, or
    only the rows, reads as fewer columns than the text's alignment shows)."""
    kept = list(ruled)
    for table in aligned:
        clash = [k for k in kept if _overlap(table.bbox, k.bbox)]
        if not clash:
            kept.append(table)
        elif all(_columns(table) > _columns(k) for k in clash):
            kept = [k for k in kept if k not in clash] + [table]
    return kept


def _columns(found: FoundTable) -> int:
    return max(len(row) for row in found.table.rows)


def _overlap(a: BBox, b: BBox) -> bool:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return False
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return width * height > 0.3 * max(smaller, 1e-6)


def is_number(cell: str) -> bool:
    """A figure (count, amount, percentage, a dash for none), as a column of numbers holds; a
    year alone ("2025") is not one, being as often a column's label as a value."""
    text = cell.strip()
    return bool(_NUMBER.match(text)) and not _YEAR.match(text)


def _table(rows: list[list[str]]) -> Table | None:
    """camelot's cells as a ``Table``: prose dropped, header rows counted, spans and groups resolved."""
    rows = [[_SPLIT_DECIMAL.sub(r"\1\2", _LEADERS.sub("", c)) for c in row] for row in rows]
    rows = [row for row in rows if any(c.strip() for c in row)]
    if len(rows) < 2 or max(len(r) for r in rows) < 2:
        return None
    cells = [c for row in rows for c in row if c.strip()]
    words = sorted(len(c.split()) for c in cells)
    if words[len(words) // 2] > 12:
        return None  # paragraphs side by side are prose, not a table
    head = header_rows(rows)
    rows = _span_headers(rows, head)
    body: list[list[str]] = []
    for row in rows[head:]:
        body += _split_grouped(row)
    return Table(tuple(tuple(r) for r in rows[:head] + body), head)


def header_rows(rows: Sequence[Sequence[str]]) -> int:
    """The rows above the first row of figures (a row most of whose filled cells after the first
    are numbers): none when the first row holds figures (a table continued from the page
    before), one when no row of figures comes within ``MAX_HEADER_ROWS`` rows."""
    for i, row in enumerate(rows[: MAX_HEADER_ROWS + 1]):
        filled = [c for c in row[1:] if c.strip()]
        if filled and sum(is_number(c) for c in filled) * 2 >= len(filled) and any(is_number(c) for c in filled):
            return i
    return 1


def _span_headers(rows: list[list[str]], head: int) -> list[list[str]]:
    """A header label followed by empty cells over columns labelled lower down (and not above)
    spans them: it is written in each (``tables`` joins a spanning label and the labels under
    it as "Label / Sub-label")."""
    out = [list(row) for row in rows]
    width = max(len(r) for r in out)
    out = [r + [""] * (width - len(r)) for r in out]
    for r in range(head):
        if sum(1 for cell in out[r] if cell.strip()) < 2:
            continue  # a title over the table, not a label over some of its columns
        for c in range(1, width):
            if not out[r][c].strip() and out[r][c - 1].strip():
                below = any(out[k][c].strip() for k in range(r + 1, head))
                above = any(out[k][c].strip() for k in range(r))
                if below and not above:
                    out[r][c] = out[r][c - 1]
    return out


def _split_grouped(row: list[str]) -> list[list[str]]:
    """A row whose cells hold the same number of printed lines, figures among them, is that
    many rows run together (rows grouped between two rulings): it is split line by line."""
    parts = [c.split("\n") if c.strip() else [] for c in row]
    counts = {len([p for p in ps if p.strip()]) for ps in parts if ps}
    if len(counts) != 1:
        return [row]
    n = counts.pop()
    lined = [[p for p in ps if p.strip()] for ps in parts]
    if n < 2 or sum(1 for ps in lined if ps) < 2:
        return [row]
    if not any(ps and all(is_number(p) for p in ps) for ps in lined[1:]):
        return [row]
    return [[ps[i] if ps else "" for ps in lined] for i in range(n)]


def _continue_headers(found: list[list[FoundTable]], heights: list[float]) -> list[list[FoundTable]]:
    """A page's first table, near its top, with no header of its own (its first row holds figures)
    and as many columns as the previous page's last table, takes that table's header rows."""
    out = [list(tables) for tables in found]
    for i in range(1, len(out)):
        if not out[i] or not out[i - 1]:
            continue
        first, before = out[i][0], out[i - 1][-1]
        rows, prev = first.table.rows, before.table.rows
        if first.bbox[1] > CONTINUED_TOP * heights[i] or not rows or not prev:
            continue
        if len(rows[0]) != len(prev[0]) or not _figures(rows[0]):
            continue
        head = prev[: before.table.header_rows]
        out[i][0] = replace(first, table=Table(tuple(head) + tuple(rows), len(head)))
    return out


def _figures(row: Sequence[str]) -> bool:
    filled = [c for c in row[1:] if c.strip()]
    return bool(filled) and sum(is_number(c) for c in filled) * 2 >= len(filled)
