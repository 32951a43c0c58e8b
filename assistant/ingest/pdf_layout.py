"""One PDF page's text layer read in its author's order: words, columns, blocks, paragraphs.

Long because the steps of one cut (bands, gutters, columns, lines) work on the same words at
the same type size and call one another recursively; apart, each would import the others.

A text layer holds words and where they stand, in whatever order the typesetter wrote them;
read line by line across the page, a three-column page interleaves its columns and cuts every
sentence at a line end. Here the page's words are cut into blocks by the white space between
them (a recursive XY-cut): first across, at the horizontal gaps between bands of text, then
down, at column gutters, band by band, so a title or a table that spans the columns stays
where it stands and the columns under it are read one after another. A band cut into columns
is merged with the next band while their union still has the same gutters, so two columns whose
paragraph gaps happen to line up are not read as stacked rows. A gutter must separate columns
of prose (lines of several words), so a table without ruling lines or a form's labels and
values are read across, row by row, as before. Inside a block, words make lines and lines make
paragraphs (``paragraphs``). Tables found by ``pdf_tables`` stand in the flow as one box each.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from assistant.ingest.paragraphs import Line, Paragraph, Vocabulary, paragraphs

BBox = tuple[float, float, float, float]
_BOLD = re.compile(r"bold|black|heavy|semibold|demibold|[-,]bd\b|extrab", re.I)
MIN_GUTTER_EMS = 0.9
"""A vertical white strip at least this many ems wide may separate columns."""
MIN_WORDS_PER_LINE = 2.5
"""Columns must average this many words a line: prose, not a table's or a form's cells."""
MIN_COLUMN_LINES = 3
"""At least one of the columns must be this many lines tall (a two-line band is not columns
unless its gutter is wide: justified lines can leave gaps that line up by chance)."""
MAX_DEPTH = 12


@dataclass(frozen=True)
class Word:
    """A word of the text layer, top-down coordinates in points (pdfplumber's)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool = False
    font: str = ""
    """The typeface of most of its letters, without a subset's prefix ("Times-Italic")."""
    table: int = -1
    """A table's index on the page when this box stands for a whole table, else -1."""

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 0.1)


@dataclass(frozen=True)
class Item:
    """One thing of a page in reading order: a paragraph, or a table (its index on the page)."""

    paragraph: Paragraph | None = None
    table: int = -1


@dataclass
class PageLayout:
    """A page read: its items in reading order and the text outside its flow (rotated stamps and
    notes, a pleading paper's line numbers)."""

    width: float
    height: float
    items: list[Item] = field(default_factory=list)
    margin: list[str] = field(default_factory=list)
    chars: int = 0
    """Letters and digits of the text layer (a page with almost none is a scan)."""


def page_words(page: Any, tables: Sequence[BBox]) -> tuple[list[Word], list[str]]:
    """The upright words of a pdfplumber ``page`` outside ``tables``, a box per table, and the
    text outside the flow: rotated words (one string per line of them) and line numbers."""
    raw = page.extract_words(x_tolerance_ratio=0.15, y_tolerance=2, keep_blank_chars=False, return_chars=True)
    words: list[Word] = []
    for w in _without_leaders(raw):
        if not w.get("upright", True):
            continue
        w["text"] = _UNMAPPED.sub("", w["text"])
        if not w["text"].strip():
            continue
        x, y = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
        if any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in tables):
            continue
        size, bold, font = _font(w.get("chars") or ())
        words.append(Word(w["text"], float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]),
                          size or float(w["bottom"] - w["top"]), bold, font))
    words, numbers = _without_line_numbers(words)
    rotated = _rotated_text([c for c in page.chars if not c.get("upright", True)]) + numbers
    for i, (x0, top, x1, bottom) in enumerate(tables):
        words.append(Word("", x0, top, x1, bottom, 0.0, table=i))
    return words, rotated


_UNMAPPED = re.compile(r"\(cid:\d+\)|[\x00-\x08\x0b-\x1f\ufffd]")
"""Glyphs the font maps to no character (pdfminer writes them "(cid:12)"): nothing to read."""
_LEADER = re.compile(r"^[.·…_-]+$")


