"""Scale past one machine, as this one can show it: what a Ray build costs, and IVF-PQ at 10M.

    python -m bench.ray [--millions M]      (writes bench/results/ray.json; ~20 min with 10)

Runs, one after the other, ``bench.ray_overhead`` (local builds beside Ray builds with 1 and 2
replicas and the ``--ray`` command itself, on the same documents, runs alternating) and
``bench.ivfpq`` (the IVF-PQ tier over MILLIONS of synthetic vectors, 10 by default), each in a
process of its own. Both are also ``bench.run`` steps: ``ray_overhead`` in the default run,
``ivfpq`` on request.
"""

from __future__ import annotations

import argparse
import json

from bench.common import RESULTS, machine, run_module


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ray", description=__doc__)
    parser.add_argument("--millions", default="10", help="IVF-PQ vectors, in millions")
    millions = parser.parse_args().millions
    results = {"machine": machine(), "overhead": run_module("bench.ray_overhead", "--docs", "200", "--runs", "3"),
               "ivfpq": run_module("bench.ivfpq", "--millions", millions, "--queries", "100")}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ray.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
