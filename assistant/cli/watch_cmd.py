"""``briefing watch``: keep the index current in the foreground, one line per update."""

from __future__ import annotations

import signal
import sys
import threading
import time
from typing import Annotated

import typer

from assistant.cli.context import state


def watch(
    ctx: typer.Context,
    polling: Annotated[bool, typer.Option("--polling", help="Poll for changes (network shares, containers' mounted folders).")] = False,  # noqa: E501
) -> None:
    """Keep the index current: build now, then again after each change to the corpus. Ctrl+C stops.
    If the corpus folder goes away, it says so and waits for it to come back."""
    from assistant.errors import CorpusError
    from assistant.index.watch import IndexUpdated, WatchNotice, keep_current
    from assistant.text.printable import printable

    cli = state(ctx)
    settings = cli.settings.replace(watch_polling=True) if polling else cli.settings
    if not settings.paths.corpus_dir.is_dir():
        raise CorpusError(f"corpus folder not found: {settings.paths.corpus_dir}")
    stop = threading.Event()
    _interrupt_on(signal.SIGINT, signal.SIGTERM)
    print(f"Watching {printable(str(settings.paths.corpus_dir))} for changes (Ctrl+C stops).", file=sys.stderr,
          flush=True)
    try:
        for event in keep_current(settings, cli.embedder(), stop):
            stamp = time.strftime("%H:%M:%S")
            if isinstance(event, WatchNotice):  # the folder gone and back: it waits, then resumes
                print(f"{stamp} {printable(event.message)}", file=sys.stderr, flush=True)
            elif isinstance(event, IndexUpdated):
                print(f"{stamp} {event.summary()}", flush=True)
                for skipped in event.report.skipped:
                    print(f"{stamp}   skipped {printable(skipped.doc_id)}: {printable(skipped.reason)}", flush=True)
            else:
                print(f"{stamp} build failed, the index stays as it was: {printable(event.message)}",
                      file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        stop.set()


def _interrupt_on(*signals: signal.Signals) -> None:
    """Ctrl+C and ``kill`` stop watching the same way, even when the process was started with
    SIGINT ignored (as a shell's background job is): a build in progress is discarded, the
    index stays as it was, and the command exits 0."""

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    for sig in signals:
        signal.signal(sig, interrupt)
