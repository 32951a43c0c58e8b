"""The TUI driven by Textual's Pilot, with the fake embedder (no model load)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.widgets import ProgressBar, Static, TextArea

from assistant.answer.engine import Engine
from assistant.export.conversation import md_literal
from assistant.settings import Settings
from tests.fakes import HashEmbedder
from tests.helpers import build
from tests.tui_helpers import NEWS, ask, gated_app, make_app, settle
from tui.app import BriefingApp
from tui.screens.corpus import CorpusScreen
from tui.screens.viewer import SourceViewer
from tui.widgets.chat import AnswerBubble, PendingBubble
from tui.widgets.citations import CitationsPanel


@pytest.fixture
def indexed(settings, corpus) -> Settings:
    (corpus / "news.txt").write_text(NEWS, encoding="utf-8")
    build(settings, HashEmbedder())
    return settings


async def test_ask_shows_answer_with_citations_and_sources(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await ask(pilot, "Where did Acme Robotics open a factory?")
        bubbles = list(app.query(AnswerBubble))
        assert len(bubbles) == 1 and not bubbles[0].has_class("refusal")
        answer = bubbles[0].answer
        assert answer.citations and "[1]" in answer.text and "Ohio" in answer.text
        panel_text = " ".join(str(w.render()) for w in app.query_one(CitationsPanel).query(".source-context"))
        assert "Acme Robotics opened a factory in Ohio" in panel_text
        assert bubbles[0].has_class("selected")


async def test_app_state_is_reactive_and_the_screen_follows_it(indexed):
    """Scope, selection, readiness and the question in flight are reactive attributes: each
    change updates what depends on it, with no handler keeping them in sync by hand."""
    from assistant.retrieval.hybrid import Scope

    app = make_app(indexed)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.chat.ready and app.chat.in_flight is None
        app.chat.scope = Scope(docs=("news.txt",))
        await pilot.pause()
        assert "news.txt" in app.chat.sub_title and app.chat.has_class("scoped")
        app.chat.scope = Scope()
        await pilot.pause()
        assert not app.chat.has_class("scoped")
        await ask(pilot, "Where did Acme Robotics open a factory?")
        await ask(pilot, "Who opened a factory in Ohio?")
        first, second = app.query(AnswerBubble)
        assert second.has_class("selected") and not first.has_class("selected")
        app.chat.selected = first.answer
        await pilot.pause()
        assert first.has_class("selected") and not second.has_class("selected")
        app.chat.selected = None
        await pilot.pause()
        assert not app.query(".selected")


async def test_open_citation_highlights_the_span_and_navigates(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await ask(pilot, "Acme Robotics factory Ohio battery research invest")
        answer = app.query_one(AnswerBubble).answer
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SourceViewer)
        area = app.screen.query_one(TextArea)
        assert area.selected_text == answer.citations[0].text
        if len(answer.citations) > 1:
            await pilot.press("n")
            await pilot.pause()
            assert area.selected_text == answer.citations[1].text
        await pilot.press("escape")
        assert not isinstance(app.screen, SourceViewer)


async def test_refusal_is_styled_with_nearest_material(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await ask(pilot, "What is the recipe for sourdough bread starter?")
        bubble = app.query_one(AnswerBubble)
        assert bubble.has_class("refusal") and bubble.answer.abstained
        assert bubble.query(".nearest")
        assert app.query_one(CitationsPanel).has_class("empty")


async def test_questions_typed_while_loading_are_queued_not_lost(indexed):
    gate = threading.Event()

    class SlowEngine(Engine):
        def warm(self) -> None:
            gate.wait(10)
            super().warm()

    app = BriefingApp(indexed.replace(refusal_threshold=0.2), engine_factory=lambda s: SlowEngine(s, HashEmbedder()),
                      watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.chat.has_class("loading")
        app.query_one("#question").value = "Where did Acme Robotics open a factory?"
        await pilot.press("enter")
        await pilot.pause()
        assert len(app.query(PendingBubble)) == 1 and not app.query(AnswerBubble)
        gate.set()
        await settle(pilot)
        assert "Ohio" in app.query_one(AnswerBubble).answer.text


async def test_rebuild_shows_progress_while_chat_keeps_answering(indexed, corpus):
    for i in range(3):
        (corpus / f"zinc{i}.txt").write_text(f"Zinc smelting report number {i} for the northern region.\n")
    app, release = gated_app(indexed, "zinc")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await pilot.pause(0.2)
        assert app.keeper.state.building and app.chat.has_class("building")
        assert app.query_one("#build-progress", ProgressBar).display
        # the chat still answers while the build waits on the embedder
        app.query_one("#question").value = "How much will Acme invest in battery research?"
        await pilot.press("enter")
        for _ in range(50):
            await pilot.pause(0.05)
            if app.query(AnswerBubble):
                break
        assert "$2 billion" in app.query_one(AnswerBubble).answer.text
        release.set()
        await settle(pilot)
        assert not app.keeper.state.building
        assert "zinc0.txt" in app.engine.index.manifest.documents


async def test_cancel_rebuild_keeps_the_old_index(indexed, corpus):
    (corpus / "zinc.txt").write_text("Zinc smelting report for the northern region.\n")
    app, release = gated_app(indexed, "zinc")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await pilot.pause(0.2)
        await pilot.press("ctrl+g")
        release.set()
        await settle(pilot)
        assert not app.keeper.state.building
        assert "zinc.txt" not in app.engine.index.manifest.documents


async def test_export_writes_footnotes_quoting_spans_verbatim(indexed, tmp_path: Path):
    app = make_app(indexed)
    target = tmp_path / "out" / "note.md"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await ask(pilot, "How much will Acme invest in battery research?")
        await pilot.press("ctrl+e")
        await pilot.pause()
        app.screen.query_one("#prompt-value").value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        answer = app.query_one(AnswerBubble).answer
    note = target.read_text(encoding="utf-8")
    assert note.startswith("# Briefing note") and "## How much will Acme invest" in note
    for i, c in enumerate(answer.citations, 1):
        assert f'[^{i}]: news.txt, characters {c.start}–{c.end}: "{md_literal(c.text)}"' in note
        assert NEWS[c.start : c.end] == c.text


async def test_control_sequences_and_markup_in_documents_render_literally(settings, corpus):
    (corpus / "evil.txt").write_text("Cobalt output \x1b[31mrose sharply[bold] in Congo during 2025.\n")
    build(settings, HashEmbedder())
    app = make_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await ask(pilot, "Cobalt output Congo 2025")
        shown = str(app.query_one(AnswerBubble).query_one(".answer-text").render())
        assert "␛[31mrose sharply[bold] in Congo" in shown and "\x1b" not in shown
        await pilot.press("tab", "enter")
        await pilot.pause()
        text = app.screen.query_one(TextArea).text
        assert "␛[31m" in text and "[bold]" in text and "\x1b" not in text


async def test_no_index_offers_a_build_then_answers(settings, corpus):
    (corpus / "news.txt").write_text(NEWS, encoding="utf-8")
    app = make_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.chat.has_class("no-index")
        assert "Ctrl+R" in str(app.query_one(".notice").render())
        await pilot.press("ctrl+r")
        await settle(pilot)
        await ask(pilot, "Where did Acme Robotics open a factory?")
        assert "Ohio" in app.query_one(AnswerBubble).answer.text


async def test_new_conversation_history_scope_and_screens(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await ask(pilot, "Where did Acme Robotics open a factory?")
        await pilot.press("up")
        assert app.query_one("#question").value == "Where did Acme Robotics open a factory?"
        app.query_one("#question").value = "/new"
        await pilot.press("enter")
        await pilot.pause()
        assert not app.query(AnswerBubble) and not app.chat.conversation.turns
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("space", "enter")
        await pilot.pause()
        assert app.chat.scope.docs == ("news.txt",) and "news.txt" in app.chat.sub_title
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert isinstance(app.screen, CorpusScreen)
        assert app.screen.query_one("DataTable").row_count == 1
        await pilot.press("escape", "f1")
        await pilot.pause()
        help_text = app.screen.query_one("Markdown").source
        for binding in BriefingApp.BINDINGS:  # the table is made from the bindings: none missing
            assert f"| {app.get_key_display(Binding(binding.key.split(',')[0], ''))}" in help_text
            assert binding.tooltip in help_text
        assert "| 1–9 | Open that citation [n]" in help_text and "Command palette" in help_text


async def test_brief_screen_numbers_references_and_saves_word_or_markdown(indexed, tmp_path: Path):
    import docx

    from tui.screens.brief import BriefScreen

    app = make_app(indexed)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await ask(pilot, "/brief Acme Robotics")
        screen = app.screen
        assert isinstance(screen, BriefScreen)
        assert "[^" not in screen.note and "## References" in screen.note and "\n1. news.txt" in screen.note
        for key, target in (("ctrl+e", tmp_path / "brief.docx"), ("e", tmp_path / "brief.md")):
            await pilot.press(key)
            await pilot.pause()
            app.screen.query_one("#prompt-value").value = str(target)
            await pilot.press("enter")
            await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#prompt-value").value = str(tmp_path / "brief.pdf")
        await pilot.press("enter")
        await pilot.pause()
    assert docx.Document(str(tmp_path / "brief.docx")).paragraphs[0].text == "Briefing: Acme Robotics"
    assert (tmp_path / "brief.md").read_text().startswith("# Briefing: Acme Robotics")
    assert "[^1]:" in (tmp_path / "brief.md").read_text() and not (tmp_path / "brief.pdf").exists()


async def test_a_topic_briefed_before_offers_what_is_new_since_then(indexed):
    """The first brief on a topic offers nothing; once briefed (here: long ago, before the corpus
    existed), ``n`` marks every line from documents added since, and ``n`` again unmarks them."""
    from datetime import UTC, datetime

    from assistant.brief.new_since import BriefHistory
    from tui.screens.brief import BriefScreen

    app = make_app(indexed)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await ask(pilot, "/brief Quantum sensors")  # another topic: no earlier brief
        assert isinstance(app.screen, BriefScreen) and app.screen.marked is None
        assert not app.screen.query("#brief-offer") and not app.screen.check_action("toggle_new", ())
        await pilot.press("escape")
        await settle(pilot)
        BriefHistory(indexed.paths.index_dir).record("acme robotics", datetime(2000, 1, 1, tzinfo=UTC))
        await ask(pilot, "/brief Acme  Robotics")  # case and spacing do not matter
        screen = app.screen
        assert isinstance(screen, BriefScreen) and screen.marked is not None
        assert "new since the last brief on this topic (2000-01-01 00:00 UTC)" in str(
            screen.query_one("#brief-offer", Static).render())
        assert "**New**" not in screen.note
        await pilot.press("n")
        await pilot.pause()
        assert "New since the last brief on this topic (2000-01-01 00:00 UTC)" in screen.note
        assert "- **New** " in screen.note
        await pilot.press("n")
        await pilot.pause()
        assert "**New**" not in screen.note
    assert BriefHistory(indexed.paths.index_dir).last("Acme Robotics").year >= 2026  # this brief is remembered


async def test_a_brief_the_corpus_does_not_cover_says_so_in_the_status_line(indexed):
    from tui.screens.brief import BriefScreen

    app = make_app(indexed)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await ask(pilot, "/brief [b]Zambian[/b] robotics")
        assert isinstance(app.screen, BriefScreen)
        assert "never mentions" in app.screen.note
        await pilot.press("escape")
        await settle(pilot)
        status = str(app.query_one("#status", Static).render())
        assert status == "Not in the sources: “[b]Zambian[/b] robotics”."  # literal, markup and all


async def test_rebuild_from_the_documents_screen_shows_progress_there(indexed, corpus):
    (corpus / "nickel.txt").write_text("Nickel output rose in Indonesia.\n")
    app, release = gated_app(indexed, "nickel")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+d")
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, CorpusScreen) and screen.has_class("building")
        assert screen.query_one("#corpus-progress", ProgressBar).display
        release.set()
        await settle(pilot)
        assert not screen.has_class("building")
        assert "nickel.txt" in app.engine.index.manifest.documents


def test_key_rows_merge_bindings_that_do_the_same_thing():
    from tui.keys import key_rows

    bindings = [Binding("a,b", "x", "Go", tooltip="Go somewhere"), Binding("c", "y", ""),
                *[Binding(str(n), f"open({n})", "Open", tooltip="Open it") for n in range(1, 4)]]
    assert key_rows(bindings, lambda b: b.key.upper()) == [("A or B", "Go somewhere"), ("1–3", "Open it")]


async def test_start_panel_offers_briefs_from_the_corpus_until_a_question_is_asked(indexed):
    from tui.screens.brief import BriefScreen

    app = make_app(indexed)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        topics = app.query_one(".start-topics")
        assert "1 document" in str(app.query_one(".start-overview").render())
        prompts = [str(topics.get_option_at_index(i).prompt)  # type: ignore[attr-defined]
                   for i in range(topics.option_count)]  # type: ignore[attr-defined]
        assert prompts[-1] == "Acme Robotics opened a factory in Ohio in March 2024. The plant employs 900 workers."
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BriefScreen) and app.screen.brief.topic == prompts[0]
        await pilot.press("escape")
        app.query_one("#question").focus()
        await ask(pilot, "Where did Acme Robotics open a factory?")
        assert not app.query(".start")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.query(".start")


async def test_the_tui_updates_its_index_when_the_corpus_changes(indexed, corpus):
    """The TUI watches by default: a new file is built in, the official is told what changed,
    and the next question is answered from it; the watcher stops with the app."""
    import asyncio

    from assistant.answer.engine import Engine as RealEngine

    app = BriefingApp(indexed.replace(refusal_threshold=0.2, watch_settle_ms=150),
                      engine_factory=lambda s: RealEngine(s, HashEmbedder()))
    notes: list[str] = []
    original_notify = app.notify

    def notify(message: str, **kwargs):  # type: ignore[no-untyped-def]
        notes.append(message)
        return original_notify(message, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test() as pilot:
        for _ in range(50):
            await pilot.pause(0.1)
            if app.chat.ready:
                break
        await pilot.pause(0.5)  # the watcher is in place
        (corpus / "zinc.txt").write_text("Zinc smelters in Peru doubled their output in 2025.\n", encoding="utf-8")
        for _ in range(100):
            await pilot.pause(0.1)
            if any(n.startswith("Index updated") for n in notes) and not app.keeper.state.building and app.chat.ready:
                break
        assert "Index updated: 1 added." in notes
        await asyncio.sleep(0.3)
        assert "zinc.txt" in app.engine.snapshot().documents
    assert app.keeper.closing.is_set()


async def test_a_corpus_of_many_documents_is_offered_themes_not_titles(settings, corpus):
    from tui.widgets.start import StartPanel

    for i in range(10):
        body = ("Cobalt smelters in Katanga raised cobalt output." if i % 2 else
                "Vaccine boosters raised antibody titres in trials.")
        (corpus / f"doc{i}.txt").write_text(f"Report number {i}\n\n{body}\n", encoding="utf-8")
    build(settings, HashEmbedder())
    app = make_app(settings)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        panel = app.query_one(StartPanel)
        assert panel.overview.themes and all(t.documents >= 2 for t in panel.overview.themes)
        offered = str(panel.query_one(".start-overview", Static).render())
        assert "open a brief on a theme" in offered
        assert panel.briefs == [t.topic for t in panel.overview.themes]


async def test_tab_up_and_down_walk_the_answers_and_lead_back_to_the_question_box(indexed):
    from tui.widgets.question_input import QuestionInput

    app = make_app(indexed)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await ask(pilot, "Where did Acme Robotics open a factory?")
        await ask(pilot, "How much will Acme invest in battery research?")
        first, second = app.query(AnswerBubble)
        box = app.query_one(QuestionInput)
        walk = []
        for key in ("tab", "up", "up", "down", "down", "tab", "escape"):
            await pilot.press(key)
            await pilot.pause()
            walk.append({first: "first", second: "second", box: "box"}.get(app.focused, "other"))  # type: ignore[call-overload]
        assert walk == ["second", "first", "first", "second", "box", "second", "box"]
        assert app.chat.selected is second.answer  # the answer focused last is the one selected


def test_slash_lines_name_an_action_a_brief_topic_or_nothing_known():
    from tui.slash import COMMANDS, Slash, slash

    assert slash("/BRIEF   Acme  Robotics ") == Slash(topic="Acme  Robotics")
    assert slash("/brief") == Slash(action="brief") and slash("/docs") == Slash(action="corpus")
    assert slash("/frobnicate now").unknown == f"Unknown command /frobnicate; try {', '.join(COMMANDS)}"
    assert set(COMMANDS.values()) <= {b.action for b in BriefingApp.BINDINGS}  # each runs a key's action


async def test_slash_commands_open_what_their_keys_open(indexed):
    from tui.screens.dialogs import HelpScreen, PromptDialog, ScopeDialog

    app = make_app(indexed)
    notes: list[str] = []
    original_notify = app.notify

    def notify(message: str, **kwargs):  # type: ignore[no-untyped-def]
        notes.append(message)
        return original_notify(message, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for line, opened in (("/help", HelpScreen), ("/docs", CorpusScreen), ("/brief", PromptDialog),
                             ("/scope", ScopeDialog), ("/export", None)):
            app.query_one("#question").value = line
            await pilot.press("enter")
            await settle(pilot)
            assert type(app.screen) is opened if opened else app.screen is app.chat, line
            await pilot.press("escape")
            await pilot.pause()
        assert notes[-1] == "Nothing to export yet: ask a question first."
        app.query_one("#question").value = "/frobnicate"
        await pilot.press("enter")
        await pilot.pause()
        assert notes[-1].startswith("Unknown command /frobnicate; try /new, /help")
