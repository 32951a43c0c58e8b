"""A corpus that keeps itself indexed (``assistant.index.watch``, ``briefing watch``)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.index.manifest import read_manifest
from assistant.index.watch import (
    CorpusChange,
    IndexUpdated,
    WatchProblem,
    classify,
    corpus_changes,
    keep_current,
    wait_until_stable,
    watched,
)
from assistant.settings import Settings
from tests.fakes import HashEmbedder
from tests.helpers import ROOT, write_doc


def test_a_change_is_sorted_into_added_modified_and_deleted(tmp_path):
    import watchfiles

    batch = {(watchfiles.Change.added, str(tmp_path / "a.txt")), (watchfiles.Change.modified, str(tmp_path / "a.txt")),
             (watchfiles.Change.modified, str(tmp_path / "sub" / "b.md")),
             (watchfiles.Change.deleted, str(tmp_path / "c.pdf")), (watchfiles.Change.added, "/elsewhere/d.txt")}
    assert classify(batch, tmp_path) == CorpusChange(("a.txt",), ("sub/b.md",), ("c.pdf",))


def test_files_still_being_written_or_hidden_are_not_watched(tmp_path):
    assert watched(str(tmp_path / "report.pdf"), tmp_path)
    for name in ("report.pdf.part", "film.crdownload", "~$memo.docx", ".hidden.txt", "notes.txt.swp"):
        assert not watched(str(tmp_path / name), tmp_path), name
    assert not watched(str(tmp_path / ".git" / "config"), tmp_path)
    hidden_home = tmp_path / ".local" / "corpus"  # only names inside the corpus count
    assert watched(str(hidden_home / "a.txt"), hidden_home)


def test_waiting_for_a_file_to_stop_growing(tmp_path):
    path = tmp_path / "download.txt"
    path.write_text("start")

    def grow() -> None:
        for i in range(6):
            time.sleep(0.05)
            with path.open("a") as fh:
                fh.write(f" more {i}")

    writer = threading.Thread(target=grow)
    started = time.monotonic()
    writer.start()
    wait_until_stable([path], 0.15, threading.Event())
    writer.join()
    assert time.monotonic() - started >= 0.3  # it waited past the last write, not the first
    assert path.read_text().endswith("more 5")


def _changes(*bursts: CorpusChange):
    def changes(_settings: Settings, stop: threading.Event) -> Iterator[CorpusChange]:
        yield CorpusChange()  # ready
        yield from bursts

    return changes


def test_keep_current_builds_at_start_and_after_each_change(settings, corpus):
    write_doc(corpus, "a.txt", "Cobalt exports from Congo were suspended in March 2025.")
    stop = threading.Event()

    def changes(_settings: Settings, _stop: threading.Event) -> Iterator[CorpusChange]:
        yield CorpusChange()  # the watcher is ready
        write_doc(corpus, "b.txt", "Lithium prices fell by a third in 2024.")
        yield CorpusChange(added=("b.txt",))
        (corpus / "a.txt").unlink()
        yield CorpusChange(deleted=("a.txt",))

    events = list(keep_current(settings, HashEmbedder(), stop, changes))
    assert [type(e) for e in events] == [IndexUpdated] * 3
    first, second, third = (e.report for e in events if isinstance(e, IndexUpdated))
    assert (first.added, second.added, third.removed) == (1, 1, 1)
    assert set(read_manifest(settings.paths.index_dir).documents) == {"b.txt"}
    assert events[2].summary().startswith("Index updated: 1 removed")  # type: ignore[union-attr]


def test_a_build_that_fails_is_reported_and_watching_goes_on(settings, corpus, monkeypatch):
    from assistant.errors import IndexUnwritable
    from assistant.index import build

    write_doc(corpus, "a.txt", "Cobalt exports from Congo were suspended in March 2025.")
    calls = []

    def failing_write(self, tmp, assembled):  # type: ignore[no-untyped-def]
        calls.append(1)
        raise IndexUnwritable("the disk is full")

    monkeypatch.setattr(build.IndexBuild, "_write", failing_write)
    events = list(keep_current(settings, HashEmbedder(), threading.Event(), _changes(CorpusChange(added=("x",)))))
    assert [type(e) for e in events] == [WatchProblem, WatchProblem] and len(calls) == 2
    assert "the disk is full" in events[0].message  # type: ignore[union-attr]


def test_a_build_held_by_another_process_is_waited_for(settings, corpus):
    from filelock import FileLock

    from assistant.index.layout import IndexLayout

    write_doc(corpus, "a.txt", "Cobalt exports from Congo were suspended in March 2025.")
    settings.paths.index_dir.mkdir(parents=True)
    held = threading.Event()

    def other_build() -> None:  # filelock's locks belong to a thread: held and released in one
        with FileLock(str(IndexLayout(settings.paths.index_dir).lock)):
            held.set()
            time.sleep(1.5)

    threading.Thread(target=other_build).start()
    held.wait(5)
    started = time.monotonic()
    events = list(keep_current(settings, HashEmbedder(), threading.Event(), _changes()))
    assert isinstance(events[0], IndexUpdated) and events[0].report.added == 1
    assert time.monotonic() - started >= 1.0


# -- the real watcher --------------------------------------------------------------------------


class Watching:
    """``keep_current`` with the real watcher in a thread, its events collected."""

    def __init__(self, settings: Settings) -> None:
        self.stop = threading.Event()
        self.events: list[IndexUpdated | WatchProblem] = []
        self.thread = threading.Thread(target=self._run, args=(settings,), daemon=True)
        self.thread.start()

    def _run(self, settings: Settings) -> None:
        for event in keep_current(settings, HashEmbedder(), self.stop):
            self.events.append(event)

    def wait_for(self, n: int, timeout: float = 20.0) -> list[IndexUpdated]:
        deadline = time.monotonic() + timeout
        while len(self.events) < n and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.events) >= n, f"{len(self.events)} builds, {n} expected"
        assert all(isinstance(e, IndexUpdated) for e in self.events), self.events
        return self.events  # type: ignore[return-value]

    def close(self) -> None:
        self.stop.set()
        self.thread.join(10)


@pytest.fixture
def fast(settings: Settings) -> Settings:
    return settings.replace(watch_settle_ms=150, watch_max_burst_ms=2000)


def test_added_changed_renamed_and_deleted_files_reach_the_index(fast, corpus):
    write_doc(corpus, "a.txt", "Cobalt exports from Congo were suspended in March 2025.")
    watching = Watching(fast)
    try:
        watching.wait_for(1)
        time.sleep(0.3)  # the watcher is running before the corpus changes
        write_doc(corpus, "b.txt", "Lithium prices fell by a third in 2024.")
        assert watching.wait_for(2)[1].report.added == 1
        (corpus / "b.txt").write_text("Lithium prices rose by a half in 2025.", encoding="utf-8")
        assert watching.wait_for(3)[2].report.updated == 1
        (corpus / "b.txt").rename(corpus / "c.txt")
        renamed = watching.wait_for(4)[3].report
        assert (renamed.added, renamed.removed) == (1, 1)
        (corpus / "a.txt").unlink()
        assert watching.wait_for(5)[4].report.removed == 1
        assert set(read_manifest(fast.paths.index_dir).documents) == {"c.txt"}
    finally:
        watching.close()


def test_a_half_written_download_is_indexed_whole_once_it_is_renamed(fast, corpus):
    watching = Watching(fast)
    try:
        watching.wait_for(1)
        time.sleep(0.3)
        part = corpus / "report.txt.part"
        part.write_text("The first half of the report. ", encoding="utf-8")
        time.sleep(0.6)
        assert len(watching.events) == 1  # a .part file is not a document: no build
        with part.open("a", encoding="utf-8") as fh:
            fh.write("The second half says copper output doubled.")
        part.rename(corpus / "report.txt")
        watching.wait_for(2)
        from assistant.index.document_text import indexed_text

        assert indexed_text(fast, "report.txt").endswith("copper output doubled.")
    finally:
        watching.close()


def test_copying_many_files_at_once_takes_a_few_builds(fast, corpus, tmp_path):
    source = tmp_path / "incoming"
    source.mkdir()
    for i in range(300):
        (source / f"note-{i:03}.txt").write_text(f"Note {i} on zinc smelting capacity in 2024.", encoding="utf-8")
    watching = Watching(fast)
    try:
        watching.wait_for(1)
        time.sleep(0.3)
        shutil.copytree(source, corpus / "incoming")
        deadline = time.monotonic() + 30
        while len(read_manifest(fast.paths.index_dir).documents) < 300 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.5)  # any build still to come has started by now
        builds = watching.events[1:]
        assert len(read_manifest(fast.paths.index_dir).documents) == 300
        assert 1 <= len(builds) <= 5, f"{len(builds)} builds for one copy"
    finally:
        watching.close()


def test_corpus_changes_stops_when_asked(fast, corpus):
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    started = time.monotonic()
    assert list(corpus_changes(fast, stop)) == [CorpusChange()]  # ready, then nothing
    assert time.monotonic() - started < 5


@pytest.mark.slow
@pytest.mark.integration
def test_briefing_watch_prints_a_line_per_update_and_ctrl_c_exits_0(corpus):
    write_doc(corpus, "a.txt", "Cobalt exports from Congo were suspended in March 2025.")
    env = {**os.environ, "BRIEFING_WATCH_SETTLE_MS": "150"}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "briefing"), "watch"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert "Index updated: 1 added" in first
        write_doc(corpus, "b.txt", "Lithium prices fell by a third in 2024.")
        assert "Index updated: 1 added" in proc.stdout.readline()
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "Traceback" not in err


def test_a_file_written_during_the_first_build_is_not_missed(fast, corpus):
    """The watcher is in place before the first build: what arrives meanwhile makes the next one."""
    write_doc(corpus, "a.txt", "Cobalt exports from Congo were suspended in March 2025.")

    class Slow(HashEmbedder):
        def embed_batch(self, texts):  # type: ignore[no-untyped-def]
            time.sleep(0.8)
            return super().embed_batch(texts)

    stop = threading.Event()
    events: list[IndexUpdated | WatchProblem] = []
    thread = threading.Thread(target=lambda: events.extend(keep_current(fast, Slow(), stop)), daemon=True)
    thread.start()
    time.sleep(0.5)  # the first build is embedding now
    write_doc(corpus, "b.txt", "Lithium prices fell by a third in 2024.")
    deadline = time.monotonic() + 20
    index_dir = fast.paths.index_dir
    while time.monotonic() < deadline and set(read_manifest(index_dir).documents if
                                              (index_dir / "CURRENT").exists() else ()) != {"a.txt", "b.txt"}:
        time.sleep(0.1)
    stop.set()
    thread.join(10)
    assert set(read_manifest(fast.paths.index_dir).documents) == {"a.txt", "b.txt"}
