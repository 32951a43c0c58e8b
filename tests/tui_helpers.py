"""Helpers for tests that drive the TUI with Pilot (shared by the TUI, snapshot and reliability tests)."""

from __future__ import annotations

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


def make_app(settings: Settings, embedder: HashEmbedder | None = None) -> BriefingApp:
    tuned = settings.replace(refusal_threshold=0.2)
    shared = embedder or HashEmbedder()
    return BriefingApp(tuned, engine_factory=lambda s: Engine(s, shared), watch=False)


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def steady(pilot) -> None:  # type: ignore[no-untyped-def]
    """Stop every input's cursor from blinking: a snapshot must not depend on how long the test took to get there
    (on a loaded machine the cursor had blinked off by the time the screen was captured)."""
    for box in pilot.app.query(Input):
        box.cursor_blink = False
    await pilot.pause()


async def ask(pilot, question: str) -> None:  # type: ignore[no-untyped-def]
    pilot.app.query_one("#question").value = question
    await pilot.press("enter")
    await settle(pilot)
