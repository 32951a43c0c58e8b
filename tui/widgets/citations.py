"""The sources panel: the citations of the selected answer, each in its passage."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from assistant.text.printable import printable
from assistant.types import Answer, Citation


def citation_text(c: Citation, highlight_style: str = "reverse") -> Text:
    """The passage around a citation, the cited span highlighted (offsets are absolute)."""
    context = c.context if c.context_start <= c.start and c.end <= c.context_end else c.text
    offset = c.context_start if context is c.context else c.start
    text = Text(printable(context))
    text.stylize(highlight_style, c.start - offset, c.end - offset)
    return text


class CitationsPanel(VerticalScroll, can_focus=False):
    DEFAULT_CLASSES = "empty"

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static("Sources of the selected answer appear here.", classes="placeholder")

    def show(self, answer: Answer | None) -> None:
        self.remove_children()
        if answer is None or not answer.citations:
            self.add_class("empty")
            message = "No sources: the corpus does not cover this question." if answer else \
                "Sources of the selected answer appear here."
            self.mount(Static(message, classes="placeholder"))
            return
        self.remove_class("empty")
        for c in answer.citations:
            where = f"{c.doc_id}  chars {c.start}–{c.end}" + (f", {c.place}" if c.place else "")
            dated = f" · {c.date}" if c.date else ""
            self.mount(Static(Text(f"[{c.n}] {printable(c.title)}{dated}"), classes="source-title"))
            self.mount(Static(Text(printable(where)), classes="source-where"))
            self.mount(Static(citation_text(c), classes="source-context"))
        self.scroll_home(animate=False)
