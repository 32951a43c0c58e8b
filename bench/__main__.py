"""The benchmark harness: ``python -m bench list | run [STEP...] | report``.

``list`` names every step with what it measures and its cost; ``run`` runs the named steps (the
default ones when none is named, which is ``make bench``), each writing
``bench/results/step-<name>.json`` stamped with the CPU, core count and git commit that measured
it, and all of them ``bench/results/bench.json``; ``report`` prints the targets table from
``bench.json`` without running anything.
"""

from __future__ import annotations

import json
import sys

from bench.common import RESULTS
from bench.run import run_steps, steps, summary

USAGE = "usage: python -m bench list | run [STEP...] | report"


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("list", "run", "report"):
        print(USAGE, file=sys.stderr)
        return 2
    command, names = argv[0], argv[1:]
    if command == "list":
        for step in steps().values():
            print(f"{step.name:<13} {step.cost:<9} {step.what}")
        return 0
    if command == "run":
        summary(run_steps(names))
        return 0
    out = RESULTS / "bench.json"
    if not out.exists():
        print(f"no results yet: {out} (python -m bench run)", file=sys.stderr)
        return 2
    summary(json.loads(out.read_text(encoding="utf-8")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
