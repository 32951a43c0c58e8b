"""A rich progress bar for builds, shown only when the work lasts longer than a moment."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.index.build import IndexBuild
    from assistant.index.cluster.job import ClusterJob

_LABELS = {"scan": "Scanning corpus", "read": "Reading files (OCR, tables)", "embed": "Embedding chunks",
           "write": "Writing index"}
_GRACE_SECONDS = 0.7


def run_build(job: IndexBuild | ClusterJob, quiet: bool = False) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(file=sys.stderr)
    show = not quiet and console.is_terminal
    started = time.monotonic()
    progress: Progress | None = None
    tasks: dict[str, object] = {}
    try:
        for step in job.run():
            if not show:
                continue
            if progress is None:
                if time.monotonic() - started < _GRACE_SECONDS:
                    continue
                progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                    TimeRemainingColumn(), console=console, transient=True)
                progress.start()
            if step.stage not in tasks:
                tasks[step.stage] = progress.add_task(_LABELS.get(step.stage, step.stage), total=step.total)
            progress.update(tasks[step.stage], completed=step.done, total=step.total)  # type: ignore[arg-type]
    finally:
        if progress is not None:
            progress.stop()
