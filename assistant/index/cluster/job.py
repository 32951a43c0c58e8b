"""A ``--ray`` build, run in a child process so that Ray never shares the command's process.

Ray's driver brings a C++ runtime that writes to the process's stdout and stderr on its own
(its log lines, the cluster's error messages), and a cluster that disappears mid-build makes
it print for as long as the process lives. A build on a cluster therefore runs in a child,
``python -m assistant.index.cluster.driver``, whose output goes to a log file; the child sends its
progress and its report (or its one-line error) back over a pipe as JSON lines. Whatever
happens to the child, the command prints one line and exits 2, and the previous index is
live: the child writes the generation with the same lock and atomic swap as any build.

This module does not import Ray: a build without ``--ray`` never loads it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.errors import ClusterError
from assistant.index.build import BuildReport
from assistant.index.plan import BuildProgress
from assistant.ingest.corpus import Skipped
from assistant.settings import Settings

STOP_GRACE_SECONDS = 10.0


def report_to_json(report: BuildReport) -> dict[str, Any]:
    return dataclasses.asdict(report)


def report_from_json(data: dict[str, Any]) -> BuildReport:
    fields = {f.name for f in dataclasses.fields(BuildReport)}
    values = {k: v for k, v in data.items() if k in fields}
    for listed in ("skipped", "warnings"):
        values[listed] = [Skipped(**item) for item in values.get(listed, [])]
    return BuildReport(**values)


class ClusterJob:
    """What ``run_build`` drives for a ``--ray`` build: progress while the child works, then its
    report. ``report`` is filled when ``run`` ends normally."""

    def __init__(self, settings: Settings, address: str, full: bool = False) -> None:
        self.settings = settings
        self.address = address
        self.full = full
        self.report = BuildReport()

    def run(self) -> Iterator[BuildProgress]:
        handle, name = tempfile.mkstemp(prefix="briefing-ray-", suffix=".log")
        log = Path(name)
        read_end, write_end = os.pipe()
        env = {**os.environ,
               Settings.env_name("corpus_dir"): str(self.settings.paths.corpus_dir),
               Settings.env_name("index_dir"): str(self.settings.paths.index_dir)}
        argv = [sys.executable, "-m", "assistant.index.cluster.driver", self.address, "--report-fd", str(write_end)]
        with os.fdopen(handle, "wb") as out:  # the child holds its own copy
            child = subprocess.Popen(argv + (["--full"] if self.full else []), stdin=subprocess.DEVNULL,
                                     stdout=out, stderr=out, pass_fds=(write_end,), env=env)
        os.close(write_end)
        error: str | None = None
        reported = False
        try:
            with os.fdopen(read_end, encoding="utf-8") as messages:
                for line in messages:
                    message = _parse(line)
                    if "progress" in message:
                        stage, done, total = message["progress"]
                        yield BuildProgress(str(stage), int(done), int(total))
                    elif "report" in message:
                        self.report, reported = report_from_json(message["report"]), True
                    elif "error" in message:
                        error = str(message["error"])
            code = child.wait()
        finally:
            _stop(child)
        kept = _keep_if_written(log)
        where = f" (Ray's messages: {kept})" if kept else ""
        if error is not None:
            raise ClusterError(error + where)
        if code != 0 or not reported:
            raise ClusterError(f"the Ray build stopped unexpectedly (exit {code}); the previous index is "
                               f"unchanged{where}")
        log.unlink(missing_ok=True)


def _keep_if_written(log: Path) -> Path | None:
    """The log, for an error line to point at, unless Ray wrote nothing to it."""
    if log.exists() and log.stat().st_size:
        return log
    log.unlink(missing_ok=True)
    return None


def _parse(line: str) -> dict[str, Any]:
    try:
        message = json.loads(line)
    except ValueError:
        return {}
    return message if isinstance(message, dict) else {}


def _stop(child: subprocess.Popen[bytes]) -> None:
    """An interrupted command takes its child with it (the child's build then publishes nothing)."""
    if child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(STOP_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
