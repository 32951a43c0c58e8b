"""Placeholder replaced by the real app below."""

from __future__ import annotations

from assistant.settings import Settings


def run_app(settings: Settings) -> None:
    raise SystemExit("TUI not built yet")
