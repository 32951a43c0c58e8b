"""`make bench`: every performance figure of the project, written to bench/results/bench.json.

Targets are printed beside each figure; nothing here is a test (speed is never asserted).
"""

from __future__ import annotations

import json
import os
import subprocess
import time

from bench import scifact
from bench.common import BRIEFING, RESULTS, ROOT, run_module

TARGETS = {
    "build_ratio": ("≥ 1.5× textbook chunks/s", lambda v: v >= 1.5),
    "hybrid_ndcg": ("≥ 0.725 nDCG@10", lambda v: v >= 0.725),
    "int8_drop": ("≤ 0.005 below fp32", lambda v: v <= 0.005),
    "p50_5k": ("≤ 25 ms", lambda v: v <= 25),
    "p50_100k": ("≤ 50 ms", lambda v: v <= 50),
    "ask_cold": ("≤ 4 s", lambda v: v <= 4),
    "status_cold": ("≤ 0.5 s", lambda v: v <= 0.5),
    "first_paint": ("≤ 1 s", lambda v: v <= 1),
    "peak_rss": ("≤ 1500 MB", lambda v: v <= 1500),
    "soak_rss": ("≤ 50 MB growth", lambda v: v <= 50),
    "soak_drift": ("p95 drift ≤ 20%", lambda v: v <= 0.20),
    "brief_ratio": ("≥ 1.0× textbook facts at equal length", lambda v: v >= 1.0),
    "brief_share": ("≥ the textbook's on-topic share", lambda v: v >= 0),
    "brief_seed_s": ("≤ 1 s warm", lambda v: v <= 1.0),
    "brief_5k_s": ("≤ 3 s warm", lambda v: v <= 3.0),
}


def incremental(env: dict[str, str]) -> dict[str, object]:
    """One new document into the SciFact index: the build should cost that document, not the corpus."""
    extra = scifact.WORK / "corpus" / "zz-bench-new-document.txt"
    extra.write_text("A new abstract about insulin signalling in adipose tissue.\nIt reports a trial.\n")
    try:
        started = time.perf_counter()
        done = subprocess.run([str(BRIEFING), "index", "build", "--json"], capture_output=True, text=True, env=env,
                              cwd=ROOT, check=True)
        wall = time.perf_counter() - started
        report = json.loads(done.stdout)
    finally:
        extra.unlink()
        subprocess.run([str(BRIEFING), "index", "build", "--json"], capture_output=True, env=env, cwd=ROOT)
    return {"wall_s": round(wall, 2), "build_s": report["seconds"], "added": report["added"],
            "chunks_embedded": report["chunks_embedded"], "unchanged": report["unchanged"]}


def main() -> None:
    """Run every step (or those named on the command line), saving after each one."""
    import sys

    scifact.require()
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "bench.json"
    results: dict[str, object] = json.loads(out.read_text()) if out.exists() else {}
    env = {**os.environ, "BRIEFING_CORPUS": str(scifact.WORK / "corpus"),
           "BRIEFING_INDEX": str(scifact.WORK / "index"), "BRIEFING_TITLE_PREFIX": "1"}
    queries = str(scifact.WORK / "queries.jsonl")
    index, corpus = str(scifact.WORK / "index"), str(scifact.WORK / "corpus")
    big = str(scifact.WORK.parent / "scale" / "index")
    steps = {
        "scifact": lambda: scifact.run({"BRIEFING_TITLE_PREFIX": "1"}),
        "throughput": lambda: run_module("bench.throughput", "200", "3", "onnx", "onnx-int8"),
        "session_5k": lambda: run_module("bench.session", index, corpus, queries),
        "incremental": lambda: incremental(env),
        "scale_build": lambda: run_module("bench.scale", "build", index, big, "100000"),
        "scale_query": lambda: run_module("bench.scale", "query", big, queries, corpus),
        "cold_start": lambda: run_module("bench.coldstart", index, corpus, env=env),
        "briefs": lambda: run_module("bench.briefs"),
        "qa_dev": lambda: run_module("bench.qa"),
    }
    # Not in the default run (it re-embeds SciFact, ~7 min): the int8 backend's retrieval quality.
    # Sentence vectors precomputed (BRIEFING_SENTENCE_VECTORS): its build (~15 min) and latency.
    sv_index = str(scifact.WORK.parent / "scifact-sv" / "index")
    optional = {
        "scifact_int8": lambda: scifact.run({
            "BRIEFING_TITLE_PREFIX": "1", "BRIEFING_EMBEDDER": "onnx-int8",
            "BRIEFING_INDEX": str(scifact.WORK.parent / "scifact-int8" / "index")}),
        "scifact_sv": lambda: scifact.run({"BRIEFING_TITLE_PREFIX": "1", "BRIEFING_SENTENCE_VECTORS": "1",
                                           "BRIEFING_INDEX": sv_index}),
        "session_5k_sv": lambda: run_module("bench.session", sv_index, corpus, queries),
        "scale_build_sv": lambda: run_module("bench.scale", "build", sv_index, big + "-sv", "100000"),
        "scale_query_sv": lambda: run_module("bench.scale", "query", big + "-sv", queries, corpus),
    }
    chosen = sys.argv[1:] or list(steps)
    steps.update(optional)
    started = time.perf_counter()
    for name in chosen:
        print(f"{name}…", flush=True)
        step_started = time.perf_counter()
        results[name] = steps[name]()
        results.setdefault("step_seconds", {})[name] = round(time.perf_counter() - step_started, 1)  # type: ignore[index]
        out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if not sys.argv[1:]:
        results["bench_seconds"] = round(time.perf_counter() - started, 1)
        out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    summary(results)


