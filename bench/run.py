"""`make bench`: every performance figure of the project, written to bench/results/bench.json.

Targets are printed beside each figure; nothing here is a test (speed is never asserted).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench import golden, scifact
from bench.common import BRIEFING, RESULTS, ROOT, machine, run_module
from bench.qa import SETS

TARGETS = {
    "build_ratio": ("≥ 1.5× textbook chunks/s", lambda v: v >= 1.5),
    "hybrid_ndcg": ("≥ 0.726 nDCG@10, default settings", lambda v: v >= 0.726),
    "variant_loss": ("≤ 0.02 evidence lost by any rephrasing", lambda v: v <= 0.02),
    "variant_refusals": ("no false refusal a rephrasing adds", lambda v: v <= 0),
    "p50_5k": ("≤ 25 ms", lambda v: v <= 25),
    "p50_100k": ("≤ 50 ms", lambda v: v <= 50),
    "p95_ratio": ("p95 ≤ 2× p50", lambda v: v <= 2.0),
    "ask_cold": ("≤ 1 s", lambda v: v <= 1),
    "idle_cpu": ("≤ 1% of a core", lambda v: v <= 0.01),
    "rebuild_ratio": ("≤ 2× idle p50", lambda v: v <= 2.0),
    "ray_overhead": ("≤ 25% at 1 worker", lambda v: v <= 0.25),
    "status_cold": ("≤ 0.5 s", lambda v: v <= 0.5),
    "first_paint": ("≤ 1 s", lambda v: v <= 1),
    "peak_rss": ("≤ 1500 MB", lambda v: v <= 1500),
    "own_rss": ("reported (memory-mapped index)", lambda v: True),
    "ivf_recall": ("reported", lambda v: True),
    "soak_rss": ("≤ 50 MB growth", lambda v: v <= 50),
    "soak_drift": ("p95 drift ≤ 20%", lambda v: v <= 0.20),
    "brief_ratio": ("≥ 1.5× textbook facts at equal length", lambda v: v >= 1.5),
    "brief_on_topic": ("≥ 0.97 of key-point spans from the topic's article", lambda v: v >= 0.97),
    "brief_actors": ("≥ 0.9 of labelled actors of the right kind", lambda v: v >= 0.9),
    "brief_dangling": ("0 key points leaning on a sentence not shown", lambda v: v == 0),
    "brief_near": ("≥ 0.9 of near topics refused or warned", lambda v: v >= 0.9),
    "brief_5k_vs_before": ("≤ 1.5× the brief p50 before issue 28, same run", lambda v: v <= 1.5),
    "serve_overhead": ("≤ 5 ms p50 over in-process at 1 client", lambda v: v <= 5),
    "serve_rebuild_errors": ("0 errors in 2,000 requests through a rebuild", lambda v: v == 0),
    "watch_latency": ("≤ 5 s from a file's last write to its first answer", lambda v: v <= 5),
    "copy_builds": ("a few builds for 1,000 files copied at once (≤ 5)", lambda v: v <= 5),
    "brief_share": ("≥ the textbook's on-topic share", lambda v: v >= 0),
    "brief_seed_s": ("≤ 1 s warm", lambda v: v <= 1.0),
    "brief_5k_s": ("≤ 3 s warm", lambda v: v <= 3.0),
    "hostile_p95": ("asks answered under 500 idle + 50 slow-header connections: p95 ≤ 2× alone", lambda v: v <= 2.0),
    "hostile_errors": ("0 failed asks under that load", lambda v: v == 0),
    "hostile_fds": ("server's open files ≤ its connection cap (bounded by it, not by the attack)", lambda v: v <= 0),
    "hostile_over_cap": ("reported (connections closed as fast as they are reopened)", lambda v: True),
    "fuzz_passed": ("no 5xx, every error JSON, server alive (1 = passed)", lambda v: v == 1),
    "table_cells": ("≥ 0.95 of camelot's expected cells right", lambda v: v >= 0.95),
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


FUZZ_EXAMPLES = 5000


def fuzz() -> dict[str, object]:
    """``tests/test_server_fuzz.py`` at bench length (``make test`` sends a few hundred requests), with
    a new seed each run, which the result records so that a failure can be replayed."""
    import random

    seed = random.randrange(2**32)
    env = {**os.environ, "BRIEFING_FUZZ_EXAMPLES": str(FUZZ_EXAMPLES), "BRIEFING_FUZZ_SEED": str(seed)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-o", "addopts=", "-p", "no:cacheprovider",
                           "tests/test_server_fuzz.py"], capture_output=True, text=True, cwd=ROOT, env=env)
    tail = done.stdout.strip().splitlines()[-1:] or [done.stderr[-300:]]
    return {"examples": FUZZ_EXAMPLES, "seed": seed, "passed": done.returncode == 0,
            "seconds": round(time.perf_counter() - started, 1), "pytest": tail[0],
            "failure": None if done.returncode == 0 else done.stdout[-3000:]}


@dataclass(frozen=True)
class Step:
    """One benchmark step: what it measures, how long it takes here, how to run it."""

    name: str
    what: str
    cost: str
    """"minutes" or "long" (default steps), "optional" (run only when named)."""
    run: Callable[[], object]

    @property
    def default(self) -> bool:
        return self.cost != "optional"


def steps() -> dict[str, Step]:
    """Every registered step, in the order ``make bench`` runs the default ones."""
    env = {**os.environ, "BRIEFING_CORPUS": str(scifact.WORK / "corpus"),
           "BRIEFING_INDEX": str(scifact.WORK / "index")}
    queries = str(scifact.WORK / "queries.jsonl")
    index, corpus = str(scifact.WORK / "index"), str(scifact.WORK / "corpus")
    big = str(scifact.WORK.parent / "scale" / "index")
    listed = [
        Step("scifact", "BEIR SciFact nDCG@10 / Recall@100, both file layouts, default settings", "long",
             scifact.both_layouts),
        Step("throughput", "build chunks/s against the textbook pipeline, side by side", "minutes",
             lambda: run_module("bench.throughput", "--docs", "200", "--runs", "3")),
        Step("session_5k", "ask p50/p95 at 5k documents and a 1,000-question soak", "minutes",
             lambda: run_module("bench.session", index, corpus, queries)),
        Step("incremental", "one new document into the 5k index", "minutes", lambda: incremental(env)),
        Step("markings_5k", "ask p50 at 5k documents with a clearance filter in force beside none, same run",
             "minutes", lambda: run_module("bench.markings")),
        Step("serve", "ask over HTTP at 1/8/32 clients beside in-process, 2,000 requests through a rebuild, "
             "watch latency and builds per 1,000-file copy", "minutes",
             lambda: run_module("bench.serve", index, corpus, queries)),
        Step("hostile", "500 idle and 50 slow-header connections against serve while 8 clients ask: p95 beside "
             "the same asks alone, server memory and open files", "minutes", lambda: run_module("bench.hostile")),
        Step("fuzz", f"the server fuzzed with {FUZZ_EXAMPLES:,} generated requests (tests/test_server_fuzz.py)",
             "minutes", fuzz),
        Step("scale_build", "a 100k-chunk index built", "long",
             lambda: run_module("bench.scale", "build", index, big, "100000")),
        Step("scale_query", "ask p50/p95 and memory at 100k chunks", "minutes",
             lambda: run_module("bench.scale", "query", big, queries, corpus)),
        Step("cold_start", "cold `ask`, `index status` and TUI first paint", "minutes",
             lambda: run_module("bench.coldstart", index, corpus, env=env)),
        Step("idle", "idle TUI CPU, and ask latency during a TUI rebuild", "minutes",
             lambda: run_module("bench.idle", str(SETS["covidqa"] / "corpus"))),
        Step("ray_overhead", "a Ray build against a local one", "minutes",
             lambda: run_module("bench.ray_overhead", "--docs", "200", "--runs", "3")),
        Step("briefs", "covidqa-dev briefs: facts against the textbook at equal length", "minutes",
             lambda: run_module("bench.briefs")),
        Step("qa_dev", "covidqa-dev and policyqa-dev answers, refusals, where answers are lost", "minutes",
             lambda: run_module("bench.qa")),
        Step("robustness", "questions rephrased three ways keep their answers", "minutes",
             lambda: run_module("bench.robustness")),
        Step("formats", "scanned PDFs, Office files, e-mail and mbox read and built", "minutes",
             lambda: run_module("bench.formats")),
        Step("golden", "the seed golden gates, reports refreshed in bench/results (make test writes reports/)",
             "minutes", golden.main),
        Step("realdocs", "the real-document set (issue 34): Briefing's eval beside the textbook pipeline "
             "(pypdf, splitter 1000/200, the bundled model, FAISS), per question", "minutes",
             lambda: run_module("bench.realdocs")),
        Step("tables", "PDF tables against camelot's expected cells (and ICDAR 2013's, from the camelot mirror): "
             "Briefing beside the other readers", "minutes",
             lambda: run_module("bench.tables", "--icdar")),
        Step("layout", "PDF reading order, paragraphs and headings against docling's ground truth, readers side "
             "by side; fragments and furniture among citable sentences of the real PDFs, before and after",
             "minutes", lambda: run_module("bench.layout")),
        Step("candidates", "the quality guards of every configuration the default was chosen from (~30 min)",
             "optional", lambda: run_module("bench.candidates")),
        Step("ivfpq", "the IVF-PQ tier over 10 million synthetic vectors (~13 min, 16 GB of disk)", "optional",
             lambda: run_module("bench.ivfpq", "--millions", "10", "--queries", "100")),
        Step("ivfpq_real", "the IVF-PQ tier on SciFact's real vectors, beside exact search (after scifact)",
             "optional", lambda: run_module("bench.ivfpq_real")),
    ]
    return {step.name: step for step in listed}


def stamp() -> dict[str, object]:
    """Which machine and which commit measured a figure."""
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True,
                           cwd=ROOT).stdout.strip()
    commit = done.stdout.strip() if done.returncode == 0 else "unknown"
    return {**machine(), "commit": commit + ("+changes" if dirty else "")}


def run_steps(names: list[str]) -> dict[str, object]:
    """Run the named steps (the default ones when none are named), saving after each: its own
    ``bench/results/<step>.json``, stamped, and the collected ``bench/results/bench.json``."""
    scifact.require()
    registry = steps()
    unknown = [n for n in names if n not in registry]
    if unknown:
        raise SystemExit(f"unknown step(s): {', '.join(unknown)} (python -m bench list)")
    chosen = names or [n for n, step in registry.items() if step.default]
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "bench.json"
    results: dict[str, object] = json.loads(out.read_text()) if out.exists() else {}
    started = time.perf_counter()
    results["machine"] = machine()
    for name in chosen:
        print(f"{name}…", flush=True)
        step_started = time.perf_counter()
        result = registry[name].run()
        measured_by = stamp()
        if isinstance(result, dict):  # bench.json's own "machine" is the last run's: each step keeps its own
            result.setdefault("measured_by", measured_by)
        results[name] = result
        seconds = round(time.perf_counter() - step_started, 1)
        results.setdefault("step_seconds", {})[name] = seconds  # type: ignore[index]
        own = {"step": name, "measured_by": measured_by, "seconds": seconds, "result": results[name]}
        (RESULTS / f"step-{name}.json").write_text(json.dumps(own, indent=2) + "\n", encoding="utf-8")
        out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if not names:
        results["bench_seconds"] = round(time.perf_counter() - started, 1)
        out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return results


def main() -> None:
    """``python -m bench.run [STEP...]``, kept for ``python -m bench run``'s older spelling."""
    import sys

    results = run_steps(sys.argv[1:])
    print(json.dumps(results, indent=2))
    summary(results)


