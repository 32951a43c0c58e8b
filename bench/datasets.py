"""Where the benchmark datasets are: the one place that says so.

They are read from ``../shared/benchmarks`` beside the project (never copied into the
repository); ``BRIEFING_BENCHMARKS`` points elsewhere, and ``BRIEFING_SCIFACT`` still
overrides SciFact alone.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = Path(os.environ.get("BRIEFING_BENCHMARKS", ROOT.parent / "shared" / "benchmarks"))
SCIFACT = Path(os.environ.get("BRIEFING_SCIFACT", BENCHMARKS / "scifact"))
COVIDQA = BENCHMARKS / "covidqa-dev"
POLICYQA = BENCHMARKS / "policyqa-dev"
DEV_SETS = {"covidqa": COVIDQA, "policyqa": POLICYQA}
"""The golden-format dev sets by short name: a corpus/ folder and golden.yaml each."""
