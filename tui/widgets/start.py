"""The empty chat's start panel: the corpus at a glance and brief topics drawn from it.

Enter (or a click) on a topic opens a brief on it; typing a question instead dismisses the
panel. Topics and the overview are document data: shown literally.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from assistant.brief.topics import CorpusOverview
from tui.literal import literal
from tui.messages import TopicChosen


class StartPanel(Vertical):
    def __init__(self, overview: CorpusOverview) -> None:
        super().__init__(classes="start")
        self.overview = overview

    def compose(self) -> ComposeResult:
        yield Static(literal(f"Your corpus: {self.overview.describe()}. Ask a question below, or open a brief:"),
                     classes="start-overview")
        if self.overview.topics:
            yield OptionList(*[Option(literal(t), id=str(i)) for i, t in enumerate(self.overview.topics)],
                             classes="start-topics")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(TopicChosen(self.overview.topics[int(event.option.id or 0)]))
