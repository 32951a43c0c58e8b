"""A corpus that keeps itself indexed: the folder watched, bursts of changes coalesced, a file
still being written waited for, and one incremental build at a time.

``corpus_changes`` says what changed, once the burst is over and its files have stopped
changing; ``keep_current`` builds after each (the ``briefing watch`` and ``briefing serve``
loop). The TUI takes the changes alone and runs its own build, with its progress bar.

watchfiles (Rust's notify; polling on request, for network shares) groups the events of a
burst: a copy of a thousand files is a few changes, not a thousand. Changes that arrive during
a build are kept by the watcher and make the next build, so a build is followed by one more,
never run twice at once; a build another process holds the lock for is waited for.

The watcher outlives what would blind it. The corpus folder deleted (or replaced) is noticed
within ``READY_AFTER_MS``: it says so, waits for the folder to come back and resumes with a
build, and the index stays as it was meanwhile. A change to a file whose name is not UTF-8
cannot be named (watchfiles refuses to decode it): the watcher restarts and the build's scan
finds it. A folder whose name is not UTF-8 stops the operating system's notification from
starting at all: the watcher polls instead, and says so.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from assistant.embedders import Embedder
from assistant.errors import BriefingError, IndexLocked
from assistant.index.build import BuildReport, build_index
from assistant.ingest.corpus import ignored_name
from assistant.settings import Settings

MAX_WAIT_FOR_STABLE_S = 60.0
"""A file still changing after this long is built as it is (its next change builds it again)."""
LOCKED_RETRY_S = 1.0
READY_AFTER_MS = 200
"""The watcher reports itself ready after this long without changes (or at the first change);
it checks that the corpus folder is still there as often."""
GONE_POLL_S = 1.0
"""How often a missing corpus folder is looked for."""
RETRY_S = 10.0
"""How long the watcher waits before trying again when it cannot watch the folder (a limit of
the operating system's, a permission)."""
NOT_UTF8_POLLING = ("a folder in the corpus has a name that is not valid UTF-8, which change notification "
                    "cannot report: polling for changes instead (rename it to stop polling)")


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
    rescan: bool = False
    """Something changed that the watcher cannot name (a file whose name is not UTF-8, the
    folder back after it was gone): a build's scan of the whole corpus finds it."""
    notice: str | None = None
    """What the watcher has to say about itself ("the corpus folder … is gone"), for the log."""
    watching: bool = True
    """False while the corpus cannot be watched (its folder is gone): it resumes by itself."""

    def __bool__(self) -> bool:
        return bool(self.added or self.modified or self.deleted or self.rescan)


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
class WatchNotice:
    """The watcher's own state changed: it stopped watching (``watching`` False: the folder is
    gone, and it waits for it), or watches again, or watches differently (polling)."""

    message: str
    watching: bool


@dataclass(frozen=True)
class WatchProblem:
    """A build after a change failed (a bad setting, a full disk): the watcher goes on, and the
    index it had stays live."""

    message: str


def corpus_changes(settings: Settings, stop: Stop) -> Iterator[CorpusChange]:
    """Each burst of changes to the corpus, when it is over and its files have stopped changing;
    returns when ``stop`` is set. The first item is an empty change, yielded once the watcher is
    in place: what changes after it is seen, so a build started then misses nothing. Whatever
    happens to the folder, this goes on until ``stop``: a change with ``notice`` says what the
    watcher is doing about it."""
    import logging

    logging.getLogger("watchfiles").setLevel(logging.WARNING)  # its "stopping watch" is not news
    root = settings.paths.corpus_dir.resolve()
    polling = settings.watch.watch_polling
    announce = CorpusChange()  # yielded once the watcher is in place
    while not stop.is_set():
        place = _folder_identity(root)
        if place is None:
            yield CorpusChange(notice=f"the corpus folder {root} is gone: waiting for it to come back",
                               watching=False)
            while _folder_identity(root) is None:
                if stop.wait(GONE_POLL_S):
                    return
            announce = CorpusChange(rescan=True, notice=f"the corpus folder {root} is back: watching it again")
            continue
        ready = False
        try:
            for change in _watch_folder(settings, root, place, polling, stop):
                if not ready:
                    ready = True
                    yield announce
                if change:
                    yield change
            return  # stopped
        except _FolderChanged:
            announce = CorpusChange(rescan=True, notice=f"the corpus folder {root} was replaced: watching the new one")
        except _UndecodableName:
            if not ready and not polling:  # a folder's name stops notification from starting
                polling = True
                announce = replace(announce, notice=NOT_UTF8_POLLING)
            elif ready:  # one change it could not name: start again, and the build's scan finds it
                announce = CorpusChange(rescan=True)
            else:
                yield from _wait_and_retry("a name in the corpus cannot be decoded", stop)
                announce = CorpusChange(rescan=True, notice="watching the corpus folder again")
        except OSError as exc:
            if _folder_identity(root) is None:
                continue  # gone while the watcher started: said on the next turn
            yield from _wait_and_retry(exc.strerror or str(exc), stop)
            announce = CorpusChange(rescan=True, notice="watching the corpus folder again")


class _FolderChanged(Exception):
    """The corpus folder watched is gone or another stands in its place."""


class _UndecodableName(Exception):
    """watchfiles met a path that is not UTF-8 and could not report it."""


def _watch_folder(settings: Settings, root: Path, place: tuple[int, int], polling: bool,
                  stop: Stop) -> Iterator[CorpusChange]:
    """One watcher over the folder that is at ``root`` now (``place``): an empty change when it is
    in place and at each quiet moment, then each burst. Raises ``_FolderChanged`` when that
    folder goes away, ``_UndecodableName`` when a name cannot be reported."""
    import watchfiles

    batches = watchfiles.watch(
        root, watch_filter=lambda _change, path: watched(path, root),
        debounce=settings.watch.watch_max_burst_ms, step=settings.watch.watch_settle_ms,
        stop_event=stop, force_polling=polling or None, raise_interrupt=False,
        rust_timeout=READY_AFTER_MS, yield_on_timeout=True, ignore_permission_denied=True,
    )
    try:
        for batch in batches:
            if _folder_identity(root) != place or (watchfiles.Change.deleted, str(root)) in batch:
                raise _FolderChanged
            change = classify(batch, root)
            if change:
                wait_until_stable([root / p for p in (*change.added, *change.modified)],
                                  settings.watch.watch_settle_ms / 1000, stop)
            yield change
    except RuntimeError as exc:  # watchfiles' WatchfilesRustInternalError
        if "decode" in str(exc):
            raise _UndecodableName from None
        raise OSError(str(exc)) from None
    finally:
        batches.close()


def _wait_and_retry(why: str, stop: Stop) -> Iterator[CorpusChange]:
    yield CorpusChange(notice=f"cannot watch the corpus folder ({why}): trying again in {RETRY_S:g} s",
                       watching=False)
    stop.wait(RETRY_S)


def _folder_identity(root: Path) -> tuple[int, int] | None:
    """The folder at ``root`` (device, inode), or None when there is none."""
    try:
        st = os.stat(root)
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISDIR(st.st_mode) else None


def keep_current(settings: Settings, embedder: Embedder, stop: Stop,
                 changes: Callable[[Settings, Stop], Iterator[CorpusChange]] = corpus_changes,
                 ) -> Iterator[IndexUpdated | WatchProblem | WatchNotice]:
    """Build the index now, then once after each burst of changes, until ``stop`` is set. The
    watcher is in place before the first build starts, so nothing written meanwhile is missed.
    What the watcher says about itself comes as a ``WatchNotice``."""
    bursts = changes(settings, stop)
    ready = next(bursts, None)
    if ready is not None and ready.notice:
        yield WatchNotice(ready.notice, ready.watching)
    yield _build(settings, embedder, CorpusChange(), stop)
    if ready:
        yield _build(settings, embedder, ready, stop)
    for change in bursts:
        if stop.is_set():
            return
        if change.notice:
            yield WatchNotice(change.notice, change.watching)
        if change:
            yield _build(settings, embedder, change, stop)


def _build(settings: Settings, embedder: Embedder, change: CorpusChange,
           stop: Stop) -> IndexUpdated | WatchProblem:
    while True:
        try:
            report = build_index(settings, embedder)
            assert report is not None  # nothing stops it part-way
            return IndexUpdated(report, change)
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


def watched(path: str, root: Path) -> bool:
    """Events for names the corpus scan would skip (temporaries, hidden files) are ignored: the
    rename that finishes a download is what counts."""
    try:
        parts = Path(path).relative_to(root).parts
    except ValueError:
        return False
    return not any(ignored_name(part) for part in parts)


def classify(batch: set[tuple[Any, str]], root: Path) -> CorpusChange:
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
    return CorpusChange(tuple(sorted(kinds["added"])), tuple(sorted(kinds["modified"])),
                        tuple(sorted(kinds["deleted"])))
