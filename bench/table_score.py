"""How many of a table's expected cells a reader got right: the metric of ``bench.tables``.

A cell is **right** when its text, whitespace-folded, equals the expected cell's at the same
row and column once the two tables are aligned. Alignment maps the expected rows, in order, to
distinct rows of the read table (rows may be skipped on either side: a reader that also took
the title line above the table, or missed a row, is not shifted out of every later cell), and
the expected columns likewise; of all such order-keeping maps the one with the most right
cells is taken (found by alternating dynamic programmes over rows and columns, started from
the column map that best matches the columns' cell texts, which converges in a few rounds).

Only expected cells with text count: an empty expected cell is where a spanning cell's text is
*not* written (camelot's convention puts it in the top-left cell), so a reader that repeats a
spanning header in every column it covers is neither rewarded nor punished for it. The share
right is right cells over expected non-empty cells; a page's several expected tables are each
matched against the read table that scores best for it.

Folding: runs of whitespace are one space, ends stripped, and leader dots (". . . ." between a
row label and its figures) are dropped and a space before a decimal point is closed ("11,062 .6",
as a PDF aligning figures on the point places it, is 11,062.6), on both sides alike; nothing else
is forgiven (case, hyphens, digits and spaces inside words all count).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

Grid = Sequence[Sequence[str]]
_LEADERS = re.compile(r"(?:\s*\.){3,}")
_SPLIT_DECIMAL = re.compile(r"(\d) (\.\d)")


def fold(text: str) -> str:
    return _SPLIT_DECIMAL.sub(r"\1\2", " ".join(_LEADERS.sub(" ", text or "").split()))


@dataclass(frozen=True)
class Score:
    """Expected non-empty cells, how many were right, and the read table's shape."""

    expected: int
    right: int
    shape: tuple[int, int]

    @property
    def share(self) -> float:
        return self.right / self.expected if self.expected else 1.0


def _monotone(score: list[list[int]]) -> tuple[int, list[int]]:
    """Best order-keeping one-to-one map from rows of ``score`` to its columns (skips allowed)."""
    n, m = len(score), len(score[0]) if score else 0
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, prev, here = score[i - 1], best[i - 1], best[i]
        for j in range(1, m + 1):
            here[j] = max(prev[j], here[j - 1], prev[j - 1] + row[j - 1])
    mapping = [-1] * n
    i, j = n, m
    while i > 0 and j > 0:
        if best[i][j] == best[i - 1][j]:
            i -= 1
        elif best[i][j] == best[i][j - 1]:
            j -= 1
        else:
            mapping[i - 1] = j - 1
            i, j = i - 1, j - 1
    return best[n][m], mapping


def score_table(expected: Grid, read: Grid) -> Score:
    """Right cells of ``expected`` in ``read`` under the best alignment of rows and columns."""
    exp = [[fold(c) for c in row] for row in expected]
    width = max((len(r) for r in exp), default=0)
    exp = [r + [""] * (width - len(r)) for r in exp]
    got = [[fold(c) for c in row] for row in read]
    gwidth = max((len(r) for r in got), default=0)
    got = [r + [""] * (gwidth - len(r)) for r in got]
    total = sum(1 for r in exp for c in r if c)
    if not got or not gwidth or not total:
        return Score(total, 0, (len(got), gwidth))
    # Start: columns matched by the texts they hold, wherever the rows fall.
    exp_cols = [Counter(r[c] for r in exp if r[c]) for c in range(width)]
    got_cols = [Counter(r[c] for r in got if r[c]) for c in range(gwidth)]
    _, cols = _monotone([[sum((e & g).values()) for g in got_cols] for e in exp_cols])
    right, rows = 0, [-1] * len(exp)
    for _ in range(6):
        row_score = [[sum(1 for c, k in enumerate(cols) if k >= 0 and e[c] and e[c] == g[k]) for g in got]
                     for e in exp]
        _, rows = _monotone(row_score)
        col_score = [[sum(1 for r, k in enumerate(rows) if k >= 0 and exp[r][c] and exp[r][c] == got[k][g])
                      for g in range(gwidth)] for c in range(width)]
        now, new_cols = _monotone(col_score)
        if now <= right:
            break
        right, cols = now, new_cols
    return Score(total, right, (len(got), gwidth))


def score_page(expected: Sequence[Grid], read: Sequence[Grid]) -> list[Score]:
    """Each expected table against the read table of the page that scores best for it."""
    out = []
    for table in expected:
        scores = [score_table(table, grid) for grid in read]
        out.append(max(scores, key=lambda s: s.right) if scores else score_table(table, []))
    return out
