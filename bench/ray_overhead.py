"""What a Ray build costs over a local one, on the same documents, in one run.

    python -m bench.ray_overhead [--docs N] [--runs R]      (prints one JSON object; a `make bench` step)

Builds of the same SciFact documents (full rebuilds, default settings, titles prefixed), runs
alternating: local with the model on both cores, local with one thread, and on a local Ray
cluster with 1 and 2 model replicas (one thread each). On two cores the point is overhead, so
one replica is compared with the one-thread local build; every Ray build starts its replicas
(the model shipped through the object store, a session per replica), as a real one does.
The last arm is the command itself, `briefing index build --ray auto` with one replica: it also
pays for its driver process (interpreter, imports, joining the cluster), a fixed cost per build
reported in seconds beside the rates.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import machine
from bench.throughput import subset


def main() -> None:
    import ray

    from assistant.embedders import embedder_for
    from assistant.index.build import IndexBuild, run_build
    from assistant.index.cluster.ray_build import cluster_build
    from assistant.settings import Settings

    parser = argparse.ArgumentParser(prog="python -m bench.ray_overhead", description=__doc__)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    n_docs, runs = args.docs, args.runs
    work = Path(tempfile.mkdtemp(prefix="briefing-ray-bench-"))
    try:
        corpus = work / "corpus"
        corpus.mkdir()
        for doc_id, text in subset(n_docs):
            (corpus / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        base = Settings.from_env({}, corpus_dir=corpus, index_dir=work / "index")
        both, one = embedder_for(base), embedder_for(base, threads=1)
        both.embed(["warm up"])
        one.embed(["warm up"])
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
        arms = {
            "local_2_threads": lambda: IndexBuild(base, both, full=True),
            "local_1_thread": lambda: IndexBuild(base, one, full=True),
            "ray_1_worker": lambda: cluster_build(base.replace(ray_workers=1), both, "auto", full=True),
            "ray_2_workers": lambda: cluster_build(base.replace(ray_workers=2), both, "auto", full=True),
        }
        rates: dict[str, list[float]] = {arm: [] for arm in [*arms, "ray_1_worker_cli"]}
        seconds: dict[str, list[float]] = {arm: [] for arm in rates}
        command = [str(Path(sys.executable).parent / "briefing"), "index", "build", "--full", "--json", "--ray", "auto"]
        env = {**os.environ, "BRIEFING_CORPUS": str(corpus), "BRIEFING_INDEX": str(work / "index-cli"),
               "BRIEFING_RAY_WORKERS": "1"}
        for _ in range(runs):
            for arm, make in arms.items():
                job = make()
                started = time.perf_counter()
                run_build(job)
                seconds[arm].append(time.perf_counter() - started)
                rates[arm].append(job.report.chunks_embedded / seconds[arm][-1])
            started = time.perf_counter()
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
            wall = time.perf_counter() - started
            seconds["ray_1_worker_cli"].append(wall)
            rates["ray_1_worker_cli"].append(json.loads(done.stdout)["chunks_embedded"] / wall)
        ray.shutdown()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    median = {arm: round(statistics.median(r), 1) for arm, r in rates.items()}
    print(json.dumps({
        "machine": machine(), "documents": n_docs, "runs": runs, "chunks_per_s": median,
        "overhead_1_worker_vs_local_1_thread": round(1 - median["ray_1_worker"] / median["local_1_thread"], 3),
        "overhead_2_workers_vs_local_2_threads": round(1 - median["ray_2_workers"] / median["local_2_threads"], 3),
        "overhead_1_worker_cli_vs_local_1_thread": round(1 - median["ray_1_worker_cli"] / median["local_1_thread"], 3),
        "cli_fixed_cost_s": round(statistics.median(seconds["ray_1_worker_cli"])
                                  - statistics.median(seconds["ray_1_worker"]), 1),
    }))


if __name__ == "__main__":
    main()
