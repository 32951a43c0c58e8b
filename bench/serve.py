"""The local server under load, and the watched corpus: ``python -m bench.serve INDEX CORPUS QUERIES.jsonl``.

1. ``ask`` over HTTP at 1, 8 and 32 concurrent clients on the 5k-document SciFact index
   (a real ``briefing serve --no-watch`` process), beside the same questions asked of an
   in-process engine in this run: requests/s, p50 and p95, and the overhead at 1 client.
2. 2,000 requests from 8 clients while ``briefing index build`` adds a document and publishes
   a new generation in the middle: the errors (the target is none).
3. Watch mode on a small corpus: the time from a new file's last write to the first answer
   citing it, and how many builds copying 1,000 files at once causes.

Prints one JSON object last. Clients run in this process (2 cores are shared with the server),
so the requests/s are the machine's, not the server's alone.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import BRIEFING, ROOT, machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``briefing serve`` in a child process, its standard error kept."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.err = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115
        self.proc = subprocess.Popen([str(BRIEFING), "serve", "--port", str(self.port), *args], env=env, cwd=ROOT,
                                     stdout=subprocess.DEVNULL, stderr=self.err, text=True)
        import httpx

        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/v1/documents", timeout=60).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"briefing serve did not start: {Path(self.err.name).read_text()[-2000:]}")

    def log(self) -> str:
        return Path(self.err.name).read_text(encoding="utf-8")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(60)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def _load(url: str, questions: list[str], clients: int, total: int) -> dict[str, Any]:
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
                r = http.post(url + "/v1/ask", json={"question": questions[i % len(questions)]})
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    if r.status_code != 200:
                        errors.append(f"{r.status_code} {r.text[:200]}")

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


def in_process(index: Path, corpus: Path, questions: list[str]) -> dict[str, Any]:
    from assistant.answer.engine import Engine
    from assistant.settings import Settings

    engine = Engine(Settings.from_env({}, corpus_dir=corpus, index_dir=index))
    engine.warm(prefetch=False)  # no read-ahead thread competing with the timed questions
    for q in questions[:20]:
        engine.ask(q)
    latencies = []
    for q in questions:
        started = time.perf_counter()
        engine.ask(q)
        latencies.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(statistics.median(latencies), 1), "p95_ms": round(_percentile(latencies, 95), 1)}


def under_rebuild(server: Server, env: dict[str, str], corpus: Path, questions: list[str]) -> dict[str, Any]:
    """2,000 requests; a new document is built in while they run."""
    extra = corpus / "zz-bench-serve-new-document.txt"
    result: dict[str, Any] = {}
    loader = threading.Thread(target=lambda: result.update(_load(server.url, questions, 8, 2000)))
    loader.start()
    time.sleep(3)
    extra.write_text("A new abstract about zinc transporters in pancreatic islets.\nIt reports a trial.\n")
    try:
        built = subprocess.run([str(BRIEFING), "index", "build", "--json"], env=env, cwd=ROOT, capture_output=True,
                               text=True, check=True)
        loader.join()
    finally:
        extra.unlink()
        subprocess.run([str(BRIEFING), "index", "build", "--json"], env=env, cwd=ROOT, capture_output=True)
    return {**result, "build_added": json.loads(built.stdout)["added"]}


def watching(env: dict[str, str]) -> dict[str, Any]:
    """A small corpus served with watching on: a new fact's time to its first answer, and the
    builds that copying 1,000 files causes."""
    import httpx

    work = Path(tempfile.mkdtemp(prefix="briefing-bench-watch-"))
    corpus, index = work / "corpus", work / "index"
    corpus.mkdir()
    shutil.copy(ROOT / "corpus" / "us-china-ai-power-struggle.txt", corpus)
    local = {**env, "BRIEFING_CORPUS": str(corpus), "BRIEFING_INDEX": str(index)}
    server = Server(local)
    try:
        latencies = []
        for i in range(5):
            fact = f"The Ruritanian port of Zenda{i} shipped {1000 + i} tonnes of antimony in 2026."
            path = corpus / f"note-{i}.txt"
            path.write_text(fact + "\n", encoding="utf-8")
            written = time.perf_counter()
            while time.perf_counter() - written < 60:
                r = httpx.post(server.url + "/v1/ask", json={"question": f"How much antimony did Zenda{i} ship?"},
                               timeout=60).json()
                if any(c["doc"] == path.name for c in r.get("citations", [])):
                    break
                time.sleep(0.05)
            latencies.append(time.perf_counter() - written)
        before = server.log().count("Index updated")
        source = work / "incoming"
        source.mkdir()
        for i in range(1000):
            (source / f"n{i:04}.txt").write_text(f"Note {i}: zinc smelting capacity rose in 2024.\n")
        shutil.copytree(source, corpus / "incoming")
        copied = time.perf_counter()
        while time.perf_counter() - copied < 300:
            docs = httpx.get(server.url + "/v1/documents", timeout=60).json()["documents"]
            if len(docs) >= 1006:
                break
            time.sleep(0.5)
        indexed_after = time.perf_counter() - copied
        time.sleep(3)  # any build still to come has started and finished
        builds = server.log().count("Index updated") - before
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return {"write_to_answer_s": [round(v, 2) for v in latencies],
            "write_to_answer_median_s": round(statistics.median(latencies), 2),
            "copy_1000_builds": builds, "copy_1000_indexed_s": round(indexed_after, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.serve", description=__doc__)
    parser.add_argument("index", type=Path)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("queries", type=Path)
    parser.add_argument("--requests", type=int, default=300, help="requests per concurrency level")
    args = parser.parse_args()
    questions = [json.loads(line)["text"] for line in args.queries.read_text().splitlines() if line][:300]
    env = {**os.environ, "BRIEFING_CORPUS": str(args.corpus), "BRIEFING_INDEX": str(args.index),
           "BRIEFING_SERVE_QUEUE": "64", "HF_HUB_OFFLINE": "1"}
    server = Server(env, "--no-watch")
    try:
        _load(server.url, questions, 1, 20)  # warm, as the in-process engine is
        levels = [_load(server.url, questions, 1, args.requests)]
        baseline = in_process(args.index, args.corpus, questions[: args.requests])  # the server idles meanwhile
        levels += [_load(server.url, questions, n, args.requests) for n in (8, 32)]
        rebuild = under_rebuild(server, env, args.corpus, questions)
    finally:
        server.stop()
    result = {"machine": machine(), "in_process": baseline, "http": levels,
              "overhead_1_client_p50_ms": round(levels[0]["p50_ms"] - baseline["p50_ms"], 1),
              "under_rebuild": rebuild, "watch": watching(env)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
