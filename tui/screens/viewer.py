"""The source viewer: a document opened at a cited span, the span selected."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static, TextArea
from textual.widgets.text_area import Selection

from assistant.text.printable import printable
from assistant.types import Answer
from tui.literal import literal


def _location(text: str, offset: int) -> tuple[int, int]:
    row = text.count("\n", 0, offset)
    col = offset - (text.rfind("\n", 0, offset) + 1)
    return row, col


class SourceViewer(Screen[None]):
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back to chat"),
        Binding("n,right", "step(1)", "Next citation"),
        Binding("p,left", "step(-1)", "Previous citation"),
    ]

    def __init__(self, answer: Answer, n: int, read_source) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.answer = answer
        self.index = n - 1
        self.read_source = read_source

    def compose(self) -> ComposeResult:
        yield Static(id="viewer-title")
        yield TextArea(read_only=True, soft_wrap=True, show_line_numbers=True, id="viewer-text")
        yield Footer()

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        c = self.answer.citations[self.index]
        text = self.read_source(c.doc_id)
        title = self.query_one("#viewer-title", Static)
        area = self.query_one(TextArea)
        total = len(self.answer.citations)
        page = f", {c.place}" if c.place else ""
        title.update(literal(f"[{c.n}/{total}] {c.doc_id} — characters {c.start}–{c.end}{page}"))
        title.set_class(text is None, "missing")
        if text is None:
            area.load_text("This document can no longer be read; rebuild the index.")
            return
        shown = printable(text)
        area.load_text(shown)
        start, end = _location(shown, c.start), _location(shown, c.end)
        area.selection = Selection(end, start)  # cursor at the span start, so it is what scrolls into view
        area.focus()
        self.call_after_refresh(area.scroll_cursor_visible, center=True, animate=False)

    def action_step(self, step: int) -> None:
        self.index = (self.index + step) % len(self.answer.citations)
        self.show()
