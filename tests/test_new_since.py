"""``--new-since``: which lines of a brief come from documents added or dated after a point, and
the per-index memory of the last brief on each topic that ``last`` reads."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime

import pytest

from assistant.answer.engine import Engine
from assistant.brief.make import make_brief
from assistant.brief.new_since import BriefHistory, NewSince, is_new, parse_new_since, with_new_since
from assistant.errors import QuestionError
from assistant.export.json_output import brief_json
from assistant.types import DocInfo
from tests.fakes import HashEmbedder
from tests.helpers import build


def test_a_date_or_the_last_brief_on_the_topic(tmp_path):
    history = BriefHistory(tmp_path)
    assert parse_new_since("2025-03", "cobalt", history).when == datetime(2025, 3, 31, 23, 59, 59, 999999, UTC)
    with pytest.raises(QuestionError, match="no earlier brief on “cobalt”"):
        parse_new_since("last", "cobalt", history)
    with pytest.raises(QuestionError, match="neither a date"):
        parse_new_since("yesterday", "cobalt", history)
    history.record("Cobalt  Exports", datetime(2026, 1, 2, 3, 4, tzinfo=UTC))
    since = parse_new_since("LAST", "cobalt exports", history)
    assert since.when == datetime(2026, 1, 2, 3, 4, tzinfo=UTC) and "2026-01-02 03:04 UTC" in since.label


def test_a_damaged_history_is_set_aside_not_overwritten(tmp_path):
    history = BriefHistory(tmp_path)
    history.path.write_text("{not json", encoding="utf-8")
    assert history.last("cobalt") is None
    assert (tmp_path / "brief-history.json.damaged").read_text() == "{not json"
    history.record("cobalt")
    assert "cobalt" in json.loads(history.path.read_text())


def test_new_means_added_or_dated_after():
    since = NewSince(datetime(2026, 1, 1, tzinfo=UTC), "2025-12-31")
    before, after = datetime(2025, 6, 1, tzinfo=UTC).timestamp(), datetime(2026, 2, 1, tzinfo=UTC).timestamp()
    assert is_new(DocInfo("a", added_ns=int(after * 1e9)), since)
    assert not is_new(DocInfo("a", added_ns=int(before * 1e9)), since)
    assert is_new(DocInfo("a", date="2026-01-15", added_ns=int(before * 1e9)), since)
    assert not is_new(DocInfo("a", date="2025-12", added_ns=int(before * 1e9)), since)


def test_lines_from_a_document_added_after_the_last_brief_are_marked(settings, corpus):
    (corpus / "old.txt").write_text("Cobalt exports from Congo were suspended in March 2025.\n", encoding="utf-8")
    past = time.time() - 3600
    os.utime(corpus / "old.txt", (past, past))
    build(settings, HashEmbedder())
    engine = Engine(settings.replace(refusal_threshold=0.05), HashEmbedder())
    cut = datetime.now(UTC)
    time.sleep(0.05)
    (corpus / "new.txt").write_text("Cobalt prices doubled after the cobalt export suspension.\n", encoding="utf-8")
    build(settings, HashEmbedder())
    engine.reload()
    brief = make_brief(engine, "cobalt exports")
    marked = with_new_since(brief, NewSince(cut, "the last brief"), engine.snapshot().doc_info)
    assert marked.new_documents == frozenset({"new.txt"})
    data = brief_json(marked)
    assert {p["citation"]["doc"]: p["new"] for p in data["key_points"]} == {"old.txt": False, "new.txt": True}
    assert data["new_since"] == "the last brief" and "New since the last brief: 1 key point" in data["new_note"]
    assert "new" not in brief_json(brief)["key_points"][0]  # unmarked briefs carry no flag


def test_the_cli_marks_new_lines_and_refuses_a_bad_point_in_one_line(capsys, fake_scale, three_docs):
    from tests.helpers import run_cli

    run_cli(capsys, "index", "build")
    code, _out, err = run_cli(capsys, "brief", "gallium exports", "--new-since", "last")
    assert code == 2 and err.startswith("error: no earlier brief") and err.count("\n") == 1
    code, _out, err = run_cli(capsys, "brief", "gallium exports", "--new-since", "soon")
    assert code == 2 and "neither a date" in err and err.count("\n") == 1
    code, out, _err = run_cli(capsys, "brief", "gallium exports", "--json")  # remembered from here on
    assert code == 0 and "new_since" not in json.loads(out)
    code, out, _err = run_cli(capsys, "brief", "gallium exports", "--json", "--new-since", "last")
    data = json.loads(out)
    assert code == 0 and data["new_note"].startswith("Nothing new since the last brief on this topic")
    code, out, _err = run_cli(capsys, "brief", "gallium exports", "--json", "--new-since", "1999")
    assert code == 0 and all(p["new"] for p in json.loads(out)["key_points"])
