"""What is new in a brief: the key points and timeline rows from documents added or dated after
a point in time.

An official follows a topic day by day: with a watched corpus new reports arrive all the time,
and a brief that looks like yesterday's must say which of its lines are new. ``--new-since``
takes a date (``YYYY[-MM[-DD]]``) or ``last``: the previous brief on the same topic, remembered
per index (``BriefHistory``, in the index folder, so every way of briefing shares it). A
document counts as new when it came into the corpus after that point (the time its file was
last written there, as the index saw it) or when its own date is after it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path

from assistant.answer.engine import Engine
from assistant.brief.key_points import Length
from assistant.brief.make import Brief, make_brief
from assistant.errors import QuestionError
from assistant.index.layout import IndexLayout
from assistant.retrieval.hybrid import Scope
from assistant.text.dates import parse_loose_date
from assistant.types import DocInfo

LAST = "last"


@dataclass(frozen=True)
class NewSince:
    """The point a brief's lines are compared with."""

    when: datetime
    """An aware UTC time: documents added or dated after it are new."""
    label: str
    """How the brief names it: "the last brief on this topic (2026-12-06 14:03 UTC)", "2026-12-01"."""

    @classmethod
    def last_brief(cls, when: datetime) -> NewSince:
        return cls(when, f"the last brief on this topic ({when:%Y-%m-%d %H:%M} UTC)")


def topic_key(topic: str) -> str:
    """One key for a topic however it is typed: case and spacing do not matter."""
    return " ".join(topic.casefold().split())


class BriefHistory:
    """When each topic was last briefed on one index: a small JSON file the index folder's layout
    names. Written atomically under a lock, so the TUI, the CLI and the server share it. A
    damaged file is set aside (``.damaged``), never silently overwritten."""

    def __init__(self, index_dir: Path) -> None:
        self.path = IndexLayout(index_dir).brief_history

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            with contextlib.suppress(OSError):
                self.path.replace(self.path.with_name(self.path.name + ".damaged"))
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def last(self, topic: str) -> datetime | None:
        """When ``topic`` was last briefed on this index, or None."""
        stamp = self._read().get(topic_key(topic))
        if stamp is None:
            return None
        try:
            when = datetime.fromisoformat(stamp)
        except ValueError:
            return None
        return when if when.tzinfo else when.replace(tzinfo=UTC)

    def record(self, topic: str, when: datetime | None = None) -> None:
        """Remember that ``topic`` was briefed now (or ``when``). A read-only index folder is
        not an error: the brief was made; only ``last`` will not know of it."""
        from filelock import FileLock, Timeout

        when = when or datetime.now(UTC)
        with contextlib.suppress(OSError, Timeout):  # Timeout: another writer holds it far too long
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with FileLock(str(self.path) + ".lock", timeout=5):
                data = self._read()
                data[topic_key(topic)] = when.isoformat()
                tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
                tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
                tmp.replace(self.path)


def parse_new_since(value: str, topic: str, history: BriefHistory) -> NewSince:
    """``--new-since DATE|last`` as a point in time; a bad value is a ``QuestionError``."""
    if value.strip().lower() == LAST:
        when = history.last(topic)
        if when is None:
            raise QuestionError(f"no earlier brief on “{topic}” on this index: --new-since last needs one "
                                "(or give a date, YYYY-MM-DD)")
        return NewSince.last_brief(when)
    day = parse_loose_date(value.strip())
    if day is None:
        raise QuestionError(f"--new-since {value!r} is neither a date (YYYY, YYYY-MM or YYYY-MM-DD) nor 'last'")
    # Documents added or dated after the whole of that day (month, year) are new.
    return NewSince(datetime.combine(day.upper, time.max, UTC), day.iso())


def is_new(info: DocInfo, since: NewSince) -> bool:
    """A document came into the corpus after ``since``, or is dated after it."""
    if info.added_ns and datetime.fromtimestamp(info.added_ns / 1e9, UTC) > since.when:
        return True
    dated = parse_loose_date(info.date) if info.date else None
    return dated is not None and dated.lower > since.when.date()


def new_documents(doc_ids: list[str], since: NewSince, doc_info: Callable[[str], DocInfo]) -> frozenset[str]:
    return frozenset(d for d in doc_ids if is_new(doc_info(d), since))


def with_new_since(brief: Brief, since: NewSince, doc_info: Callable[[str], DocInfo]) -> Brief:
    """``brief`` with its lines from new documents marked (``Brief.is_new``)."""
    ids = list(dict.fromkeys(c.doc_id for c in brief.citations()))
    return dataclasses.replace(brief, new_since=since.label, new_documents=new_documents(ids, since, doc_info))


@dataclass(frozen=True)
class FollowedBrief:
    """A brief made by ``follow``: as asked, and marked since the last brief on its topic."""

    brief: Brief
    """The brief, its new lines marked when ``new_since`` was asked."""
    since_last: Brief | None
    """The brief marked since the previous brief on the topic, when this index made one: what the
    Brief screen offers with ``n``."""


def follow(engine: Engine, topic: str, scope: Scope | None = None, length: Length = "standard",
           new_since: str | None = None) -> FollowedBrief:
    """A brief as every front end makes one (CLI, TUI, server): ``--new-since`` read before this
    brief is remembered, the brief made, its new lines marked, and the topic remembered."""
    history = BriefHistory(engine.settings.index_dir)
    point = parse_new_since(new_since, topic, history) if new_since is not None else None
    previous = history.last(topic)
    plain = make_brief(engine, topic, scope, length)
    if plain.not_covered:
        return FollowedBrief(plain, None)
    doc_info = engine.snapshot().doc_info
    history.record(topic)
    return FollowedBrief(with_new_since(plain, point, doc_info) if point else plain,
                         with_new_since(plain, NewSince.last_brief(previous), doc_info) if previous else None)
