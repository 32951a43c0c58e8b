"""The index keeper: its state value and every transition, alone and driven through the app by Pilot.

Each Pilot test records the keeper's states (why a build runs, whether another follows it, which
build it is), the notifications and the status line, so a transition taken wrongly (a second build
beside the first, a change lost, a keeper stuck "building" after a failure) shows in what is recorded.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pytest
from filelock import FileLock

from assistant.errors import IndexUnwritable
from assistant.index.layout import IndexLayout
from assistant.index.plan import BuildProgress
from assistant.settings import Settings
from tests.fakes import HashEmbedder
from tests.helpers import build
from tests.tui_helpers import NEWS, GatedEmbedder, ask, gated_app, make_app, settle, until
from tui.app import BriefingApp
from tui.index_keeper import CANCELLED
from tui.index_state import IDLE, BuildState, Reason
from tui.messages import CorpusChanged
from tui.widgets.chat import AnswerBubble

ASKED, CHANGED = Reason.ASKED, Reason.CHANGED
STEP = BuildProgress("embed", 1, 2)


@pytest.fixture
def indexed(settings, corpus) -> Settings:
    (corpus / "news.txt").write_text(NEWS, encoding="utf-8")
    build(settings, HashEmbedder())
    return settings


# -- the state value alone -------------------------------------------------------------------


def test_each_event_moves_the_state_as_documented():
    asked = IDLE.asked()
    assert (asked.running, asked.again, asked.serial) == (ASKED, False, 1)
    assert asked.asked() is asked  # a second request while one runs is not queued
    assert asked.progressed(STEP).step == STEP and IDLE.progressed(STEP) == IDLE
    behind = asked.progressed(STEP).changed()
    assert (behind.running, behind.again, behind.serial) == (ASKED, True, 1)
    assert behind.changed() == behind  # two changes during one build: one more build, not two
    follows = behind.ended()
    assert (follows.running, follows.again, follows.step, follows.serial) == (CHANGED, False, None, 2)
    assert follows.began_after(behind) and not behind.began_after(asked)
    assert follows.ended() == BuildState(serial=2) and not follows.ended().building
    assert asked.ended() == BuildState(serial=1)
    assert IDLE.changed() == BuildState(running=CHANGED, serial=1)
    with pytest.raises(ValueError):
        BuildState(again=True)  # idle with a build to follow: not a state


# -- the keeper in the app -----------------------------------------------------------------


@dataclass
class Record:
    """What the official was shown while the keeper worked, and the keeper's states in order."""

    states: list[tuple[Reason | None, bool, int]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    status: list[str] = field(default_factory=list)

    def of(self, app: BriefingApp) -> Record:
        notify, status = app.notify, app.chat.status

        def noted(message: str, **kwargs):  # type: ignore[no-untyped-def]
            self.notes.append((message, kwargs.get("severity", "information")))
            return notify(message, **kwargs)

        def said(text: str) -> None:
            self.status.append(text)
            status(text)

        app.notify = noted  # type: ignore[method-assign]
        app.chat.status = said  # type: ignore[method-assign]
        return self

    def watch(self, app: BriefingApp) -> None:
        """From now on, every state the keeper moves to (progress steps of one build count once)."""

        def moved(state: BuildState) -> None:
            entry = (state.running, state.again, state.serial)
            if not self.states or self.states[-1] != entry:
                self.states.append(entry)

        app.chat.watch(app.keeper, "state", moved, init=False)

    def said_in_order(self, *texts: str) -> bool:
        at = 0
        for line in self.status:
            if at < len(texts) and line.startswith(texts[at]):
                at += 1
        return at == len(texts)


def embedding(app: BriefingApp) -> bool:
    """The running build has scanned the corpus and is embedding (held there by the gate)."""
    step = app.keeper.state.step
    return step is not None and step.stage == "embed"


async def quiet(pilot) -> None:  # type: ignore[no-untyped-def]
    """``settle`` for an app that watches: the watcher's worker never completes, so wait for the others."""
    await until(pilot, lambda: not [w for w in pilot.app.workers if w.group != "watch" and not w.is_finished])
    await pilot.pause()


def index_workers(app: BriefingApp) -> int:
    return sum(1 for w in app.workers if w.group == "index" and not w.is_finished)


async def test_a_rebuild_asked_while_watching_runs_alone_and_the_watcher_carries_on(indexed, corpus):
    (corpus / "zinc.txt").write_text("Zinc smelting report for the northern region.\n", encoding="utf-8")
    app, release = gated_app(indexed, "zinc", watch=True)
    record = Record().of(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.chat.ready)
        await pilot.pause(0.5)  # the watcher is in place
        record.watch(app)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: embedding(app))
        await pilot.press("ctrl+r")  # one build at a time: refused, not queued
        await pilot.pause(0.2)
        assert index_workers(app) == 1
        release.set()
        await until(pilot, lambda: not app.keeper.state.building)
        await quiet(pilot)
        (corpus / "nickel.txt").write_text("Nickel output rose in Indonesia.\n", encoding="utf-8")
        await until(pilot, lambda: app.keeper.state.serial == 2 and not app.keeper.state.building)
        await quiet(pilot)
        assert {"zinc.txt", "nickel.txt"} <= set(app.engine.snapshot().documents)
    assert record.states == [(ASKED, False, 1), (None, False, 1), (CHANGED, False, 2), (None, False, 2)]
    notes = [n for n in record.notes if n[0].startswith(("A rebuild", "Index"))]
    assert notes[0] == ("A rebuild is already running (Ctrl+G cancels it).", "warning")
    assert notes[1][0].startswith("Index rebuilt: 1 added, 0 updated, 0 removed,") and notes[1][1] == "information"
    assert notes[2:] == [("Index updated: 1 added.", "information")]
    assert record.said_in_order("Rebuilding the index…", "Embedding", "Ready: 2 document(s)",
                                "The corpus changed: updating the index…", "Ready: 3 document(s)")


