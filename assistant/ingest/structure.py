"""The structure a reader hands on with its text: headings (sections), spans never cited, parts.

A heading names what follows it; it states nothing. Page furniture (running heads, page
numbers, print stamps, margin notes) repeats the publication around the text. Both stay in
the stored text, so search still finds a passage by its heading or a page by its running
head, but neither is ever a citable sentence (``chunking`` leaves them out as it leaves out
the apparatus), and every citation carries the heading of its section.

Every format with structure (PDF layout, OCR, Word styles, HTML ``h1``-``h6``, slide titles)
writes its blocks through ``StructuredText``, so offsets are made in one place, in step with
the text they point into. ``mark_parts`` decides when a file's top-level sections are
documents of their own (the notices of a register issue).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from assistant.types import Section, Span

Role = Literal["body", "heading", "title", "furniture", "table", "note"]
"""body: prose; heading: a section's heading; title: the document's own heading (uncitable, no
section); furniture: running heads, page numbers, stamps, margin text (uncitable); table: rows
from ``tables.table_lines``; note: a footnote (citable, kept out of the prose flow)."""
UNCITABLE: frozenset[str] = frozenset({"heading", "title", "furniture"})
MAX_HEADING_CHARS = 200
"""A section's heading as stored and shown (a heading run long by a layout mistake is cut)."""


@dataclass(frozen=True)
class Block:
    """One block of a page in reading order: a paragraph (one line), a heading, a table's rows."""

    text: str
    role: Role = "body"
    level: int = 1
    """For headings: 1 is the top level."""


@dataclass(frozen=True)
class Structured:
    """A whole document's text and structure, as ``StructuredText.finish`` returns it."""

    pages: tuple[str, ...]
    sections: tuple[Section, ...]
    uncitable: tuple[Span, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(self.pages)


class StructuredText:
    """Pages of blocks written one after another: blocks apart by ``separator`` (a blank line;
    formats that always wrote one paragraph a line keep a line break), pages by a blank line."""

    def __init__(self, separator: str = "\n\n") -> None:
        self._separator = separator
        self._pages: list[str] = []
        self._sections: list[Section] = []
        self._uncitable: list[Span] = []
        self._at = 0

    def add_page(self, blocks: Sequence[Block]) -> None:
        parts: list[str] = []
        pos = self._at
        for block in blocks:
            text = _clean(block.text)
            if not text and (self._separator != "\n" or not parts):
                continue  # an empty paragraph is a blank line where paragraphs are lines, else nothing
            if parts:
                pos += len(self._separator)
            if block.role in UNCITABLE:
                self._uncitable.append((pos, pos + len(text)))
            if block.role == "heading":
                self._sections.append(Section(pos, " ".join(text.split())[:MAX_HEADING_CHARS], max(1, block.level)))
            parts.append(text)
            pos += len(text)
        page = self._separator.join(parts)
        self._pages.append(page)
        self._at += len(page) + 2

    def finish(self) -> Structured:
        text = "\n\n".join(self._pages)
        return Structured(tuple(self._pages), mark_parts(text, self._sections), tuple(self._uncitable))


def _clean(text: str) -> str:
    """A block as the index stores text: no trailing spaces, no blank lines inside it."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
                     if line.strip()).strip()


PAGE_NUMBER = re.compile(
    r"^(?:page|p\.|pg\.?|seite|página|страница)?\s*[-–—(\[]?\s*(?:\d{1,6}|(?=[ivxlcdm])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3}))\s*[-–—)\]]?"
    r"(?:\s*(?:of|/|de|von)\s*\d{1,4})?$", re.I)
"""A page number standing alone: "12", "xiv", "Page 3 of 10", "- 4 -"."""


def is_page_number(text: str) -> bool:
    return bool(PAGE_NUMBER.match(text.strip()))


def scanned_page(text: str, furniture: Sequence[str] = ()) -> list[Block]:
    """An OCR'd page's paragraphs (apart by a blank line) as blocks, then its margin lines
    (``furniture``: running head, folio); a number standing alone is furniture too."""
    body = [Block(par, "furniture" if is_page_number(par) else "body") for par in text.split("\n\n")]
    return body + [Block(line, "furniture") for line in furniture]


_LABEL = re.compile(r"^[ \t]*([A-Z][A-Za-z’'&/ -]{1,30}?)[ \t]*:[ \t]+\S", re.M)
"""A run-in label opening a line: "AGENCY: …", "Subject: …", "Date: …"."""
MIN_SHARED_LABELS = 2
"""Labels (or sub-headings) that must recur across top-level sections for them to be parts."""


def mark_parts(text: str, sections: Sequence[Section]) -> tuple[Section, ...]:
    """``sections`` with those of one heading level marked as parts when the file holds several
    documents of one kind: at least two sections of that level that each carry the same block
    of run-in labels or sub-headings ("AGENCY:", "ACTION:", "SUMMARY:" in every notice of a
    register issue; "From:", "Subject:" in every memo of a bundle). Levels are tried from the
    top down, the first that has such sections wins (a caption set larger than the notices'
    headings is no part). Sections of one document ("1 Introduction", "2 Methods") share no
    such block and are left as they are."""
    for level in sorted({s.level for s in sections}):
        carrying = _carrying(text, sections, level)
        if len(carrying) >= 2:
            # a section of the level without the block (a notice's regulatory text under its own
            # heading) belongs to the part before it
            return tuple(replace(s, part=True) if s.level == level and s.start in carrying else s for s in sections)
    return tuple(sections)


def _carrying(text: str, sections: Sequence[Section], level: int) -> set[int]:
    """Where the sections of ``level`` start that carry a block of labels shared with another."""
    heads = [i for i, s in enumerate(sections) if s.level == level]
    if len(heads) < 2:
        return set()
    bounds = [sections[i].start for i in heads] + [len(text)]
    kinds: list[set[str]] = []
    for n in range(len(heads)):
        start, end = bounds[n], bounds[n + 1]
        found = {m.group(1).strip().lower() for m in _LABEL.finditer(text, start, end)
                 if not any(ch.isdigit() for ch in m.group(1))}
        found |= {"§" + _fold(s.heading) for s in sections if start < s.start < end and s.level > level}
        kinds.append(found)
    counts = Counter(k for found in kinds for k in found)
    shared = {k for k, n in counts.items() if n >= 2}
    return {sections[i].start for i, found in zip(heads, kinds, strict=True)
            if len(found & shared) >= MIN_SHARED_LABELS}


def _fold(heading: str) -> str:
    return re.sub(r"\d+", "#", " ".join(heading.lower().split()))
