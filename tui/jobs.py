"""The long work behind the chat screen's workers, as plain functions.

Each runs in a thread worker, calls the core and returns the message saying what happened
(``tui/messages.py``), which the worker posts. Kept apart from the screen so that what the
work is can be read without Textual's worker plumbing around it, and the screen stays about
what is shown. The index keeper's build stays in the keeper: it reports progress and can be
cancelled half-way.
"""

from __future__ import annotations

from assistant.answer.conversation import Conversation
from assistant.answer.engine import Engine
from assistant.brief.topics import corpus_overview
from assistant.errors import BriefingError, IndexMissing
from assistant.retrieval.hybrid import Scope
from tui.messages import (
    AnswerFailed,
    AnswerReady,
    BriefFailed,
    BriefReady,
    EngineFailed,
    EngineReady,
    ThemesFound,
)


def load(engine: Engine) -> EngineReady | EngineFailed:
    """The index and the model, loaded (again, after a build) and warmed."""
    try:
        engine.reload()
        engine.warm()
        snap = engine.snapshot()
        overview = corpus_overview(snap.documents, snap.source_text)
    except BriefingError as exc:
        return EngineFailed(str(exc), isinstance(exc, IndexMissing))
    clearance = snap.scheme.clearance_label(snap.clearance) if snap.scheme and snap.clearance else ""
    return EngineReady(len(snap.documents), snap.passage_count, overview, clearance)


def themes(engine: Engine) -> ThemesFound | None:
    """Themes spanning a corpus of many documents: seconds on thousands, so after loading."""
    from assistant.brief.themes import themes_of

    try:
        found = themes_of(engine.snapshot())
    except (BriefingError, OSError, RuntimeError, ValueError):
        return None  # the titles stay on offer
    return ThemesFound(found) if found else None


def answer(engine: Engine, question: str, conversation: Conversation, scope: Scope) -> AnswerReady | AnswerFailed:
    try:
        return AnswerReady(engine.ask(question, conversation, scope))
    except BriefingError as exc:
        return AnswerFailed(question, str(exc))


def brief(engine: Engine, topic: str, scope: Scope) -> BriefReady | BriefFailed:
    """A brief as every front end makes one, with what is new since the last brief on the topic."""
    from assistant.brief.new_since import follow

    try:
        made = follow(engine, topic, scope)
    except BriefingError as exc:
        return BriefFailed(topic, str(exc))
    return BriefReady(made.brief, made.since_last)
