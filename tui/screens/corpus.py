"""Documents in the corpus, their index status, and the rebuild action.

A rebuild runs in the index keeper; this screen follows the keeper's state: its progress bar
while a build runs, the table read again when one ends.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, ProgressBar, Static

from assistant.errors import BriefingError
from assistant.index.status import StatusReport, corpus_status
from assistant.settings import Settings
from tui.index_keeper import IndexKeeper
from tui.index_state import BuildState
from tui.literal import literal


class CorpusScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back to chat"),
        Binding("ctrl+r,r", "app.rebuild", "Rebuild index"),
        Binding("ctrl+g,x", "app.cancel_build", "Cancel build"),
        Binding("f5", "refresh", "Refresh"),
    ]

    def __init__(self, settings: Settings, keeper: IndexKeeper) -> None:
        super().__init__()
        self.settings = settings
        self.keeper = keeper

    def compose(self) -> ComposeResult:
        yield Static("Documents", id="corpus-title")
        yield Static("Reading the corpus…", id="corpus-summary")
        yield ProgressBar(id="corpus-progress", show_eta=False)
        yield DataTable(id="corpus-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("document", "title", "date", "chunks", "status")
        self.action_refresh()
        self.watch(self.keeper, "state", self._follow_build)

    def _follow_build(self, before: BuildState, state: BuildState) -> None:
        self.set_class(state.building, "building")
        if state.step is not None:
            self.query_one("#corpus-progress", ProgressBar).update(total=max(state.step.total, 1),
                                                                   progress=state.step.done)
        if before.building and (not state.building or state.began_after(before)):
            self.action_refresh()  # a build ended: the statuses changed

    def action_refresh(self) -> None:
        self.load_status()

    @work(thread=True, exclusive=True, group="corpus-status")
    def load_status(self) -> None:
        try:
            report = corpus_status(self.settings)
        except BriefingError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self.show, report)

    def show(self, report: StatusReport) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for d in report.documents:
            status = d.state if not d.reason else f"{d.state}: {d.reason}"
            title = d.title if len(d.title) <= 50 else d.title[:49] + "…"
            table.add_row(literal(d.doc_id), literal(title), literal(d.date or ""), str(d.chunks or ""),
                          literal(status), key=d.doc_id)
        stale = len(report.stale)
        head = report.index_error or f"{report.chunks} chunks indexed with {report.model_id}"
        tail = f"; {stale} document(s) changed since the last build — press r to rebuild" if stale else ""
        self.query_one("#corpus-summary", Static).update(
            literal(f"{self.settings.paths.corpus_dir}: {len(report.documents)} file(s). {head}{tail}")
        )
