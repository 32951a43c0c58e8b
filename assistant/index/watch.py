"""A corpus that keeps itself indexed: the folder watched, bursts of changes coalesced, a file
still being written waited for, and one incremental build at a time.

``corpus_changes`` says what changed, once the burst is over and its files have stopped
changing; ``keep_current`` builds after each (the ``briefing watch`` and ``briefing serve``
loop). The TUI takes the changes alone and runs its own build, with its progress bar.

watchfiles (Rust's notify; polling on request, for network shares) groups the events of a
burst: a copy of a thousand files is a few changes, not a thousand. Changes that arrive during
a build are kept by the watcher and make the next build, so a build is followed by one more,
never run twice at once; a build another process holds the lock for is waited for.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from assistant.embedders import Embedder
from assistant.errors import BriefingError, IndexLocked
from assistant.index.build import BuildReport, IndexBuild
from assistant.ingest.corpus import ignored_name
from assistant.settings import Settings

MAX_WAIT_FOR_STABLE_S = 60.0
"""A file still changing after this long is built as it is (its next change builds it again)."""
LOCKED_RETRY_S = 1.0
READY_AFTER_MS = 200
"""The watcher reports itself ready after this long without changes (or at the first change)."""


class Stop(Protocol):
    """When to stop watching: a ``threading.Event``, or anything that answers the same two calls
    (the TUI's also stops when its worker is cancelled)."""

    def is_set(self) -> bool: ...

    def wait(self, timeout: float | None = None) -> bool: ...


@dataclass(frozen=True)
class CorpusChange:
    """What one burst of changes did to the corpus (corpus-relative paths)."""

    added: tuple[str, ...] = ()
    modified: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.modified or self.deleted)


@dataclass(frozen=True)
class IndexUpdated:
    """A build made after a change (or at the start): its report says what it did."""

    report: BuildReport
    change: CorpusChange

    def summary(self) -> str:
        r = self.report
        if not r.wrote_index:
            return "Index up to date"
        parts = [f"{n} {what}" for n, what in ((r.added, "added"), (r.updated, "updated"), (r.removed, "removed"))
                 if n]
        return f"Index updated: {', '.join(parts) or 'no documents changed'} ({r.seconds:.1f} s)"


@dataclass(frozen=True)
class WatchProblem:
    """A build after a change failed (a bad setting, a full disk): the watcher goes on, and the
    index it had stays live."""

    message: str


def corpus_changes(settings: Settings, stop: Stop) -> Iterator[CorpusChange]:
    """Each burst of changes to the corpus, when it is over and its files have stopped changing;
    returns when ``stop`` is set. The first item is an empty change, yielded once the watcher is
    in place: what changes after it is seen, so a build started then misses nothing."""
    import logging

    import watchfiles

    logging.getLogger("watchfiles").setLevel(logging.WARNING)  # its "stopping watch" is not news
    root = settings.corpus_dir.resolve()
    ready = False
    for batch in watchfiles.watch(
        root, watch_filter=lambda _change, path: _watched(path, root),
        debounce=settings.watch_max_burst_ms, step=settings.watch_settle_ms,
        stop_event=stop, force_polling=settings.watch_polling or None, raise_interrupt=False,
        rust_timeout=READY_AFTER_MS, yield_on_timeout=True, ignore_permission_denied=True,
    ):
        if not ready:
            ready = True
            yield CorpusChange()
        change = _classify(batch, root)
        if change:
            wait_until_stable([root / p for p in (*change.added, *change.modified)], settings.watch_settle_ms / 1000,
                              stop)
            yield change


def keep_current(settings: Settings, embedder: Embedder, stop: Stop,
                 changes: Callable[[Settings, Stop], Iterator[CorpusChange]] = corpus_changes,
                 ) -> Iterator[IndexUpdated | WatchProblem]:
    """Build the index now, then once after each burst of changes, until ``stop`` is set. The
    watcher is in place before the first build starts, so nothing written meanwhile is missed."""
    bursts = changes(settings, stop)
    ready = next(bursts, None)
    yield _build(settings, embedder, CorpusChange(), stop)
    if ready:
        yield _build(settings, embedder, ready, stop)
    for change in bursts:
        if stop.is_set():
            return
        if change:
            yield _build(settings, embedder, change, stop)


def _build(settings: Settings, embedder: Embedder, change: CorpusChange,
           stop: Stop) -> IndexUpdated | WatchProblem:
    while True:
        job = IndexBuild(settings, embedder)
        try:
            for _ in job.run():
                pass
            return IndexUpdated(job.report, change)
        except IndexLocked:
            if stop.wait(LOCKED_RETRY_S):  # another process builds: its index is the one to watch
                return WatchProblem("stopped while another build held the index")
        except BriefingError as exc:
            return WatchProblem(str(exc))


def wait_until_stable(paths: list[Path], quiet_s: float, stop: Stop) -> None:
    """Return once none of ``paths`` has changed size or time for ``quiet_s`` (a copy or a
    download in progress keeps growing), or after ``MAX_WAIT_FOR_STABLE_S``."""
    deadline = time.monotonic() + MAX_WAIT_FOR_STABLE_S
    seen = _stats(paths)
    while not stop.wait(quiet_s) and time.monotonic() < deadline:
        now = _stats(paths)
        if now == seen:
            return
        seen = now


def _stats(paths: list[Path]) -> list[tuple[int, int] | None]:
    out: list[tuple[int, int] | None] = []
    for path in paths:
        try:
            st = path.stat()
            out.append((st.st_size, st.st_mtime_ns))
        except OSError:
            out.append(None)
    return out


def _watched(path: str, root: Path) -> bool:
    """Events for names the corpus scan would skip (temporaries, hidden files) are ignored: the
    rename that finishes a download is what counts."""
    try:
        parts = Path(path).relative_to(root).parts
    except ValueError:
        return False
    return not any(ignored_name(part) for part in parts)


def _classify(batch: set[tuple[Any, str]], root: Path) -> CorpusChange:
    import watchfiles

    kinds: dict[str, set[str]] = {"added": set(), "modified": set(), "deleted": set()}
    for kind, raw in batch:
        path = Path(raw)
        try:
            rel = path.relative_to(root).as_posix()
        except ValueError:
            continue
        if kind == watchfiles.Change.deleted:
            kinds["deleted"].add(rel)
        elif kind == watchfiles.Change.added:
            kinds["added"].add(rel)
        else:
            kinds["modified"].add(rel)
    kinds["modified"] -= kinds["added"]
    return CorpusChange(*(tuple(sorted(kinds[k])) for k in ("added", "modified", "deleted")))
