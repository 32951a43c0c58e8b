"""The Brief screen: key points, timeline and actors on a topic, as a cited note."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown

from assistant.brief import Brief
from assistant.textsafe import printable


class BriefScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back to chat"),
        Binding("ctrl+e,e", "export", "Save as Markdown"),
    ]

    def __init__(self, brief: Brief, exports_dir: Path) -> None:
        super().__init__()
        self.brief = brief
        self.exports_dir = exports_dir
        self.note = printable(brief.to_markdown())

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="brief-body"):
            yield Markdown(self.note, id="brief-note")
        yield Footer()

    def action_export(self) -> None:
        slug = "-".join("".join(ch if ch.isalnum() else " " for ch in self.brief.topic.lower()).split())[:40]
        target = self.exports_dir / f"brief-{slug or 'topic'}-{datetime.now():%Y%m%d-%H%M}.md"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(self.note, encoding="utf-8")
        except OSError as exc:
            self.notify(f"Cannot write {target}: {exc.strerror}", severity="error")
            return
        self.notify(f"Brief written to {target}")