def _without_leaders(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Words with each run of dot leaders ("Notices . . . . . . vii") made one word "…"."""
    out: list[dict[str, Any]] = []
    run: list[dict[str, Any]] = []
    for w in raw + [{"text": "", "top": -1.0}]:
        if _LEADER.match(w["text"]) and (not run or abs(w["top"] - run[0]["top"]) < 1):
            run.append(w)
            continue
        if len(run) >= 3:
            out.append({**run[0], "text": "…", "x1": run[-1]["x1"], "chars": run[0].get("chars")})
        else:
            out.extend(run)
        run = []
        if _LEADER.match(w["text"]):
            run.append(w)
        elif w["text"]:
            out.append(w)
    return out


MIN_LINE_NUMBERS = 5
_SMALL_NUMBER = re.compile(r"^\d{1,2}$")


def _without_line_numbers(words: list[Word]) -> tuple[list[Word], list[str]]:
    """``words`` without a margin's line numbers (a transcript's or a pleading's "1" to "25"
    down the left edge), and those numbers as one string: they number lines, they are not part
    of the sentences beside them."""
    columns: dict[int, list[Word]] = {}
    for w in words:
        if _SMALL_NUMBER.match(w.text):
            columns.setdefault(round(w.x1 / 4), []).append(w)
    numbers: set[int] = set()
    found: list[str] = []
    for column in columns.values():
        column = sorted(column, key=lambda w: w.top)
        if len(column) < MIN_LINE_NUMBERS:
            continue
        values = [int(w.text) for w in column]
        steps = sum(1 for a, b in zip(values, values[1:], strict=False) if b == a + 1)
        if steps < 0.8 * (len(values) - 1):
            continue
        edge = max(w.x1 for w in column)
        beside = [w for w in words if w.x0 > edge and not _SMALL_NUMBER.match(w.text)]
        if not beside or sorted(w.x0 for w in beside)[len(beside) // 10] < edge + 2:
            continue  # numbers inside the text (a table's column), not in a margin
        numbers |= {id(w) for w in column}
        found.append(" ".join(w.text for w in column))
    if not numbers:
        return words, []
    return [w for w in words if id(w) not in numbers], found


def _rotated_text(chars: list[dict[str, Any]]) -> list[str]:
    """Rotated text (a margin stamp, a label up the side of a figure), one string per line of it,
    its characters in the order its own direction reads them."""
    lines: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for c in chars:
        a, b = (c.get("matrix") or (0, 1))[:2]
        across = c["x0"] if abs(b) >= abs(a) else c["top"]
        lines.setdefault((round(across / 3), 1 if abs(b) >= abs(a) else 0), []).append(c)
    out = []
    for (_, vertical), run in sorted(lines.items()):
        a, b = (run[0].get("matrix") or (0, 1))[:2]
        run.sort(key=lambda c: (c["x0"] * a - c["top"] * b))  # along the text's own direction (y points down)
        text = ""
        previous: dict[str, Any] | None = None
        for c in run:
            if previous is not None and _gap(previous, c, vertical) > 0.2 * float(c.get("size") or 10):
                text += " "
            text += c["text"]
            previous = c
        if text.strip():
            out.append(" ".join(text.split()))
    return out


def _gap(a: dict[str, Any], b: dict[str, Any], vertical: int) -> float:
    if vertical:
        return max(a["top"] - b["bottom"], b["top"] - a["bottom"])
    return max(a["x0"] - b["x1"], b["x0"] - a["x1"])


def _font(chars: Sequence[dict[str, Any]]) -> tuple[float, bool, str]:
    """A word's font size (most of its letters'), whether most of its letters are bold, and its
    typeface (a ligature or a note mark in another font does not split the word or change its font)."""
    if not chars:
        return 0.0, False, ""
    sizes = sorted(float(c.get("size") or 0.0) for c in chars)
    names = [str(c.get("fontname") or "") for c in chars]
    bold = sum(1 for name in names if _BOLD.search(name))
    face = max(set(names), key=names.count).split("+", 1)[-1]
    return sizes[len(sizes) // 2], bold * 2 > len(chars), face


def read_page(words: list[Word], known: Vocabulary) -> list[Item]:
    """The page's words as paragraphs and tables in reading order."""
    text_words = [w for w in words if w.table < 0]
    if not words:
        return []
    em = median(w.height for w in text_words) if text_words else 10.0
    items: list[Item] = []
    for block, (left, right) in _cut(words, em, 0, _extent(text_words or words, em)):
        lines: list[Line] = []
        for row in _lines(block, em):
            if row[0].table >= 0:
                items.extend(Item(p) for p in paragraphs(lines, known, left, right))
                lines = []
                items.append(Item(table=row[0].table))
            else:
                lines.append(_line(row))
        items.extend(Item(p) for p in paragraphs(lines, known, left, right))
    return items


Extent = tuple[float, float]
"""The left and right edges of the column a block stands in: where its lines start and end."""