def summary(r: dict[str, object]) -> None:
    get = lambda *path: _dig(r, path)  # noqa: E731
    rows = [
        ("build_ratio", "build throughput ratio, onnx fp32 (default)", get("throughput", "onnx", "ratio")),
        ("build_ratio", "build throughput ratio, onnx-int8", get("throughput", "onnx-int8", "ratio")),
        ("hybrid_ndcg", "SciFact hybrid nDCG@10", get("scifact", "hybrid", "ndcg@10")),
        ("int8_drop", "SciFact hybrid nDCG@10 drop, onnx-int8", _drop(r)),
        ("p50_5k", "ask p50 at 5k docs (ms)", get("session_5k", "p50_ms")),
        ("p50_5k", "ask p50 at 5k docs, sentence vectors precomputed (ms)", get("session_5k_sv", "p50_ms")),
        ("p50_100k", "ask p50 at 100k chunks (ms)", get("scale_query", "p50_ms")),
        ("p50_100k", "ask p50 at 100k chunks, sentence vectors precomputed (ms)", get("scale_query_sv", "p50_ms")),
        ("ask_cold", "cold `briefing ask` (s)", get("cold_start", "ask_s")),
        ("status_cold", "cold `briefing index status` (s)", get("cold_start", "status_s")),
        ("first_paint", "TUI first paint (s)", get("cold_start", "tui_first_paint_s")),
        ("peak_rss", "peak RSS, 100k query session (MB)", get("scale_query", "query_peak_rss_mb")),
        ("peak_rss", "peak RSS, 100k build (MB)", get("scale_build", "build_peak_rss_mb")),
        ("peak_rss", "peak RSS, 100k query session, sentence vectors (MB)", get("scale_query_sv", "query_peak_rss_mb")),
        ("peak_rss", "peak RSS, 100k build, sentence vectors (MB)", get("scale_build_sv", "build_peak_rss_mb")),
        ("soak_rss", "soak RSS growth (MB)", get("session_5k", "soak_rss_growth_mb")),
        ("soak_drift", "soak p95 drift", get("session_5k", "soak_p95_drift")),
        ("brief_ratio", "covidqa-dev briefs: facts vs textbook at equal length (×)", get("briefs", "ratio")),
        ("brief_share", "covidqa-dev briefs: on-topic share minus the textbook's", _share_gap(r)),
        ("brief_seed_s", "brief, seed corpus, warm p50 (s)", get("briefs", "seed_brief_p50_s")),
        ("brief_5k_s", "brief, 5k documents, warm p50 (s)", get("briefs", "scifact_5k_brief_p50_s")),
    ]
    print("\n| figure | measured | target | met |\n|---|---|---|---|")
    for key, label, value in rows:
        text, ok = TARGETS[key]
        if value is None:
            print(f"| {label} | not run | {text} | — |")
            continue
        print(f"| {label} | {value} | {text} | {'yes' if isinstance(value, (int, float)) and ok(value) else 'no'} |")


def _share_gap(r: dict[str, object]) -> float | None:
    ours, theirs = _dig(r, ("briefs", "brief_on_topic_share")), _dig(r, ("briefs", "textbook_on_topic_share"))
    if isinstance(ours, float) and isinstance(theirs, float):
        return round(ours - theirs, 4)
    return None


def _drop(r: dict[str, object]) -> float | None:
    fp32, int8 = _dig(r, ("scifact", "hybrid", "ndcg@10")), _dig(r, ("scifact_int8", "hybrid", "ndcg@10"))
    if isinstance(fp32, float) and isinstance(int8, float):
        return round(fp32 - int8, 4)
    return None


def _dig(data: object, path: tuple[str, ...]) -> object:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


if __name__ == "__main__":
    main()
