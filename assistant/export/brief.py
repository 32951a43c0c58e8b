"""A brief as a document: Markdown (exported, or for the TUI's screen) and Word (.docx), both
rendered from the one layout (``brief_layout``) the terminal and JSON render too.

The exported Markdown uses footnotes (``[^n]``) and tables, as a Markdown viewer expects. The
TUI's variant numbers references ``[n]`` with a numbered list below, and shows a section of
whole statements (the timeline) as a list, which wraps to any terminal width where a table's
long cells would be cut. Word is what officials circulate: title, date, key points with
numbered references, tables, and the references quoting each span. Every piece of document
text is escaped for Markdown (``md_literal``) and never interpreted.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from assistant.export.brief_layout import BriefLayout, Notes, Row, Section, layout
from assistant.export.conversation import md_literal

if TYPE_CHECKING:
    from assistant.brief.make import Brief
    from assistant.types import Citation

References = Literal["footnotes", "list"]
PREPARED = "Prepared {stamp} by Briefing; every line quotes a source."


def _where(c: Citation) -> str:
    page = f", {c.where}" if c.where else ""
    return f"{c.doc_id}, characters {c.start}–{c.end}{page}"


def _stamp(now: datetime | None) -> str:
    return (now or datetime.now()).strftime("%Y-%m-%d %H:%M")


def brief_markdown(brief: Brief, now: datetime | None = None, references: References = "footnotes") -> str:
    shown = layout(brief)
    notes = Notes()

    def refs(cited: tuple[Citation, ...]) -> str:
        if references == "footnotes":
            return "".join(f"[^{notes.number(c)}]" for c in cited)
        return " ".join(f"\\[{notes.number(c)}\\]" for c in cited)

    banner = [f"**{md_literal(shown.marking)}**", ""] if shown.marking else []
    out = [*banner, f"# Briefing: {md_literal(shown.topic)}", "", f"_{PREPARED.format(stamp=_stamp(now))}_", ""]
    for warning in shown.warnings:
        out += [f"> {md_literal(warning.text)}", ""]
    for section in shown.sections:
        out += [f"## {section.title}", ""]
        out += _markdown_rows(section, refs, as_list=len(section.headers) == 1 or
                              (section.wraps and references == "list"))
        out.append("")
    if notes.cited:
        if references == "footnotes":
            out += ["---", ""]
            out += [f'[^{i}]: {_portion(c.portion)}{md_literal(_where(c))}: "{md_literal(c.text)}"'
                    for i, c in enumerate(notes.cited, 1)]
        else:
            out += ["## References", ""]
            out += [f'{i}. {_portion(c.portion)}{md_literal(_where(c))}: “{md_literal(c.text)}”'
                    for i, c in enumerate(notes.cited, 1)]
        out.append("")
    return "\n".join(out + banner)


def _opening(row: Row) -> str:
    """What opens a Word table row's first cell: its portion mark, and "New: "."""
    return (f"{row.portion} " if row.portion else "") + ("New: " if row.new else "")


def _portion(mark: str) -> str:
    """A paragraph's portion mark as it opens the paragraph: "(OS) "; "" without one."""
    return f"{md_literal(mark)} " if mark else ""


def _markdown_rows(section: Section, refs: Any, as_list: bool) -> list[str]:
    lines = []
    if not as_list:
        columns = [*section.headers, *(["where"] if any(r.cited for r in section.rows) else [])]
        lines += ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in section.rows:
        cells = [md_literal(c) for c in row.cells]
        cited = refs(row.cited) if row.cited else ""
        if as_list:
            label = "".join(f"**{c}** " for c in cells[:row.strong])
            rest = cells[row.strong:]
            body = f"({rest[0]}): {' '.join(rest[1:])}" if row.strong and len(rest) > 1 else " ".join(rest)
            named = f" — _{md_literal(row.named)}_" if row.named else ""
            new = "**New** " if row.new else ""
            lines.append(f"- {_portion(row.portion)}{new}{label}{body}{' ' + cited if cited else ''}{named}")
        else:
            if row.new:
                cells[0] = f"**New** {cells[0]}"
            cells[0] = _portion(row.portion) + cells[0]
            lines.append("| " + " | ".join([*cells, *([cited] if cited else [])]) + " |")
    return lines


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

    document = docx.Document()
    _fill_docx(document, layout(brief), now)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    document.save(str(tmp))
    tmp.replace(path)


def _fill_docx(document: Any, shown: BriefLayout, now: datetime | None) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from assistant.text.printable import printable

    def clean(text: str) -> str:  # Word rejects control characters; show them as symbols
        return printable(" ".join(text.split()))

    notes = Notes()

    def refs(row: Row) -> str:
        return " ".join(f"[{notes.number(c)}]" for c in row.cited)

    if shown.marking:  # the banner at the top and bottom of every page
        for section in document.sections:
            for part in (section.header, section.footer):
                banner = part.paragraphs[0] if part.paragraphs else part.add_paragraph()
                banner.text = ""
                banner.alignment = WD_ALIGN_PARAGRAPH.CENTER
                banner.add_run(clean(shown.marking)).bold = True
    document.add_heading(clean(f"Briefing: {shown.topic}"), level=0)
    document.add_paragraph().add_run(PREPARED.format(stamp=_stamp(now))).italic = True
    for warning in shown.warnings:
        document.add_paragraph(clean(warning.text))
    for section in shown.sections:
        document.add_heading(section.title, level=1)
        if len(section.headers) == 1:
            for row in section.rows:
                point = document.add_paragraph(style="List Bullet")
                if row.portion:
                    point.add_run(f"{row.portion} ").bold = True
                if row.new:
                    point.add_run("New ").bold = True
                point.add_run(" ".join(filter(None, [clean(row.cells[0]), refs(row)])))
                if row.named:
                    point.add_run(f" — {clean(row.named)}").italic = True
        else:
            cited = any(r.cited for r in section.rows)
            _docx_table(document, [h.capitalize() for h in section.headers] + (["Where"] if cited else []),
                        [[_opening(row) + clean(c) if i == 0 else clean(c) for i, c in enumerate(row.cells)]
                         + ([refs(row)] if cited else []) for row in section.rows])
    if notes.cited:
        document.add_heading("References", level=1)
        for i, c in enumerate(notes.cited, 1):
            p = document.add_paragraph(f"{c.portion + ' ' if c.portion else ''}[{i}] {clean(_where(c))}: ")
            quote = p.add_run(f"“{clean(c.text)}”")
            quote.italic = True
            quote.font.size = Pt(10)