def _extent(words: list[Word], em: float) -> Extent:
    """Where most of the page's lines start and end (a running head wider than the text, a
    stray word in the margin, do not move the edges)."""
    rows = _lines(words, em)
    lefts = sorted(row[0].x0 for row in rows)
    rights = sorted(row[-1].x1 for row in rows)
    return lefts[len(lefts) // 10], rights[len(rights) * 9 // 10]


def _cut(words: list[Word], em: float, depth: int, extent: Extent) -> list[tuple[list[Word], Extent]]:
    """Blocks of words in reading order (recursive XY-cut: bands across, then columns down),
    each with the extent of the column it stands in (a paragraph's last line is short, or its
    first line indented, against its column, not against its own block)."""
    out: list[tuple[list[Word], Extent]] = []
    for group in _merge_columnar(_bands(words, em), em):
        columns = _columns(group, em)
        if len(columns) > 1 and depth < MAX_DEPTH:
            for column in columns:
                out.extend(_cut(column, em, depth + 1, (min(w.x0 for w in column), max(w.x1 for w in column))))
            continue
        pieces = _around_blockers(group, em) if depth < MAX_DEPTH else []
        if pieces:
            for piece in pieces:
                out.extend(_cut(piece, em, depth + 1, extent))
        else:
            out.append((group, extent))
    return out


MAX_BLOCKERS = 0.05
"""Share of a region's words that may cross a gutter it would otherwise have (a footnote or a
caption printed across both columns without white space above it)."""


def _around_blockers(words: list[Word], em: float) -> list[list[Word]]:
    """``words`` cut across above and below the few lines that bridge an otherwise clear gutter,
    so the columns above and below them are read as columns; empty when there is no such gutter."""
    if len(words) < 20:
        return []
    edges = sorted([(w.x0, 1) for w in words] + [(w.x1, -1) for w in words])
    low, high = min(w.x0 for w in words), max(w.x1 for w in words)
    best: tuple[float, float] | None = None
    most = max(2, int(MAX_BLOCKERS * len(words)))
    for limit in sorted({min(n, most) for n in (1, 2, 3, 5, 8, 13, 21, 34, 55, 89, most)}):  # the cleanest strip first
        depth, start = 0, None
        for x, step in edges:
            depth += step
            if depth <= limit and start is None:
                start = x
            elif depth > limit and start is not None:
                if x - start >= MIN_GUTTER_EMS * em and start > low and x < high and \
                        min(sum(1 for w in words if w.x1 <= start), sum(1 for w in words if w.x0 >= x)) \
                        >= 0.2 * len(words) and (best is None or x - start > best[1] - best[0]):
                    best = (start, x)
                start = None
        if best is not None:
            break
    if best is None:
        return []
    a, b = best
    blockers = [w for w in words if w.x0 < b and w.x1 > a]
    if not blockers:
        return []
    spans: list[list[float]] = []
    for w in sorted(blockers, key=lambda w: w.top):
        if spans and w.top <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], w.bottom)
        else:
            spans.append([w.top, w.bottom])
    pieces: list[list[Word]] = []
    cuts = sorted({y for span in spans for y in span})
    for w in sorted(words, key=lambda w: w.top):
        middle = (w.top + w.bottom) / 2
        index = sum(1 for y in cuts if middle > y)
        while len(pieces) <= index:
            pieces.append([])
        pieces[index].append(w)
    pieces = [p for p in pieces if p]
    if len(pieces) < 2 or not any(_gutters(p, em) for p in pieces):
        return []
    return pieces


def _bands(words: list[Word], em: float) -> list[list[Word]]:
    """``words`` cut across at every horizontal white gap wider than their lines' usual gap."""
    ordered = sorted(words, key=lambda w: w.top)
    gaps = []
    bottom = ordered[0].bottom
    for w in ordered[1:]:
        if w.top > bottom:
            gaps.append(w.top - bottom)
        bottom = max(bottom, w.bottom)
    small = [g for g in gaps if g < 2 * em]
    threshold = max(0.5 * em, 1.5 * median(small)) if small else 0.5 * em
    bands: list[list[Word]] = [[ordered[0]]]
    bottom = ordered[0].bottom
    for w in ordered[1:]:
        if w.top > bottom + max(threshold, 0.4 * w.height):  # a large font's lines stand further apart
            bands.append([w])
        else:
            bands[-1].append(w)
        bottom = max(bottom, w.bottom)
    return bands


