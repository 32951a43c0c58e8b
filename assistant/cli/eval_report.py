"""Presenting an evaluation in the terminal: the tables (rows from ``export.eval_report``) and the
failed cases."""

from __future__ import annotations

from rich.table import Table

from assistant.cli.render import console, safe
from assistant.eval.answers import EvalReport
from assistant.eval.briefs import BriefReport
from assistant.export.eval_report import brief_rows, rows


def print_report(report: EvalReport) -> None:
    g, h = report.gated, report.hard
    table = Table("metric", f"gated ({g.cases} cases)", f"hard ({h.cases} cases)", title="Golden-question eval")
    for row in rows(report):
        table.add_row(*row)
    console.print(table)
    cal = report.calibration
    console.print(
        f"refusal threshold {report.threshold:.3f}; lowest answerable confidence "
        f"{_num(cal.get('answerable_min'))}, highest unanswerable {_num(cal.get('unanswerable_max'))}, "
        f"suggested {_num(cal.get('suggested_threshold'))}"
    )
    for r in report.results:
        if not r.passed:
            tag = " (hard)" if r.case.hard else ""
            console.print(f"[red]✗[/] {safe(r.case.id)}{tag}: {safe(r.why)}")
    console.print(f"{g.passed}/{g.cases} gated cases passed; {h.passed}/{h.cases} hard cases passed.")


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def print_brief_report(report: BriefReport) -> None:
    s = report.summary
    table = Table("metric", f"briefs ({s.cases} cases)", title="Golden-brief eval")
    for row in brief_rows(report):
        table.add_row(*row)
    console.print(table)
    for r in report.results:
        if not r.passed:
            console.print(f"[red]✗[/] {safe(r.case.id)}: {safe(r.why)}")
    console.print(f"{s.passed}/{s.cases} brief cases passed.")
