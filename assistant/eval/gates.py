"""The gates CI applies to an evaluation: one rule for every threshold.

A figure below its threshold fails, and so does a threshold that no case of the golden file
measures: an empty or mistaken golden file must not pass a gate.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.eval.answers import EvalReport
from assistant.eval.briefs import BriefReport


@dataclass(frozen=True)
class Thresholds:
    """What ``briefing eval`` was asked to hold; ``None`` asks nothing of that figure."""

    min_evidence: float | None = None
    """Share of answerable gated cases whose answer cites the annotated evidence."""
    min_refusal: float | None = None
    """Share of unanswerable gated cases refused."""
    max_false_refusals: int | None = None
    """Answerable gated cases refused, at most."""
    min_hard_refusal: float | None = None
    """Share of the hard (near-topic) unanswerable cases refused."""
    min_fact_recall: float | None = None
    """Briefs: share of expected facts carried."""
    min_date_recall: float | None = None
    """Briefs: share of expected dates on the timeline."""
    min_not_covered: float | None = None
    """Briefs: share of uncovered topics reported as not covered."""
    min_verbatim: float | None = None
    """Share of citations read back verbatim from their sources (answers and briefs)."""
    min_near_topic: float | None = None
    """Briefs: share of near topics (not covered, or only in passing) refused or warned about."""
    min_actor_accuracy: float | None = None
    """Briefs: share of labelled actors shown with the right kind."""
    max_dangling: int | None = None
    """Briefs: key points whose first sentence leans on one not shown, at most."""
    max_excluded: int | None = None
    """Briefs: phrases carried that a case excludes (another notice's facts), at most."""


def below(name: str, value: float | None, minimum: float | None, flag: str) -> list[str]:
    """The one gate rule, for every ``--min-…`` flag."""
    if minimum is None:
        return []
    if value is None:
        return [f"{name}: no case measures it ({flag} {minimum} asked)"]
    return [] if value >= minimum else [f"{name} {value:.3f} < {flag} {minimum}"]


def failures(report: EvalReport | None, briefs: BriefReport | None, t: Thresholds) -> list[str]:
    """Every gate that fails, one line each; an empty list passes."""
    out: list[str] = []
    if report is not None:
        s = report.gated
        out += below("citations verbatim", s.citations_verbatim, t.min_verbatim, "--min-verbatim")
        out += below("evidence hit rate", s.evidence_hit_rate, t.min_evidence, "--min-evidence")
        out += below("refusal rate", s.refusal_rate, t.min_refusal, "--min-refusal")
        if t.max_false_refusals is not None and s.false_refusals > t.max_false_refusals:
            out.append(f"false refusals {s.false_refusals} > --max-false-refusals {t.max_false_refusals}")
        out += below("hard refusal rate", report.hard.refusal_rate, t.min_hard_refusal, "--min-hard-refusal")
    if briefs is not None:
        b = briefs.summary
        out += below("brief fact recall", b.fact_recall, t.min_fact_recall, "--min-fact-recall")
        out += below("brief date recall", b.date_recall, t.min_date_recall, "--min-date-recall")
        out += below("brief not-covered rate", b.not_covered_rate, t.min_not_covered, "--min-not-covered")
        out += below("brief near-topic rate", b.near_topic_rate, t.min_near_topic, "--min-near-topic")
        out += below("actor-kind accuracy", b.actor_kind_accuracy, t.min_actor_accuracy, "--min-actor-accuracy")
        if t.max_dangling is not None and b.dangling > t.max_dangling:
            out.append(f"dangling key points {b.dangling} > --max-dangling {t.max_dangling}")
        if t.max_excluded is not None and b.excluded > t.max_excluded:
            out.append(f"excluded phrases carried {b.excluded} > --max-excluded {t.max_excluded}")
        out += below("brief citations verbatim", b.citations_verbatim, t.min_verbatim, "--min-verbatim")
    return out
