"""Helpers for tests that drive the TUI with Pilot (shared by the TUI, snapshot and reliability tests)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from textual.widgets import Input

from assistant.answer.engine import Engine
from assistant.settings import Settings
from tests.fakes import HashEmbedder
from tui.app import BriefingApp

NEWS = (
    "Acme Robotics opened a factory in Ohio in March 2024. The plant employs 900 workers.\n"
    "Acme Robotics plans to invest $2 billion in battery research over five years.\n"
    "Zebra Foods sells frozen dumplings across Europe.\n"
)


def make_app(settings: Settings, embedder: HashEmbedder | None = None, watch: bool = False) -> BriefingApp:
    tuned = settings.replace(refusal_threshold=0.2, **({"watch_settle_ms": 150} if watch else {}))
    shared = embedder or HashEmbedder()
    return BriefingApp(tuned, engine_factory=lambda s: Engine(s, shared), watch=watch)


class GatedEmbedder(HashEmbedder):
    """Holds any batch mentioning ``word`` until ``release`` is set: a rebuild that is still running."""

    def __init__(self, word: str, release: threading.Event) -> None:
        super().__init__(batch_size=1)
        self.word = word
        self.release = release

    def embed_batch(self, texts):  # type: ignore[no-untyped-def]
        if any(self.word in t.lower() for t in texts):
            self.release.wait(10)
        return super().embed_batch(texts)


def gated_app(indexed: Settings, word: str, watch: bool = False) -> tuple[BriefingApp, threading.Event]:
    """An app whose rebuilds hang on documents mentioning ``word`` until the event is set."""
    release = threading.Event()
    return make_app(indexed, GatedEmbedder(word, release), watch), release


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def steady(pilot) -> None:  # type: ignore[no-untyped-def]
    """Stop every input's cursor from blinking: a snapshot must not depend on how long the test took to get there
    (on a loaded machine the cursor had blinked off by the time the screen was captured).

    The snapshot's ``run_before`` starts as soon as the app is ready, and the chat screen composes
    its widgets in its own first turn, after that: so wait for the screen, or there is no input yet."""
    await until(pilot, lambda: pilot.app.screen.is_mounted)
    for box in pilot.app.query(Input):
        box.cursor_blink = False
    await pilot.pause()


async def ask(pilot, question: str) -> None:  # type: ignore[no-untyped-def]
    pilot.app.query_one("#question").value = question
    await pilot.press("enter")
    await settle(pilot)


async def until(pilot, condition: Callable[[], object], seconds: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    """Wait (in 50 ms steps, the app running) until ``condition()`` holds; fail after ``seconds``."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"still not true after {seconds} s")
