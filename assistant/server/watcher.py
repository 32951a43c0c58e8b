"""The server's watcher: ``index.watch.keep_current`` in a background thread, with its state told
to the service (``WatchStatus``) so that ``/v1/status`` says the truth about watching.

It never dies silently: the corpus folder going away is the watcher's own business (it waits
and resumes, and the status says so meanwhile); anything unexpected is written as one line,
reported as ``watching: false`` with the reason, and the watcher starts again after
``RESTART_S``. The index it had stays served throughout.
"""

from __future__ import annotations

import sys
import threading
from typing import TYPE_CHECKING, Any

from assistant.server.service import BriefingService, WatchStatus
from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.embedders import Embedder

RESTART_S = 10.0
"""How long after an unexpected failure the watcher starts again."""


def start_watching(settings: Settings, embedder: Embedder, service: BriefingService,
                   out: Any = sys.stderr) -> threading.Event:
    """Keep the index current in a background thread (each request then serves the newest
    generation: ``BriefingService.refresh``); set the returned event to stop it."""
    stop = threading.Event()
    service.watch_status = WatchStatus(True)
    threading.Thread(target=_watch, args=(settings, embedder, service, stop, out), name="briefing-watch",
                     daemon=True).start()
    return stop


def _watch(settings: Settings, embedder: Embedder, service: BriefingService, stop: threading.Event,
           out: Any) -> None:
    from assistant.background import lower_current_thread_priority
    from assistant.index.watch import IndexUpdated, WatchNotice, keep_current
    from assistant.text.printable import printable

    def say(line: str) -> None:
        print(printable(line), file=out, flush=True)

    lower_current_thread_priority()  # builds yield the CPU to questions
    while not stop.is_set():
        try:
            for event in keep_current(settings, embedder, stop):
                if isinstance(event, WatchNotice):
                    service.watch_status = WatchStatus(event.watching, None if event.watching else event.message)
                    say(event.message)
                elif isinstance(event, IndexUpdated):
                    if event.report.wrote_index:
                        say(event.summary())
                else:
                    say(f"build failed, the index stays as it was: {event.message}")
            return
        except Exception as exc:  # noqa: BLE001 - whatever it was, the status must say so and watching resume
            why = f"{type(exc).__name__}: {exc}"
            service.watch_status = WatchStatus(False, f"the watcher failed ({why}); it restarts in {RESTART_S:g} s")
            say(f"the watcher failed ({why}): the index stays as it was; restarting in {RESTART_S:g} s")
            if stop.wait(RESTART_S):
                return
            service.watch_status = WatchStatus(True)
