"""What a table's layout means, whoever found the table (camelot on a PDF page, the grid of a
scanned page): how many of its first rows are its header, a header label spanning several
columns, a row whose cells each hold several printed lines that are really several rows,
leader dots and figures split at their decimal point. ``table_from_grid`` applies it all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.ingest.tables import Table

MAX_CELL_WORDS = 4
"""Words in a typical cell beyond which aligned text is prose in columns, not a table."""
MAX_HEADER_ROWS = 6
"""Header rows at most: a table whose first row of figures comes later has one header row."""
_NUMBER = re.compile(r"^[-+−–(]?[$€£¥]?\s?\d[\d,.\s]*%?\)?[*†‡]?$|^[-–—]$|^n/?a$", re.IGNORECASE)

_LEADERS = re.compile(r"(?:\s*\.){3,}\s*$")
_LINE_LEADERS = re.compile(r"[ \t]*(?:[ \t]*\.){3,}[ \t]*$", re.MULTILINE)
"""Leader dots running from a row's label to its figures ("Total . . . . ."): print, not text."""
_SPLIT_DECIMAL = re.compile(r"(\d)\s+(\.\d)")
"""A figure set with a gap before its decimals ("11,062 .6", aligned on the point): one number."""
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_NUMERIC_DATE = re.compile(r"^(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})$")


def is_number(cell: str) -> bool:
    """A figure (count, amount, percentage, a dash for none), as a column of numbers holds; a
    year alone ("2025") is not one, being as often a column's label as a value."""
    text = cell.strip()
    return bool(_NUMBER.match(text)) and not _YEAR.match(text)


def is_value(cell: str) -> bool:
    """A figure or a date written in figures ("06/30/2015"): what a table's body rows hold, as
    its header's labels do not."""
    return is_number(cell) or bool(_NUMERIC_DATE.match(cell.strip()))


def table_from_grid(rows: list[list[str]]) -> Table | None:
    """A table finder's cells as a ``Table``: prose dropped, header rows counted, spans and groups
    resolved; None for what is not a table (fewer than two rows or columns, or paragraphs)."""
    rows = [[_SPLIT_DECIMAL.sub(r"\1\2", _LINE_LEADERS.sub("", _LEADERS.sub("", c))) for c in row] for row in rows]
    rows = [row for row in rows if any(c.strip() for c in row)]
    if rows:  # a column empty all the way down is a gap between two rulings, not a column
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        keep = [c for c in range(width) if any(r[c].strip() for r in rows)]
        rows = [[r[c] for c in keep] for r in rows]
    if len(rows) < 2 or max(len(r) for r in rows) < 2:
        return None
    if _prose(rows):
        return None
    head = header_rows(rows)
    while head < min(len(rows) - 1, MAX_HEADER_ROWS) and _repeats(rows[head], rows[head - 1]):
        head += 1  # labels copied down from header cells spanning rows: still the header
    rows = _span_headers(rows, head)
    body: list[list[str]] = []
    for row in rows[head:]:
        if any(row == label for label in rows[:head]):
            continue  # the header printed again (on a new page, or copied down a spanning cell)
        body += split_grouped(row)
    return Table(tuple(tuple(r) for r in rows[:head] + body), head)


