"""Scoring an engine against golden questions: answers, citations and refusals."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.answer.conversation import Conversation
from assistant.answer.engine import Engine
from assistant.eval import scoring
from assistant.eval.golden import GoldenCase, conversation_order
from assistant.retrieval.hybrid import Scope
from assistant.types import Answer


@dataclass
class CaseResult:
    case: GoldenCase
    answer: Answer
    passed: bool
    why: str
    evidence_rank: int | None
    verbatim: list[bool]


def score_case(case: GoldenCase, answer: Answer, source: Callable[[str], str | None]) -> CaseResult:
    verbatim = scoring.verbatim(answer.citations, source)
    problems: list[str] = []
    rank = None
    if not case.answerable:
        if not answer.abstained:
            problems.append("answered an unanswerable question")
    elif answer.abstained:
        problems.append("refused an answerable question")
    else:
        if case.evidence:
            for c in answer.citations:
                if any(scoring.holds(c.text, e) for e in case.evidence):
                    rank = c.n
                    break
            if rank is None:
                problems.append("no cited span contains the evidence")
        missing = [m for m in case.must_include if not scoring.holds(answer.text, m)]
        if missing:
            problems.append(f"answer lacks {', '.join(missing)}")
        if case.sources and not any(s in c.doc_id for c in answer.citations for s in case.sources):
            problems.append("no citation from the expected sources")
    if not all(verbatim):
        problems.append("a citation is not verbatim")
    return CaseResult(case, answer, not problems, "; ".join(problems) or "ok", rank, verbatim)


@dataclass
class Summary:
    cases: int = 0
    answerable: int = 0
    unanswerable: int = 0
    passed: int = 0
    evidence_hit_rate: float | None = None
    mrr: float | None = None
    must_include_rate: float | None = None
    sources_rate: float | None = None
    refusal_rate: float | None = None
    false_refusals: int = 0
    median_answer_chars: float | None = None
    citations_verbatim: float | None = None
    latency_p50_ms: float | None = None
    latency_p95_ms: float | None = None


def summarize(results: list[CaseResult]) -> Summary:
    s = Summary(cases=len(results), passed=sum(r.passed for r in results))
    answerable = [r for r in results if r.case.answerable]
    refusable = [r for r in results if not r.case.answerable]
    s.answerable, s.unanswerable = len(answerable), len(refusable)
    with_evidence = [r for r in answerable if r.case.evidence]
    if with_evidence:
        s.evidence_hit_rate = sum(r.evidence_rank is not None for r in with_evidence) / len(with_evidence)
        s.mrr = sum(1 / r.evidence_rank for r in with_evidence if r.evidence_rank) / len(with_evidence)
    with_must = [r for r in answerable if r.case.must_include]
    if with_must:
        s.must_include_rate = sum("answer lacks" not in r.why for r in with_must) / len(with_must)
    with_sources = [r for r in answerable if r.case.sources]
    if with_sources:
        s.sources_rate = sum("expected sources" not in r.why for r in with_sources) / len(with_sources)
    if refusable:
        s.refusal_rate = sum(r.answer.abstained for r in refusable) / len(refusable)
    s.false_refusals = sum(r.answer.abstained for r in answerable)
    lengths = [len(r.answer.text) for r in answerable if not r.answer.abstained]
    if lengths:
        s.median_answer_chars = float(statistics.median(lengths))
    checks = [ok for r in results for ok in r.verbatim]
    if checks:
        s.citations_verbatim = sum(checks) / len(checks)
    latencies = sorted(r.answer.latency_ms for r in results)
    if latencies:
        s.latency_p50_ms = percentile(latencies, 50)
        s.latency_p95_ms = percentile(latencies, 95)
    return s


def percentile(values: list[float], p: float) -> float:
    """Linear interpolation between the closest ranks, in any order of ``values``."""
    values = sorted(values)
    if len(values) == 1:
        return values[0]
    pos = (len(values) - 1) * p / 100
    lo = int(pos)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (pos - lo)


@dataclass
class EvalReport:
    results: list[CaseResult]
    gated: Summary
    hard: Summary
    threshold: float
    calibration: dict[str, float | None] = field(default_factory=dict)


def calibrate(results: list[CaseResult]) -> dict[str, float | None]:
    """Where the refusal threshold could sit: between refused off-topic and answered on-topic confidence."""
    gated = [r for r in results if not r.case.hard]
    ans = sorted(r.answer.confidence for r in gated if r.case.answerable)
    off = sorted(r.answer.confidence for r in gated if not r.case.answerable)
    lowest_answerable = ans[0] if ans else None
    second_lowest = ans[1] if len(ans) > 1 else lowest_answerable
    highest_off = off[-1] if off else None
    suggested = None
    if second_lowest is not None and highest_off is not None and second_lowest > highest_off:
        suggested = round((second_lowest + highest_off) / 2, 4)
    return {"answerable_min": lowest_answerable, "answerable_second_min": second_lowest,
            "unanswerable_max": highest_off, "suggested_threshold": suggested}


def run_eval(
    engine: Engine,
    cases: list[GoldenCase],
    on_case: Callable[[CaseResult], None] | None = None,
) -> EvalReport:
    by_id: dict[str, CaseResult] = {}
    for group in conversation_order(cases):
        conversation = Conversation()
        for case in group:
            answer = engine.ask(case.question, conversation, Scope(case.scope))
            result = score_case(case, answer, engine.source_text)
            by_id[case.id] = result
            if on_case:
                on_case(result)
    results = [by_id[c.id] for c in cases]
    return EvalReport(
        results=results,
        gated=summarize([r for r in results if not r.case.hard]),
        hard=summarize([r for r in results if r.case.hard]),
        threshold=engine.settings.answers.refusal_threshold,
        calibration=calibrate(results),
    )
