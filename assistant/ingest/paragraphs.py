"""Printed lines joined into the paragraphs their author wrote (PDF text layers and OCR alike).

A sentence cut at the end of a line, a column or a page becomes two fragments that are never
cited whole, and a word hyphenated at a line end is a word nobody searches for. Lines of one
block (one column's run of text) are joined into paragraphs by their geometry (the gap to
the next line, a short last line, a first-line indent, a change of font) and their text (a
line that ends a sentence, one that starts in lower case, a bullet); ``continues`` decides
whether a paragraph goes on in the next block, column or page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from statistics import median


@dataclass(frozen=True)
class Line:
    """One printed line: its text and box (points or pixels, y growing downwards)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    """Font size (PDF) or line height (OCR)."""
    bold: bool = False
    new_paragraph: bool = False
    """The source itself marks a paragraph start here (OCR's paragraph numbers): a hint only."""
    font: str = ""
    """The typeface most of its letters are set in (PDF; "" where unknown)."""
    first_size: float = 0.0
    last_size: float = 0.0
    """The font sizes of its first and last words (0: ``size``): a run-in label in small
    capitals at a line's start does not make the line a change of font."""

    @property
    def starts(self) -> float:
        return self.first_size or self.size

    @property
    def ends(self) -> float:
        return self.last_size or self.size


@dataclass(frozen=True)
class Paragraph:
    """Lines joined: the text written as one line, with the box and font of the lines."""

    text: str
    lines: tuple[Line, ...]
    full_last_line: bool
    """Whether the last line runs to the block's right edge (the paragraph may go on)."""
    indented: bool
    """Whether the first line starts right of the block's left edge (a paragraph's first line)."""
    room: float = 0.0
    """The white space left at the end of its last line, up to its column's right edge."""

    @property
    def size(self) -> float:
        return median(line.size for line in self.lines)

    @property
    def bold(self) -> bool:
        return all(line.bold for line in self.lines)

    @property
    def font(self) -> str:
        """The typeface of all its lines, or "" when they differ (or are unknown)."""
        fonts = {line.font for line in self.lines}
        return fonts.pop() if len(fonts) == 1 else ""

    @property
    def x0(self) -> float:
        return min(line.x0 for line in self.lines)

    @property
    def x1(self) -> float:
        return max(line.x1 for line in self.lines)

    @property
    def top(self) -> float:
        return self.lines[0].top

    @property
    def bottom(self) -> float:
        return self.lines[-1].bottom


