"""Presenting an evaluation: the terminal table, the Markdown report and the gate."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from assistant.brief_eval import BriefReport, BriefSummary
from assistant.cli.render import console, safe
from assistant.evaluation import EvalReport, Summary

_ROWS = [
    ("evidence hit rate", "evidence_hit_rate", "{:.3f}"),
    ("MRR (first evidence citation)", "mrr", "{:.3f}"),
    ("must_include rate", "must_include_rate", "{:.3f}"),
    ("sources rate", "sources_rate", "{:.3f}"),
    ("refusal rate (unanswerable)", "refusal_rate", "{:.3f}"),
    ("false refusals", "false_refusals", "{}"),
    ("median answer chars", "median_answer_chars", "{:.0f}"),
    ("citations verbatim", "citations_verbatim", "{:.3f}"),
    ("latency p50 ms", "latency_p50_ms", "{:.1f}"),
    ("latency p95 ms", "latency_p95_ms", "{:.1f}"),
]


def _fmt(summary: Summary, key: str, pattern: str) -> str:
    value = getattr(summary, key)
    return "n/a" if value is None else pattern.format(value)


def rows(report: EvalReport) -> list[tuple[str, str, str]]:
    return [(label, _fmt(report.gated, key, p), _fmt(report.hard, key, p)) for label, key, p in _ROWS]


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


_BRIEF_ROWS = [
    ("fact recall", "fact_recall", "{:.3f}"),
    ("date recall", "date_recall", "{:.3f}"),
    ("not-covered rate (uncovered topics)", "not_covered_rate", "{:.3f}"),
    ("covered topics said not covered", "wrongly_not_covered", "{}"),
    ("citations verbatim", "citations_verbatim", "{:.3f}"),
    ("brief p50 seconds", "seconds_p50", "{:.2f}"),
]


def brief_rows(report: BriefReport) -> list[tuple[str, str]]:
    s = report.summary
    out = []
    for label, key, pattern in _BRIEF_ROWS:
        value = getattr(s, key)
        out.append((label, "n/a" if value is None else pattern.format(value)))
    return out


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


def write_markdown(report: EvalReport | None, briefs: BriefReport | None, path: Path) -> None:
    lines: list[str] = []
    if report is not None:
        lines += ["# Golden-question eval", "", "| metric | gated | hard |", "|---|---|---|"]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in rows(report)]
        lines += ["", f"Refusal threshold: {report.threshold:.3f}. Calibration: {report.calibration}", "",
                  "| case | passed | why | answer |", "|---|---|---|---|"]
        for r in report.results:
            answer = r.answer.text.replace("|", "\\|").replace("\n", " ")
            lines.append(f"| {r.case.id}{' (hard)' if r.case.hard else ''} | {'yes' if r.passed else 'no'} | "
                         f"{r.why} | {answer} |")
        lines.append("")
    if briefs is not None:
        lines += ["# Golden-brief eval", "", "| metric | value |", "|---|---|"]
        lines += [f"| {a} | {b} |" for a, b in brief_rows(briefs)]
        lines += ["", "| case | passed | why |", "|---|---|---|"]
        lines += [f"| {r.case.id} | {'yes' if r.passed else 'no'} | {r.why.replace('|', '/')} |"
                  for r in briefs.results]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def below(name: str, value: float | None, minimum: float | None, flag: str) -> list[str]:
    """The one gate rule: a figure below its threshold fails, and so does a threshold that no
    case of the file measures (an empty or mistaken golden file must not pass a gate)."""
    if minimum is None:
        return []
    if value is None:
        return [f"{name}: no case measures it ({flag} {minimum} asked)"]
    return [] if value >= minimum else [f"{name} {value:.3f} < {flag} {minimum}"]


def brief_failures(s: BriefSummary, min_fact_recall: float | None, min_date_recall: float | None,
                   min_not_covered: float | None, min_verbatim: float | None) -> list[str]:
    return (below("brief fact recall", s.fact_recall, min_fact_recall, "--min-fact-recall")
            + below("brief date recall", s.date_recall, min_date_recall, "--min-date-recall")
            + below("brief not-covered rate", s.not_covered_rate, min_not_covered, "--min-not-covered")
            + below("brief citations verbatim", s.citations_verbatim, min_verbatim, "--min-verbatim"))


def failures(s: Summary, min_evidence: float | None, min_refusal: float | None,
             max_false_refusals: int | None, min_verbatim: float | None = None) -> list[str]:
    out = below("citations verbatim", s.citations_verbatim, min_verbatim, "--min-verbatim")
    out += below("evidence hit rate", s.evidence_hit_rate, min_evidence, "--min-evidence")
    out += below("refusal rate", s.refusal_rate, min_refusal, "--min-refusal")
    if max_false_refusals is not None and s.false_refusals > max_false_refusals:
        out.append(f"false refusals {s.false_refusals} > --max-false-refusals {max_false_refusals}")
    return out
