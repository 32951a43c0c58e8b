"""The Briefing terminal UI. It paints at once; the model and index load in a worker.

All retrieval and answering happens in ``assistant``; this module only wires widgets,
workers and messages together. It runs past 400 lines on purpose: it is the app's one
controller (its reactive state, the key bindings, the workers and a handler for each message
they post), and the screens and widgets it wires live in ``tui/screens`` and ``tui/widgets``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, ProgressBar, Static
from textual.worker import get_current_worker

from assistant.answer.conversation import Conversation
from assistant.answer.engine import Engine
from assistant.background import in_background
from assistant.brief.themes import MIN_DOCUMENTS
from assistant.brief.topics import CorpusOverview, corpus_overview
from assistant.errors import BriefingError, IndexMissing
from assistant.export.conversation import conversation_markdown
from assistant.index.build import IndexBuild
from assistant.index.watch import corpus_changes
from assistant.retrieval.hybrid import Scope
from assistant.settings import Settings
from assistant.text.printable import printable
from assistant.types import Answer
from tui.keys import help_markdown
from tui.literal import literal
from tui.messages import (
    AnswerFailed,
    AnswerReady,
    AnswerSelected,
    BriefFailed,
    BriefReady,
    CitationRequested,
    CorpusChanged,
    EngineFailed,
    EngineReady,
    IndexBuilt,
    IndexFailed,
    IndexProgress,
    ThemesFound,
    TopicChosen,
)
from tui.screens.brief import BriefScreen
from tui.screens.corpus import CorpusScreen
from tui.screens.dialogs import HELP_INTRO, HelpScreen, PromptDialog, ScopeDialog
from tui.screens.viewer import SourceViewer
from tui.widgets.chat import AnswerBubble, PendingBubble, Transcript
from tui.widgets.citations import CitationsPanel
from tui.widgets.question_input import QuestionInput
from tui.widgets.start import StartPanel

_STAGES = {"scan": "Scanning corpus", "read": "Reading documents", "embed": "Embedding", "write": "Writing index"}


class BriefingApp(App[None]):
    CSS_PATH = str(Path(__file__).with_name("app.tcss"))  # absolute, so subclasses elsewhere find it
    TITLE = "Briefing"
    # description: the footer's word; tooltip: the help screen's and the command palette's line.
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

    building: reactive[bool] = reactive(False)
    """A rebuild is running in the background (at most one at a time)."""
    ready: reactive[bool] = reactive(False, init=False)
    """The engine has an index and a model: questions are answered (queued ones start)."""
    scope: reactive[Scope] = reactive(Scope, init=False)
    """What questions and briefs are asked of; shown in the title bar."""
    in_flight: reactive[PendingBubble | None] = reactive(None, init=False)
    """The question being answered now (one at a time); the next queued one starts when it ends."""
    selected: reactive[Answer | None] = reactive(None, init=False, always_update=True)
    """The answer whose citations the side panel shows (Ctrl+O opens its first)."""

    def __init__(self, settings: Settings, engine_factory: Callable[[Settings], Engine] = Engine,
                 watch: bool = True) -> None:
        super().__init__()
        self.settings = settings
        self.watching = watch
        """Whether the corpus folder is watched: a change rebuilds the index (``CorpusChanged``)."""
        self._stop_watching = threading.Event()
        self._changed_while_building = False
        self._build_after_change = False
        self.engine = engine_factory(settings)
        self.conversation = Conversation()
        self.answers: list[Answer] = []
        self.queue: deque[tuple[str, PendingBubble]] = deque()
        self.overview: CorpusOverview | None = None

    # -- layout ----------------------------------------------------------------------

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

    def on_mount(self) -> None:
        self.add_class("loading")
        self._show_scope()
        self.query_one(QuestionInput).focus()
        self.load_engine()
        if self.watching:
            self.watch_corpus()

    def on_unmount(self) -> None:
        self._stop_watching.set()

    # -- the watched corpus ------------------------------------------------------------

    @work(thread=True, exclusive=True, group="watch")
    def watch_corpus(self) -> None:
        """Each burst of changes to the corpus, posted once its files have stopped changing. It
        stops when the app closes (``on_unmount``) or cancels its workers."""
        stop = _StopWhen(self._stop_watching, get_current_worker())
        try:
            for change in corpus_changes(self.settings, stop):
                if change:
                    self.post_message(CorpusChanged(len(change.added), len(change.modified), len(change.deleted)))
        except OSError as exc:  # the folder vanished or cannot be watched: say so, keep answering
            self.post_message(IndexFailed(f"Stopped watching the corpus: {exc.strerror or exc}"))

    def on_corpus_changed(self, _message: CorpusChanged) -> None:
        if self.building:
            self._changed_while_building = True  # one more build when this one ends, never two at once
            return
        self._build_after_change = True
        self.building = True
        self._status("The corpus changed: updating the index…")
        self.rebuild()

    # -- loading ---------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="engine")
    def load_engine(self) -> None:
        try:
            self.engine.reload()
            self.engine.warm()
            snap = self.engine.snapshot()
            overview = corpus_overview(snap.documents, snap.source_text)
            self.post_message(EngineReady(len(snap.documents), snap.passage_count, overview))
        except BriefingError as exc:
            self.post_message(EngineFailed(str(exc), isinstance(exc, IndexMissing)))

    def on_engine_ready(self, message: EngineReady) -> None:
        self.remove_class("loading", "no-index")
        self._status(f"Ready: {message.documents} document(s), {message.chunks} passages.")
        self.overview = message.overview
        self._show_start()
        self.ready = True  # queued questions start (``watch_ready``)
        if message.documents >= MIN_DOCUMENTS:
            self.find_themes()

    @work(thread=True, exclusive=True, group="themes")
    def find_themes(self) -> None:
        """Themes spanning a corpus of many documents: seconds on thousands, so after loading."""
        from assistant.brief.themes import themes_of

        try:
            themes = themes_of(self.engine.snapshot())
        except (BriefingError, OSError, RuntimeError, ValueError):
            return  # the titles stay on offer
        if themes:
            self.post_message(ThemesFound(themes))

    def on_themes_found(self, message: ThemesFound) -> None:
        if self.overview is not None:
            self.overview = dataclasses.replace(self.overview, themes=message.themes)
            if self.query(StartPanel):
                self._show_start()

    def _show_start(self) -> None:
        """The start panel, while the conversation is empty."""
        transcript = self.query_one(Transcript)
        if self.overview is not None and not self.answers and not self.queue and self.in_flight is None:
            transcript.show_start(StartPanel(self.overview))

    def on_topic_chosen(self, message: TopicChosen) -> None:
        self._brief_on(message.topic)

    def on_engine_failed(self, message: EngineFailed) -> None:
        self.ready = False
        self.remove_class("loading")
        self.add_class("no-index")
        if message.index_missing:
            self._status("No index yet. Press Ctrl+R to build it from the corpus.")
            self.query_one(Transcript).add_notice(
                f"No index has been built for {self.settings.corpus_dir}. Press Ctrl+R to build it now; "
                "questions you type meanwhile will wait for it.")
        else:
            self._status("The index cannot be used. Press Ctrl+R to rebuild it.")
            self.notify(message.error, severity="error", timeout=10)

    # -- asking ----------------------------------------------------------------------

    @on(Input.Submitted, "#question")
    def submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        box = self.query_one(QuestionInput)
        box.value = ""
        if not text:
            return
        box.remember(text)
        if text.startswith("/"):
            self._slash(text)
            return
        waiting = "…" if self.ready else "Queued: waiting for the index and the model…"
        self.query_one(Transcript).hide_start()
        pending = self.query_one(Transcript).add_question(text, waiting)
        self.queue.append((text, pending))
        self._pump()

    def _slash(self, command: str) -> None:
        actions = {"/new": self.action_new_conversation, "/help": self.action_help, "/export": self.action_export,
                   "/scope": self.action_scope, "/docs": self.action_corpus, "/rebuild": self.action_rebuild,
                   "/brief": self.action_brief}
        name, _, rest = command.partition(" ")
        if name.lower() == "/brief" and rest.strip():
            self._brief_on(rest.strip())
            return
        action = actions.get(name.lower())
        if action is None:
            self.notify(f"Unknown command {command.split()[0]}; try {', '.join(actions)}", severity="warning")
        else:
            action()

    def _pump(self) -> None:
        if self.ready and self.in_flight is None and self.queue:
            question, pending = self.queue.popleft()
            self.in_flight = pending
            pending.update("…")
            self.ask(question)

    @work(thread=True, exclusive=True, group="ask")
    def ask(self, question: str) -> None:
        try:
            answer = self.engine.ask(question, self.conversation, self.scope)
        except BriefingError as exc:
            self.post_message(AnswerFailed(question, str(exc)))
            return
        self.post_message(AnswerReady(answer))

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

    # -- citations -------------------------------------------------------------------

    def on_answer_selected(self, message: AnswerSelected) -> None:
        if isinstance(message.answer_widget, AnswerBubble):
            self.selected = message.answer_widget.answer

    def on_citation_requested(self, message: CitationRequested) -> None:
        self.push_screen(SourceViewer(message.answer, message.n, self.engine.source_text))

    def action_open_citation(self) -> None:
        if self.selected is None or not self.selected.citations:
            self.notify("No cited answer is selected.", severity="warning")
            return
        self.push_screen(SourceViewer(self.selected, 1, self.engine.source_text))

    # -- conversation, scope, export --------------------------------------------------

    def action_new_conversation(self) -> None:
        self.conversation = Conversation()
        self.answers.clear()
        self.query_one(Transcript).clear()
        self.selected = None  # the side panel empties (``watch_selected``)
        self._status("New conversation.")
        self._show_start()

    def action_scope(self) -> None:
        if not self.ready:
            self.notify("The index is not loaded yet.", severity="warning")
            return
        documents = sorted(self.engine.snapshot().documents)
        self.push_screen(ScopeDialog(documents, self.scope.docs), self._set_scope)

    def _set_scope(self, docs: tuple[str, ...] | None) -> None:
        if docs is not None:
            self.scope = Scope(docs=docs)  # the title bar follows (``watch_scope``)

    def _show_scope(self) -> None:
        self.sub_title = printable(f"Scope: {self.scope.describe()}")
        self.set_class(not self.scope.is_everything(), "scoped")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A screen with its own export (the brief) gets Ctrl+E; the chat's export yields to it."""
        if action == "export" and "export" in {b.action for b in self.screen.BINDINGS if isinstance(b, Binding)}:
            return False
        return True

    def action_export(self) -> None:
        if not self.answers:
            self.notify("Nothing to export yet: ask a question first.", severity="warning")
            return
        default = self.settings.exports_dir / f"briefing-{datetime.now():%Y%m%d-%H%M}.md"
        prompt = "Export the conversation as a Markdown briefing note to:"
        self.push_screen(PromptDialog(prompt, str(default)), self._export_to)

    def _export_to(self, path: str | None) -> None:
        if not path:
            return
        target = Path(path).expanduser()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(conversation_markdown(self.answers, self.scope.describe()), encoding="utf-8")
        except OSError as exc:
            self.notify(f"Cannot write {target}: {exc.strerror}", severity="error")
            return
        self.notify(f"Briefing note written to {target}")

    # -- briefs ----------------------------------------------------------------------

    def action_brief(self) -> None:
        self.push_screen(PromptDialog("Brief me on (a topic):"), self._brief_on)

    def _brief_on(self, topic: str | None) -> None:
        if not topic:
            return
        if not self.ready:
            self.notify("The index is not loaded yet.", severity="warning")
            return
        self._status(f"Preparing a brief on “{topic}”…")
        self.make_brief(topic)

    @work(thread=True, exclusive=True, group="brief")
    def make_brief(self, topic: str) -> None:
        from assistant.brief.new_since import follow

        try:
            made = follow(self.engine, topic, self.scope)
        except BriefingError as exc:
            self.post_message(BriefFailed(topic, str(exc)))
            return
        self.post_message(BriefReady(made.brief, made.since_last))

    def on_brief_failed(self, message: BriefFailed) -> None:
        self._status(f"No brief on “{message.topic}”.")
        self.notify(message.error, severity="error")

    def on_brief_ready(self, message: BriefReady) -> None:
        brief = message.brief
        self._status(f"Not in the sources: “{brief.topic}”." if brief.not_covered else "Brief ready.")
        self.push_screen(BriefScreen(message.brief, self.settings.exports_dir, message.marked))

    # -- corpus and index ------------------------------------------------------------

    def action_corpus(self) -> None:
        self.push_screen(CorpusScreen(self.settings))

    def watch_ready(self, ready: bool) -> None:
        if ready:
            self._pump()

    def watch_in_flight(self, in_flight: PendingBubble | None) -> None:
        if in_flight is None:
            self._pump()

    def watch_scope(self, scope: Scope) -> None:
        self._show_scope()

    def watch_selected(self, selected: Answer | None) -> None:
        for bubble in self.query(AnswerBubble):
            bubble.set_class(selected is not None and bubble.answer is selected, "selected")
        self.query_one(CitationsPanel).show(selected)

    def watch_building(self, building: bool) -> None:
        self.set_class(building, "building")  # the class is for styling only; state is ``building``

    def action_rebuild(self) -> None:
        if self.building:
            self.notify("A rebuild is already running (Ctrl+G cancels it).", severity="warning")
            return
        self.building = True
        self._build_after_change = False
        self._status("Rebuilding the index…")
        self.rebuild()

    def action_cancel_build(self) -> None:
        if not self.building:
            self.notify("No rebuild is running.")
            return
        for worker in self.workers:
            if worker.group == "index":
                worker.cancel()

    @work(thread=True, exclusive=True, group="index")
    def rebuild(self) -> None:
        worker = get_current_worker()
        # Its own model session with one thread, in a thread of its own at a lower priority:
        # questions asked during the rebuild keep a core and the engine's session to themselves.
        job = IndexBuild(self.settings, self.engine.embedder.for_background())
        try:
            steps = in_background(job.run)
            for step in steps:
                if worker.is_cancelled:
                    steps.close()
                    self.post_message(IndexFailed("Rebuild cancelled; the previous index is unchanged.", True))
                    return
                self.post_message(IndexProgress(step.stage, step.done, step.total))
        except BriefingError as exc:
            self.post_message(IndexFailed(str(exc)))
            return
        self.post_message(IndexBuilt(job.report, self._build_after_change))

    def on_index_progress(self, message: IndexProgress) -> None:
        bar = self.query_one("#build-progress", ProgressBar)
        bar.update(total=max(message.total, 1), progress=message.done)
        if isinstance(self.screen, CorpusScreen):
            self.screen.show_progress(message.done, message.total)
        self._status(f"{_STAGES.get(message.stage, message.stage)} {message.done}/{message.total}")

    def on_index_built(self, message: IndexBuilt) -> None:
        self.building = False
        r = message.report
        skipped = f", {len(r.skipped)} skipped" if r.skipped else ""
        if message.after_change:
            counts = [f"{n} {what}" for n, what in ((r.added, "added"), (r.updated, "updated"),
                                                     (r.removed, "removed")) if n]
            if counts:
                self.notify(f"Index updated: {', '.join(counts)}{skipped}.")
        else:
            self.notify(f"Index rebuilt: {r.added} added, {r.updated} updated, {r.removed} removed, "
                        f"{r.chunks_embedded} passages indexed{skipped}.")
        self.load_engine()  # questions already asked finish on the generation they took
        if isinstance(self.screen, CorpusScreen):
            self.screen.build_finished()
        self._build_again_if_changed()

    def _build_again_if_changed(self) -> None:
        if self._changed_while_building:
            self._changed_while_building = False
            self.on_corpus_changed(CorpusChanged(0, 0, 0))

    def on_index_failed(self, message: IndexFailed) -> None:
        self.building = False
        if isinstance(self.screen, CorpusScreen):
            self.screen.build_finished()
        self._status(message.error)
        self.notify(message.error, severity="warning" if message.cancelled else "error")
        self._build_again_if_changed()

    # -- misc ------------------------------------------------------------------------

    def action_help(self) -> None:
        palette = Binding(self.COMMAND_PALETTE_BINDING, "command_palette", "Commands",
                          tooltip="Command palette: every action by name")
        sections = [("Chat", [*self.BINDINGS, palette, *App.BINDINGS]), ("Question box", QuestionInput.BINDINGS),
                    ("A selected answer", AnswerBubble.BINDINGS), ("Source viewer", SourceViewer.BINDINGS),
                    ("Documents", CorpusScreen.BINDINGS), ("Brief", BriefScreen.BINDINGS)]
        self.push_screen(HelpScreen(help_markdown(sections, self.get_key_display, HELP_INTRO)))

    def action_focus_question(self) -> None:
        self.query_one(QuestionInput).focus()

    def action_focus_answer(self, position: int) -> None:
        bubbles = list(self.query(AnswerBubble))
        topics = self.query(".start-topics")
        if not bubbles and topics:
            topics.first().focus()
        elif bubbles:
            bubbles[position].focus()
            bubbles[position].scroll_visible(animate=False)

    def _step_answer(self, step: int) -> None:
        bubbles = list(self.query(AnswerBubble))
        if isinstance(self.focused, AnswerBubble) and self.focused in bubbles:
            at = bubbles.index(self.focused) + step
            if 0 <= at < len(bubbles):
                self.action_focus_answer(at)
            elif at >= len(bubbles):
                self.action_focus_question()

    def action_focus_previous_answer(self) -> None:
        self._step_answer(-1)

    def action_focus_next_answer(self) -> None:
        self._step_answer(1)

    def _status(self, text: str) -> None:
        self.query_one("#status", Static).update(literal(text))

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notification is literal: its text names files and quotes errors about them.

        Screens' ``notify`` comes here too; ``markup`` is accepted for that signature and ignored."""
        super().notify(printable(message), title=printable(title), severity=severity, timeout=timeout, markup=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for binding in self.BINDINGS:
            if isinstance(binding, Binding) and binding.tooltip:
                yield SystemCommand(binding.description, binding.tooltip, partial(self.run_action, binding.action))


class _StopWhen:
    """An event that is also set once the worker is cancelled (the app is closing)."""

    def __init__(self, event: threading.Event, worker: Any) -> None:
        self.event, self.worker = event, worker

    def is_set(self) -> bool:
        return self.event.is_set() or bool(self.worker.is_cancelled)

    def wait(self, timeout: float | None = None) -> bool:
        deadline = time.monotonic() + (timeout or 0)
        while not self.is_set() and time.monotonic() < deadline:
            self.event.wait(0.05)
        return self.is_set()


def run_app(settings: Settings, watch: bool = True) -> None:
    app = BriefingApp(settings, watch=watch)
    if sys.stdin.isatty():
        threading.Thread(target=_exit_when_terminal_closes, args=(app,), daemon=True, name="tty-watch").start()
    app.run()


def _exit_when_terminal_closes(app: BriefingApp) -> None:
    """Quit when the terminal goes away (window closed, tmux session killed).

    Under `make run` no hang-up signal reaches the app, and Textual's input thread would
    spin on the dead terminal; so poll the terminal and the parent process instead.
    """
    fd = sys.stdin.fileno()
    parent = os.getppid()
    while True:
        time.sleep(1.0)
        try:
            os.tcgetpgrp(fd)
            gone = os.getppid() != parent
        except OSError:
            gone = True
        if gone:
            with contextlib.suppress(RuntimeError):  # the app may already be closing
                app.call_from_thread(app.exit)
            return
