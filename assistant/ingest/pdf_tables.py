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

What the cells mean (header rows, spanning labels, grouped rows) is ``table_layout``'s to say;
what only a document's run of pages shows is decided here: a table that continues on the next
page without printing its header again.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from assistant.ingest.table_layout import figures_row, table_from_grid
from assistant.ingest.tables import Table

BBox = tuple[float, float, float, float]
"""(x0, top, x1, bottom) in PDF points, top-down, as pdfplumber measures a page."""

MAX_DRAWINGS = 5000
"""Lines and rectangles on a page beyond which it is not searched for ruled tables (a map or a
chart drawn stroke by stroke would take the table finder minutes); such pages get a note."""
MAX_TICK_BOX = 14.0
"""Side in points of the largest square taken for a form's tick box (the smallest is 5)."""
CONTINUED_TOP = 0.25
SIDE_BY_SIDE_SLACK = 0.05
"""Two blocks of one wide table end within this share of the left block's height of each other."""
"""A table starting in the top quarter of a page may continue the previous page's table."""

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
        boxes = {page.page_number: _tick_boxes(page) for page in pages}
        for number in set(lattice) | set(network):
            merged = merge_tables(lattice.get(number, []), network.get(number, []))
            kept = (t for t in merged if not is_checklist(t, boxes.get(number, [])))
            by_page[number] = join_side_by_side(sorted(kept, key=lambda f: f.bbox[1]))
    found = [by_page.get(page.page_number, []) for page in pages]
    return TablePages(continue_headers(found, [float(page.height) for page in pages]), notes)


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
        if len(cells) < 2 or min(len(c) for c in cells) > 4:
            continue  # no short cell: a line of prose (or of prose in columns)
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
        table = table_from_grid(rows)
        if table is None:
            continue
        x0, y0, x1, y1 = (float(v) for v in t._bbox)
        height = heights.get(int(t.page), float(t.pdf_size[1]))
        out.setdefault(int(t.page), []).append(FoundTable((x0, height - y1, x1, height - y0), table))
    return out


def _tick_boxes(page: Any) -> list[BBox]:
    """The small squares a form draws to be ticked."""
    return [(float(r["x0"]), float(r["top"]), float(r["x1"]), float(r["bottom"])) for r in page.rects
            if 5 <= float(r["width"]) <= MAX_TICK_BOX and abs(float(r["width"]) - float(r["height"])) < 1]


def is_checklist(found: FoundTable, boxes: list[BBox]) -> bool:
    """A form's list of boxes to tick, laid out in columns: not a table (its rows would read as
    facts, and which boxes are ticked is not in the text), so it stays as the page's text."""
    x0, top, x1, bottom = found.bbox
    inside = sum(1 for b in boxes if x0 - 2 <= b[0] and b[2] <= x1 + 2 and top - 2 <= b[1] and b[3] <= bottom + 2)
    return inside >= max(4, (len(found.table.rows) - found.table.header_rows) // 2)


def merge_tables(ruled: list[FoundTable], aligned: list[FoundTable]) -> list[FoundTable]:
    """The ruled tables, and the whitespace-aligned ones that stand apart from them; where the
    two overlap, the one with more columns (ruling that draws only some column edges, or
    only the rows, reads as fewer columns than the text's alignment shows), or, at equal
    columns, the aligned one when the ruled one's rows are each one cell run across the table
    (ruled around, not between, its columns); and the aligned one with twice the rows when the
    ruled one's cells hold several lines each (rows grouped between rulings, seen as one). An
    aligned table overlapping several ruled ones is those tables run together: they are kept."""
    kept = list(ruled)
    for table in aligned:
        clash = [k for k in kept if _overlap(table.bbox, k.bbox)]
        if not clash:
            kept.append(table)
        elif len(clash) == 1 and all(_columns(table) > _columns(k) or (_columns(table) == _columns(k) and _hollow(k))
                 or (len(table.table.rows) >= 2 * len(k.table.rows) and _coarse(k)) for k in clash):
            kept = [k for k in kept if k not in clash] + [table]
    return kept


def _hollow(found: FoundTable) -> bool:
    body = found.table.rows[found.table.header_rows:]
    single = sum(1 for row in body if sum(1 for c in row if c.strip()) == 1)
    return len(found.table.rows[0]) >= 3 and bool(body) and 2 * single >= len(body)


def _coarse(found: FoundTable) -> bool:
    """A row of two or more filled cells each holding three or more lines: rows run together."""
    for row in found.table.rows:
        lines = [len([p for p in c.split("\n") if p.strip()]) for c in row if c.strip()]
        if len(lines) >= 2 and min(lines) >= 3:
            return True
    return False


def _columns(found: FoundTable) -> int:
    return max(len(row) for row in found.table.rows)


def _overlap(a: BBox, b: BBox) -> bool:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return False
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return width * height > 0.3 * max(smaller, 1e-6)


def join_side_by_side(tables: list[FoundTable]) -> list[FoundTable]:
    """A table printed too wide for its page in two blocks side by side is one table again: a
    block to the right of another, ending level with it, with as many body rows and no labels of
    its own (its rows hold figures only) carries on the left block's rows ("State / Territory:
    Texas; Permit: 21,550; …" and, to its right, "…; Totals: 146,982"). Header rows are aligned
    at the bottom, where the column names stand."""
    out = list(tables)
    i = 0
    while i < len(out):
        left = out[i]
        right = next((t for t in out if t is not left and _carries_on(left, t)), None)
        if right is None:
            i += 1
            continue
        out[i] = FoundTable(_union(left.bbox, right.bbox), _side_by_side(left.table, right.table))
        out.remove(right)
        i = 0
    return out


def _carries_on(left: FoundTable, right: FoundTable) -> bool:
    a, b = left.table, right.table
    body_a, body_b = a.rows[a.header_rows:], b.rows[b.header_rows:]
    level = abs(left.bbox[3] - right.bbox[3]) <= SIDE_BY_SIDE_SLACK * max(left.bbox[3] - left.bbox[1], 1.0)
    return (right.bbox[0] >= left.bbox[2] - 1.0 and level and len(body_a) == len(body_b) >= 3
            and all(not row[0].strip() or _figures_only(row) for row in body_b))


def _figures_only(row: Sequence[str]) -> bool:
    """A row of figures from its first cell on (a continuation block has no label column)."""
    return figures_row(("", *row))


def _side_by_side(a: Table, b: Table) -> Table:
    heads = max(a.header_rows, b.header_rows)

    def padded(t: Table) -> list[tuple[str, ...]]:
        width = len(t.rows[0]) if t.rows else 0
        return [("",) * width] * (heads - t.header_rows) + list(t.rows)

    rows = tuple(x + y for x, y in zip(padded(a), padded(b), strict=True))
    return Table(rows, heads)


def _union(a: BBox, b: BBox) -> BBox:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def continue_headers(found: list[list[FoundTable]], heights: list[float]) -> list[list[FoundTable]]:
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
        if len(rows[0]) != len(prev[0]) or not figures_row(rows[0]):
            continue
        head = prev[: before.table.header_rows]
        out[i][0] = replace(first, table=Table(tuple(head) + tuple(rows), len(head)))
    return out
