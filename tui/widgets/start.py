"""The empty chat's start panel: the corpus at a glance and brief topics drawn from it: titles
and headings of a few documents, themes spanning many (``brief.themes``).

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
        themes = self.overview.themes
        offer = "open a brief on a theme" if themes else "open a brief"
        yield Static(literal(f"Your corpus: {self.overview.describe()}. Ask a question below, or {offer}:"),
                     classes="start-overview")
        labels = [t.label for t in themes] if themes else list(self.overview.topics)
        if labels:
            yield OptionList(*[Option(literal(label), id=str(i)) for i, label in enumerate(labels)],
                             classes="start-topics")

    @property
    def briefs(self) -> list[str]:
        """What each offered line briefs on: a theme's words, or a title or heading."""
        return [t.topic for t in self.overview.themes] if self.overview.themes else list(self.overview.topics)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(TopicChosen(self.briefs[int(event.option.id or 0)]))
