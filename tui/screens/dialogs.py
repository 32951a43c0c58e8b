"""Small modal dialogs: export path, document scope, help."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
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


HELP_INTRO = """\
# Briefing

Type a question and press **Enter**. Every sentence of an answer is quoted from a
document and numbered **[n]**; when the documents do not cover a question, Briefing
says so instead of guessing. Follow-up questions ("How much is that company
investing?") are understood in the context of the previous one.
"""
"""The help screen's opening; the key tables below it are made from the bindings (tui/keys.py)."""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss(None)", "Close")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Markdown(self.text)