async def test_a_change_during_a_rebuild_is_built_after_it_never_beside_it(indexed, corpus):
    (corpus / "zinc.txt").write_text("Zinc smelting report for the northern region.\n", encoding="utf-8")
    app, release = gated_app(indexed, "zinc", watch=True)
    record = Record().of(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.chat.ready)
        await pilot.pause(0.5)  # the watcher is in place
        record.watch(app)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: embedding(app))  # its scan is done: the new file is not in it
        (corpus / "nickel.txt").write_text("Nickel output rose in Indonesia.\n", encoding="utf-8")
        await until(pilot, lambda: app.keeper.state.again)
        assert app.keeper.state.running is ASKED and index_workers(app) == 1
        release.set()
        await until(pilot, lambda: app.keeper.state.serial == 2 and not app.keeper.state.building)
        await quiet(pilot)
        assert {"zinc.txt", "nickel.txt"} <= set(app.engine.snapshot().documents)
    assert record.states == [(ASKED, False, 1), (ASKED, True, 1), (CHANGED, False, 2), (None, False, 2)]
    told = [n for n, _ in record.notes if n.startswith("Index")]
    assert told[0].startswith("Index rebuilt: 1 added,") and told[1:] == ["Index updated: 1 added."]
    assert record.said_in_order("Rebuilding the index…", "The corpus changed: updating the index…",
                                "Ready: 3 document(s)")


async def test_cancel_stops_the_build_at_its_next_step_and_the_keeper_can_build_again(indexed, corpus):
    (corpus / "zinc.txt").write_text("Zinc smelting report for the northern region.\n", encoding="utf-8")
    app, release = gated_app(indexed, "zinc")
    record = Record().of(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        record.watch(app)
        await pilot.press("ctrl+g")  # nothing to cancel
        await pilot.press("ctrl+r")
        await until(pilot, lambda: embedding(app))
        await pilot.press("ctrl+g")
        await pilot.pause(0.1)
        assert app.keeper.state.building  # the worker is held in a batch: it stops when that returns
        release.set()
        await settle(pilot)
        assert not app.keeper.state.building
        assert "zinc.txt" not in app.engine.snapshot().documents
        assert record.states == [(ASKED, False, 1), (None, False, 1)]
        await pilot.press("ctrl+r")  # not stuck: the next rebuild runs
        await settle(pilot)
        assert "zinc.txt" in app.engine.snapshot().documents
    assert record.states[2:] == [(ASKED, False, 2), (None, False, 2)]
    assert record.notes[0] == ("No rebuild is running.", "information")
    assert (CANCELLED, "warning") in record.notes
    assert record.said_in_order("Rebuilding the index…", CANCELLED, "Rebuilding the index…", "Ready: 2 document(s)")


class FailsOnce(GatedEmbedder):
    """The first batch mentioning ``word`` waits for ``release``, then the build fails (a full disk, say)."""

    def __init__(self, word: str, release: threading.Event) -> None:
        super().__init__(word, release)
        self.failed = False

    def embed_batch(self, texts):  # type: ignore[no-untyped-def]
        if not self.failed and any(self.word in t.lower() for t in texts):
            self.release.wait(10)
            self.failed = True
            raise IndexUnwritable("cannot write the index: no space left on the device")
        return super().embed_batch(texts)


async def test_a_failed_rebuild_is_told_and_a_change_during_it_is_still_built(indexed, corpus):
    (corpus / "zinc.txt").write_text("Zinc smelting report for the northern region.\n", encoding="utf-8")
    release = threading.Event()
    app = make_app(indexed, FailsOnce("zinc", release))
    record = Record().of(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        record.watch(app)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: embedding(app))
        app.keeper.post_message(CorpusChanged(1, 0, 0))  # as the watcher posts it
        await until(pilot, lambda: app.keeper.state.again)
        release.set()
        await until(pilot, lambda: app.keeper.state.serial == 2 and not app.keeper.state.building)
        await settle(pilot)
        assert "zinc.txt" in app.engine.snapshot().documents
    assert record.states == [(ASKED, False, 1), (ASKED, True, 1), (CHANGED, False, 2), (None, False, 2)]
    error = "cannot write the index: no space left on the device"
    assert (error, "error") in record.notes and ("Index updated: 1 added.", "information") in record.notes
    # the failure is said, then the build that follows it (not the other way round)
    assert record.said_in_order("Rebuilding the index…", error, "The corpus changed: updating the index…",
                                "Ready: 2 document(s)")


async def test_a_rebuild_refused_by_the_index_lock_leaves_the_old_index_answering(indexed, corpus):
    (corpus / "zinc.txt").write_text("Zinc smelting report for the northern region.\n", encoding="utf-8")
    app = make_app(indexed)
    record = Record().of(app)
    lock = FileLock(str(IndexLayout(indexed.paths.index_dir).lock))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        record.watch(app)
        with lock:  # another build holds the index (``briefing index build`` in another terminal)
            await pilot.press("ctrl+r")
            await settle(pilot)
        assert record.states == [(ASKED, False, 1), (None, False, 1)]
        assert record.notes[-1][0].startswith("another build is running") and record.notes[-1][1] == "error"
        assert record.status[-1] == record.notes[-1][0]
        await ask(pilot, "Where did Acme Robotics open a factory?")
        assert "Ohio" in app.query_one(AnswerBubble).answer.text
        await pilot.press("ctrl+r")  # the lock is free: the keeper builds
        await settle(pilot)
        assert "zinc.txt" in app.engine.snapshot().documents
    assert record.states[2:] == [(ASKED, False, 2), (None, False, 2)]
