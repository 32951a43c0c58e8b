"""Data is never markup in the TUI or an export (docs/architecture.md, Guarantees)."""


from __future__ import annotations

from rich.text import Text
from textual.geometry import Region
from textual.widget import Widget

from assistant.answer.engine import Engine
from tests.fakes import HashEmbedder
from tests.helpers import build, write_doc
from tests.tui_helpers import ask, settle


def _strips(widget: Widget):  # type: ignore[no-untyped-def]
    """The lines the widget and everything inside it put on the screen."""
    for w in [widget, *widget.query("*")]:
        if w.size.width and w.size.height:
            yield from w.render_lines(Region(0, 0, w.size.width, w.size.height))


def _shown(widget: Widget) -> str:
    """What the widget puts on the screen, as plain text."""
    return "\n".join(strip.text for strip in _strips(widget))


MARKUP_NAMES = {
    "report [draft].txt": "The draft report says cobalt output rose in Congo during 2025.\n",
    "[bold red]HACKED memo.txt": "[reverse]Title of the memo\nThe memo says lithium prices fell in 2024.\n",
}


async def test_file_names_titles_and_text_are_literal_everywhere(settings, corpus):
    from textual.widgets import DataTable, SelectionList, Static

    from tui.app import BriefingApp
    from tui.screens.brief import BriefScreen
    from tui.screens.corpus import CorpusScreen
    from tui.screens.viewer import SourceViewer
    from tui.widgets.citations import CitationsPanel

    for name, text in MARKUP_NAMES.items():
        write_doc(corpus, name, text)
    build(settings, HashEmbedder())
    app = BriefingApp(settings.replace(refusal_threshold=0.1), engine_factory=lambda s: Engine(s, HashEmbedder()),
                      watch=False)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await settle(pilot)
        await ask(pilot, "What does the memo say about lithium prices in 2024?")
        panel = _shown(app.query_one(CitationsPanel))
        assert "[bold red]HACKED memo.txt" in panel and "[reverse]Title of the memo" in panel
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SourceViewer)
        title = app.screen.query_one("#viewer-title", Static)
        assert "[bold red]HACKED memo.txt" in _shown(title)
        await pilot.press("escape", "ctrl+d")
        await settle(pilot)
        assert isinstance(app.screen, CorpusScreen)
        table = app.screen.query_one(DataTable)
        await pilot.pause(0.3)
        shown = _shown(table)
        assert "report [draft].txt" in shown and "[bold red]HACKED memo.txt" in shown
        assert "[reverse]Title of the memo" in shown
        await pilot.press("escape", "ctrl+s")
        await pilot.pause()
        picker = app.screen.query_one(SelectionList)
        prompts = [str(picker.get_option_at_index(i).prompt) for i in range(picker.option_count)]
        assert prompts == ["[bold red]HACKED memo.txt", "report [draft].txt"]
        assert "[bold red]HACKED memo.txt" in _shown(picker)
        await pilot.press("escape")
        app.notify("Cannot write [bold red]HACKED memo.txt")
        await pilot.pause()
        toasts = " ".join(str(t.render()) for t in app.query("Toast"))
        assert "[bold red]HACKED memo.txt" in toasts
        app.query_one("#question").focus()
        app.query_one("#question").value = "/brief lithium prices memo"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BriefScreen)
        await pilot.pause(0.3)
        note = " ".join(_shown(w) for w in app.screen.query("MarkdownBlock"))
        assert "[bold red]HACKED memo.txt" in note or "[reverse]Title of the memo" in note


def test_markdown_exports_escape_what_markdown_would_interpret() -> None:
    from assistant.export.conversation import md_literal

    assert md_literal("[bold]x[/] *y* <b>z</b> a|b") == r"\[bold\]x\[/\] \*y\* \<b\>z\</b\> a\|b"
    assert "\x1b" not in md_literal("\x1b[2J")


def test_rich_text_is_how_the_tui_receives_data() -> None:
    from tui.literal import literal

    shown = literal("[bold]x\x1b")
    assert isinstance(shown, Text) and shown.plain == "[bold]x␛" and not shown.spans
