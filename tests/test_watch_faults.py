"""What blinded or killed the watcher (issue 35, defects 1 and 3): a file or folder whose name is
not UTF-8, and the corpus folder deleted and made again. The real watcher (watchfiles) in a
thread with the fake model, and the real ``briefing watch`` command with the bundled one."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.index import watch
from assistant.index.manifest import read_manifest
from assistant.index.watch import IndexUpdated, WatchProblem, keep_current
from assistant.settings import Settings
from tests.fakes import HashEmbedder
from tests.helpers import ROOT, write_doc


class Watching:
    """``keep_current`` with the real watcher in a thread; every event kept, and any exception
    that escapes it (the thread dying is a failure of its own)."""

    def __init__(self, settings: Settings) -> None:
        self.stop = threading.Event()
        self.events: list[object] = []
        self.died: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(settings,), daemon=True)
        self.thread.start()

    def _run(self, settings: Settings) -> None:
        try:
            for event in keep_current(settings, HashEmbedder(), self.stop):
                self.events.append(event)
        except BaseException as exc:  # noqa: BLE001 - recorded for the test to report
            self.died = exc

    def until(self, check: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.died is None, f"the watcher died: {self.died!r}"
            if check():
                return
            time.sleep(0.05)
        raise AssertionError(f"not within {timeout:g} s: {what}; events: {self.events}")

    def notices(self) -> list[watch.WatchNotice]:
        return [e for e in self.events if isinstance(e, watch.WatchNotice)]

    def close(self) -> None:
        self.stop.set()
        self.thread.join(15)
        assert not self.thread.is_alive()
        assert self.died is None, f"the watcher died: {self.died!r}"


@pytest.fixture
def fast(settings: Settings) -> Settings:
    return settings.replace(watch_settle_ms=150, watch_max_burst_ms=2000)


def _documents(settings: Settings) -> set[str]:
    try:
        return set(read_manifest(settings.paths.index_dir).documents)
    except Exception:  # noqa: BLE001 - not built yet
        return set()


def _bad_file(folder: Path, name: bytes, text: bytes = b"Text behind a name that is not UTF-8.") -> None:
    fd = os.open(os.fsencode(folder) + b"/" + name, os.O_CREAT | os.O_WRONLY, 0o644)
    os.write(fd, text)
    os.close(fd)


def test_a_file_named_in_bytes_that_are_not_utf8_neither_stops_nor_blinds_the_watcher(fast, corpus):
    write_doc(corpus, "a.txt", "Cobalt exports from Congo were suspended in March 2025.")
    watching = Watching(fast)
    try:
        watching.until(lambda: _documents(fast) == {"a.txt"}, "the first build")
        time.sleep(0.3)
        _bad_file(corpus, b"report-\xff.txt")
        write_doc(corpus, "b.txt", "Lithium prices fell by a third in 2024.")
        watching.until(lambda: _documents(fast) == {"a.txt", "b.txt"}, "a file written beside it")
        skipped = {s.doc_id for e in watching.events if isinstance(e, IndexUpdated) for s in e.report.skipped}
        assert "report-\\xff.txt" in skipped
        time.sleep(0.5)
        write_doc(corpus, "c.txt", "Nickel output in Indonesia rose in 2025.")
        watching.until(lambda: "c.txt" in _documents(fast), "a file written after it")
    finally:
        watching.close()


def test_a_folder_named_in_bytes_that_are_not_utf8_makes_the_watcher_poll_and_say_so(fast, corpus):
    write_doc(corpus, "a.txt", "Cobalt exports from Congo were suspended in March 2025.")
    os.mkdir(os.fsencode(corpus) + b"/old-\xe9t\xe9")  # change notification cannot even start over it
    watching = Watching(fast)
    try:
        watching.until(lambda: _documents(fast) == {"a.txt"}, "the first build")
        assert [n.message for n in watching.notices()] == [watch.NOT_UTF8_POLLING]
        assert all(n.watching for n in watching.notices())
        time.sleep(0.5)
        write_doc(corpus, "b.txt", "Lithium prices fell by a third in 2024.")
        watching.until(lambda: "b.txt" in _documents(fast), "a file added while polling")
        (corpus / "sub").mkdir()
        _bad_file(corpus / "sub", b"x\xff.txt")
        write_doc(corpus, "sub/c.txt", "Nickel output in Indonesia rose in 2025.")
        watching.until(lambda: "sub/c.txt" in _documents(fast), "a file added beside a bad name while polling")
    finally:
        watching.close()


def test_the_corpus_folder_deleted_and_made_again_is_watched_again(fast, corpus):
    """Issue 35, defect 3: files added to the new folder were never indexed."""
    write_doc(corpus, "a.txt", "Cobalt exports from Congo were suspended in March 2025.")
    watching = Watching(fast)
    try:
        watching.until(lambda: _documents(fast) == {"a.txt"}, "the first build")
        time.sleep(0.3)
        shutil.rmtree(corpus)
        watching.until(lambda: any(not n.watching for n in watching.notices()), "the folder said to be gone")
        gone = [n for n in watching.notices() if not n.watching][0]
        assert "is gone" in gone.message and str(corpus.resolve()) in gone.message
        assert _documents(fast) == {"a.txt"}  # the index stays as it was while the folder is away
        assert not [e for e in watching.events if isinstance(e, WatchProblem)]
        corpus.mkdir()
        write_doc(corpus, "b.txt", "Lithium prices fell by a third in 2024.")
        watching.until(lambda: _documents(fast) == {"b.txt"}, "the new folder's file indexed")
        assert watching.notices()[-1].watching and "is back" in watching.notices()[-1].message
        time.sleep(0.3)
        write_doc(corpus, "c.txt", "Nickel output in Indonesia rose in 2025.")
        watching.until(lambda: _documents(fast) == {"b.txt", "c.txt"}, "a later change in the new folder")
    finally:
        watching.close()


def test_a_corpus_folder_replaced_in_one_step_is_watched_again(fast, corpus, tmp_path):
    write_doc(corpus, "a.txt", "Cobalt exports from Congo were suspended in March 2025.")
    fresh = tmp_path / "fresh"
    write_doc(fresh, "b.txt", "Lithium prices fell by a third in 2024.")
    watching = Watching(fast)
    try:
        watching.until(lambda: _documents(fast) == {"a.txt"}, "the first build")
        time.sleep(0.3)
        corpus.rename(tmp_path / "old-corpus")
        fresh.rename(corpus)
        watching.until(lambda: _documents(fast) == {"b.txt"}, "the folder now in its place")
        time.sleep(0.3)
        write_doc(corpus, "c.txt", "Nickel output in Indonesia rose in 2025.")
        watching.until(lambda: _documents(fast) == {"b.txt", "c.txt"}, "a change in it")
    finally:
        watching.close()


# -- the real command ------------------------------------------------------------------------


class _Lines:
    """A process's output lines, read in a thread so neither pipe fills."""

    def __init__(self, stream: object) -> None:
        self.lines: list[str] = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            self.lines.append(line)

    def wait_for(self, text: str, after: int = 0, timeout: float = 120.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for i, line in enumerate(self.lines[after:], after):
                if text in line:
                    return i + 1
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not printed within {timeout:g} s: {self.lines}")


@pytest.mark.integration
@pytest.mark.slow
def test_briefing_watch_outlives_a_name_that_is_not_utf8_and_the_folder_deleted_and_made_again(corpus):
    """Issue 35, defects 1 and 3 in the real command: it exited 2 ("Unable to decode path"), and
    after the folder was made again it never indexed anything."""
    write_doc(corpus, "a.txt", "Cobalt exports from Congo were suspended in March 2025.")
    env = {**os.environ, "BRIEFING_WATCH_SETTLE_MS": "150"}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "briefing"), "watch"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace")
    out, err = _Lines(proc.stdout), _Lines(proc.stderr)
    try:
        seen = out.wait_for("Index updated: 1 added")
        time.sleep(0.5)
        _bad_file(corpus, b"minutes-\xff.txt")
        write_doc(corpus, "b.txt", "Lithium prices fell by a third in 2024.")
        seen = out.wait_for("Index updated: 1 added", seen)
        out.wait_for("skipped minutes-\\xff.txt: file name is not valid UTF-8", seen - 1)
        assert proc.poll() is None
        shutil.rmtree(corpus)
        err.wait_for("is gone: waiting for it to come back")
        corpus.mkdir()
        write_doc(corpus, "c.txt", "Nickel output in Indonesia rose in 2025.")
        err.wait_for("is back: watching it again")
        out.wait_for("Index updated: 1 added, 2 removed", seen)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(30)
    assert proc.returncode == 0, "".join(err.lines)
    assert not any("Traceback" in line for line in err.lines)
