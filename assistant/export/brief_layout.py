"""A brief laid out once, for every way it is shown: the sections, their rows and what each row
cites. Markdown, Word, the terminal and JSON all render this structure, so a section added here
appears in all four; none of them reads the ``Brief`` itself.

Cells hold plain text as the documents wrote it: each renderer makes it safe in its own way
(Markdown escaping, Word's control characters, Rich markup).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.brief.make import Brief
    from assistant.types import Citation


@dataclass(frozen=True)
class Row:
    """One key point, timeline row, actor or source."""

    cells: tuple[str, ...]
    cited: tuple[Citation, ...] = ()
    named: str = ""
    """Which documents make the point, when the brief draws on several ("Title (date); …")."""
    strong: int = 0
    """How many leading cells are a label ("2025-10-09 (target)") rather than a statement."""
    data: dict[str, Any] = field(default_factory=dict)
    """The row as ``brief --json`` prints it, citations still ``Citation``s (``export.json_output``
    owns their JSON shape)."""
    new: bool = False
    """It comes from a document added or dated after the brief's ``new_since``: marked "New"."""
    portion: str = ""
    """Its portion mark, the highest marking of what it cites ("(OS)"); "" without a scheme."""


@dataclass(frozen=True)
class Section:
    key: str
    """Its name in ``brief --json``: key_points, sources_differ, timeline, actors, sources."""
    title: str
    headers: tuple[str, ...]
    """Column names. One column is a bulleted list; more make a table."""
    rows: tuple[Row, ...]
    wraps: bool = False
    """Its last column holds whole statements: shown as a list where a table's cells would be cut."""


@dataclass(frozen=True)
class Warning:
    key: str
    """not_covered (the topic is refused), thin (the corpus says little on it) or new_since (what
    the lines marked new are new since, and how many there are)."""
    text: str


@dataclass(frozen=True)
class BriefLayout:
    topic: str
    warnings: tuple[Warning, ...]
    sections: tuple[Section, ...]
    """Only the sections that have rows, in reading order."""
    all_keys: tuple[str, ...]
    """Every section's key, empty or not (``brief --json`` prints empty lists too)."""
    marking: str = ""
    """The brief's overall marking: the banner at the top and bottom of every copy ("" without a scheme)."""


def one_line(text: str) -> str:
    return " ".join(text.split())


def named_sources(brief: Brief, citations: tuple[Citation, ...]) -> str:
    """"Title (date); Other title": which documents make a point, when the brief has several."""
    if len(brief.sources) < 2:
        return ""
    names = []
    for c in citations:
        short = c.title if len(c.title) <= 60 else c.title[:59] + "…"
        names.append(f"{short} ({c.date})" if c.date else short)
    return "; ".join(dict.fromkeys(names))


def layout(brief: Brief) -> BriefLayout:
    marking = brief.new_since is not None
    points = tuple(
        Row((one_line(k.citation.text),), k.citations, named_sources(brief, k.citations),
            data={"text": one_line(k.citation.text), "citation": k.citation, "also": list(k.also),
                  **({"new": brief.is_new(k.citations)} if marking else {}),
                  **({"marking": brief.portion(k.citations)} if brief.scheme else {})},
            new=brief.is_new(k.citations), portion=brief.portion(k.citations))
        for k in brief.key_points)
    timeline = tuple(
        Row((f"{t.date} (target)" if t.target else t.date, t.wording, one_line(t.citation.text)),
            (t.citation, *t.also), strong=1,
            data={"date": t.date, "precision": t.precision, "wording": t.wording, "target": t.target,
                  "reported": t.reported, "citation": t.citation, "also": list(t.also),
                  **({"new": brief.is_new((t.citation,))} if marking else {}),
                  **({"marking": brief.portion((t.citation, *t.also))} if brief.scheme else {})},
            new=brief.is_new((t.citation,)), portion=brief.portion((t.citation, *t.also)))
        for t in brief.timeline)
    differ = tuple(
        Row((_source_label(c), one_line(c.text)), (c,), strong=1,
            data={"doc": c.doc_id, "title": c.title, "date": c.date, "text": one_line(c.text), "citation": c,
                  "point": i}, portion=brief.portion((c,)))
        for i, k in enumerate(brief.key_points, 1) if k.differs for c in (k.citation, *k.differs))
    actors = tuple(
        Row((a.name, a.kind, str(a.mentions)), a.citations,
            data={"name": a.name, "kind": a.kind, "mentions": a.mentions,
                  "citations": list(a.citations), **({"marking": brief.portion(a.citations)} if brief.scheme else {})},
            portion=brief.portion(a.citations))
        for a in brief.actors)
    sources = tuple(
        Row((f"{s.title} ({s.date}): {s.doc_id}" if s.date else f"{s.title}: {s.doc_id}",),
            data={"doc": s.doc_id, "title": s.title, "date": s.date})
        for s in brief.sources)
    sections = (
        Section("key_points", "Key points", ("point",), points),
        Section("sources_differ", "Sources differ", ("source", "statement"), differ, wraps=True),
        Section("timeline", "Timeline", ("date", "wording", "statement"), timeline, wraps=True),
        Section("actors", "Actors", ("actor", "kind", "mentions"), actors),
        Section("sources", "Sources", ("source",), sources),
    )
    news = _new_lines(brief, sum(r.new for r in points), sum(r.new for r in timeline)) if marking else None
    warnings = tuple(Warning(key, text) for key, text in (("not_covered", brief.not_covered), ("thin", brief.thin),
                                                          ("new_since", news)) if text)
    return BriefLayout(brief.topic, warnings, tuple(s for s in sections if s.rows), tuple(s.key for s in sections),
                       brief.marking)


def _source_label(c: Citation) -> str:
    """Which document says it: "Title (date)"."""
    title = c.title if len(c.title) <= 60 else c.title[:59] + "…"
    return f"{title} ({c.date})" if c.date else title


def _new_lines(brief: Brief, points: int, rows: int) -> str:
    """The note on what is new: how many lines, since what."""
    if not points and not rows:
        return f"Nothing new since {brief.new_since}: no line comes from a document added or dated after it."
    parts = [f"{n} {what}{'s' if n != 1 else ''}" for n, what in ((points, "key point"), (rows, "timeline row")) if n]
    return f"New since {brief.new_since}: {' and '.join(parts)}, marked “New”."


class Notes:
    """Numbers each cited span once, in order of first use: the references every rendering lists."""

    def __init__(self) -> None:
        self.cited: list[Citation] = []
        self._numbers: dict[tuple[str, int, int], int] = {}

    def number(self, c: Citation) -> int:
        key = (c.doc_id, c.start, c.end)
        if key not in self._numbers:
            self.cited.append(c)
            self._numbers[key] = len(self.cited)
        return self._numbers[key]
