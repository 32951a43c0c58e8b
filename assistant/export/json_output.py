"""Every JSON shape Briefing prints or reports, in one place, so a schema is read in one file.

These are the documented outputs (``ask --json``, ``search --json``, ``index build --json``,
``index status --json``, ``brief --json``, ``eval --json``). What the index and a conversation
file store is persistence, owned by ``store`` and ``conversation``. Types are imported for
checking only: ``index status --json`` must not load the build's numpy.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.brief.make import Brief
    from assistant.eval.answers import CaseResult, EvalReport, Summary
    from assistant.eval.briefs import BriefReport
    from assistant.index.build import BuildReport
    from assistant.index.status import StatusReport
    from assistant.types import Answer, Citation, Hit

Json = dict[str, Any]


def dumps(data: Json) -> str:
    """One line, text as written (no \\u escapes)."""
    return json.dumps(data, ensure_ascii=False)


def citation_json(c: Citation, numbered: bool = True) -> Json:
    data: Json = {"n": c.n} if numbered else {}
    data.update(doc=c.doc_id, start=c.start, end=c.end, text=c.text, score=round(c.score, 4))
    if c.page is not None:
        data["page"] = c.page
    if c.place is not None:
        data["location"] = c.place
    if c.section is not None:
        data["section"] = c.section
    if c.marking:
        data["marking"] = c.marking
    return data


def answer_json(answer: Answer) -> Json:
    data: Json = {
        "question": answer.question,
        "answer": answer.text,
        "abstained": answer.abstained,
        "citations": [citation_json(c) for c in answer.citations],
        "notes": list(answer.notes),
        "latency_ms": round(answer.latency_ms, 2),
    }
    if answer.abstained and answer.nearest:
        data["nearest"] = [{"doc": h.chunk.doc_id, "start": h.chunk.start, "end": h.chunk.end, "text": h.chunk.text}
                           for h in answer.nearest]
    if answer.marking:
        data["marking"] = answer.marking
    return data


def hit_json(hit: Hit) -> Json:
    c = hit.chunk
    data: Json = {"rank": hit.rank, "doc": c.doc_id, "start": c.start, "end": c.end, "text": c.text,
                  "score": round(hit.score, 6)}
    if hit.marking:
        data["marking"] = hit.marking
    return data


def build_report_json(report: BuildReport) -> Json:
    return {
        "added": report.added,
        "updated": report.updated,
        "removed": report.removed,
        "unchanged": report.unchanged,
        "chunks_embedded": report.chunks_embedded,
        "texts_embedded": report.texts_embedded,
        "dense_index": report.dense_index,
        "dense_recall_at_10": report.dense_recall,
        "seconds": round(report.seconds, 3),
        "skipped": [{"doc": s.doc_id, "reason": s.reason} for s in report.skipped],
    }


def status_json(report: StatusReport) -> Json:
    return {
        "model": report.model_id,
        "chunks": report.chunks,
        "built_at": report.built_at,
        "dense_index": report.dense_index,
        "dense_recall_at_10": report.dense_recall,
        "index_error": report.index_error,
        "full_rebuild": report.full_rebuild,
        "documents": [{"doc": d.doc_id, "state": d.state, "reason": d.reason, "title": d.title, "chunks": d.chunks,
                       **({"marking": d.marking, "marked_by": d.marked_by} if report.clearance else {})}
                      for d in report.documents],
        **({"clearance": report.clearance, "withheld": report.withheld} if report.clearance else {}),
        "low_confidence_pages": [{"doc": p.doc_id, "page": p.page, "confidence": p.confidence}
                                 for p in report.low_confidence],
    }


def brief_json(brief: Brief) -> Json:
    """``brief --json``: the brief's layout (``export.brief_layout``), section by section."""
    from assistant.export.brief_layout import layout

    shown = layout(brief)
    out: Json = {"topic": shown.topic}
    rows = {s.key: [_with_citations(r.data) for r in s.rows] for s in shown.sections}
    out.update({key: rows.get(key, []) for key in shown.all_keys})
    warnings = {w.key: w.text for w in shown.warnings}
    out.update(not_covered=warnings.get("not_covered"), thin=warnings.get("thin"))
    if brief.new_since is not None:
        out.update(new_since=brief.new_since, new_note=warnings.get("new_since"))
    if brief.marking:
        out["marking"] = brief.marking
    return out


def _with_citations(data: Json) -> Json:
    from assistant.types import Citation

    def shape(value: Any) -> Any:
        if isinstance(value, Citation):
            return citation_json(value, numbered=False)
        if isinstance(value, list):
            return [shape(v) for v in value]
        return value

    return {k: shape(v) for k, v in data.items()}

def _summary_json(summary: Summary) -> Json:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in vars(summary).items()}


def _case_json(result: CaseResult) -> Json:
    a = result.answer
    return {
        "id": result.case.id,
        "question": result.case.question,
        "answer": a.text,
        "abstained": a.abstained,
        "citations": [{"n": c.n, "doc": c.doc_id, "start": c.start, "end": c.end, "text": c.text}
                      for c in a.citations],
        "latency_ms": round(a.latency_ms, 2),
        "confidence": round(a.confidence, 4),
        "hard": result.case.hard,
        "answerable": result.case.answerable,
        "passed": result.passed,
        "why": result.why,
    }


def eval_report_json(report: EvalReport | None, briefs: BriefReport | None = None) -> Json:
    out: Json = {}
    if report is not None:
        summary = _summary_json(report.gated)
        summary["hard"] = _summary_json(report.hard)
        summary["refusal_threshold"] = report.threshold
        summary["calibration"] = report.calibration
        out.update(summary=summary, cases=[_case_json(r) for r in report.results])
    if briefs is not None:
        out["briefs"] = {
            "summary": {k: (round(v, 4) if isinstance(v, float) else v) for k, v in vars(briefs.summary).items()},
            "cases": [{"id": r.case.id, "topic": r.case.topic, "passed": r.passed, "why": r.why,
                       "facts_found": r.facts_found, "dates_found": r.dates_found,
                       "not_covered": r.brief.not_covered, "thin": r.brief.thin, "seconds": round(r.seconds, 3),
                       "dangling": r.dangling, "excluded": list(r.excluded),
                       "key_points": [" ".join(k.citation.text.split()) for k in r.brief.key_points],
                       "actors": [{"name": a.name, "kind": a.kind} for a in r.brief.actors]}
                      for r in briefs.results],
        }
    return out
