"""Small modal dialogs: export path, document scope, help."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Markdown, SelectionList, Static

from tui.literal import literal


class PromptDialog(ModalScreen[str | None]):
    """Asks for one line (a file name, a topic); Enter accepts, Escape cancels."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, prompt: str, value: str = "", hint: str = "Enter to accept, Escape to cancel.") -> None:
        super().__init__()
        self.prompt = prompt
        self.value = value
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.prompt), classes="dialog-title")
            yield Input(value=self.value, id="prompt-value")
            yield Static(literal(self.hint), classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)


class ScopeDialog(ModalScreen[tuple[str, ...] | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel"), Binding("ctrl+a", "all", "All documents")]

    def __init__(self, documents: list[str], selected: tuple[str, ...]) -> None:
        super().__init__()
        self.documents = documents
        self.selected = selected

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Answer only from these documents (space toggles, Enter applies; none = all):",
                         classes="dialog-title")
            yield SelectionList[str](*[(literal(d), d, d in self.selected) for d in self.documents], id="scope-list")
            yield Button("Apply", id="apply", variant="primary")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key == "enter":
            event.stop()
            self._apply()

    def on_button_pressed(self) -> None:
        self._apply()

    def action_all(self) -> None:
        self.dismiss(())

    def _apply(self) -> None:
        self.dismiss(tuple(self.query_one(SelectionList).selected))


HELP = """\
# Briefing

Type a question and press **Enter**. Every sentence of an answer is quoted from a
document and numbered **[n]**; when the documents do not cover a question, Briefing
says so instead of guessing.

| Key | Action |
|---|---|
| Enter | Ask the question |
| Up / Down | Previous / next question from the history |
| Tab / Shift+Tab | Move between the question box and the answers |
| 1–9 or Enter on an answer | Open that citation in the source viewer |
| Ctrl+O | Open citation [1] of the selected answer |
| n / p (viewer) | Next / previous citation; Escape returns to the chat |
| Ctrl+N or /new | Start a new conversation |
| Ctrl+S | Choose documents to answer from (scope) |
| Ctrl+D | Documents and index status |
| Ctrl+R / Ctrl+G | Rebuild the index / cancel the rebuild |
| Ctrl+E | Export the conversation as a Markdown briefing note |
| Ctrl+B or /brief TOPIC | A briefing on a topic: key points, timeline, actors |
| Ctrl+P | Command palette (every action) |
| F1 or ? | This help |
| Ctrl+Q | Quit |

Follow-up questions ("How much is that company investing?") are understood in the
context of the previous question.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss(None)", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Markdown(HELP)
