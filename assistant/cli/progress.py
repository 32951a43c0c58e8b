"""A rich progress bar for builds, shown only when the work lasts longer than a moment."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.index.build import IndexBuild
    from assistant.index.cluster.job import ClusterJob
    from assistant.index.plan import BuildProgress

_LABELS = {"scan": "Scanning corpus", "read": "Reading files (OCR, tables)", "embed": "Embedding chunks",
           "write": "Writing index"}
_GRACE_SECONDS = 0.7


def run_build(job: IndexBuild | ClusterJob, quiet: bool = False) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from assistant.index import build

    console = Console(file=sys.stderr)
    show = not quiet and console.is_terminal
    started = time.monotonic()
    bar: Progress | None = None
    tasks: dict[str, object] = {}

    def shown(step: BuildProgress) -> None:
        nonlocal bar
        if not show:
            return
        if bar is None:
            if time.monotonic() - started < _GRACE_SECONDS:
                return
            bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                           TimeRemainingColumn(), console=console, transient=True)
            bar.start()
        if step.stage not in tasks:
            tasks[step.stage] = bar.add_task(_LABELS.get(step.stage, step.stage), total=step.total)
        bar.update(tasks[step.stage], completed=step.done, total=step.total)  # type: ignore[arg-type]

    try:
        build.run_build(job, progress=shown)
    finally:
        if bar is not None:
            bar.stop()
