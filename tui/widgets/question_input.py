"""The question box, with shell-like history on up/down."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input


class QuestionInput(Input):
    BINDINGS = [
        Binding("up", "history(-1)", "Previous question", show=False, tooltip="Previous question from the history"),
        Binding("down", "history(1)", "Next question", show=False, tooltip="Next question from the history"),
        Binding("tab", "screen.focus_answer(-1)", "Answers", show=False, tooltip="Select the latest answer"),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(placeholder="Ask a question about your documents (F1 for help)", **kwargs)  # type: ignore[arg-type]
        self.history: list[str] = []
        self._cursor = 0

    def remember(self, question: str) -> None:
        if question and (not self.history or self.history[-1] != question):
            self.history.append(question)
        self._cursor = len(self.history)

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        self._cursor = max(0, min(len(self.history), self._cursor + step))
        self.value = self.history[self._cursor] if self._cursor < len(self.history) else ""
        self.cursor_position = len(self.value)
