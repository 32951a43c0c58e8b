"""Typed value objects passed between the stages of the pipeline.

All are frozen: a chunk or a citation is a fact about a file, not something to edit.
Offsets are character offsets into the document's text (see ``Document.text``).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from typing import Any

Span = tuple[int, int]
"""A ``(start, end)`` range of character offsets into a document's text."""


@dataclass(frozen=True)
class Section:
    """A heading of a document and where the text under it begins.

    A section runs from ``start`` to the next section's start: the last heading before an
    offset is the innermost section holding it. ``part`` marks a top-level section that is a
    document of its own printed in the same file (one notice of a register issue, one item of
    a bulletin), so briefs and answers can keep it apart from its neighbours.
    """

    start: int
    heading: str
    level: int = 1
    part: bool = False


def section_at(sections: tuple[Section, ...], offset: int) -> Section | None:
    """The innermost section holding ``offset`` (``sections`` in order of ``start``), or None
    before the first heading."""
    i = bisect_right([s.start for s in sections], offset)
    return sections[i - 1] if i else None


@dataclass(frozen=True)
class DocMeta:
    """Everything known about a document besides its text: declared here once, carried by the
    loaded ``Document``, recorded in the index (``manifest.DocEntry``) and shown with a citation
    (``DocInfo``). A new fact about a document is a new field here and nowhere else.

    Offsets (``body_start``, ``page_starts``, sections, uncitable spans) are into the document's
    text frame (``Document.text``).
    """

    title: str
    sha256: str = ""
    """The document's own content hash (the message, the attachment, or the file itself)."""
    format: str = ""
    date: str | None = None
    origin: str | None = None
    """Where the document came from (a publication, a URL): front matter ``source``."""
    tags: tuple[str, ...] = ()
    body_start: int = 0
    """Where indexable text begins (after a text file's front matter)."""
    page_starts: tuple[int, ...] = ()
    """For PDFs, decks and workbooks: offset where each page, slide or sheet begins (n at index n-1)."""
    part_labels: tuple[str, ...] = ()
    """How a citation names each part ("slide 3", "sheet Budget"); empty: "page N"."""
    ocr_pages: tuple[tuple[int, float], ...] = ()
    """(1-based page, mean word confidence 0-100) of each page read by OCR."""
    container: str | None = None
    """The corpus file this document was read from, when that is not its id itself: the e-mail
    an attachment came in, the mbox a message is part of; None when the document is its file."""
    container_sha256: str | None = None
    """That file's sha256 (``sha256`` is then the document's own bytes: the message, the attachment)."""
    sections: tuple[Section, ...] = ()
    """Its headings, in order (``Section``): what a citation names as its section."""
    uncitable: tuple[Span, ...] = ()
    """Spans that are part of the text (search finds them) but state nothing a reader would
    quote: headings, running heads and page numbers, stamps, margin notes. Never a citable sentence."""

    @property
    def file_sha256(self) -> str:
        """The hash of the corpus file behind this document (what a build compares)."""
        return self.container_sha256 or self.sha256

    def section_at(self, offset: int) -> Section | None:
        """The innermost section holding ``offset``, or None (no headings, or before the first)."""
        return section_at(self.sections, offset)

    def part_at(self, offset: int) -> Section | None:
        """The part (``Section.part``: a document of its own in a file of several) holding
        ``offset``, or None when the file is one document."""
        return section_at(tuple(s for s in self.sections if s.part), offset)

    def page_at(self, offset: int) -> int | None:
        """The 1-based page (slide, sheet) holding ``offset``, or None for documents without pages."""
        if not self.page_starts:
            return None
        return sum(1 for start in self.page_starts if start <= offset) or 1

    def location_at(self, offset: int) -> str | None:
        """How a citation at ``offset`` names its part: "page 3", "slide 2", "sheet Budget"."""
        page = self.page_at(offset)
        if page is None:
            return None
        if page <= len(self.part_labels):
            return self.part_labels[page - 1]
        return f"page {page}"


