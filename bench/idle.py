"""What a TUI session costs when nothing happens, and what a rebuild costs the questions beside it.

    python -m bench.idle CORPUS [SECONDS]

1. Idle: the TUI (headless, through Textual's test driver) with its engine loaded and the start
   panel shown; the process's CPU time over SECONDS (default 30) of doing nothing.
2. Questions during a rebuild: the same engine answers the golden questions of the corpus's
   set idle, then again while a full rebuild of its index runs the way the TUI runs one (a
   thread at lower priority with its own single-threaded model session, ``in_background``); p50 of each.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import statistics
import sys
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
    from tui.app import BriefingApp

    async def run() -> float:
        app = BriefingApp(settings)
        async with app.run_test() as pilot:
            while app.engine._snapshot is None:  # the engine loads in a worker; wait for it
                await pilot.pause(0.2)
            await pilot.pause(2.0)  # the start panel, the first blinks
            before = time.process_time()
            await asyncio.sleep(seconds)
            return time.process_time() - before

    cpu = asyncio.run(run())
    return {"idle_seconds": seconds, "idle_cpu_seconds": round(cpu, 3), "idle_cpu_share": round(cpu / seconds, 4)}


def during_rebuild(settings: Any) -> dict[str, float]:
    from assistant.build import IndexBuild
    from assistant.engine import Engine
    from assistant.priority import in_background

    engine = Engine(settings)
    engine.warm()
    idle = [timed(partial(engine.ask, q))[0] * 1000 for q in QUESTIONS * 3]
    finished = threading.Event()
    embedded: list[int] = []

    def rebuild() -> None:  # as the TUI's rebuild worker does it
        job = IndexBuild(settings, engine.embedder.for_background(), full=True)
        for _ in in_background(job.run):
            pass
        embedded.append(job.report.texts_embedded)
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
    from assistant.build import IndexBuild
    from assistant.embedders import embedder_for
    from assistant.settings import Settings

    corpus = Path(sys.argv[1])
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 30.0
    work = Path(tempfile.mkdtemp(prefix="briefing-idle-"))
    try:
        settings = Settings.from_env({}, corpus_dir=corpus, index_dir=work / "index")
        for _ in IndexBuild(settings, embedder_for(settings)).run():
            pass
        result = {**idle_cpu(settings, seconds), **during_rebuild(settings)}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
