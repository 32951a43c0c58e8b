"""A brief as a document: Markdown (exported, or for the TUI's screen) and Word (.docx).

The exported Markdown uses footnotes (``[^n]``) and tables, as a Markdown viewer expects. The
TUI's variant numbers references ``[n]`` with a numbered list below, and shows the timeline
as a list, which wraps to any terminal width where a table's long cells would be cut. Word is
what officials circulate: title, date, key points with numbered references, the timeline and
actors as tables, and the references quoting each span. Every piece of document text is
escaped for Markdown (``md_literal``) and never interpreted.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from assistant.export.conversation import md_literal

if TYPE_CHECKING:
    from assistant.brief.make import Brief
    from assistant.types import Citation

References = Literal["footnotes", "list"]


class _Notes:
    """Numbers each cited span once, in order of first use."""

    def __init__(self, style: References) -> None:
        self.style = style
        self.cited: list[Citation] = []
        self._numbers: dict[tuple[str, int, int], int] = {}

    def number(self, c: Citation) -> int:
        key = (c.doc_id, c.start, c.end)
        if key not in self._numbers:
            self.cited.append(c)
            self._numbers[key] = len(self.cited)
        return self._numbers[key]

    def ref(self, c: Citation) -> str:
        n = self.number(c)
        return f"[^{n}]" if self.style == "footnotes" else f"\\[{n}\\]"

    def refs(self, citations: tuple[Citation, ...]) -> str:
        return ("" if self.style == "footnotes" else " ").join(self.ref(c) for c in citations)


def _where(c: Citation) -> str:
    page = f", {c.place}" if c.place else ""
    return f"{md_literal(c.doc_id)}, characters {c.start}–{c.end}{page}"


def named_sources(brief: Brief, citations: tuple[Citation, ...]) -> str:
    """"Title (date); Other title": which documents make a point, when the brief has several."""
    if len(brief.sources) < 2:
        return ""
    names = []
    for c in citations:
        short = c.title if len(c.title) <= 60 else c.title[:59] + "…"
        names.append(f"{short} ({c.date})" if c.date else short)
    return "; ".join(dict.fromkeys(names))


def brief_markdown(brief: Brief, now: datetime | None = None, references: References = "footnotes") -> str:
    notes = _Notes(references)
    stamp = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    out = [f"# Briefing: {md_literal(brief.topic)}", "",
           f"_Prepared {stamp} by Briefing; every line quotes a source._", ""]
    for warning in (brief.not_covered, brief.thin):
        if warning:
            out += [f"> {md_literal(warning)}", ""]
    if brief.key_points:
        out += ["## Key points", ""]
        for k in brief.key_points:
            named = named_sources(brief, k.citations)
            source = f" — _{md_literal(named)}_" if named else ""
            out.append(f"- {md_literal(k.citation.text)} {notes.refs(k.citations)}{source}")
        out.append("")
    if brief.timeline:
        out += ["## Timeline", ""]
        if references == "footnotes":
            out += ["| date | wording | statement |", "|---|---|---|"]
        for t in brief.timeline:
            when = f"{t.date} (target)" if t.target else t.date
            refs = notes.refs((t.citation, *t.also))
            if references == "footnotes":
                out.append(f"| {md_literal(when)} | {md_literal(t.wording)} | {md_literal(t.citation.text)} {refs} |")
            else:
                out.append(f"- **{md_literal(when)}** ({md_literal(t.wording)}): {md_literal(t.citation.text)} {refs}")
        out.append("")
    if brief.actors:
        out += ["## Actors", "", "| actor | kind | mentions | where |", "|---|---|---|---|"]
        for a in brief.actors:
            out.append(f"| {md_literal(a.name)} | {a.kind} | {a.mentions} | {notes.refs(a.citations)} |")
        out.append("")
    if brief.sources:
        out += ["## Sources", ""]
        for s in brief.sources:
            dated = f" ({md_literal(s.date)})" if s.date else ""
            out.append(f"- {md_literal(s.title)}{dated}: {md_literal(s.doc_id)}")
        out.append("")
    if notes.cited:
        if references == "footnotes":
            out += ["---", ""]
            out += [f'[^{i}]: {_where(c)}: "{md_literal(c.text)}"' for i, c in enumerate(notes.cited, 1)]
        else:
            out += ["## References", ""]
            out += [f'{i}. {_where(c)}: “{md_literal(c.text)}”' for i, c in enumerate(notes.cited, 1)]
        out.append("")
    return "\n".join(out)


def _docx_table(document: Any, headers: list[str], rows: list[list[str]]) -> None:
    """A bordered table with a bold header row."""
    grid = document.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, text in zip(grid.add_row().cells, row, strict=True):
            cell.text = text


def write_docx(brief: Brief, path: Path, now: datetime | None = None) -> None:
    """The brief as a Word document (python-docx), written atomically."""
    import docx
    from docx.shared import Pt

    from assistant.text.printable import printable

    def clean(text: str) -> str:  # Word rejects control characters; show them as symbols
        return printable(" ".join(text.split()))

    notes = _Notes("list")
    cited = notes.cited

    def refs(citations: tuple[Citation, ...]) -> str:
        return " ".join(f"[{notes.number(c)}]" for c in citations)

    document = docx.Document()
    document.add_heading(clean(f"Briefing: {brief.topic}"), level=0)
    stamp = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    document.add_paragraph().add_run(f"Prepared {stamp} by Briefing; every line quotes a source.").italic = True
    for warning in (brief.not_covered, brief.thin):
        if warning:
            document.add_paragraph(clean(warning))
    if brief.key_points:
        document.add_heading("Key points", level=1)
        for k in brief.key_points:
            named = named_sources(brief, k.citations)
            point = document.add_paragraph(f"{clean(k.citation.text)} {refs(k.citations)}", style="List Bullet")
            if named:
                point.add_run(f" — {clean(named)}").italic = True
    if brief.timeline:
        document.add_heading("Timeline", level=1)
        _docx_table(document, ["Date", "Wording", "Statement"],
              [[f"{t.date} (target)" if t.target else t.date, clean(t.wording),
                f"{clean(t.citation.text)} {refs((t.citation, *t.also))}"] for t in brief.timeline])
    if brief.actors:
        document.add_heading("Actors", level=1)
        _docx_table(document, ["Actor", "Kind", "Mentions", "Where"],
              [[clean(a.name), a.kind, str(a.mentions), refs(a.citations)] for a in brief.actors])
    if brief.sources:
        document.add_heading("Sources", level=1)
        for s in brief.sources:
            dated = f" ({s.date})" if s.date else ""
            document.add_paragraph(clean(f"{s.title}{dated}: {s.doc_id}"), style="List Bullet")
    if cited:
        document.add_heading("References", level=1)
        for i, c in enumerate(cited, 1):
            page = f", {c.place}" if c.place else ""
            p = document.add_paragraph(f"[{i}] {clean(c.doc_id)}, characters {c.start}–{c.end}{page}: ")
            quote = p.add_run(f"“{clean(c.text)}”")
            quote.italic = True
            quote.font.size = Pt(10)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    document.save(str(tmp))
    tmp.replace(path)
