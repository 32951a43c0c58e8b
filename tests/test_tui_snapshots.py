"""Snapshots of the main screens (fake embedder, so they are deterministic).

Regenerate after an intended visual change with: pytest tests/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest

from tests.fakes import HashEmbedder
from tests.helpers import build
from tests.tui_helpers import NEWS, ask, make_app, settle, steady

SIZE = (110, 32)


@pytest.fixture
def app(settings, corpus):
    (corpus / "news.txt").write_text(NEWS, encoding="utf-8")
    build(settings, HashEmbedder())
    return make_app(settings)


def test_snapshot_answer_with_sources(snap_compare, app):
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await steady(pilot)
        await settle(pilot)
        await ask(pilot, "How much will Acme invest in battery research?")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_snapshot_refusal(snap_compare, app):
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await steady(pilot)
        await settle(pilot)
        await ask(pilot, "What is the recipe for sourdough bread starter?")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_snapshot_source_viewer(snap_compare, app):
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await steady(pilot)
        await settle(pilot)
        await ask(pilot, "Where did Acme Robotics open a factory?")
        await pilot.press("tab", "enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_snapshot_help(snap_compare, app):
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await steady(pilot)
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_snapshot_brief(snap_compare, app, monkeypatch):
    import datetime as real

    class Frozen(real.datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[no-untyped-def, override]
            return cls(2026, 11, 30, 9, 0)

    monkeypatch.setattr("assistant.export.brief.datetime", Frozen)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await steady(pilot)
        await settle(pilot)
        pilot.app.query_one("#question").value = "/brief Acme Robotics"
        await pilot.press("enter")
        await steady(pilot)
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_snapshot_start_panel(snap_compare, app):
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await steady(pilot)
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
