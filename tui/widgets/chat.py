"""The chat transcript: the official's questions and Briefing's answers."""

from __future__ import annotations

import re

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Collapsible, Static

from assistant.text.printable import printable
from assistant.types import Answer
from tui.messages import AnswerSelected, CitationRequested

_MARKER = re.compile(r"\[(\d+)\]")


class QuestionBubble(Static):
    def __init__(self, question: str) -> None:
        super().__init__(Text(printable(question)), classes="question")


class PendingBubble(Static):
    """Shown while an answer is being prepared (or queued until the model is loaded)."""

    def __init__(self, label: str) -> None:
        super().__init__(Text(label), classes="pending")


class AnswerBubble(Widget, can_focus=True):
    """One answer; focus it to show its sources, press a digit or enter to open a citation."""

    COMPONENT_CLASSES = {"answer--marker"}
    BINDINGS = [
        Binding("enter", "open(1)", "Open [1]", tooltip="Open citation [1] in the source viewer"),
        Binding("up", "screen.step_answer(-1)", "Previous answer", show=False),
        Binding("down", "screen.step_answer(1)", "Next answer", show=False),
        Binding("tab", "screen.focus_question", "Question box", show=False, tooltip="Back to the question box"),
        *[Binding(str(n), f"open({n})", "Open [n]", show=False, tooltip="Open that citation [n] in the source viewer")
          for n in range(1, 10)],
    ]

    def __init__(self, answer: Answer) -> None:
        super().__init__(classes="answer")
        self.answer = answer
        self.set_class(answer.abstained, "refusal")

    def compose(self):  # type: ignore[no-untyped-def]
        body = Static(self._body_text(), classes="answer-text")
        yield body
        if self.answer.abstained and self.answer.nearest:
            with Collapsible(title="Nearest material (not an answer)", collapsed=True, classes="nearest"):
                for hit in self.answer.nearest:
                    c = hit.chunk
                    yield Static(Text(f"{c.doc_id} [{c.start}:{c.end}]\n{printable(' '.join(c.text.split()))}"))
        if self.answer.notes:
            yield Static(Text(" ".join(self.answer.notes)), classes="notes")

    def _body_text(self) -> Text:
        if self.answer.abstained:
            return Text("Not in the sources — " + self.answer.text)
        text = Text(printable(self.answer.text))
        style = self.get_component_rich_style("answer--marker", partial=True) if self.is_mounted else None
        text.highlight_regex(_MARKER, style=style or "bold")
        return text

    def on_mount(self) -> None:
        self.query_one(".answer-text", Static).update(self._body_text())

    def on_focus(self) -> None:
        self.post_message(AnswerSelected(self, self.answer))

    def on_click(self) -> None:
        self.focus()

    def action_open(self, n: int) -> None:
        if 1 <= n <= len(self.answer.citations):
            self.post_message(CitationRequested(self.answer, n))


class Transcript(VerticalScroll, can_focus=False):
    """Holds the bubbles; always scrolled to the latest exchange. Tab moves between answers."""

    def add_question(self, question: str, waiting: str) -> PendingBubble:
        self.mount(QuestionBubble(question))
        pending = PendingBubble(waiting)
        self.mount(pending)
        self.scroll_end(animate=False)
        return pending

    def add_answer(self, answer: Answer, replacing: PendingBubble | None) -> AnswerBubble:
        bubble = AnswerBubble(answer)
        if replacing is not None and replacing.is_attached:
            self.mount(bubble, after=replacing)
            replacing.remove()
        else:
            self.mount(bubble)
        self.scroll_end(animate=False)
        return bubble

    def add_notice(self, text: str, classes: str = "notice") -> None:
        self.mount(Static(Text(text), classes=classes))
        self.scroll_end(animate=False)

    def clear(self) -> None:
        self.remove_children()

    def show_start(self, panel: Widget) -> None:
        self.hide_start()
        self.mount(panel)

    def hide_start(self) -> None:
        for panel in self.query(".start"):
            panel.remove()

    def focus_answer(self, position: int) -> None:
        """Focus answer ``position`` (-1: the latest); with none yet, the start panel's topics."""
        bubbles = list(self.query(AnswerBubble))
        if bubbles:
            bubbles[position].focus()
            bubbles[position].scroll_visible(animate=False)
        elif topics := self.query(".start-topics"):
            topics.first().focus()

    def step_answer(self, step: int) -> bool:
        """Move the focus ``step`` answers on from the focused one; False when that runs past the
        latest answer (the question box comes next)."""
        bubbles = list(self.query(AnswerBubble))
        focused = self.screen.focused
        if isinstance(focused, AnswerBubble) and focused in bubbles:
            at = bubbles.index(focused) + step
            if at >= len(bubbles):
                return False
            if at >= 0:
                self.focus_answer(at)
        return True
