"""Human-readable output for the CLI (rich tables and styled answers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from assistant.text.printable import printable

if TYPE_CHECKING:  # types only: `index status` must not import the build (numpy) or answers
    from assistant.brief.make import Brief
    from assistant.index.build import BuildReport
    from assistant.index.status import StatusReport
    from assistant.settings import Settings
    from assistant.types import Answer, Hit

console = Console(highlight=False)


def safe(text: str) -> str:
    """Document text is data: neutralise control characters (ANSI escapes) and Rich markup."""
    return escape(printable(text))


def print_build_report(report: BuildReport, settings: Settings) -> None:
    if report.full_reason:
        console.print(f"Full rebuild: {safe(report.full_reason)}")
    verb = "Index written" if report.wrote_index else "Index up to date"
    console.print(
        f"{verb} at {safe(str(settings.paths.index_dir))}: {report.added} added, {report.updated} updated, "
        f"{report.removed} removed, {report.unchanged} unchanged; {report.chunks_embedded} passages indexed "
        f"({report.texts_embedded} texts embedded, {report.total_chunks} passages in the index) "
        f"in {report.seconds:.1f}s."
    )
    if report.dense_recall is not None:
        console.print(f"Dense index: {report.dense_index}, recall@10 {report.dense_recall:.3f} against exact search.")
    for s in report.skipped:
        console.print(f"  skipped {safe(s.doc_id)}: {safe(s.reason)}")


def print_status(report: StatusReport) -> None:
    if report.index_error:
        console.print(f"Index: {safe(report.index_error)}")
    else:
        recall = f", recall@10 {report.dense_recall:.3f}" if report.dense_recall is not None else ""
        console.print(f"Index: {report.chunks} chunks, model {report.model_id}, built {report.built_at}; "
                      f"dense index {report.dense_index}{recall}")
    if report.full_rebuild:
        console.print(f"Full rebuild on the next build: {safe(report.full_rebuild)}")
    marked = report.clearance is not None
    table = Table("document", "state", "chunks", *(("marking", "marked by") if marked else ()), "title / reason")
    for d in report.documents:
        marks = (safe(d.marking or ""), safe(d.marked_by or "")) if marked else ()
        table.add_row(safe(d.doc_id), d.state, str(d.chunks or ""), *marks, safe(d.reason or d.title))
    console.print(table)
    if marked:
        console.print(f"Clearance: {safe(report.clearance or '')}; {report.withheld} document(s) above it withheld.")
    if report.low_confidence:
        console.print(f"{len(report.low_confidence)} page(s) read by OCR with low confidence (check them by eye):")
        for page in report.low_confidence:
            console.print(f"  {safe(page.doc_id)}, page {page.page}: confidence {page.confidence:.0f}")
    stale = report.stale
    if stale:
        console.print(f"{len(stale)} document(s) not in step with the index: run `briefing index build`.")


def print_answer(answer: Answer) -> None:
    if answer.marking:  # what a copy of it must carry, before anything is read
        console.print(f"[bold]{safe(answer.marking)}[/]")
    if answer.abstained:
        console.print(f"[bold yellow]{safe(answer.text)}[/]")
        if answer.nearest:
            console.print("[dim]Nearest material (not an answer):[/]")
            for hit in answer.nearest:
                console.print(f"[dim]  {safe(hit.chunk.doc_id)} [{hit.chunk.start}:{hit.chunk.end}] "
                              f"{safe(_clip(hit.chunk.text))}[/]")
        for note in answer.notes:
            console.print(f"[red]{safe(note)}[/]")
        return
    console.print(safe(answer.text))
    console.print()
    for c in answer.citations:
        page = f", {safe(c.where)}" if c.where else ""
        portion = f" {safe(c.portion)}" if c.portion else ""
        console.print(f"[bold cyan]\\[{c.n}][/]{portion} {safe(c.doc_id)} [{c.start}:{c.end}]{page}")


def print_hits(hits: list[Hit]) -> None:
    marked = any(h.marking for h in hits)
    table = Table("#", "score", "document", "span", *(("marking",) if marked else ()), "passage")
    for h in hits:
        table.add_row(str(h.rank), f"{h.score:.4f}", safe(h.chunk.doc_id), f"{h.chunk.start}:{h.chunk.end}",
                      *((safe(h.marking),) if marked else ()), safe(_clip(h.chunk.text, 120)))
    console.print(table)


def _clip(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def print_brief(brief: Brief) -> None:
    """The brief's layout (``export.brief_layout``) in the terminal: lists and tables, each row's
    sources as ``document:start``."""
    from assistant.export.brief_layout import layout

    shown = layout(brief)
    if shown.marking:
        console.print(f"[bold]{safe(shown.marking)}[/]")
    console.print(f"[bold]Briefing: {safe(shown.topic)}[/]")
    for warning in shown.warnings:
        console.print(f"[yellow]{safe(warning.text)}[/]")
    for section in shown.sections:
        if len(section.headers) == 1:
            console.print(f"\n[bold]{section.title}[/]")
            for row in section.rows:
                where = ", ".join(f"{c.doc_id}:{c.start}-{c.end}" for c in row.cited)
                where += f" — {row.named}" if row.named else ""
                new = "[bold green]New[/] " if row.new else ""
                portion = f"{safe(row.portion)} " if row.portion else ""
                console.print(f"• {portion}{new}{safe(row.cells[0])}" + (f" [dim]{safe(where)}[/]" if where else ""))
            continue
        table = Table(*section.headers, "source", title=section.title)
        for row in section.rows:
            table.add_row(*((f"{safe(row.portion)} " if row.portion and i == 0 else "")
                            + ("[bold green]New[/] " if row.new and i == 0 else "") + safe(_clip(c, 140))
                            for i, c in enumerate(row.cells)),
                          safe(", ".join(f"{c.doc_id}:{c.start}" for c in row.cited[:4])))
        console.print(table)
    if shown.marking:
        console.print(f"[bold]{safe(shown.marking)}[/]")

