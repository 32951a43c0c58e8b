"""Scoring briefs against golden brief cases: facts carried, dates on the timeline, topics the
corpus does not cover, and every span verbatim.

A fact counts when it appears (white space folded, case ignored) in a key point, a sentence
grouped under one, or a timeline statement: the brief's own text, not its actors. A date
counts when the timeline has a row with that normalised date ("2025-04-04", "2025-04", "2025").
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from assistant.answer.engine import Engine
from assistant.brief.make import Brief, make_brief
from assistant.eval import scoring
from assistant.eval.golden import GoldenBrief
from assistant.retrieval.hybrid import Scope


@dataclass
class BriefResult:
    case: GoldenBrief
    brief: Brief
    facts_found: list[bool]
    dates_found: list[bool]
    verbatim: list[bool]
    seconds: float
    passed: bool
    why: str


@dataclass
class BriefSummary:
    cases: int = 0
    passed: int = 0
    fact_recall: float | None = None
    """Share of all expected facts (of covered topics) that the briefs carry."""
    date_recall: float | None = None
    not_covered_rate: float | None = None
    """Share of topics marked ``covered: false`` that the brief says are not covered."""
    wrongly_not_covered: int = 0
    citations_verbatim: float | None = None
    seconds_p50: float | None = None


@dataclass
class BriefReport:
    results: list[BriefResult]
    summary: BriefSummary


def score_brief(case: GoldenBrief, brief: Brief, source: Callable[[str], str | None], seconds: float) -> BriefResult:
    texts = [c.text for c in brief.citations()]
    facts = [any(scoring.holds(t, f) for t in texts) for f in case.facts]
    timeline = {t.date for t in brief.timeline}
    dates = [d in timeline for d in case.dates]
    verbatim = scoring.verbatim(brief.citations() + [c for a in brief.actors for c in a.citations], source)
    problems = []
    if not case.covered:
        if not brief.not_covered:
            problems.append("briefed a topic the corpus does not cover")
    else:
        if brief.not_covered:
            problems.append("said a covered topic is not covered")
        missing = [f for f, ok in zip(case.facts, facts, strict=True) if not ok]
        if missing:
            problems.append(f"missing facts: {'; '.join(missing)}")
        absent = [d for d, ok in zip(case.dates, dates, strict=True) if not ok]
        if absent:
            problems.append(f"missing dates: {', '.join(absent)}")
    if not all(verbatim):
        problems.append("a citation is not verbatim")
    return BriefResult(case, brief, facts, dates, verbatim, seconds, not problems, "; ".join(problems) or "ok")


def summarize_briefs(results: list[BriefResult]) -> BriefSummary:
    s = BriefSummary(cases=len(results), passed=sum(r.passed for r in results))
    covered = [r for r in results if r.case.covered]
    facts = [ok for r in covered for ok in r.facts_found]
    dates = [ok for r in covered for ok in r.dates_found]
    if facts:
        s.fact_recall = sum(facts) / len(facts)
    if dates:
        s.date_recall = sum(dates) / len(dates)
    absent = [r for r in results if not r.case.covered]
    if absent:
        s.not_covered_rate = sum(bool(r.brief.not_covered) for r in absent) / len(absent)
    s.wrongly_not_covered = sum(bool(r.brief.not_covered) for r in covered)
    checks = [ok for r in results for ok in r.verbatim]
    if checks:
        s.citations_verbatim = sum(checks) / len(checks)
    if results:
        s.seconds_p50 = statistics.median(r.seconds for r in results)
    return s


def run_brief_eval(engine: Engine, cases: list[GoldenBrief],
                   on_case: Callable[[BriefResult], None] | None = None) -> BriefReport:
    results = []
    for case in cases:
        started = time.perf_counter()
        brief = make_brief(engine, case.topic, Scope(case.scope), case.length)  # type: ignore[arg-type]
        result = score_brief(case, brief, engine.source_text, time.perf_counter() - started)
        results.append(result)
        if on_case:
            on_case(result)
    return BriefReport(results, summarize_briefs(results))
