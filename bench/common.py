"""Helpers shared by the benchmarks: timing, percentiles, memory, the machine, baseline worktrees."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BRIEFING = Path(sys.executable).parent / "briefing"


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb(field: str = "VmRSS") -> float:
    """Resident memory now. ``RssAnon`` is the process's own (heap, model, copied arrays);
    ``RssFile`` the pages of memory-mapped files it has read, which are the operating system's
    cache: shared, and dropped under memory pressure rather than swapped."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_parts() -> dict[str, float]:
    return {"rss_anon_mb": round(current_rss_mb("RssAnon")), "rss_file_mb": round(current_rss_mb("RssFile"))}


def cpu_model() -> str:
    import platform

    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def machine() -> dict[str, Any]:
    """Which machine measured a figure: ratios between pipelines differ from one CPU to another."""
    import os

    flags = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("flags"):
            flags = line
            break
    extensions = [f for f in ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8", "amx_bf16") if f" {f}" in flags]
    return {"cpu": cpu_model(), "cores": os.cpu_count(), "extensions": extensions}


def run_module(module: str, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``python -m module`` in a fresh process; it prints one JSON object last."""
    done = subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, cwd=ROOT, env=env)
    if done.returncode != 0:
        raise SystemExit(f"{module} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def baseline_tree(commit: str) -> Path | None:
    """A git worktree of ``commit`` under bench/work (made once, then reused), for steps that run
    an earlier version's code beside this one in the same run; None when git cannot make it."""
    tree = ROOT / "bench" / "work" / f"baseline-{commit}"
    if not tree.exists():
        made = subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), commit],
                              capture_output=True, text=True)
        if made.returncode != 0:
            print(f"baseline {commit} unavailable: {made.stderr.strip()}", file=sys.stderr)
            return None
    return tree
