"""Messages the workers post, each named for what happened.

The chat screen's workers post to the chat screen; the index keeper's to the keeper, which acts
on them and lets them bubble on to the chat screen (its status line) and the app.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.widget import Widget

from assistant.brief.make import Brief
from assistant.brief.themes import Theme
from assistant.brief.topics import CorpusOverview
from assistant.index.build import BuildReport
from assistant.index.plan import BuildProgress
from assistant.types import Answer
from tui.index_state import Reason


@dataclass
class EngineReady(Message):
    """The index and the model are loaded; questions can be answered."""

    documents: int
    chunks: int
    overview: CorpusOverview
    clearance: str = ""
    """The reader's clearance as the marking scheme writes it ("" without a scheme)."""


@dataclass
class TopicChosen(Message):
    """The official picked a suggested brief topic on the start panel."""

    topic: str


@dataclass
class EngineFailed(Message):
    """Loading failed (no index, corrupt index...); ``index_missing`` offers a build."""

    error: str
    index_missing: bool


@dataclass
class AnswerReady(Message):
    answer: Answer


@dataclass
class AnswerFailed(Message):
    question: str
    error: str


@dataclass
class BuildStarted(Message):
    """The index keeper began a build, asked for or after a change to the corpus."""

    reason: Reason


@dataclass
class IndexProgress(Message):
    """A build moved on; only the latest one matters, so a queued one is replaced."""

    step: BuildProgress

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, IndexProgress)


@dataclass
class IndexBuilt(Message):
    report: BuildReport


@dataclass
class CorpusChanged(Message):
    """Files were added, changed or removed in the corpus folder (once they stopped changing)."""

    added: int
    modified: int
    deleted: int


@dataclass
class IndexFailed(Message):
    """A build failed or was cancelled; the previous index stays in use."""

    error: str
    cancelled: bool = False


@dataclass
class WatchingStopped(Message):
    """The corpus folder can no longer be watched (it vanished...); questions are still answered."""

    error: str


@dataclass
class AnswerSelected(Message):
    """An answer in the transcript got focus; the sources panel follows it."""

    answer_widget: Widget
    answer: Answer


@dataclass
class CitationRequested(Message):
    """The official asked to open citation ``n`` of ``answer`` in the source viewer."""

    answer: Answer
    n: int


@dataclass
class ThemesFound(Message):
    """Themes spanning the corpus were found (after the index loaded): the start panel offers them."""

    themes: tuple[Theme, ...]


@dataclass
class BriefReady(Message):
    brief: Brief
    marked: Brief | None = None
    """The same brief with what is new since the last brief on its topic marked, when there was
    one on this index (``brief.new_since``): the Brief screen offers it."""


@dataclass
class BriefFailed(Message):
    """A brief could not be made; unlike a failed answer, no question bubble is involved."""

    topic: str
    error: str
