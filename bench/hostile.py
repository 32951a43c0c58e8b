"""``briefing serve`` under connections that hold it without asking: ``python -m bench.hostile``.

A real ``briefing serve --no-watch`` (the bundled model) over the seed corpus. Eight clients ask the
seed's questions twice in one run: once alone (the baseline), then while a second process holds
500 idle connections and 50 clients that send their headers a byte a second, each reopened as
soon as the server closes it. Reported: the asks' p50 and p95 and errors in each phase, the
server's memory (RSS) and open files at their highest during each phase, and what the attack saw
(connections the server closed, 408 answers). All of it twice: with the default settings, and
with ``BRIEFING_SERVE_MAX_CONNECTIONS`` below the attack's size (``OVER_CAP``). Prints one JSON
object last.

The attacker may hold more connections than the process may open files: its soft RLIMIT_NOFILE is
raised to what it needs (within the hard limit) only when it is lower, and the result says so.
The server's limit is left as it is.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import yaml

from bench.common import BRIEFING, ROOT, machine

SEED = ROOT / "corpus" / "us-china-ai-power-struggle.txt"
QUESTIONS = ROOT / "tests" / "golden" / "seed.yaml"
OVER_CAP = 256
"""A connection cap below the attack's 550 connections, for the second run."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


class _Sampler:
    """The server's RSS and open files, sampled every 0.2 s; the highest of each since reset."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.rss_mb = 0.0
        self.fds = 0
        self._stop = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def reset(self) -> None:
        self.rss_mb, self.fds = 0.0, 0

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            try:
                for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        self.rss_mb = max(self.rss_mb, int(line.split()[1]) / 1024)
                self.fds = max(self.fds, len(os.listdir(f"/proc/{self.pid}/fd")))
            except OSError:
                return

    def close(self) -> None:
        self._stop.set()


def _ask(url: str, questions: list[str], clients: int, total: int) -> dict[str, Any]:
    import httpx

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(total))

    def client() -> None:
        with httpx.Client(timeout=120) as http:
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                started = time.perf_counter()
                try:
                    r = http.post(url + "/v1/ask", json={"question": questions[i % len(questions)]})
                    failed = None if r.status_code == 200 else f"{r.status_code} {r.text[:200]}"
                except httpx.HTTPError as exc:
                    failed = f"{type(exc).__name__}: {exc}"
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    if failed:
                        errors.append(failed)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {"clients": clients, "requests": total, "requests_per_s": round(total / wall, 1),
            "p50_ms": round(statistics.median(latencies), 1), "p95_ms": round(_percentile(latencies, 95), 1),
            "errors": len(errors), "first_errors": errors[:3]}


# -- the attacker (a process of its own: its sockets and loop do not slow the askers' threads) --------


async def _attack(port: int, idle: int, slow: int, stop: Path) -> dict[str, Any]:
    """Hold ``idle`` idle connections and ``slow`` byte-a-second ones, each reopened when the
    server closes it, until the file ``stop`` exists."""
    counts = {"opened": 0, "closed_by_server": 0, "refused": 0, "timeouts_408": 0, "busy_503": 0}

    def going() -> bool:
        return not stop.exists()

    async def hold(slowly: bool) -> None:
        request = b"GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + b"a" * 4000 + b"\r\n\r\n"
        while going():
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                counts["refused"] += 1
                await asyncio.sleep(0.2)
                continue
            counts["opened"] += 1
            sent = 0
            try:
                while going():
                    if slowly:  # a byte a second: never a whole request
                        writer.write(request[sent:sent + 1])
                        sent += 1
                    try:
                        data = await asyncio.wait_for(reader.read(65536), timeout=1.0)
                    except TimeoutError:
                        continue
                    if data.startswith(b"HTTP/1.1 408"):
                        counts["timeouts_408"] += 1
                    elif data.startswith(b"HTTP/1.1 503"):
                        counts["busy_503"] += 1
                    counts["closed_by_server"] += 1
                    break
            except OSError:
                counts["closed_by_server"] += 1
            finally:
                writer.close()

    await asyncio.gather(*(hold(False) for _ in range(idle)), *(hold(True) for _ in range(slow)))
    return counts


def attack_main(port: int, idle: int, slow: int, stop: Path) -> None:
    needed = idle + slow + 64
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    raised = soft != resource.RLIM_INFINITY and soft < needed
    if raised:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))
    counts = asyncio.run(_attack(port, idle, slow, stop))
    print(json.dumps({**counts, "attacker_nofile_soft": soft, "attacker_nofile_raised": raised}))


# -- the run -----------------------------------------------------------------------------------------


def run(idle: int, slow: int, clients: int, requests: int) -> dict[str, Any]:
    """The seed indexed once, then served twice: with the default settings (the attack's
    connections fit under the cap, and are recycled by the timeouts alone), and with a cap
    below the attack (``OVER_CAP``: connections are closed to make room as fast as the attacker
    reopens them)."""
    questions = [case["question"] for case in yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))]
    work = Path(tempfile.mkdtemp(prefix="briefing-bench-hostile-"))
    corpus, index = work / "corpus", work / "index"
    corpus.mkdir()
    shutil.copy(SEED, corpus)
    env = {**os.environ, "BRIEFING_CORPUS": str(corpus), "BRIEFING_INDEX": str(index), "HF_HUB_OFFLINE": "1"}
    try:
        subprocess.run([str(BRIEFING), "index", "build"], env=env, cwd=ROOT, check=True, capture_output=True)
        default = _served(env, work, questions, idle, slow, clients, requests)
        over = _served({**env, "BRIEFING_SERVE_MAX_CONNECTIONS": str(OVER_CAP)}, work, questions, idle, slow,
                       clients, requests)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"machine": machine(), "server_nofile_soft": resource.getrlimit(resource.RLIMIT_NOFILE)[0],
            "idle_connections": idle, "slow_header_clients": slow, **default,
            f"cap_{OVER_CAP}": over}


def _served(env: dict[str, str], work: Path, questions: list[str], idle: int, slow: int, clients: int,
            requests: int) -> dict[str, Any]:
    """One ``briefing serve``: the asks alone, then under attack, then one more ask."""
    import httpx

    from assistant.settings import Settings

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115
    server = subprocess.Popen([str(BRIEFING), "serve", "--no-watch", "--port", str(port)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=log, text=True)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/v1/documents", timeout=60).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        sampler = _Sampler(server.pid)
        _ask(url, questions, clients, 2 * clients)  # warm
        sampler.reset()
        quiet = {**_ask(url, questions, clients, requests), "server_rss_mb_max": round(sampler.rss_mb),
                 "server_open_files_max": sampler.fds}
        stop = work / "stop-attack"
        stop.unlink(missing_ok=True)
        attacker = subprocess.Popen([sys.executable, "-m", "bench.hostile", "--attack", str(port), "--idle", str(idle),
                                     "--slow", str(slow), "--stop-file", str(stop)], cwd=ROOT,
                                    stdout=subprocess.PIPE, text=True)
        time.sleep(5)  # every connection open, the first slow ones timed out and back
        sampler.reset()
        loaded = {**_ask(url, questions, clients, requests), "server_rss_mb_max": round(sampler.rss_mb),
                  "server_open_files_max": sampler.fds}
        stop.touch()
        out, _ = attacker.communicate(timeout=120)
        attack = json.loads(out.strip().splitlines()[-1])
        after = httpx.post(url + "/v1/ask", json={"question": questions[0]}, timeout=60).status_code
        sampler.close()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)
    stderr = Path(log.name).read_text(encoding="utf-8")
    Path(log.name).unlink()
    cap = Settings.from_env(env).server.serve_max_connections
    return {
        "max_connections": cap, "quiet": quiet, "under_attack": loaded,
        "p95_ratio": round(loaded["p95_ms"] / quiet["p95_ms"], 2) if quiet["p95_ms"] else None,
        "open_files_over_cap": loaded["server_open_files_max"] - cap,
        "attack": attack, "ask_after_attack_status": after, "server_exit_code": server.returncode,
        "server_log_lines": len(stderr.splitlines()), "server_log_bytes": len(stderr.encode()),
        "server_log_conditions": [line[20:] for line in stderr.splitlines() if "connections" in line
                                  or "open files" in line.lower()][:10],
        "tracebacks_in_log": stderr.count("Traceback"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.hostile", description=__doc__)
    parser.add_argument("--idle", type=int, default=500)
    parser.add_argument("--slow", type=int, default=50)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=400, help="asks per phase")
    parser.add_argument("--attack", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--stop-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.attack:
        attack_main(args.attack, args.idle, args.slow, args.stop_file)
        return
    print(json.dumps(run(args.idle, args.slow, args.clients, args.requests)))


if __name__ == "__main__":
    main()
