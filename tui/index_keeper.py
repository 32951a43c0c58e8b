"""The index keeper: watches the corpus folder, rebuilds the index, cancels a rebuild.

It is a widget with nothing to show (the chat screen mounts it, so it lives as long as the app)
because Textual's workers and messages belong to widgets. What it is doing is one value,
``state`` (``tui/index_state.py``), replaced on each event; screens follow that value (the
progress bars, the Documents table) and the messages it lets bubble on (the status line).
The outcome of each build is told here, in a notification, once.
"""

from __future__ import annotations

import threading
import time

from textual import work
from textual.reactive import var
from textual.widget import Widget
from textual.worker import Worker, get_current_worker

from assistant.answer.engine import Engine
from assistant.background import in_background
from assistant.errors import BriefingError
from assistant.index.build import BuildReport, build_index
from assistant.index.plan import BuildProgress
from assistant.index.watch import corpus_changes
from assistant.settings import Settings
from tui.index_state import IDLE, BuildState, Reason
from tui.messages import BuildStarted, CorpusChanged, IndexBuilt, IndexFailed, IndexProgress, WatchingStopped

CANCELLED = "Rebuild cancelled; the previous index is unchanged."


class IndexKeeper(Widget):
    DEFAULT_CSS = "IndexKeeper { display: none; }"

    state: var[BuildState] = var(IDLE, init=False)
    """Idle, or the build running and whether another follows it. Set only by ``_move``."""

    def __init__(self, settings: Settings, engine: Engine, watch: bool = True) -> None:
        super().__init__()
        self.settings = settings
        self.engine = engine
        self.watching = watch
        """Whether the corpus folder is watched: a change rebuilds the index (``CorpusChanged``)."""
        self.closing = threading.Event()
        """Set when the app closes: the watcher's thread stops."""
        self._build_worker: Worker[None] | None = None

    def on_mount(self) -> None:
        if self.watching:
            self.watch_corpus()

    def on_unmount(self) -> None:
        self.closing.set()

    # -- what the official asks ----------------------------------------------------------

    def request_rebuild(self) -> None:
        if self.state.building:
            self.notify("A rebuild is already running (Ctrl+G cancels it).", severity="warning")
            return
        self._move(self.state.asked())

    def cancel(self) -> None:
        """The worker stops at its next step and says so (``IndexFailed``, cancelled)."""
        if not self.state.building or self._build_worker is None:
            self.notify("No rebuild is running.")
            return
        self._build_worker.cancel()

    # -- what happened -------------------------------------------------------------------

    def on_corpus_changed(self, message: CorpusChanged) -> None:
        message.stop()  # the keeper's own business; what it does about it is ``BuildStarted``
        self._move(self.state.changed())

    def on_index_progress(self, message: IndexProgress) -> None:
        self._move(self.state.progressed(message.step))

    def on_index_built(self, message: IndexBuilt) -> None:
        self._tell(message.report, self.state.running)
        self._move(self.state.ended())

    def on_index_failed(self, message: IndexFailed) -> None:
        self.notify(message.error, severity="warning" if message.cancelled else "error")
        self._move(self.state.ended())

    def on_watching_stopped(self, message: WatchingStopped) -> None:
        self.notify(message.error, severity="error")

    def _move(self, after: BuildState) -> None:
        """The one place ``state`` changes; a state that begins a build starts its worker."""
        before, self.state = self.state, after
        if after.began_after(before) and after.running is not None:
            self.post_message(BuildStarted(after.running))
            self._build_worker = self.build()

    def _tell(self, r: BuildReport, reason: Reason | None) -> None:
        skipped = f", {len(r.skipped)} skipped" if r.skipped else ""
        if reason is Reason.CHANGED:
            counts = [f"{n} {what}" for n, what in ((r.added, "added"), (r.updated, "updated"),
                                                     (r.removed, "removed")) if n]
            if counts:
                self.notify(f"Index updated: {', '.join(counts)}{skipped}.")
        else:
            self.notify(f"Index rebuilt: {r.added} added, {r.updated} updated, {r.removed} removed, "
                        f"{r.chunks_embedded} passages indexed{skipped}.")

    # -- the work, in threads ------------------------------------------------------------

    @work(thread=True, exclusive=True, group="index")
    def build(self) -> None:
        worker = get_current_worker()
        # Its own model session with one thread, in a thread of its own at a lower priority:
        # questions asked during the rebuild keep a core and the engine's session to themselves.

        def shown(step: BuildProgress) -> None:
            if not worker.is_cancelled:  # a cancelled build says so once, not with a last step
                self.post_message(IndexProgress(step))

        try:
            report = build_index(self.settings, self.engine.embedder.for_background(), drive=in_background,
                                 progress=shown, stop=lambda: bool(worker.is_cancelled))
        except BriefingError as exc:
            self.post_message(IndexFailed(str(exc)))
            return
        if report is None:
            self.post_message(IndexFailed(CANCELLED, cancelled=True))
            return
        self.post_message(IndexBuilt(report))

    @work(thread=True, exclusive=True, group="watch")
    def watch_corpus(self) -> None:
        """Each burst of changes to the corpus, posted once its files have stopped changing. It
        stops when the app closes (``on_unmount``) or cancels its workers."""
        stop = _StopWhen(self.closing, get_current_worker())
        try:
            for change in corpus_changes(self.settings, stop):
                if change:
                    self.post_message(CorpusChanged(len(change.added), len(change.modified), len(change.deleted)))
        except OSError as exc:  # the folder vanished or cannot be watched: say so, keep answering
            self.post_message(WatchingStopped(f"Stopped watching the corpus: {exc.strerror or exc}"))


class _StopWhen:
    """An event that is also set once the worker is cancelled (the app is closing)."""

    def __init__(self, event: threading.Event, worker: Worker[None]) -> None:
        self.event, self.worker = event, worker

    def is_set(self) -> bool:
        return self.event.is_set() or bool(self.worker.is_cancelled)

    def wait(self, timeout: float | None = None) -> bool:
        deadline = time.monotonic() + (timeout or 0)
        while not self.is_set() and time.monotonic() < deadline:
            self.event.wait(0.05)
        return self.is_set()
