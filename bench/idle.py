"""What a TUI session costs when nothing happens, and what a rebuild costs the questions beside it.

    python -m bench.idle CORPUS [--seconds S]

1. Idle: the TUI in a pseudo-terminal with its engine loaded and the start panel shown; the
   process's CPU time (user + system, all threads) over SECONDS (default 30) of doing nothing.
2. Questions during a rebuild: the same engine answers the golden questions of the corpus's
   set idle, then again while a full rebuild of its index runs the way the TUI runs one (a
   thread at lower priority with its own single-threaded model session, ``in_background``); p50 of each.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import threading
import time
from functools import partial
from pathlib import Path
from typing import Any

from bench.common import timed

QUESTIONS = ["What is the main finding?", "How was the virus transmitted?", "Which animals were studied?",
             "What treatment was used?", "When was the outbreak first reported?", "How many patients were enrolled?",
             "What are the symptoms?", "Which protein binds the receptor?", "What does the review describe?",
             "Where was the study conducted?"]


def idle_cpu(settings: Any, seconds: float) -> dict[str, float]:
    """The real TUI in a pseudo-terminal, as a user runs it: CPU ticks of its process while idle."""
    import fcntl
    import os
    import pty
    import re
    import struct
    import subprocess
    import termios

    from bench.common import BRIEFING

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))  # a real window's size
    env = {**os.environ, "TERM": "xterm-256color", "BRIEFING_CORPUS": str(settings.paths.corpus_dir),
           "BRIEFING_INDEX": str(settings.paths.index_dir)}
    proc = subprocess.Popen([str(BRIEFING)], stdin=slave, stdout=slave, stderr=slave, env=env,
                            start_new_session=True)
    os.close(slave)
    screen = bytearray()

    def drain() -> None:  # a terminal reads what the app writes, or the app blocks
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            screen.extend(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    def ready() -> bool:  # the status line says so (escape sequences may split the word)
        return b"Ready:" in re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", bytes(screen))

    try:
        deadline = time.monotonic() + 300
        while not ready() and time.monotonic() < deadline:
            time.sleep(0.5)
        if not ready():
            raise SystemExit(f"the TUI did not get ready within 300 s: {bytes(screen[-400:])!r}")
        time.sleep(2.0)
        hz = os.sysconf("SC_CLK_TCK")

        def cpu() -> float:
            fields = open(f"/proc/{proc.pid}/stat").read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / hz

        before = cpu()
        time.sleep(seconds)
        used = cpu() - before
    finally:
        os.write(master, b"\x11")  # Ctrl+Q
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        os.close(master)
    return {"idle_seconds": seconds, "idle_cpu_seconds": round(used, 3), "idle_cpu_share": round(used / seconds, 4)}


def during_rebuild(settings: Any) -> dict[str, float]:
    from assistant.answer.engine import Engine
    from assistant.background import in_background
    from assistant.index.build import build_index

    engine = Engine(settings)
    engine.warm()
    idle = [timed(partial(engine.ask, q))[0] * 1000 for q in QUESTIONS * 3]
    finished = threading.Event()
    embedded: list[int] = []

    def rebuild() -> None:  # as the TUI's rebuild worker does it
        report = build_index(settings, engine.embedder.for_background(), full=True, drive=in_background)
        assert report is not None
        embedded.append(report.texts_embedded)
        finished.set()

    thread = threading.Thread(target=rebuild)
    thread.start()
    time.sleep(1.0)  # past the model load, into the embedding
    busy: list[float] = []
    while not finished.is_set():
        for q in QUESTIONS:
            if finished.is_set():
                break
            busy.append(timed(partial(engine.ask, q))[0] * 1000)
    thread.join()
    return {"ask_p50_idle_ms": round(statistics.median(idle), 1),
            "ask_p50_during_rebuild_ms": round(statistics.median(busy), 1),
            "questions_during_rebuild": len(busy), "rebuild_texts_embedded": embedded[0],
            "ratio": round(statistics.median(busy) / statistics.median(idle), 2)}


def main() -> None:
    from assistant.embedders import embedder_for
    from assistant.index.build import build_index
    from assistant.settings import Settings

    parser = argparse.ArgumentParser(prog="python -m bench.idle", description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--seconds", type=float, default=30.0, help="how long to watch the idle TUI")
    args = parser.parse_args()
    corpus, seconds = args.corpus, args.seconds
    work = Path(tempfile.mkdtemp(prefix="briefing-idle-"))
    try:
        settings = Settings.from_env({}, corpus_dir=corpus, index_dir=work / "index")
        build_index(settings, embedder_for(settings))
        result = {**idle_cpu(settings, seconds), **during_rebuild(settings)}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
