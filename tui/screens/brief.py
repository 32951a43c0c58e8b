"""The Brief screen: key points, timeline, actors and sources on a topic, every line cited.

References are numbered ``[n]`` with the list below (the exported Markdown keeps footnotes);
the timeline is a list, so it wraps to the terminal. ``e`` saves the brief: the file name's
ending chooses Word (``.docx``, the default: what officials circulate) or Markdown (``.md``).
When the topic was briefed before on this index, ``n`` marks what is new since that brief
(and saves it so marked); ``n`` again shows the brief plain.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Markdown, Static

from assistant.brief.make import Brief
from assistant.export.brief import brief_markdown, write_docx
from tui.screens.dialogs import PromptDialog


class BriefScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back to chat"),
        Binding("ctrl+e,e", "export", "Save (Word or Markdown)",
                tooltip="Save the brief as Word (.docx) or Markdown (.md), by the file name's ending"),
        Binding("n", "toggle_new", "What's new",
                tooltip="Mark the key points and timeline rows from documents added or dated since the last brief"),
    ]

    def __init__(self, brief: Brief, exports_dir: Path, marked: Brief | None = None) -> None:
        super().__init__()
        self.plain = self.brief = brief
        self.marked = marked
        self.exports_dir = exports_dir
        self.note = brief_markdown(brief, references="list")

    def compose(self) -> ComposeResult:
        if self.marked is not None:
            yield Static(Content(self._offer()), id="brief-offer")
        with VerticalScroll(id="brief-body"):
            yield Markdown(self.note, id="brief-note")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``n`` is offered only when an earlier brief on the topic exists."""
        return self.marked is not None if action == "toggle_new" else True

    def action_toggle_new(self) -> None:
        if self.marked is None:
            return
        self.brief = self.plain if self.brief is self.marked else self.marked
        self.note = brief_markdown(self.brief, references="list")
        self.query_one("#brief-note", Markdown).update(self.note)
        offer = self.query_one("#brief-offer", Static)
        offer.update(Content("Showing what is new. Press n to show the brief without the marks."
                             if self.brief is self.marked else self._offer()))

    def _offer(self) -> str:
        return f"Press n to mark what is new since {self.marked.new_since if self.marked else 'then'}."

    def action_export(self) -> None:
        slug = "-".join("".join(ch if ch.isalnum() else " " for ch in self.brief.topic.lower()).split())[:40]
        default = self.exports_dir / f"brief-{slug or 'topic'}-{datetime.now():%Y%m%d-%H%M}.docx"
        self.app.push_screen(PromptDialog("Save the brief to (.docx for Word, .md for Markdown):", str(default)),
                             self._save)

    def _save(self, path: str | None) -> None:
        if not path:
            return
        target = Path(path).expanduser()
        if target.suffix.lower() not in (".docx", ".md", ".markdown"):
            self.notify("Give a file name ending in .docx (Word) or .md (Markdown).", severity="warning")
            return
        try:
            if target.suffix.lower() == ".docx":
                write_docx(self.brief, target)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(brief_markdown(self.brief), encoding="utf-8")
        except OSError as exc:
            self.notify(f"Cannot write {target}: {exc.strerror}", severity="error")
            return
        self.notify(f"Brief written to {target}")
