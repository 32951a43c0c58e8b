"""Questions rephrased keep their answers (issue 25): evidence and refusals on the originals and
on each rule-made variant (``assistant.eval.rephrase``: British spelling, an instruction, a reordering),
on the seed's gated cases and on 60 questions of each dev set, default settings.

    python -m bench.robustness            (writes bench/results/robustness.json)

Per set and variant: the evidence rate (an annotated answer span inside a cited span), false
refusals, unanswerable cases refused, how many questions the rule changed, and how many cases
the variant lost (evidence found for the original, not for the variant) or gained.
"""

from __future__ import annotations

import json
from typing import Any

from bench.common import RESULTS, ROOT, machine

PER_SET = 60


def pick(cases: list[Any], n: int = PER_SET) -> list[Any]:
    """``n`` answerable questions with annotated evidence, spread evenly over the file."""
    usable = [c for c in cases if c.answerable and c.evidence and not c.follow_up_of and not c.hard]
    step = max(len(usable) // n, 1)
    return usable[::step][:n]


def compare(engine: Any, cases: list[Any]) -> dict[str, Any]:
    from assistant.eval.answers import run_eval
    from assistant.eval.rephrase import VARIANTS, variants_of

    rows: dict[str, Any] = {}
    base = run_eval(engine, cases)
    hit = {r.case.id: r.evidence_rank is not None for r in base.results}
    rows["original"] = _row(base, len(cases))
    for variant in VARIANTS:
        rephrased = variants_of(cases, variant)
        report = run_eval(engine, rephrased)
        row = _row(report, sum(a.question != b.question for a, b in zip(cases, rephrased, strict=True)))
        own = {r.case.id.rsplit("~", 1)[0]: r.evidence_rank is not None for r in report.results}
        row["lost"] = sorted(k for k in hit if hit[k] and not own.get(k, False) and _has_evidence(cases, k))
        row["gained"] = sorted(k for k in hit if not hit[k] and own.get(k, False))
        rows[variant] = row
    return rows


def _has_evidence(cases: list[Any], case_id: str) -> bool:
    return any(c.id == case_id and c.evidence and c.answerable for c in cases)


def _row(report: Any, changed: int) -> dict[str, Any]:
    g = report.gated
    return {"cases": len(report.results), "changed": changed, "evidence_rate": g.evidence_hit_rate,
            "false_refusals": g.false_refusals, "refusal_rate_unanswerable": g.refusal_rate,
            "median_chars": g.median_answer_chars}


def main() -> None:
    from assistant.answer.engine import Engine
    from assistant.eval.golden import load_golden
    from assistant.index.build import build_index
    from assistant.settings import Settings
    from bench.qa import SETS, engine_for

    result: dict[str, Any] = {"machine": machine()}
    work = ROOT / "bench" / "work" / "robustness-seed"
    settings = Settings.from_env({}, corpus_dir=ROOT / "corpus", index_dir=work / "index")
    seed = Engine(settings)
    build_index(settings, seed.embedder)
    result["seed"] = compare(seed, [c for c in load_golden(ROOT / "tests" / "golden" / "seed.yaml").questions
                                    if not c.hard])
    for name in SETS:
        if SETS[name].exists():
            result[name] = compare(engine_for(name), pick(load_golden(SETS[name] / "golden.yaml").questions))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "robustness.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
