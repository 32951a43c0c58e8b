"""The Briefing terminal UI. It paints at once; the model and index load in a worker.

All retrieval and answering happens in ``assistant``; the TUI only wires widgets, workers and
messages together. The app is the frame, as in posting and toolong: it holds the settings and
the engine, the keys that work on every screen (the help screen and the command palette are
made from them), and it hands each key to the piece that owns its work: the chat screen
(``tui/screens/chat.py``: questions, answers, scope, export, briefs) or the index keeper
(``tui/index_keeper.py``: watching, rebuilding, cancelling).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from assistant.answer.engine import Engine
from assistant.settings import Settings
from assistant.text.printable import printable
from tui.index_keeper import IndexKeeper
from tui.keys import help_markdown
from tui.screens.brief import BriefScreen
from tui.screens.chat import ChatScreen
from tui.screens.corpus import CorpusScreen
from tui.screens.dialogs import HELP_INTRO, HelpScreen
from tui.screens.viewer import SourceViewer
from tui.terminal import exit_when_terminal_closes
from tui.widgets.chat import AnswerBubble
from tui.widgets.question_input import QuestionInput


class BriefingApp(App[None]):
    CSS_PATH = str(Path(__file__).with_name("app.tcss"))  # absolute, so subclasses elsewhere find it
    TITLE = "Briefing"
    # description: the footer's word; tooltip: the help screen's and the command palette's line.
    # They are the app's (not the chat screen's) so that they work, and show, on every screen.
    BINDINGS = [
        Binding("ctrl+n", "new_conversation", "New", tooltip="New conversation (also /new): forget earlier turns"),
        Binding("ctrl+o", "open_citation", "Open [1]", tooltip="Open citation [1] of the selected answer"),
        Binding("ctrl+s", "scope", "Scope", tooltip="Choose the documents to answer from (scope)"),
        # priority: the question box would otherwise take Ctrl+D/Ctrl+E (Delete and End still work there)
        Binding("ctrl+d", "corpus", "Documents", priority=True, tooltip="Documents and index status"),
        Binding("ctrl+r", "rebuild", "Rebuild", tooltip="Rebuild the index (only new and changed documents)"),
        Binding("ctrl+g", "cancel_build", "Cancel build", show=False,
                tooltip="Cancel the rebuild (the previous index stays)"),
        Binding("ctrl+e", "export", "Export", priority=True,
                tooltip="Export the conversation as a Markdown briefing note"),
        Binding("ctrl+b", "brief", "Brief",
                tooltip="A brief on a topic (also /brief TOPIC): key points, timeline, actors"),
        Binding("f1,question_mark", "help", "Help", tooltip="This help"),
        Binding("escape", "focus_question", "Question box", show=False, tooltip="Back to the question box"),
    ]

    def __init__(self, settings: Settings, engine_factory: Callable[[Settings], Engine] = Engine,
                 watch: bool = True) -> None:
        super().__init__()
        self.settings = settings
        self.engine = engine_factory(settings)
        self.keeper = IndexKeeper(settings, self.engine, watch)
        self.chat = ChatScreen(settings, self.engine, self.keeper)

    def get_default_screen(self) -> Screen[None]:
        return self.chat

    # -- keys the chat screen answers -------------------------------------------------------

    def action_new_conversation(self) -> None:
        self.chat.action_new_conversation()

    def action_open_citation(self) -> None:
        self.chat.action_open_citation()

    def action_scope(self) -> None:
        self.chat.action_scope()

    def action_export(self) -> None:
        self.chat.action_export()

    def action_brief(self) -> None:
        self.chat.action_brief()

    def action_focus_question(self) -> None:
        self.chat.action_focus_question()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A screen with its own export (the brief) gets Ctrl+E; the chat's export yields to it."""
        if action == "export" and "export" in {b.action for b in self.screen.BINDINGS if isinstance(b, Binding)}:
            return False
        return True

    # -- keys the index keeper answers ------------------------------------------------------

    def action_corpus(self) -> None:
        self.push_screen(CorpusScreen(self.settings, self.keeper))

    def action_rebuild(self) -> None:
        self.keeper.request_rebuild()

    def action_cancel_build(self) -> None:
        self.keeper.cancel()

    # -- help, notifications, the command palette -------------------------------------------

    def action_help(self) -> None:
        palette = Binding(self.COMMAND_PALETTE_BINDING, "command_palette", "Commands",
                          tooltip="Command palette: every action by name")
        sections = [("Chat", [*self.BINDINGS, palette, *App.BINDINGS]), ("Question box", QuestionInput.BINDINGS),
                    ("A selected answer", AnswerBubble.BINDINGS), ("Source viewer", SourceViewer.BINDINGS),
                    ("Documents", CorpusScreen.BINDINGS), ("Brief", BriefScreen.BINDINGS)]
        self.push_screen(HelpScreen(help_markdown(sections, self.get_key_display, HELP_INTRO)))

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notification is literal: its text names files and quotes errors about them.

        Screens' and widgets' ``notify`` come here too; ``markup`` is accepted for that signature
        and ignored."""
        super().notify(printable(message), title=printable(title), severity=severity, timeout=timeout, markup=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for binding in self.BINDINGS:
            if isinstance(binding, Binding) and binding.tooltip:
                yield SystemCommand(binding.description, binding.tooltip, partial(self.run_action, binding.action))


def run_app(settings: Settings, watch: bool = True) -> None:
    app = BriefingApp(settings, watch=watch)
    if sys.stdin.isatty():
        threading.Thread(target=exit_when_terminal_closes, args=(app,), daemon=True, name="tty-watch").start()
    app.run()