@dataclass(frozen=True)
class Document:
    """A loaded source document: its text and what is known about it (``meta``).

    ``text`` is the frame all offsets refer to. For ``.txt``/``.md`` it is the file's decoded
    text as on disk (front matter included; ``meta.body_start`` is where indexable text begins).
    For converted formats (PDF, HTML, DOCX) it is the extracted text, stored in the index.
    """

    doc_id: str
    text: str
    meta: DocMeta
    converted: bool = False
    """True when ``text`` was extracted from a binary/markup format and is stored in the index."""


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage: ``document.text[start:end] == text``."""

    chunk_id: int
    doc_id: str
    start: int
    end: int
    text: str
    sentences: tuple[tuple[int, int], ...] = ()
    """Sentence spans inside this chunk, as absolute document offsets."""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["sentences"] = [list(s) for s in self.sentences]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Chunk:
        return cls(
            chunk_id=int(data["chunk_id"]),
            doc_id=str(data["doc_id"]),
            start=int(data["start"]),
            end=int(data["end"]),
            text=str(data["text"]),
            sentences=tuple((int(a), int(b)) for a, b in data.get("sentences", ())),
        )


@dataclass(frozen=True)
class Hit:
    """A chunk ranked for a query; ``score`` is the fused score, higher is better."""

    rank: int
    chunk: Chunk
    score: float
    dense_score: float = 0.0
    sparse_score: float = 0.0
    marking: str = ""
    """The passage's protective marking, when search results are shown (``answer.marked``)."""


SHOWN_HEADING = 60
"""Characters of a section's heading shown beside a citation."""


@dataclass(frozen=True)
class Citation:
    """A verified span of a source document backing one answer sentence."""

    n: int
    doc_id: str
    start: int
    end: int
    text: str
    score: float
    context_start: int = 0
    context_end: int = 0
    context: str = ""
    title: str = ""
    date: str | None = None
    page: int | None = None
    location: str | None = None
    """The page, slide or sheet as a reader names it ("page 3", "slide 2", "sheet Budget")."""
    section: str | None = None
    """The heading of the section the span stands in, when the document has headings."""
    marking: str = ""
    """Its protective marking as the scheme writes it ("SECRET//NOFORN"): its paragraph's
    portion mark, else its document's (``answer.marked``); "" without a scheme."""
    portion: str = ""
    """…and as a portion mark: "(S//NF)"."""

    @property
    def place(self) -> str | None:
        """Where in its document the span stands, for every renderer: "slide 2", "page 3"."""
        return self.location or (f"page {self.page}" if self.page else None)

    @property
    def where(self) -> str | None:
        """The place and the section together, as the CLI and exports show them:
        "page 3, § 2.1 Scope" (a long heading cut to ``SHOWN_HEADING`` characters)."""
        section = None
        if self.section:
            heading = " ".join(self.section.split())
            section = "§ " + (heading if len(heading) <= SHOWN_HEADING else heading[: SHOWN_HEADING - 1] + "…")
        return ", ".join(part for part in (self.place, section) if part) or None


@dataclass(frozen=True)
class DocInfo:
    """What a citation and "new since" know about a document: its ``DocMeta`` as the index
    recorded it, and when the file came into the corpus."""

    meta: DocMeta
    added_ns: int = 0
    """When the file came into the corpus as the index last saw it (its inode change time): what
    "new since" compares with a document's date."""

    @classmethod
    def titled(cls, title: str) -> DocInfo:
        """A document the index does not describe: known by a name alone."""
        return cls(DocMeta(title))


@dataclass(frozen=True)
class Answer:
    """What Briefing says to a question: cited sentences, or a refusal."""

    question: str
    text: str
    abstained: bool
    citations: tuple[Citation, ...] = ()
    nearest: tuple[Hit, ...] = ()
    """On a refusal: the closest passages, shown as 'nearest material', never as an answer."""
    confidence: float = 0.0
    resolved_query: str = ""
    """The query actually retrieved with (differs from ``question`` for follow-ups)."""
    latency_ms: float = 0.0
    dropped: int = 0
    """Citations that failed verification and were withheld."""
    notes: tuple[str, ...] = field(default=())
    generation: str = ""
    """The index generation the answer came from (one per answer, never a mixture)."""
    marking: str = ""
    """The highest marking of what it quotes (its citations and nearest material): what a copy of
    it must carry; "" without a scheme."""
