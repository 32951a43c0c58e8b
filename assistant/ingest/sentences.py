"""Sentence spans with exact offsets.

A small rule-based splitter rather than a trained one: it must be fast enough to run on
every document at build time, deterministic, and must never alter the text, because each
span is later cited as ``text[start:end]``. Lines are hard boundaries (headings, bullets).
"""

from __future__ import annotations

import re

# Words that end with a period without ending the sentence.
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt vs etc e.g i.e cf al approx fig figs no nos vol eq
    inc ltd co corp dept est govt gen col lt sgt rep sen gov pres
    jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u p.m a.m""".split()
)
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_BULLET = re.compile(r"^\s*(?:[-*•▪◦‣–—]|\d{1,3}[.)]|#{1,6})\s+")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?…]+[\"'”’)\]]*\s+$")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return ``(start, end)`` spans of the sentences in ``text[start:end]``, whitespace trimmed."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl == -1 else nl
        _split_line(text, pos, line_end, spans)
        pos = line_end + 1
    return spans


def _split_line(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    line = text[start:end]
    bullet = _BULLET.match(line)
    offset = bullet.end() if bullet else 0
    cursor = offset
    for m in _BOUNDARY.finditer(line, offset):
        if _is_abbreviation(line[cursor : m.end()]):
            continue
        _emit(text, start + cursor, start + m.end(), out)
        cursor = m.end()
    _emit(text, start + cursor, end, out)


def _is_abbreviation(piece: str) -> bool:
    m = _WORD_BEFORE.search(piece)
    if not m:
        return False
    word = m.group(1).lower()
    if word in _ABBREVIATIONS:
        return True
    # An initial such as "J. Smith", or a dotted acronym such as "U.S."
    return len(word.replace(".", "")) == 1 or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))


def _emit(text: str, a: int, b: int, out: list[tuple[int, int]]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a and any(ch.isalnum() for ch in text[a:b]):
        out.append((a, b))


def is_statement(sentence: str) -> bool:
    """True for a sentence worth citing as an answer: not a heading, not a question."""
    s = sentence.rstrip()
    if s.endswith("?") or len(s) < 20:
        return False
    words = s.split()
    if len(words) < 4:
        return False
    ends_like_prose = s[-1] in ".!…\"'”’)]:;"
    if ends_like_prose:
        return True
    # Without closing punctuation, only a long line that is not in Title Case (a heading) reads as prose.
    capitalised = sum(1 for w in words if w[:1].isupper())
    return len(words) >= 12 and capitalised < 0.6 * len(words)