def _merge_columnar(bands: list[list[Word]], em: float) -> list[list[Word]]:
    """Adjacent bands joined while their union still splits into the same columns (a short
    heading over the first column joins the columns under it; a title across them does not)."""
    out: list[list[Word]] = []
    current = bands[0]
    current_cols = _gutters(current, em)
    for band in bands[1:]:
        band_cols = _gutters(band, em) if not current_cols else []
        target = current_cols or band_cols
        if target:
            union = current + band
            cols = _gutters(union, em)
            if _same_columns(cols, target):
                current, current_cols = union, cols
                continue
        out.append(current)
        current, current_cols = band, band_cols or _gutters(band, em)
    out.append(current)
    return out


def _same_columns(gutters: list[tuple[float, float]], wanted: list[tuple[float, float]]) -> bool:
    return len(gutters) == len(wanted) and all(a < d and c < b for (a, b), (c, d) in zip(gutters, wanted, strict=True))


def _gutters(words: list[Word], em: float) -> list[tuple[float, float]]:
    """The column gutters of ``words``: vertical white strips from top to bottom that separate
    columns of prose; empty when there are none."""
    spans = sorted((w.x0, w.x1) for w in words)
    gaps: list[tuple[float, float]] = []
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= MIN_GUTTER_EMS * em:
            gaps.append((reach, x0))
        reach = max(reach, x1)
    while gaps:
        columns = _split_all(words, gaps)
        stats = [_column_stats(column, em) for column in columns]
        bad = next((i for i, (n, count) in enumerate(stats) if n == 0 or count / n < MIN_WORDS_PER_LINE), None)
        if bad is None:
            tallest = max(n for n, _ in stats)
            if tallest < MIN_COLUMN_LINES and min(b - a for a, b in gaps) < 2.5 * em:
                return []
            return gaps
        # a column of cells or labels is not a column of prose: it joins the neighbour across
        # the narrower of its gutters, and the rest are tried again
        sides = [j for j in (bad - 1, bad) if 0 <= j < len(gaps)]
        gaps.pop(min(sides, key=lambda j: gaps[j][1] - gaps[j][0]))
    return []


def _split_all(words: list[Word], gaps: list[tuple[float, float]]) -> list[list[Word]]:
    """``words`` on each side of the gutters, empty columns kept (indexes follow the gutters)."""
    columns: list[list[Word]] = [[] for _ in range(len(gaps) + 1)]
    for w in words:
        columns[sum(1 for a, _ in gaps if w.x0 >= a)].append(w)
    return columns


def _split(words: list[Word], gaps: list[tuple[float, float]]) -> list[list[Word]]:
    columns: list[list[Word]] = [[] for _ in range(len(gaps) + 1)]
    for w in words:
        columns[sum(1 for a, _ in gaps if w.x0 >= a)].append(w)
    return [c for c in columns if c]


def _columns(words: list[Word], em: float) -> list[list[Word]]:
    gaps = _gutters(words, em)
    return _split(words, gaps) if gaps else [words]


def _column_stats(words: list[Word], em: float) -> tuple[int, int]:
    """(lines, words) of a column, tables not counted."""
    text = [w for w in words if w.table < 0]
    return len(_lines(text, em)) if text else 0, len(text)


def _lines(words: list[Word], em: float) -> list[list[Word]]:
    """Words grouped into lines (boxes overlapping by half the smaller height), left to right;
    a table's box is a line of its own."""
    rows: list[tuple[float, float, list[Word]]] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        if w.table < 0 and rows and rows[-1][2][0].table < 0:
            top, bottom, row = rows[-1]
            overlap = min(bottom, w.bottom) - max(top, w.top)
            if overlap >= 0.5 * min(w.height, bottom - top):
                row.append(w)
                rows[-1] = (min(top, w.top), max(bottom, w.bottom), row)
                continue
        rows.append((w.top, w.bottom, [w]))
    return [sorted(row, key=lambda w: w.x0) for _, _, row in rows]


def _line(words: list[Word]) -> Line:
    sizes = [w.size for w in words for _ in range(max(len(w.text), 1))]
    return Line(" ".join(w.text for w in words), words[0].x0, min(w.top for w in words), max(w.x1 for w in words),
                max(w.bottom for w in words), median(sizes), all(w.bold for w in words if w.text.strip(".,;:")),
                font=_face(words), first_size=words[0].size, last_size=words[-1].size)


def _face(words: list[Word]) -> str:
    """The typeface most of a line's letters are set in."""
    counts: dict[str, int] = {}
    for w in words:
        counts[w.font] = counts.get(w.font, 0) + len(w.text)
    return max(counts, key=lambda face: counts[face]) if counts else ""
