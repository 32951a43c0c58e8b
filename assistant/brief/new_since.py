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
import hashlib
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path

from assistant.answer.engine import Engine
from assistant.brief.key_points import Length
from assistant.brief.make import Brief, brief_on
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


MAX_TOPICS = 500
"""Topics the brief history remembers; past it the topic briefed longest ago is forgotten (its
next ``--new-since last`` says there is no earlier brief)."""
_FORMAT = 2


class BriefHistory:
    """When each topic was last briefed on one index: a small file of JSON lines that the index
    folder's layout names, shared by the TUI, the CLI and the server.

    - **Bounded**: at most ``MAX_TOPICS`` topics; the oldest are dropped.
    - **Private by default**: a topic is kept as a SHA-256 hash salted per file, so the file does
      not show what was briefed (someone who can read it can still test a guess); with
      ``keep_text`` (``brief_history_text``) the topic itself is kept.
    - **Appended, not rewritten**: a brief adds one line under a lock; the file is rewritten
      (atomically) only to drop old lines once they are twice the limit, to turn an older
      file into this form, or to drop a topic's text when text is no longer kept.

    A line cut short (a crash while writing) is ignored; a file that is not a history at all is
    set aside (``.damaged``), never silently overwritten."""

    def __init__(self, index_dir: Path, keep_text: bool = False) -> None:
        self.path = IndexLayout(index_dir).brief_history
        self.keep_text = keep_text

    def last(self, topic: str) -> datetime | None:
        """When ``topic`` was last briefed on this index, or None."""
        read = self._read()
        stamps = [read.entries[k] for k in _keys(topic, read.salt) if k in read.entries]
        return max(stamps) if stamps else None

    def record(self, topic: str, when: datetime | None = None) -> None:
        """Remember that ``topic`` was briefed now (or ``when``). A read-only index folder is
        not an error: the brief was made; only ``last`` will not know of it."""
        from filelock import FileLock, Timeout

        when = when or datetime.now(UTC)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        with contextlib.suppress(OSError, Timeout):  # Timeout: another writer holds it far too long
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with FileLock(str(self.path) + ".lock", timeout=5):
                read = self._read()
                hashed, text = _keys(topic, read.salt)
                key, other = (text, hashed) if self.keep_text else (hashed, text)
                line = json.dumps({"topic": key, "at": when.isoformat()}, ensure_ascii=False) + "\n"
                if read.fresh or read.lines + 1 > 2 * MAX_TOPICS or other in read.entries:
                    entries = {k: v for k, v in read.entries.items() if k != other}
                    entries[key] = when
                    self._rewrite(read.salt, entries)
                else:
                    with self.path.open("a", encoding="utf-8") as fh:
                        fh.write(line)

    # -- the file ----------------------------------------------------------------------

    def _read(self) -> _HistoryFile:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return _HistoryFile(secrets.token_hex(16), {}, 0, fresh=True)
        except (OSError, UnicodeDecodeError):
            return self._set_aside()
        lines = raw.splitlines()
        try:
            head = json.loads(lines[0]) if lines else None
        except ValueError:
            head = None
        if isinstance(head, dict) and head.get("brief_history") == _FORMAT and isinstance(head.get("salt"), str):
            entries: dict[str, datetime] = {}
            for line in lines[1:]:
                entry = _entry(line)
                if entry is not None and (entry[0] not in entries or entries[entry[0]] < entry[1]):
                    entries[entry[0]] = entry[1]
            return _HistoryFile(head["salt"], _newest(entries), len(lines) - 1)
        try:  # the first form: one JSON object, topic text -> time, rewritten whole each time
            old = json.loads(raw)
        except ValueError:
            return self._set_aside()
        if not isinstance(old, dict):
            return self._set_aside()
        salt = secrets.token_hex(16)
        entries = {}
        for topic, stamp in old.items():
            when = _stamp(stamp)
            if when is not None:
                hashed, text = _keys(str(topic), salt)
                entries[text if self.keep_text else hashed] = when
        return _HistoryFile(salt, _newest(entries), len(entries), fresh=True)

    def _set_aside(self) -> _HistoryFile:
        with contextlib.suppress(OSError):
            self.path.replace(self.path.with_name(self.path.name + ".damaged"))
        return _HistoryFile(secrets.token_hex(16), {}, 0, fresh=True)

    def _rewrite(self, salt: str, entries: dict[str, datetime]) -> None:
        kept = sorted(_newest(entries).items(), key=lambda kv: kv[1])
        lines = [json.dumps({"brief_history": _FORMAT, "salt": salt})]
        lines += [json.dumps({"topic": k, "at": v.isoformat()}, ensure_ascii=False) for k, v in kept]
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        tmp.replace(self.path)


@dataclass(frozen=True)
class _HistoryFile:
    salt: str
    entries: dict[str, datetime]
    """Key (``_keys``) -> when it was last briefed."""
    lines: int
    """Entry lines in the file (more than ``entries`` when topics were briefed again)."""
    fresh: bool = False
    """No file in the current form yet: the next record writes it whole."""


def _newest(entries: dict[str, datetime]) -> dict[str, datetime]:
    """The ``MAX_TOPICS`` topics briefed last: all the history remembers."""
    if len(entries) <= MAX_TOPICS:
        return entries
    return dict(sorted(entries.items(), key=lambda kv: kv[1])[-MAX_TOPICS:])


def _keys(topic: str, salt: str) -> tuple[str, str]:
    """A topic's two possible keys: hashed (the default) and as text (``keep_text``)."""
    key = topic_key(topic)
    return "sha256:" + hashlib.sha256(f"{salt}:{key}".encode()).hexdigest(), "text:" + key


def _entry(line: str) -> tuple[str, datetime] | None:
    try:
        data = json.loads(line)
    except ValueError:
        return None  # cut short by a crash while it was written
    if not isinstance(data, dict) or not isinstance(data.get("topic"), str):
        return None
    when = _stamp(data.get("at"))
    return (data["topic"], when) if when is not None else None


def _stamp(value: object) -> datetime | None:
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


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
    dated = parse_loose_date(info.meta.date) if info.meta.date else None
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
    history = BriefHistory(engine.settings.paths.index_dir, engine.settings.briefs.brief_history_text)
    point = parse_new_since(new_since, topic, history) if new_since is not None else None
    previous = history.last(topic)
    req = engine.request(scope)  # one generation: the brief's lines and what is new in them
    plain = brief_on(req, topic, length)
    if plain.not_covered:
        return FollowedBrief(plain, None)
    doc_info = req.snap.doc_info
    history.record(topic)
    return FollowedBrief(with_new_since(plain, point, doc_info) if point else plain,
                         with_new_since(plain, NewSince.last_brief(previous), doc_info) if previous else None)