def summary(r: dict[str, object]) -> None:
    get = lambda *path: _dig(r, path)  # noqa: E731
    rows = [
        ("build_ratio", "build throughput ratio, default", get("throughput", "default", "ratio")),
        ("build_ratio", "build throughput ratio, fp32-passages (previous default)",
         get("throughput", "fp32-passages", "ratio")),
        ("build_ratio", "build throughput ratio, fp32-sentences", get("throughput", "fp32-sentences", "ratio")),
        ("build_ratio", "build throughput ratio, int8-passages", get("throughput", "int8-passages", "ratio")),
        ("hybrid_ndcg", "SciFact hybrid nDCG@10, title then text", get("scifact", "hybrid", "ndcg@10")),
        ("hybrid_ndcg", "SciFact hybrid nDCG@10, title, blank line, text",
         get("scifact", "paragraph_layout", "hybrid", "ndcg@10")),
        ("variant_loss", "rephrased questions: largest evidence loss (seed, covidqa-dev, policyqa-dev)",
         _variant_worst(r, "evidence_rate")),
        ("variant_refusals", "rephrased questions: most false refusals added", _variant_worst(r, "false_refusals")),
        ("p50_5k", "ask p50 at 5k docs (ms)", get("session_5k", "p50_ms")),
        ("p95_ratio", "ask p95 / p50 at 5k docs", _ratio(r, "session_5k")),
        ("p50_100k", "ask p50 at 100k chunks (ms)", get("scale_query", "p50_ms")),
        ("p95_ratio", "ask p95 / p50 at 100k chunks", _ratio(r, "scale_query")),
        ("ask_cold", "cold `briefing ask` (s)", get("cold_start", "ask_s")),
        ("status_cold", "cold `briefing index status` (s)", get("cold_start", "status_s")),
        ("first_paint", "TUI first paint (s)", get("cold_start", "tui_first_paint_s")),
        ("peak_rss", "peak RSS, 100k query session (MB)", get("scale_query", "query_peak_rss_mb")),
        ("peak_rss", "peak RSS, 100k build (MB)", get("scale_build", "build_peak_rss_mb")),
        ("own_rss", "query session's own memory (RssAnon), 17k / 100k chunks (MB)",
         _pair(get("session_5k", "rss_anon_mb"), get("scale_query", "query_rss_anon_mb"))),
        ("ivf_recall", "IVF-PQ recall@10, SciFact's 17k passages (sentence queries)",
         get("ivfpq_real", "ivfpq", "recall@10_sentence_queries")),
        ("ivf_recall", "SciFact hybrid nDCG@10, IVF-PQ / exact", _pair(get("ivfpq_real", "ndcg@10", "hybrid", "ivfpq"),
                                                                     get("ivfpq_real", "ndcg@10", "hybrid", "exact"))),
        ("ivf_recall", "IVF-PQ recall@10, 10M synthetic vectors, re-scored / codes only",
         _pair(get("ivfpq", "rescored", "recall@10"), get("ivfpq", "codes_only", "recall@10"))),
        ("idle_cpu", "idle TUI, CPU share of one core over 30 s", get("idle", "idle_cpu_share")),
        ("rebuild_ratio", "ask p50 during a TUI rebuild / idle", get("idle", "ratio")),
        ("ray_overhead", "Ray build, 1 replica vs a 1-thread local build: overhead",
         get("ray_overhead", "overhead_1_worker_vs_local_1_thread")),
        ("soak_rss", "soak RSS growth (MB)", get("session_5k", "soak_rss_growth_mb")),
        ("soak_drift", "soak p95 drift", get("session_5k", "soak_p95_drift")),
        ("serve_overhead", "ask over HTTP, 1 client: p50 minus in-process p50 (ms)",
         get("serve", "overhead_1_client_p50_ms")),
        ("serve_rebuild_errors", "ask over HTTP, 8 clients through a rebuild: errors in 2,000",
         get("serve", "under_rebuild", "errors")),
        ("watch_latency", "watched corpus: a new file's last write to its first answer, median (s)",
         get("serve", "watch", "write_to_answer_median_s")),
        ("copy_builds", "watched corpus: builds caused by copying 1,000 files",
         get("serve", "watch", "copy_1000_builds")),
        ("brief_ratio", "covidqa-dev briefs: facts vs textbook at equal length (×)", get("briefs", "ratio")),
        ("brief_share", "covidqa-dev briefs: on-topic share minus the textbook's", _share_gap(r)),
        ("brief_on_topic", "covidqa-dev briefs: on-topic share of key-point spans",
         get("briefs", "brief_on_topic_share")),
        ("brief_actors", "covidqa-dev briefs: actor-kind accuracy (labelled list)",
         get("briefs", "actor_kind_accuracy")),
        ("brief_dangling", "covidqa-dev briefs: dangling key points", get("briefs", "dangling")),
        ("brief_near", "covidqa-dev near topics refused or warned", get("briefs", "near_topic_rate")),
        ("brief_5k_vs_before", "brief p50 at 5k documents / before issue 28",
         get("briefs", "brief_5k_p50_vs_baseline")),
        ("brief_seed_s", "brief, seed corpus, warm p50 (s)", get("briefs", "seed_brief_p50_s")),
        ("brief_5k_s", "brief, 5k documents, warm p50 (s)", get("briefs", "scifact_5k_brief_p50_s")),
        ("hostile_p95", "ask p95 under 500 idle + 50 slow-header connections / alone, 8 clients",
         get("hostile", "p95_ratio")),
        ("hostile_errors", "failed asks under that load", get("hostile", "under_attack", "errors")),
        ("hostile_fds", "server's open files at most under that load, minus its connection cap",
         get("hostile", "open_files_over_cap")),
        ("hostile_over_cap", "the same with a cap below the attack (256): p95 / alone",
         get("hostile", "cap_256", "p95_ratio")),
        ("hostile_over_cap", "failed asks with a cap below the attack", get("hostile", "cap_256", "under_attack",
                                                                             "errors")),
        ("fuzz_passed", f"server fuzzed with {FUZZ_EXAMPLES:,} generated requests",
         _flag(get("fuzz", "passed"))),
        ("table_cells", "PDF tables: camelot's expected cells right", get("tables", "cells_right", "briefing", "all")),
    ]
    print("\n| figure | measured | target | met |\n|---|---|---|---|")
    for key, label, value in rows:
        text, ok = TARGETS[key]
        if value is None:
            print(f"| {label} | not run | {text} | — |")
            continue
        met = "—" if isinstance(value, str) else ("yes" if isinstance(value, (int, float)) and ok(value) else "no")
        print(f"| {label} | {value} | {text} | {met} |")


