"""Nothing leaves the machine: the switches that keep third-party libraries off the network.

Briefing never needs the network, but libraries it loads would reach for it on their own:
onnxruntime's built-in telemetry resolves and uploads to a Microsoft collector and writes a
device id under ``$HOME`` (it reads its opt-out once, when its environment is created, so it
must be set before onnxruntime is imported), and Hugging Face libraries look for model
updates. These variables are set for this process and every child it starts (the ONNX
export runs in one). They are forced, not defaulted: a user's environment cannot turn
telemetry back on. ``tests/test_no_network.py`` checks the whole program under strace.
"""

from __future__ import annotations

import os

OFFLINE_ENVIRONMENT = {
    "ORT_DISABLE_TELEMETRY": "1",  # the name onnxruntime's POSIX telemetry provider reads
    "ORT_TELEMETRY_DISABLED": "1",  # the name some onnxruntime releases document
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "DO_NOT_TRACK": "1",
    "RAY_USAGE_STATS_ENABLED": "0",  # a Ray cluster started by `--ray local` reports nothing home
}


def enforce() -> None:
    """Set the offline switches in this process's environment (idempotent, cheap)."""
    os.environ.update(OFFLINE_ENVIRONMENT)
