"""Fresh-process start-up: `briefing ask`, `briefing index status`, and the TUI's first paint.

    python -m bench.coldstart INDEX CORPUS
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

from bench.common import BRIEFING, ROOT

FIRST_PAINT = """
import sys, time, asyncio
started = float(sys.argv[1])
from assistant.settings import Settings
from tui.app import BriefingApp
class Probe(BriefingApp):
    def on_mount(self):
        super().on_mount()
        self.call_after_refresh(self.painted)
    def painted(self):
        print(round(time.time() - started, 3), flush=True)
        self.exit()
    def load_engine(self):  # measure the paint, not the model load behind it
        pass
async def main():
    async with Probe(Settings.from_env()).run_test() as pilot:
        await pilot.pause(0.5)
asyncio.run(main())
"""


def wall(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"{cmd} failed: {done.stderr[-500:]}")
    return time.perf_counter() - started


def main() -> None:
    index, corpus = sys.argv[1], sys.argv[2]
    env = {**os.environ, "BRIEFING_INDEX": index, "BRIEFING_CORPUS": corpus}
    ask = [wall([str(BRIEFING), "ask", "What causes insulin resistance?", "--json"], env) for _ in range(3)]
    status = [wall([str(BRIEFING), "index", "status", "--json"], env) for _ in range(3)]
    paint = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", FIRST_PAINT, str(time.time())], capture_output=True, text=True,
                             env=env, cwd=ROOT)
        if out.returncode != 0 or not out.stdout.strip():
            raise SystemExit(f"first-paint probe failed: {out.stderr[-800:]}")
        paint.append(float(out.stdout.strip().splitlines()[-1]))
    baseline = [wall([sys.executable, "-c", "pass"], env) for _ in range(3)]
    print(json.dumps({
        "ask_s": round(statistics.median(ask), 2), "status_s": round(statistics.median(status), 2),
        "tui_first_paint_s": round(statistics.median(paint), 2),
        "python_startup_s": round(statistics.median(baseline), 3),
    }))


if __name__ == "__main__":
    main()
