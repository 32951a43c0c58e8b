"""Scoring briefs against golden brief cases: facts carried, dates on the timeline, topics the
corpus does not cover, and every span verbatim.

A fact counts when it appears (white space folded, case ignored) in a key point, a sentence
grouped under one, or a timeline statement: the brief's own text, not its actors. A date
counts when the timeline has a row with that normalised date ("2025-04-04", "2025-04", "2025").
A near topic (``covered: false`` or ``little``) counts when the brief refuses it or warns that
the corpus has little on it. A labelled actor counts when it is shown with its kind (one
labelled "not an actor" counts when it is not shown). A key point dangles when its first
sentence leans on one the reader is not shown (``key_points.stands_alone``).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from assistant.answer.engine import Engine
from assistant.brief.key_points import ends_open, stands_alone
from assistant.brief.make import Brief, make_brief
from assistant.eval import scoring
from assistant.eval.golden import NOT_AN_ACTOR, GoldenBrief
from assistant.retrieval.hybrid import Scope
from assistant.text.sentences import split_sentences


@dataclass
class BriefResult:
    case: GoldenBrief
    brief: Brief
    facts_found: list[bool]
    dates_found: list[bool]
    verbatim: list[bool]
    actors_right: list[bool]
    """One per labelled actor the brief shows, or labelled "not an actor": whether it is right."""
    dangling: int
    seconds: float
    passed: bool
    why: str
    excluded: tuple[str, ...] = ()
    """The case's ``excludes`` the brief carries (another notice's facts)."""


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
    near_topic_rate: float | None = None
    """Share of near topics (not covered, or covered in passing) refused or warned about."""
    actor_kind_accuracy: float | None = None
    """Share of labelled actors shown with the right kind (and labelled non-actors not shown)."""
    dangling: int = 0
    """Key points, over all briefs, whose first sentence leans on one not shown."""
    excluded: int = 0
    """Phrases carried that a case excludes (``excludes``: another notice's facts), over all briefs."""
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
    shown = {a.name: a.kind for a in brief.actors}
    actors = [(label, shown.get(label.name)) for label in case.actors
              if label.name in shown or label.kind == NOT_AN_ACTOR]
    actors_right = [kind == (None if label.kind == NOT_AN_ACTOR else label.kind) for label, kind in actors]
    dangling = dangling_points(brief)
    problems = []
    if not case.covered:
        if not brief.not_covered:
            problems.append("briefed a topic the corpus does not cover")
    elif case.little:
        if not brief.not_covered and not brief.thin:
            problems.append("gave a full brief on a topic the corpus touches only in passing")
    else:
        if brief.not_covered:
            problems.append("said a covered topic is not covered")
        missing = [f for f, ok in zip(case.facts, facts, strict=True) if not ok]
        if missing:
            problems.append(f"missing facts: {'; '.join(missing)}")
        absent = [d for d, ok in zip(case.dates, dates, strict=True) if not ok]
        if absent:
            problems.append(f"missing dates: {', '.join(absent)}")
    carried = [x for x in case.excludes if any(scoring.holds(t, x) for t in texts)]
    if carried:
        problems.append(f"carries what it must not: {'; '.join(carried)}")
    if not all(verbatim):
        problems.append("a citation is not verbatim")
    wrong = [f"{label.name} shown as {kind or 'nothing'}, labelled {label.kind}"
             for (label, kind), ok in zip(actors, actors_right, strict=True) if not ok]
    if wrong:
        problems.append(f"actors: {'; '.join(wrong)}")
    if dangling:
        problems.append(f"{dangling} key point(s) lean on a sentence not shown")
    return BriefResult(case, brief, facts, dates, verbatim, actors_right, dangling, seconds, not problems,
                       "; ".join(problems) or "ok", tuple(carried))


def dangling_points(brief: Brief) -> int:
    """Key points whose first sentence leans on one the reader is not shown, or that end by
    announcing what they do not hold ("…three pillars:")."""
    texts = [k.citation.text for k in brief.key_points]
    return sum(1 for i, text in enumerate(texts)
               if not stands_alone(first_sentence(text), brief.topic, texts[:i] + texts[i + 1:]) or ends_open(text))


def first_sentence(text: str) -> str:
    sentences = split_sentences(text)
    return text[sentences[0][0]:sentences[0][1]] if sentences else text


def summarize_briefs(results: list[BriefResult]) -> BriefSummary:
    s = BriefSummary(cases=len(results), passed=sum(r.passed for r in results))
    covered = [r for r in results if r.case.covered and not r.case.little]
    facts = [ok for r in covered for ok in r.facts_found]
    dates = [ok for r in covered for ok in r.dates_found]
    if facts:
        s.fact_recall = sum(facts) / len(facts)
    if dates:
        s.date_recall = sum(dates) / len(dates)
    absent = [r for r in results if not r.case.covered]
    if absent:
        s.not_covered_rate = sum(bool(r.brief.not_covered) for r in absent) / len(absent)
    s.wrongly_not_covered = sum(bool(r.brief.not_covered) for r in covered if not r.case.little)
    near = [r for r in results if r.case.near]
    if near:
        s.near_topic_rate = sum(bool(r.brief.not_covered or r.brief.thin) for r in near) / len(near)
    labelled = [ok for r in results for ok in r.actors_right]
    if labelled:
        s.actor_kind_accuracy = sum(labelled) / len(labelled)
    s.dangling = sum(r.dangling for r in results)
    s.excluded = sum(len(r.excluded) for r in results)
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
