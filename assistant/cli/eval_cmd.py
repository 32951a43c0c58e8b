"""``briefing eval``: run golden questions and brief cases, print figures, gate on thresholds."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.cli.context import state
from assistant.cli.options import a_value


def evaluate(
    ctx: typer.Context,
    golden: Annotated[Path, typer.Argument(help="Golden YAML file (questions and/or brief cases).")],
    json_out: Annotated[Optional[Path], typer.Option("--json", callback=a_value, help="Write the full report as JSON here.")] = None,  # noqa: UP045, E501
    markdown_out: Annotated[Optional[Path], typer.Option("--markdown", callback=a_value, help="Write a Markdown report here.")] = None,  # noqa: UP045, E501
    min_evidence: Annotated[Optional[float], typer.Option("--min-evidence", help="Fail below this evidence hit rate.")] = None,  # noqa: UP045, E501
    min_refusal: Annotated[Optional[float], typer.Option("--min-refusal", help="Fail below this refusal rate on unanswerable cases.")] = None,  # noqa: UP045, E501
    max_false_refusals: Annotated[Optional[int], typer.Option("--max-false-refusals", help="Fail above this many refused answerable cases.")] = None,  # noqa: UP045, E501
    min_hard_refusal: Annotated[Optional[float], typer.Option("--min-hard-refusal", help="Fail below this refusal rate on the hard (near-topic) unanswerable cases.")] = None,  # noqa: UP045, E501
    min_fact_recall: Annotated[Optional[float], typer.Option("--min-fact-recall", help="Briefs: fail below this share of expected facts carried.")] = None,  # noqa: UP045, E501
    min_date_recall: Annotated[Optional[float], typer.Option("--min-date-recall", help="Briefs: fail below this share of expected dates on the timeline.")] = None,  # noqa: UP045, E501
    min_not_covered: Annotated[Optional[float], typer.Option("--min-not-covered", help="Briefs: fail below this share of uncovered topics reported as such.")] = None,  # noqa: UP045, E501
    min_near_topic: Annotated[Optional[float], typer.Option("--min-near-topic", help="Briefs: fail below this share of near topics refused or warned about.")] = None,  # noqa: UP045, E501
    min_actor_accuracy: Annotated[Optional[float], typer.Option("--min-actor-accuracy", help="Briefs: fail below this share of labelled actors shown with the right kind.")] = None,  # noqa: UP045, E501
    max_dangling: Annotated[Optional[int], typer.Option("--max-dangling", help="Briefs: fail above this many key points leaning on a sentence not shown.")] = None,  # noqa: UP045, E501
    max_excluded: Annotated[Optional[int], typer.Option("--max-excluded", help="Briefs: fail above this many carried phrases a case excludes (another notice's facts).")] = None,  # noqa: UP045, E501
    min_verbatim: Annotated[Optional[float], typer.Option("--min-verbatim", help="Fail below this share of citations read back verbatim (answers and briefs).")] = None,  # noqa: UP045, E501
) -> None:
    """Score answers, citations, refusals and briefs; exit 1 when a threshold fails."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from assistant.cli.eval_report import print_brief_report, print_report
    from assistant.eval.answers import run_eval
    from assistant.eval.briefs import run_brief_eval
    from assistant.eval.gates import Thresholds, failures
    from assistant.eval.golden import load_golden
    from assistant.export.eval_report import write_markdown
    from assistant.export.json_output import eval_report_json

    golden_set = load_golden(golden)
    engine = state(ctx).engine()
    engine.warm()  # a missing or corrupt index fails here, before any work; latencies exclude loading
    err = Console(file=sys.stderr)
    total = len(golden_set.questions) + len(golden_set.briefs)
    with Progress(TextColumn("Evaluating"), BarColumn(), MofNCompleteColumn(), console=err,
                  transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("eval", total=total)
        report = run_eval(engine, golden_set.questions, on_case=lambda _r: progress.advance(task)) \
            if golden_set.questions else None
        briefs = run_brief_eval(engine, golden_set.briefs, on_case=lambda _r: progress.advance(task)) \
            if golden_set.briefs else None
    if report is not None:
        print_report(report)
    if briefs is not None:
        print_brief_report(briefs)
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(eval_report_json(report, briefs), indent=2, ensure_ascii=False),
                            encoding="utf-8")
    if markdown_out:
        markdown_out.parent.mkdir(parents=True, exist_ok=True)
        write_markdown(report, briefs, markdown_out)
    failed = failures(report, briefs, Thresholds(
        min_evidence=min_evidence, min_refusal=min_refusal, max_false_refusals=max_false_refusals,
        min_hard_refusal=min_hard_refusal, min_fact_recall=min_fact_recall, min_date_recall=min_date_recall,
        min_not_covered=min_not_covered, min_near_topic=min_near_topic, min_actor_accuracy=min_actor_accuracy,
        max_dangling=max_dangling, max_excluded=max_excluded, min_verbatim=min_verbatim))
    for line in failed:
        print(f"FAILED: {line}", file=sys.stderr)
    if failed:
        raise typer.Exit(1)
