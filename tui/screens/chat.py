"""The chat screen: questions and their cited answers, the sources panel, the status line.

It owns the conversation: the question queue (questions typed while the model loads wait for
it, and are answered one at a time), which answer is selected, the scope, the export, slash
commands, briefs and the start panel. Its long work (loading, answering, briefing, themes) runs
in thread workers calling ``tui/jobs.py``. The index keeper is mounted here, so it lives as long
as the app; whether the progress bar shows follows the keeper's state, and what the status line
and the bar say follows the messages the keeper lets bubble, in the order they happened.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from datetime import datetime
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, ProgressBar, Static

from assistant.answer.conversation import Conversation
from assistant.answer.engine import Engine
from assistant.answer.marked import answers_marking
from assistant.brief.topics import CorpusOverview
from assistant.brief.tuning import BRIEF
from assistant.export.conversation import conversation_markdown
from assistant.retrieval.hybrid import Scope
from assistant.settings import Settings
from assistant.text.printable import printable
from assistant.types import Answer
from tui import jobs
from tui.index_keeper import IndexKeeper
from tui.index_state import BuildState, Reason
from tui.literal import literal
from tui.messages import (
    AnswerFailed,
    AnswerReady,
    AnswerSelected,
    BriefFailed,
    BriefReady,
    BuildStarted,
    CitationRequested,
    EngineFailed,
    EngineReady,
    IndexBuilt,
    IndexFailed,
    IndexProgress,
    ThemesFound,
    TopicChosen,
    WatchingStopped,
)
from tui.screens.brief import BriefScreen
from tui.screens.dialogs import PromptDialog, ScopeDialog
from tui.screens.viewer import SourceViewer
from tui.slash import slash
from tui.widgets.chat import AnswerBubble, PendingBubble, Transcript
from tui.widgets.citations import CitationsPanel
from tui.widgets.question_input import QuestionInput
from tui.widgets.start import StartPanel

STAGES = {"scan": "Scanning corpus", "read": "Reading documents", "embed": "Embedding", "write": "Writing index"}
STARTED = {Reason.ASKED: "Rebuilding the index…", Reason.CHANGED: "The corpus changed: updating the index…"}


class ChatScreen(Screen[None]):
    ready: reactive[bool] = reactive(False, init=False)
    """The engine has an index and a model: questions are answered (queued ones start)."""
    scope: reactive[Scope] = reactive(Scope, init=False)
    """What questions and briefs are asked of; shown in the title bar."""
    in_flight: reactive[PendingBubble | None] = reactive(None, init=False)
    """The question being answered now (one at a time); the next queued one starts when it ends."""
    selected: reactive[Answer | None] = reactive(None, init=False, always_update=True)
    """The answer whose citations the side panel shows (Ctrl+O opens its first)."""

    def __init__(self, settings: Settings, engine: Engine, keeper: IndexKeeper) -> None:
        super().__init__()
        self.settings = settings
        self.engine = engine
        self.clearance = ""
        """The reader's clearance, shown in the header once the index is loaded."""
        self.keeper = keeper
        self.conversation = Conversation()
        self.answers: list[Answer] = []
        self.queue: deque[tuple[str, PendingBubble]] = deque()
        self.overview: CorpusOverview | None = None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal(id="main"):
            with Vertical(id="chat"):
                yield Transcript(id="transcript")
                with Horizontal(id="status-line"):
                    yield Static("Loading the index and the model…", id="status")
                    yield ProgressBar(id="build-progress", show_eta=False)
                yield QuestionInput(id="question")
            yield CitationsPanel(id="citations")
        yield Footer()
        yield self.keeper

    def on_mount(self) -> None:
        self.add_class("loading")
        self._show_scope()
        self.query_one(QuestionInput).focus()
        self.watch(self.keeper, "state", self._follow_build)
        self.load_engine()

    # -- loading (at start, and after each build) -----------------------------------------

    @work(thread=True, exclusive=True, group="engine")
    def load_engine(self) -> None:
        self.post_message(jobs.load(self.engine))

    def on_engine_ready(self, message: EngineReady) -> None:
        self.clearance = message.clearance
        self._show_scope()
        self.remove_class("loading", "no-index")
        self.status(f"Ready: {message.documents} document(s), {message.chunks} passages.")
        self.overview = message.overview
        self._show_start()
        self.ready = True  # queued questions start (``watch_ready``)
        if message.documents >= BRIEF.min_documents:
            self.find_themes()

    def on_engine_failed(self, message: EngineFailed) -> None:
        self.ready = False
        self.remove_class("loading")
        self.add_class("no-index")
        if message.index_missing:
            self.status("No index yet. Press Ctrl+R to build it from the corpus.")
            self.query_one(Transcript).add_notice(
                f"No index has been built for {self.settings.paths.corpus_dir}. Press Ctrl+R to build it now; "
                "questions you type meanwhile will wait for it.")
        else:
            self.status("The index cannot be used. Press Ctrl+R to rebuild it.")
            self.notify(message.error, severity="error", timeout=10)

    @work(thread=True, exclusive=True, group="themes")
    def find_themes(self) -> None:
        if (found := jobs.themes(self.engine)) is not None:
            self.post_message(found)

    def on_themes_found(self, message: ThemesFound) -> None:
        if self.overview is not None:
            self.overview = dataclasses.replace(self.overview, themes=message.themes)
            if self.query(StartPanel):
                self._show_start()

    def _show_start(self) -> None:
        """The start panel, while the conversation is empty."""
        if self.overview is not None and not self.answers and not self.queue and self.in_flight is None:
            self.query_one(Transcript).show_start(StartPanel(self.overview))

    def on_topic_chosen(self, message: TopicChosen) -> None:
        self.brief_on(message.topic)

    # -- asking ----------------------------------------------------------------------

    @on(Input.Submitted, "#question")
    async def submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        box = self.query_one(QuestionInput)
        box.value = ""
        if not text:
            return
        box.remember(text)
        if text.startswith("/"):
            command = slash(text)
            if command.topic:
                self.brief_on(command.topic)
            elif command.action:
                await self.app.run_action(command.action)
            else:
                self.notify(command.unknown or text, severity="warning")
            return
        waiting = "…" if self.ready else "Queued: waiting for the index and the model…"
        self.query_one(Transcript).hide_start()
        pending = self.query_one(Transcript).add_question(text, waiting)
        self.queue.append((text, pending))
        self._pump()

    def _pump(self) -> None:
        if self.ready and self.in_flight is None and self.queue:
            question, pending = self.queue.popleft()
            self.in_flight = pending
            pending.update("…")
            self.ask(question)

    @work(thread=True, exclusive=True, group="ask")
    def ask(self, question: str) -> None:
        self.post_message(jobs.answer(self.engine, question, self.conversation, self.scope))

    def on_answer_ready(self, message: AnswerReady) -> None:
        bubble = self.query_one(Transcript).add_answer(message.answer, self.in_flight)
        self.answers.append(message.answer)
        self.selected = bubble.answer
        self.in_flight = None  # the next queued question starts (``watch_in_flight``)

    def on_answer_failed(self, message: AnswerFailed) -> None:
        if self.in_flight is not None:
            self.in_flight.remove()
        self.notify(message.error, severity="error")
        self.in_flight = None

    def watch_ready(self, ready: bool) -> None:
        if ready:
            self._pump()

    def watch_in_flight(self, in_flight: PendingBubble | None) -> None:
        if in_flight is None:
            self._pump()

    # -- the selected answer and its citations ----------------------------------------------

    def on_answer_selected(self, message: AnswerSelected) -> None:
        if isinstance(message.answer_widget, AnswerBubble):
            self.selected = message.answer_widget.answer

    def watch_selected(self, selected: Answer | None) -> None:
        for bubble in self.query(AnswerBubble):
            bubble.set_class(selected is not None and bubble.answer is selected, "selected")
        self.query_one(CitationsPanel).show(selected)

    def on_citation_requested(self, message: CitationRequested) -> None:
        self.app.push_screen(SourceViewer(message.answer, message.n, self.engine.source_text))

    def action_open_citation(self) -> None:
        if self.selected is None or not self.selected.citations:
            self.notify("No cited answer is selected.", severity="warning")
            return
        self.app.push_screen(SourceViewer(self.selected, 1, self.engine.source_text))

    # -- conversation, scope, export --------------------------------------------------

    def action_new_conversation(self) -> None:
        self.conversation = Conversation()
        self.answers.clear()
        self.query_one(Transcript).clear()
        self.selected = None  # the side panel empties (``watch_selected``)
        self.status("New conversation.")
        self._show_start()

    def action_scope(self) -> None:
        if not self.ready:
            self.notify("The index is not loaded yet.", severity="warning")
            return
        documents = sorted(self.engine.snapshot().documents)
        self.app.push_screen(ScopeDialog(documents, self.scope.docs), self._set_scope)

    def _set_scope(self, docs: tuple[str, ...] | None) -> None:
        if docs is not None:
            self.scope = Scope(docs=docs)  # the title bar follows (``watch_scope``)

    def watch_scope(self, scope: Scope) -> None:
        self._show_scope()

    def _show_scope(self) -> None:
        clearance = f" · Clearance: {self.clearance}" if self.clearance else ""
        self.sub_title = printable(f"Scope: {self.scope.describe()}{clearance}")
        self.set_class(not self.scope.is_everything(), "scoped")

    def action_export(self) -> None:
        if not self.answers:
            self.notify("Nothing to export yet: ask a question first.", severity="warning")
            return
        default = self.settings.paths.exports_dir / f"briefing-{datetime.now():%Y%m%d-%H%M}.md"
        prompt = "Export the conversation as a Markdown briefing note to:"
        self.app.push_screen(PromptDialog(prompt, str(default)), self._export_to)

    def _export_to(self, path: str | None) -> None:
        if not path:
            return
        target = Path(path).expanduser()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            marking = answers_marking(self.engine.snapshot(), self.answers)
            target.write_text(conversation_markdown(self.answers, self.scope.describe(), marking=marking),
                              encoding="utf-8")
        except OSError as exc:
            self.notify(f"Cannot write {target}: {exc.strerror}", severity="error")
            return
        self.notify(f"Briefing note written to {target}")

    # -- briefs ----------------------------------------------------------------------

    def action_brief(self) -> None:
        self.app.push_screen(PromptDialog("Brief me on (a topic):"), self.brief_on)

    def brief_on(self, topic: str | None) -> None:
        if not topic:
            return
        if not self.ready:
            self.notify("The index is not loaded yet.", severity="warning")
            return
        self.status(f"Preparing a brief on “{topic}”…")
        self.make_brief(topic)

    @work(thread=True, exclusive=True, group="brief")
    def make_brief(self, topic: str) -> None:
        self.post_message(jobs.brief(self.engine, topic, self.scope))

    def on_brief_failed(self, message: BriefFailed) -> None:
        self.status(f"No brief on “{message.topic}”.")
        self.notify(message.error, severity="error")

    def on_brief_ready(self, message: BriefReady) -> None:
        brief = message.brief
        self.status(f"Not in the sources: “{brief.topic}”." if brief.not_covered else "Brief ready.")
        self.app.push_screen(BriefScreen(message.brief, self.settings.paths.exports_dir, message.marked))

    # -- the index keeper's news ---------------------------------------------------------

    def _follow_build(self, state: BuildState) -> None:
        """The progress bar shows while a build runs (the class is for styling only)."""
        self.set_class(state.building, "building")

    def on_build_started(self, message: BuildStarted) -> None:
        self.status(STARTED[message.reason])

    def on_index_progress(self, message: IndexProgress) -> None:
        """The bar and the words from the same step, so they never disagree."""
        step = message.step
        self.query_one("#build-progress", ProgressBar).update(total=max(step.total, 1), progress=step.done)
        self.status(f"{STAGES.get(step.stage, step.stage)} {step.done}/{step.total}")

    def on_index_built(self, _message: IndexBuilt) -> None:
        self.load_engine()  # questions already asked finish on the generation they took

    def on_index_failed(self, message: IndexFailed) -> None:
        self.status(message.error)

    def on_watching_stopped(self, message: WatchingStopped) -> None:
        self.status(message.error)

    # -- focus -------------------------------------------------------------------------

    def action_focus_question(self) -> None:
        self.query_one(QuestionInput).focus()

    def action_focus_answer(self, position: int) -> None:
        self.query_one(Transcript).focus_answer(position)

    def action_step_answer(self, step: int) -> None:
        if not self.query_one(Transcript).step_answer(step):
            self.action_focus_question()

    def status(self, text: str) -> None:
        self.query_one("#status", Static).update(literal(text))