def _prose(rows: list[list[str]]) -> bool:
    """Text that lines up without being a table: columns of prose (every column's typical cell
    holds more than ``MAX_CELL_WORDS`` words, a line of running text), or a transcript's line
    numbers beside its lines (numbered 1, 2, 3... beside cells of running text)."""
    width = max(len(row) for row in rows)
    running = []
    total = sum(len(c) for row in rows for c in row) or 1
    for col in range(width):
        cells = [row[col].strip() for row in rows if col < len(row) and row[col].strip()]
        if 3 * len(cells) >= len(rows):  # a column filled in at least a third of the rows
            running.append(_running_text(cells))
            if sum(len(c) for c in cells) >= TEXT_SHARE * total and (_carried_on(cells) or _long_lines(cells)):
                return True  # a page's text with its margin (section numbers, paragraph marks) beside it
    if running and all(running):
        return True  # every column is running text (a table has short cells in some column)
    firsts = [row[0].strip() for row in rows if row[0].strip()]
    numbered = sum(1 for a, b in zip(firsts, firsts[1:], strict=False) if a.isdigit() and b.isdigit()
                   and int(b) == int(a) + 1)
    rest = sorted(len(c.split()) for row in rows for c in row[1:] if c.strip())
    return (len(firsts) >= 5 and numbered >= 0.8 * (len(firsts) - 1) and bool(rest)
            and rest[len(rest) // 2] >= MAX_CELL_WORDS)


CONTINUED_SHARE = 0.4
"""Share of a column's cells opening in lower case (a line carrying on the sentence above) at
which the column is running text, however narrow its lines."""


TEXT_SHARE = 0.6
"""A column holding this share of a found table's characters, its cells carrying on the line
above or its lines as long as running text's, is a page's running text with its margin beside
it (a manual's section numbers and paragraph marks), not a table's column."""


def _running_text(cells: Sequence[str]) -> bool:
    """Whether a column's cells are the lines of running text: their typical cell holds more than
    ``MAX_CELL_WORDS`` words, or many of them carry on the line above (``_carried_on``)."""
    words = sorted(len(c.split()) for c in cells)
    return words[len(words) // 2] > MAX_CELL_WORDS or _carried_on(cells)


PROSE_LINE_WORDS = 8
"""Words of a typical printed line of running text; a table's cells, even a description
column's, are shorter."""


def _long_lines(cells: Sequence[str]) -> bool:
    """Whether a column's printed lines are typically as long as running text's, counting by
    characters (a paragraph's short last lines hold little of its text)."""
    lines = sorted((len(line.split()), len(line)) for c in cells for line in c.split("\n") if line.strip())
    half, seen = sum(size for _, size in lines) / 2, 0
    for words, size in lines:
        seen += size
        if seen >= half:
            return words >= PROSE_LINE_WORDS
    return False


def _carried_on(cells: Sequence[str]) -> bool:
    """Whether many of a column's cells carry on the line above: they open in lower case, as the
    lines of running text do and a table's cells (labels, names, figures) do not."""
    lines = [line.strip() for c in cells for line in c.split("\n") if line.strip()]  # a cell may hold several
    # a line carries on one of several words (a letter set apart, "N / et Asset Value", does not)
    carried = sum(1 for above, line in zip(lines, lines[1:], strict=False)
                  if line[:1].islower() and len(above.split()) >= 3)
    return len(lines) >= 3 and carried >= CONTINUED_SHARE * (len(lines) - 1)


def _repeats(row: Sequence[str], above: Sequence[str]) -> bool:
    """Whether most of a row's filled cells repeat the cell above (a cell spanning both rows)."""
    filled = [c for c, cell in enumerate(row) if cell.strip()]
    same = sum(1 for c in filled if c < len(above) and above[c] == row[c])
    return bool(filled) and 2 * same > len(filled)


def header_rows(rows: Sequence[Sequence[str]]) -> int:
    """The rows above the first row of figures (a row most of whose filled cells after the first
    are numbers or dates, one at least a number), less the rows just above it that fill only
    their first cell (they label the group of rows below, "Outlays:"): none when the first row
    holds figures (a table continued from the page before), one when the header so found would
    exceed ``MAX_HEADER_ROWS``. With no row of figures within twice as many rows, the first row
    and the sparse rows under it."""
    for i, row in enumerate(rows[: 2 * MAX_HEADER_ROWS + 1]):
        filled = [c for c in row[1:] if c.strip()]
        if filled and sum(is_value(c) for c in filled) * 2 >= len(filled) and any(is_number(c) for c in filled):
            head = i
            while head > 1 and not any(c.strip() for c in rows[head - 1][1:]):
                head -= 1
            return head if head <= MAX_HEADER_ROWS else 1
    # No figures (a table of names and words): the first row, and the sparse rows under it that
    # label later columns (a header printed over several lines), up to the first full row.
    counts = sorted(sum(1 for c in row if c.strip()) for row in rows)
    full = counts[len(counts) // 2]
    head = 1
    while (head < min(len(rows) - 1, MAX_HEADER_ROWS) and sum(1 for c in rows[head] if c.strip()) < full
           and any(c.strip() for c in rows[head][1:])):
        head += 1
    return head if head < len(rows) else 1


def _span_headers(rows: list[list[str]], head: int) -> list[list[str]]:
    """A header label followed by empty cells over columns labelled lower down (and not above)
    spans them: it is written in each (``tables`` joins a spanning label and the labels under
    it as "Label / Sub-label")."""
    out = [list(row) for row in rows]
    width = max(len(r) for r in out)
    out = [r + [""] * (width - len(r)) for r in out]
    for r in range(head):
        if r == 0 and sum(1 for cell in out[r] if cell.strip()) < 2:
            continue  # a title over the table, not a label over some of its columns
        for c in range(1, width):
            if not out[r][c].strip() and out[r][c - 1].strip():
                below = any(out[k][c].strip() for k in range(r + 1, head))
                above = any(out[k][c].strip() for k in range(r))
                if below and not above:
                    out[r][c] = out[r][c - 1]
    return out


def split_grouped(row: list[str]) -> list[list[str]]:
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


def figures_row(row: Sequence[str]) -> bool:
    """True for a row of figures: most filled cells after the first are numbers or dates, one at
    least a number."""
    filled = [c for c in row[1:] if c.strip()]
    return bool(filled) and sum(is_value(c) for c in filled) * 2 >= len(filled) and any(map(is_number, filled))
