"""``briefing eval``: run golden questions, print figures, gate on thresholds."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.cli.context import state


def evaluate(
    ctx: typer.Context,
    golden: Annotated[Path, typer.Argument(help="Golden-question YAML file.")],
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Write the full report as JSON here.")] = None,  # noqa: UP045, E501
    markdown_out: Annotated[Optional[Path], typer.Option("--markdown", help="Write a Markdown report here.")] = None,  # noqa: UP045, E501
    min_evidence: Annotated[Optional[float], typer.Option("--min-evidence", help="Fail below this evidence hit rate.")] = None,  # noqa: UP045, E501
    min_refusal: Annotated[Optional[float], typer.Option("--min-refusal", help="Fail below this refusal rate on unanswerable cases.")] = None,  # noqa: UP045, E501
    max_false_refusals: Annotated[Optional[int], typer.Option("--max-false-refusals", help="Fail above this many refused answerable cases.")] = None,  # noqa: UP045, E501
) -> None:
    """Score answers, citations and refusals; exit 1 when a threshold fails."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from assistant.cli.eval_report import failures, print_report, write_markdown
    from assistant.evaluation import run_eval
    from assistant.golden import load_golden

    cases = load_golden(golden)
    engine = state(ctx).engine()
    engine.warm()  # a missing or corrupt index fails here, before any work; latencies exclude loading
    err = Console(file=sys.stderr)
    with Progress(TextColumn("Evaluating"), BarColumn(), MofNCompleteColumn(), console=err,
                  transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("eval", total=len(cases))
        report = run_eval(engine, cases, on_case=lambda _r: progress.advance(task))
    print_report(report)
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        from assistant.json_output import eval_report_json

        json_out.write_text(json.dumps(eval_report_json(report), indent=2, ensure_ascii=False), encoding="utf-8")
    if markdown_out:
        markdown_out.parent.mkdir(parents=True, exist_ok=True)
        write_markdown(report, markdown_out)
    failed = failures(report.gated, min_evidence, min_refusal, max_false_refusals)
    for line in failed:
        print(f"FAILED: {line}", file=sys.stderr)
    if failed:
        raise typer.Exit(1)
