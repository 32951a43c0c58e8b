"""``briefing index build|status`` and ``briefing show``."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from assistant.cli.context import state
from assistant.cli.options import ray_address

if TYPE_CHECKING:
    from assistant.index.build import IndexBuild
    from assistant.index.cluster.job import ClusterJob


def build(
    ctx: typer.Context,
    full: Annotated[bool, typer.Option("--full", help="Re-embed everything, not only what changed.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object (the summary).")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when any file was skipped.")] = False,
    ray_address: Annotated[Optional[str], typer.Option("--ray", metavar="ADDRESS", callback=ray_address, help="Build on a Ray cluster: local (start one here), auto (join the one running here) or host:port.")] = None,  # noqa: UP045, E501
) -> None:
    """Build or refresh the index: only new and changed documents are embedded."""
    from assistant.cli.progress import run_build
    from assistant.index.build import IndexBuild

    cli = state(ctx)
    s = cli.settings
    address = ray_address or s.cluster.ray_address
    job: IndexBuild | ClusterJob
    if address:
        from assistant.index.cluster.job import ClusterJob

        job = ClusterJob(s, address, full=full)  # Ray runs in a child process, never in this one
    else:
        job = IndexBuild(s, cli.embedder(), full=full)
    run_build(job, quiet=as_json)
    report = job.report
    for warning in report.warnings:
        print(f"warning: {warning.doc_id}: {warning.reason}", file=sys.stderr)
    if as_json:
        from assistant.export.json_output import build_report_json, dumps

        print(dumps(build_report_json(report)))
    else:
        from assistant.cli.render import print_build_report

        print_build_report(report, s)
    if strict and report.skipped:
        raise typer.Exit(1)


def status(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Show each document's state: indexed, new, changed, removed or skipped (no model is loaded)."""
    from assistant.cli.status_shortcut import show_status

    show_status(state(ctx).settings, as_json)


def show(
    ctx: typer.Context,
    doc: Annotated[str, typer.Argument(help="Document id (path relative to the corpus).")],
    start: Annotated[Optional[int], typer.Option("--start", help="First character offset.")] = None,  # noqa: UP045
    end: Annotated[Optional[int], typer.Option("--end", help="End offset (exclusive).")] = None,  # noqa: UP045
) -> None:
    """Print a document's indexed text (or the span start:end), the frame citations point into.

    Control characters are shown as visible symbols (one for one, so offsets still line up)."""
    from assistant.errors import QuestionError
    from assistant.index.document_text import indexed_text
    from assistant.text.printable import printable

    text = indexed_text(state(ctx).settings, doc)
    a = 0 if start is None else start
    b = len(text) if end is None else end
    if not 0 <= a <= b <= len(text):
        raise QuestionError(f"span {a}:{b} is outside {doc} (length {len(text)})")
    span = printable(text[a:b])
    sys.stdout.write(span + ("\n" if not span.endswith("\n") else ""))
