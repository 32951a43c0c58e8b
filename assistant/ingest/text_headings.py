"""Headings of plain-text and Markdown files, as sections (and, for Markdown, uncitable spans).

Markdown says what a heading is (``# Title``, ``## Methods``): such a line is a section and is
never cited. Plain text does not: a short line over a paragraph may be a heading or a one-line
statement, and the seed corpus and the dev sets are plain text. There a heading only names the
section citations carry (``plain_sections``); it never takes a sentence out of what can be cited.
"""

from __future__ import annotations

import re

from assistant.types import Section, Span

_ATX = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
_FENCE = re.compile(r"^[ \t]*(?:```|~~~)", re.M)
_LINE = re.compile(r"^[^\n]*$", re.M)
_BULLET = re.compile(r"^\s*(?:[-*•▪◦‣–—+>|]|\d{1,3}[.)])\s")
MAX_HEADING_WORDS = 12
MIN_FOLLOWING_WORDS = 15
"""A plain-text heading stands over a paragraph at least this long."""


def markdown_structure(text: str, start: int = 0) -> tuple[tuple[Section, ...], tuple[Span, ...]]:
    """ATX headings of ``text[start:]`` outside code fences: sections, and their lines' spans."""
    fences = [m.start() for m in _FENCE.finditer(text, start)]
    sections: list[Section] = []
    spans: list[Span] = []
    for m in _ATX.finditer(text, start):
        if sum(1 for f in fences if f < m.start()) % 2:
            continue  # inside a fenced block
        heading = m.group(2).strip()
        if heading:
            sections.append(Section(m.start(), heading[:200], len(m.group(1))))
            spans.append((m.start(), m.end()))
    return tuple(sections), tuple(spans)


def plain_sections(text: str, start: int = 0) -> tuple[Section, ...]:
    """Lines of ``text[start:]`` that read as headings: short, not a sentence or a list item,
    mostly capitalised words (or a question), with a paragraph under them."""
    lines = [(m.start(), m.group(0)) for m in _LINE.finditer(text, start)]
    out: list[Section] = []
    for i, (at, line) in enumerate(lines):
        stripped = line.strip()
        words = stripped.split()
        if not 1 <= len(words) <= MAX_HEADING_WORDS or len(stripped) > 100 or _BULLET.match(line):
            continue
        if stripped[-1] in ".,;:!" or not stripped[0].isupper() and not stripped[0].isdigit():
            continue
        following = next((ln for _, ln in lines[i + 1 :] if ln.strip()), "")
        if len(following.split()) < MIN_FOLLOWING_WORDS:
            continue
        capitalised = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
        if capitalised >= 0.6 * len(words) or stripped.endswith("?"):
            out.append(Section(at + len(line) - len(line.lstrip()), stripped, 1))
    return tuple(out)
