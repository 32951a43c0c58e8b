"""An evaluation as figures: the rows of its tables, and the Markdown report ``--markdown`` writes."""

from __future__ import annotations

from pathlib import Path

from assistant.eval.answers import EvalReport, Summary
from assistant.eval.briefs import BriefReport

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


_BRIEF_ROWS = [
    ("fact recall", "fact_recall", "{:.3f}"),
    ("date recall", "date_recall", "{:.3f}"),
    ("not-covered rate (uncovered topics)", "not_covered_rate", "{:.3f}"),
    ("covered topics said not covered", "wrongly_not_covered", "{}"),
    ("near topics refused or warned", "near_topic_rate", "{:.3f}"),
    ("actor-kind accuracy (labelled)", "actor_kind_accuracy", "{:.3f}"),
    ("dangling key points", "dangling", "{}"),
    ("excluded phrases carried", "excluded", "{}"),
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
