"""Answers on real corpora: covidqa-dev and policyqa-dev through `briefing eval`'s scorer and the
textbook pipeline, in the same run, with the diagnostics that say where an answer is lost.

    python -m bench.qa [covidqa] [policyqa] [--limit N]    (writes bench/results/qa-dev.json)

For each dev set: evidence rate (an annotated answer span inside a cited span), false refusals
and median answer length; the textbook pipeline (LangChain splitter + the bundled model +
cosine, respecting each question's scope) with its top-1 and top-3 chunks as the answer, at
500 and 1,000 characters; and the stage diagnostics: the gold inside the first 1/3/10 retrieved
passages, and inside the first 1/3 ranked sentences. On the same corpus, the project's own
questions it does not answer (``bench/golden/<set>-unanswerable.yaml``: off-topic and near-topic)
give how many are refused.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import time
from typing import Any

from bench.answer_quality import quality
from bench.common import RESULTS, ROOT, machine
from bench.datasets import DEV_SETS
from bench.textbook import Textbook

SETS = DEV_SETS


def _contains(texts: list[str], evidence: tuple[str, ...]) -> bool:
    from assistant.eval.scoring import holds

    return any(holds(t, e) for t in texts for e in evidence)


def engine_for(name: str) -> Any:
    """An engine, default settings, over the dev set's corpus (copied under bench/work/, indexed)."""
    from assistant.answer.engine import Engine
    from assistant.index.build import build_index
    from assistant.settings import Settings

    work = ROOT / "bench" / "work" / name
    if not (work / "corpus").exists():
        shutil.copytree(SETS[name] / "corpus", work / "corpus")
    settings = Settings.from_env({}, corpus_dir=work / "corpus", index_dir=work / "index")
    engine = Engine(settings)
    build_index(settings, engine.embedder)
    engine.warm()
    return engine


def run_set(name: str, limit: int | None) -> dict[str, Any]:
    from assistant.eval.answers import run_eval
    from assistant.eval.golden import load_golden
    from assistant.retrieval.hybrid import Scope

    source = SETS[name]
    engine = engine_for(name)
    settings = engine.settings
    work = settings.paths.corpus_dir.parent
    cases = load_golden(source / "golden.yaml").questions[:limit]
    started = time.perf_counter()
    report = run_eval(engine, cases)
    seconds = time.perf_counter() - started
    answerable = [c for c in cases if c.answerable and c.evidence]
    passage_at = {1: 0, 3: 0, 10: 0}
    sentence_at = {1: 0, 3: 0}
    engine.snapshot()  # load the index before the timed loop
    for case in answerable:
        ranked = engine.ranked(case.question, Scope(case.scope), 10)
        for k in passage_at:
            passage_at[k] += _contains([h.chunk.text for h in ranked.hits[:k]], case.evidence)
        for k in sentence_at:
            sentence_at[k] += _contains([s.candidate.text for s in ranked.scored[:k]], case.evidence)
    textbook: dict[str, Any] = {}
    for size in (500, 1000):
        tb = Textbook(settings.paths.corpus_dir, engine.embedder, size, work)
        for k in (1, 3):
            hits, chars = 0, []
            for case in answerable:
                top = [piece.text for piece in tb.top(case.question, k, case.scope)]
                hits += _contains(top, case.evidence)
                chars.append(sum(len(t) for t in top))
            textbook[f"{size}_top{k}"] = {"evidence_rate": round(hits / len(answerable), 4),
                                          "median_chars": statistics.median(chars)}
    g = report.gated
    n = len(answerable)
    unanswerable = run_eval(engine, load_golden(ROOT / "bench" / "golden" / f"{name}-unanswerable.yaml").questions)
    refused: dict[str, list[bool]] = {}
    for r in unanswerable.results:  # ids start with the kind: "off-…" or "near-…"
        refused.setdefault(r.case.id.split("-", 1)[0], []).append(r.answer.abstained)
    return {
        "questions": len(cases),
        "briefing": {"evidence_rate": g.evidence_hit_rate, "false_refusals": g.false_refusals,
                     "false_refusal_rate": round(g.false_refusals / max(g.answerable, 1), 4),
                     "median_chars": g.median_answer_chars, "latency_p50_ms": g.latency_p50_ms,
                     "seconds": round(seconds, 1)},
        "gold_in_passage": {f"@{k}": round(v / n, 4) for k, v in passage_at.items()},
        "gold_in_sentence": {f"@{k}": round(v / n, 4) for k, v in sentence_at.items()},
        "textbook": textbook,
        "answer_quality": quality(report.results),
        "unanswerable_refused": {kind: f"{sum(v)}/{len(v)}" for kind, v in refused.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.qa", description=__doc__)
    parser.add_argument("sets", nargs="*", choices=[[], *SETS], metavar="SET", help=f"dev sets ({', '.join(SETS)})")
    parser.add_argument("--limit", type=int, help="only the first N questions of each (nothing is written)")
    args = parser.parse_args()
    names, limit = args.sets or list(SETS), args.limit
    missing = [n for n in names if not SETS[n].exists()]
    if missing:
        raise SystemExit(f"dev sets not found: {', '.join(str(SETS[n]) for n in missing)}")
    result: dict[str, Any] = {"machine": machine()}
    for name in names:
        result[name] = run_set(name, limit)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "qa-dev.json"
    previous = json.loads(out.read_text()) if out.exists() and limit is None else {}
    previous.update(result)
    if limit is None:
        out.write_text(json.dumps(previous, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