def _flag(value: object) -> int | None:
    return None if value is None else int(bool(value))


def _variant_worst(r: dict[str, object], figure: str) -> float | None:
    """The worst change any rephrasing makes to ``figure`` against the question as written:
    evidence lost, or false refusals added (``bench.robustness``)."""
    sets = _dig(r, ("robustness",))
    if not isinstance(sets, dict):
        return None
    worst = 0.0
    for name, rows in sets.items():
        if name == "machine" or not isinstance(rows, dict):
            continue
        base = _dig(rows, ("original", figure))
        for variant, row in rows.items():
            value = _dig(row, (figure,))
            if variant == "original" or not isinstance(base, (int, float)) or not isinstance(value, (int, float)):
                continue
            change = base - value if figure == "evidence_rate" else value - base
            worst = max(worst, change)
    return round(worst, 4)


def _pair(a: object, b: object) -> str | None:
    return None if a is None or b is None else f"{a} / {b}"


def _share_gap(r: dict[str, object]) -> float | None:
    ours, theirs = _dig(r, ("briefs", "brief_on_topic_share")), _dig(r, ("briefs", "textbook_on_topic_share"))
    if isinstance(ours, float) and isinstance(theirs, float):
        return round(ours - theirs, 4)
    return None


def _ratio(r: dict[str, object], step: str) -> float | None:
    p50, p95 = _dig(r, (step, "p50_ms")), _dig(r, (step, "p95_ms"))
    if isinstance(p50, float) and isinstance(p95, float) and p50 > 0:
        return round(p95 / p50, 2)
    return None


def _dig(data: object, path: tuple[str, ...]) -> object:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


if __name__ == "__main__":
    main()
