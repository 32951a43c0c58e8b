"""The golden gates' reports, refreshed by ``make bench`` alone (``make test`` writes its own to
the ignored ``reports/`` folder, so a test run changes no tracked file).

Builds the project's own index over ``corpus/`` and runs ``briefing eval`` on each golden file
of the seed, writing ``bench/results/eval-<name>.json`` and ``.md`` beside the other figures.
"""

from __future__ import annotations

import json
import subprocess

from bench.common import BRIEFING, RESULTS, ROOT

GOLDEN = {"seed": "tests/golden/seed.yaml", "seed-variants": "tests/golden/seed-variants.yaml",
          "briefs": "tests/golden/briefs.yaml"}


def main() -> dict[str, object]:
    subprocess.run([str(BRIEFING), "index", "build"], cwd=ROOT, check=True, capture_output=True)
    out: dict[str, object] = {}
    for name, path in GOLDEN.items():
        report = RESULTS / f"eval-{name}.json"
        subprocess.run([str(BRIEFING), "eval", path, "--json", str(report), "--markdown",
                        str(RESULTS / f"eval-{name}.md")], cwd=ROOT, check=False, capture_output=True)
        out[name] = json.loads(report.read_text(encoding="utf-8")).get("summary") if report.exists() else None
    return out


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
