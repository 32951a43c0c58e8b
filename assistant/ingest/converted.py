"""What a format's reader returns: the text Briefing indexes and cites, and what it knows about it.

The text is stored in the index, so a citation's offsets can always be read back (``briefing
show``) and checked, whatever the format. A format with pages, slides or sheets returns one
text per part, joined by a blank line; ``part_labels`` names them for citations. Offsets in
``sections`` and ``uncitable`` refer to ``text`` (the pages joined by a blank line).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.types import Section, Span


@dataclass(frozen=True)
class Attachment:
    """A file inside another (an e-mail's attachment), read as a document of its own."""

    name: str
    raw: bytes


@dataclass
class Converted:
    text: str = ""
    title: str = ""
    date: str | None = None
    origin: str | None = None
    """Who or where it came from (an e-mail's sender)."""
    pages: list[str] = field(default_factory=list)
    """One text per page, slide or sheet, when the format has them."""
    part_labels: list[str] = field(default_factory=list)
    """How a citation names each of ``pages`` ("slide 3", "sheet Budget"); empty: "page N"."""
    ocr: list[tuple[int, float]] = field(default_factory=list)
    """(1-based page, mean word confidence 0-100) for each page read by OCR."""
    notes: list[str] = field(default_factory=list)
    """What the analyst should know although the file was read (pages skipped, tables cut)."""
    attachments: list[Attachment] = field(default_factory=list)
    title_from_text: bool = True
    """Without a title, take the text's first line; False where that line is a table row (a sheet)."""
    sections: list[Section] = field(default_factory=list)
    """Headings, with offsets into ``text`` (``structure.StructuredText`` makes them)."""
    uncitable: list[Span] = field(default_factory=list)
    """Spans of ``text`` kept for search but never cited: headings, page furniture."""
    metadata: dict[str, str] = field(default_factory=dict)
    """Its properties or headers that may state a protective marking (``markings.detect.
    marking_fields``): an Office "Classification" property, a PDF's, an e-mail's "Sensitivity"."""


def one_line_error(kind: str, exc: BaseException) -> str:
    """A third-party parser's exception as the one-line reason a skipped file carries."""
    text = f"{exc}".strip().splitlines()[0] if str(exc).strip() else ""
    return f"cannot read {kind}: {type(exc).__name__}{': ' + text if text else ''}"[:200]
