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
from assistant.types import DocInfo, DocMeta
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
    assert history.last("cobalt") is not None
    assert json.loads(history.path.read_text().splitlines()[0])["brief_history"] == 2


def test_new_means_added_or_dated_after():
    since = NewSince(datetime(2026, 1, 1, tzinfo=UTC), "2025-12-31")
    before, after = datetime(2025, 6, 1, tzinfo=UTC).timestamp(), datetime(2026, 2, 1, tzinfo=UTC).timestamp()
    assert is_new(DocInfo(DocMeta("a"), added_ns=int(after * 1e9)), since)
    assert not is_new(DocInfo(DocMeta("a"), added_ns=int(before * 1e9)), since)
    assert is_new(DocInfo(DocMeta("a", date="2026-01-15"), added_ns=int(before * 1e9)), since)
    assert not is_new(DocInfo(DocMeta("a", date="2025-12"), added_ns=int(before * 1e9)), since)


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


# -- the history itself: bounded, private, appended (issue 35, defect 9) -----------------------------


def _lines(history: BriefHistory) -> list[str]:
    return history.path.read_text(encoding="utf-8").splitlines()


def test_the_history_is_bounded_the_oldest_topics_forgotten(tmp_path):
    from assistant.brief.new_since import MAX_TOPICS

    history = BriefHistory(tmp_path)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(MAX_TOPICS + 276):
        history.record(f"topic number {i}", start.replace(minute=i % 60, hour=(i // 60) % 24, day=1 + i // 1440))
    assert len(_lines(history)) <= 2 * MAX_TOPICS + 1  # the header, and never more than twice the limit
    assert history.last("topic number 0") is None  # the oldest are forgotten
    assert history.last(f"topic number {MAX_TOPICS + 275}") is not None
    remembered = sum(history.last(f"topic number {i}") is not None for i in range(MAX_TOPICS + 276))
    assert remembered == MAX_TOPICS
    assert history.path.stat().st_size < 2 * MAX_TOPICS * 140  # 276 topics made 499 KB before


def test_topics_are_kept_hashed_unless_asked_and_last_works_either_way(tmp_path):
    secret = "Minister Okafor resignation"
    history = BriefHistory(tmp_path)
    history.record(secret, datetime(2026, 1, 2, tzinfo=UTC))
    on_disk = history.path.read_text(encoding="utf-8")
    assert "okafor" not in on_disk.lower() and "resignation" not in on_disk.lower()
    assert history.last("minister   OKAFOR resignation") == datetime(2026, 1, 2, tzinfo=UTC)
    as_text = BriefHistory(tmp_path, keep_text=True)
    assert as_text.last(secret) == datetime(2026, 1, 2, tzinfo=UTC)  # the same file, read either way
    as_text.record(secret, datetime(2026, 1, 3, tzinfo=UTC))
    assert "minister okafor resignation" in history.path.read_text(encoding="utf-8")
    history.record(secret, datetime(2026, 1, 4, tzinfo=UTC))  # text no longer kept: it leaves the disk
    assert "okafor" not in history.path.read_text(encoding="utf-8").lower()
    assert history.last(secret) == datetime(2026, 1, 4, tzinfo=UTC)


def test_a_brief_appends_one_line_and_never_rewrites_the_file(tmp_path):
    history = BriefHistory(tmp_path)
    history.record("cobalt", datetime(2026, 1, 1, tzinfo=UTC))
    inode = history.path.stat().st_ino
    before = _lines(history)
    for day in range(2, 30):
        history.record(f"topic {day}", datetime(2026, 1, day, tzinfo=UTC))
    after = _lines(history)
    assert history.path.stat().st_ino == inode  # the same file, appended to (a rewrite replaces it)
    assert after[: len(before)] == before and len(after) == len(before) + 28


def test_a_line_cut_short_by_a_crash_loses_only_itself(tmp_path):
    history = BriefHistory(tmp_path)
    history.record("cobalt", datetime(2026, 1, 1, tzinfo=UTC))
    with history.path.open("a", encoding="utf-8") as fh:
        fh.write('{"topic": "sha256:ab')  # the writer died here
    assert history.last("cobalt") == datetime(2026, 1, 1, tzinfo=UTC)
    assert not (tmp_path / "brief-history.json.damaged").exists()


def test_the_first_form_of_the_history_is_read_and_its_topic_text_leaves_the_disk(tmp_path):
    history = BriefHistory(tmp_path)
    history.path.write_text(json.dumps({"gallium exports": "2026-01-02T03:04:00+00:00"}), encoding="utf-8")
    assert history.last("Gallium Exports") == datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    history.record("cobalt", datetime(2026, 2, 1, tzinfo=UTC))
    assert "gallium" not in history.path.read_text(encoding="utf-8")
    assert history.last("gallium exports") == datetime(2026, 1, 2, 3, 4, tzinfo=UTC)


def test_a_followed_brief_reads_one_generation_and_embeds_its_topic_once(settings, corpus):
    """Issue 36: ``follow`` took a second snapshot after the brief took its own (a reload in
    between mixed two generations), and the topic was embedded twice (once for the verdict,
    once for the material)."""
    from assistant.brief.new_since import follow

    (corpus / "a.txt").write_text("Cobalt exports from Congo were suspended in March 2025.\n"
                                  "Cobalt prices doubled after the export suspension.\n", encoding="utf-8")
    build(settings, HashEmbedder())

    class Counting(Engine):
        snapshots = 0

        def snapshot(self):  # type: ignore[no-untyped-def]
            Counting.snapshots += 1
            return super().snapshot()

    embedder = HashEmbedder()
    engine = Counting(settings.replace(refusal_threshold=0.05), embedder)
    engine.snapshot()
    Counting.snapshots, before = 0, embedder.texts_embedded
    made = follow(engine, "cobalt exports", new_since="2020-01-01")
    assert made.brief.key_points and made.brief.new_documents == frozenset({"a.txt"})
    assert Counting.snapshots == 1
    assert embedder.texts_embedded - before == 1  # the topic; sentence vectors are read from the index