_END = re.compile(r"[.!?…:;][\"'”’)\]]*$")
"""A line that ends on these may end its paragraph (a colon opens a list or a table)."""
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]*†‡\d]*$")
_BULLET = re.compile(r"^(?:[-–—•▪◦‣*·●○■□➢►✓]|\(?[0-9]{1,3}[.)]|\(?[a-zA-Z][.)]|\([ivx]{1,4}\))\s")
_HYPHENS = "-\u2010\u00ad"
_REFERENCE = re.compile(r"^\([0-9a-zA-Z]{1,4}\)(?:\([0-9a-zA-Z]{1,4}\))*\s+[a-z]")
"""A parenthesised number or letter followed by lower case: a reference ("(i) of this AD") when
it follows a sentence cut short, not a list item."""
SHORT_LINE = 0.8
"""A line ending before this share of its block's width, after a full stop, ends a paragraph."""
INDENT_EMS = 0.8
"""A first line indented by this many ems or more starts a paragraph."""
GAP_LINES = 0.75
"""A gap between lines wider than this many line heights beyond the block's usual gap separates paragraphs."""


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends a sentence (a full stop, question or exclamation mark, a note mark)."""
    return bool(_SENTENCE_END.search(text.rstrip()))


def starts_mid_sentence(text: str) -> bool:
    """Whether ``text`` reads as the rest of a sentence begun elsewhere: it opens in lower case."""
    stripped = text.lstrip("\"'“‘([ ")
    return bool(stripped) and stripped[0].islower()


def is_bullet(text: str) -> bool:
    return bool(_BULLET.match(text))


Vocabulary = Callable[[str], bool]
"""Whether a word (lower case) is one the document itself uses unhyphenated."""


def join_text(left: str, right: str, known: Vocabulary) -> str:
    """Two lines' texts as one: a space between them, or a word hyphenated at the line end
    made whole again when the joined word is a word ("pro-" "posed" -> "proposed"); a real
    hyphen stays ("long-" "term" -> "long-term", "COVID-" "19" -> "COVID-19")."""
    left, right = left.rstrip(), right.lstrip()
    if not left or not right:
        return left or right
    if left[-1] in _HYPHENS and len(left) >= 2 and left[-2].isalpha():
        if left[-1] == "\u00ad":
            return left[:-1] + right
        head = re.search(r"[\w'’-]*\w-?$", left[:-1] + "-")
        stem = (head.group(0) if head else "").rstrip("-")
        tail = re.match(r"[\w'’]+", right)
        if tail and right[0].isalpha() and right[0].islower():
            if _dehyphenate(stem, tail.group(0), known):
                return left[:-1] + right
        return left + right  # a hyphen that belongs to the word: no space after it
    if left[-1] in "–—/@" and right[0].isalnum() and len(left) >= 2 and left[-2].isalnum():
        return left + right  # "FAA–2020–" "0686", "https://" "www.", "Inquiry@" "faa.gov"
    return f"{left} {right}"


def _dehyphenate(stem: str, tail: str, known: Vocabulary) -> bool:
    """Whether "stem-" + "tail" at a line end is one word split by the typesetter."""
    whole = (stem.rsplit("-", 1)[-1] + tail).lower()
    if known(whole):
        return True
    if known(f"{stem}-{tail}".lower()):
        return False
    if _zipf(stem.rsplit("-", 1)[-1].lower()) >= 3.0 and _zipf(tail.lower()) >= 3.0:
        return _zipf(whole) >= 3.5  # two words ("long-term"), unless one word far more often ("inter-national")
    return True  # a word cut where the typesetter could ("adminis-tration")


@lru_cache(maxsize=20000)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


def paragraphs(lines: Sequence[Line], known: Vocabulary, left: float | None = None,
               right: float | None = None) -> list[Paragraph]:
    """The lines of one block (one column's run of text, in reading order) as paragraphs;
    ``left`` and ``right`` are the edges of its column (by default, of its own lines)."""
    if not lines:
        return []
    left = min(line.x0 for line in lines) if left is None else min(left, min(line.x0 for line in lines))
    right = max(line.x1 for line in lines) if right is None else max(right, max(line.x1 for line in lines))
    width = max(right - left, 1.0)
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:], strict=False) if b.top >= a.bottom - a.size]
    usual_gap = median(gaps) if gaps else 0.0
    out: list[Paragraph] = []
    current: list[Line] = [lines[0]]
    text = lines[0].text.strip()
    for a, b in zip(lines, lines[1:], strict=False):
        if _breaks(a, b, left, right, width, usual_gap, text):
            out.append(_paragraph(current, text, left, right, width))
            current, text = [b], b.text.strip()
        else:
            current.append(b)
            text = join_text(text, b.text, known)
    out.append(_paragraph(current, text, left, right, width))
    return out


def _paragraph(lines: list[Line], text: str, left: float, right: float, width: float) -> Paragraph:
    last, first = lines[-1], lines[0]
    full = last.x1 >= right - (1 - SHORT_LINE) * width
    indented = first.x0 - left >= INDENT_EMS * first.size
    return Paragraph(text, tuple(lines), full, indented, max(right - last.x1, 0.0))


def _breaks(a: Line, b: Line, left: float, right: float, width: float, usual_gap: float, so_far: str) -> bool:
    """Whether a paragraph ends between line ``a`` and the next line ``b`` of the same block."""
    size = max(min(a.size, b.size), 1.0)
    lower = starts_mid_sentence(b.text)
    if abs(a.ends - b.starts) > 0.15 * size or a.bold != b.bold and not lower:
        return True  # a change of font: a heading and its text, a caption
    if is_bullet(b.text):
        return True
    gap = b.top - a.bottom
    if gap > usual_gap + GAP_LINES * size or gap < -size:
        return not (lower and not _END.search(a.text.rstrip()))  # wide spacing inside one sentence
    closed = bool(_END.search(a.text.rstrip()))
    short = _room_left(a, b, right)
    indented = b.x0 - left >= INDENT_EMS * size and b.x0 - a.x0 >= INDENT_EMS * size
    if closed and (short or indented):
        return True
    if short and not lower:
        return True  # a line that stops early without ending a sentence: a heading, an address line
    if b.new_paragraph and closed:
        return True
    return indented and not lower and not _joins_mid_word(so_far)


def _room_left(a: Line, b: Line, right: float) -> bool:
    """Whether line ``a`` stopped with room to spare for the next line's first word: the author
    (not the typesetter) broke the line there."""
    first = b.text.split()[0] if b.text.split() else ""
    per_char = (b.x1 - b.x0) / max(len(b.text), 1)
    return a.x1 + per_char * (len(first) + 1) < right - 0.5 * per_char


def merged(before: Paragraph, after: Paragraph, known: Vocabulary) -> Paragraph:
    """``before`` and its continuation ``after`` as one paragraph."""
    return Paragraph(join_text(before.text, after.text, known), before.lines + after.lines, after.full_last_line,
                     before.indented, after.room)


def _would_fit(before: Paragraph, after: Paragraph) -> bool:
    """Whether ``after``'s first word would have fitted at the end of ``before``'s last line:
    then the line was ended on purpose, not by the column's edge."""
    line = after.lines[0]
    words = line.text.split()
    if not words:
        return False
    per_char = (line.x1 - line.x0) / max(len(line.text), 1)
    return per_char * (len(words[0]) + 1) < before.room - 0.5 * per_char


def _same_print(before: Paragraph, after: Paragraph) -> bool:
    return abs(before.size - after.size) <= 0.15 * max(before.size, 1.0) and before.bold == after.bold


def _joins_mid_word(text: str) -> bool:
    return bool(text) and text[-1] in _HYPHENS


def continues(before: Paragraph, after: Paragraph, indents: bool = False) -> bool:
    """Whether ``after`` (the first paragraph of the next block, column or page) is the rest of
    ``before``: ``before`` stops without ending a sentence, and ``after`` opens in lower case,
    or ``before`` runs to its block's edge and ``after`` takes up in the same font without an
    indent or a bullet. Where the document starts its paragraphs with an indent (``indents``),
    a full last line and no indent at the head of the next column say the same even after a
    full stop: the paragraph, not the sentence, goes on."""
    text = before.text.rstrip()
    full = before.full_last_line and not _would_fit(before, after)
    if indents and text and full and len(before.lines) >= 2 and not after.indented \
            and len(after.lines) >= 2 and not is_bullet(after.text) and _same_print(before, after):
        return True
    if not text or ends_sentence(text) or text.endswith(":"):
        return False
    if is_bullet(after.text) and (text[-1] in ";," or not _REFERENCE.match(after.text)):
        return False  # a list's next item; but "…to paragraph" "(i) of this AD" is one sentence
    if not _same_print(before, after):
        return False
    if starts_mid_sentence(after.text):
        return True
    return (full and len(before.lines) >= 2 and not after.indented
            and (after.full_last_line or len(after.lines) >= 2) and (text[-1].isalnum() or text[-1] in ",-–—("))
