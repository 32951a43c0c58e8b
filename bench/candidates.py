"""The four quality guards for each configuration the default was chosen from, side by side.

    python -m bench.candidates [CONFIG...]     (writes bench/results/candidates.json)

For each configuration of ``bench.throughput.CONFIGS``: the seed golden set (evidence, false
refusals, off-topic refusals), covidqa-dev and policyqa-dev (evidence, false refusals, median
answer length) and SciFact (BM25, dense and hybrid nDCG@10). Each configuration builds its own
indexes under bench/work/candidates/ (git-ignored); a configuration is acceptable when every
guard is within 0.01 of the previous default's ("fp32-passages") and the seed gates hold. Build
speed is measured by ``bench.throughput``, in one run beside the textbook pipeline.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from typing import Any

from bench import scifact
from bench.common import RESULTS, ROOT, machine
from bench.qa import SETS
from bench.throughput import CONFIGS

WORK = ROOT / "bench" / "work" / "candidates"
GUARDS = {"seed": (ROOT / "corpus", ROOT / "tests" / "golden" / "seed.yaml"),
          **{name: (ROOT / "bench" / "work" / name / "corpus", path / "golden.yaml") for name, path in SETS.items()}}


def question_guards(config: dict[str, str], name: str) -> dict[str, Any]:
    from assistant.answer.engine import Engine
    from assistant.eval.answers import run_eval
    from assistant.eval.golden import load_golden
    from assistant.index.build import build_index
    from assistant.settings import Settings

    corpus, golden = GUARDS[name]
    if not corpus.exists():
        shutil.copytree(SETS[name] / "corpus", corpus)
    index = WORK / "-".join(config.values() or ["default"]) / name
    settings = Settings.from_env({}, corpus_dir=corpus, index_dir=index, **config)  # type: ignore[arg-type]
    engine = Engine(settings)
    started = time.perf_counter()
    build_index(settings, engine.embedder)
    build_s = time.perf_counter() - started
    engine.warm()
    g = run_eval(engine, load_golden(golden).questions).gated
    return {"evidence_rate": g.evidence_hit_rate, "false_refusals": g.false_refusals,
            "refusal_rate": g.refusal_rate, "median_chars": g.median_answer_chars,
            "latency_p50_ms": g.latency_p50_ms, "build_s": round(build_s, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.candidates", description=__doc__)
    parser.add_argument("configs", nargs="*", choices=[[], *CONFIGS], metavar="CONFIG",
                        help=f"configurations to measure (default: all of {', '.join(CONFIGS)})")
    names = parser.parse_args().configs or list(CONFIGS)
    out = RESULTS / "candidates.json"
    results: dict[str, Any] = json.loads(out.read_text()) if out.exists() else {}
    results["machine"] = machine()
    for name in names:
        config = CONFIGS[name]
        row: dict[str, Any] = {"settings": config}
        for guard in GUARDS:
            row[guard] = question_guards(config, guard)
            print(name, guard, row[guard], flush=True)
        env = {f"BRIEFING_{k.upper()}": v for k, v in config.items()}
        index = WORK / "-".join(config.values() or ["default"]) / "scifact"
        sci = scifact.run({**env, "BRIEFING_INDEX": str(index)})
        row["scifact"] = {arm: sci[arm]["ndcg@10"] for arm in ("bm25", "dense", "hybrid")}  # type: ignore[index]
        row["scifact"]["build_wall_seconds"] = sci["build_wall_seconds"]
        print(name, "scifact", row["scifact"], flush=True)
        results[name] = row
        RESULTS.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({name: results[name] for name in names}))


if __name__ == "__main__":
    main()
