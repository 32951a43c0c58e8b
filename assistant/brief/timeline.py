"""A brief's timeline: every dated statement of the on-topic material, one row per event.

Dates are found with ``dates.find_dates`` (precision and the original wording kept). The same
event told by two sentences or two documents (same date, sentences alike) is one row citing
both. A "by <date>" is a target only while it is still ahead: not when the date is not after
the document's own date, and not when the sentence speaks of it in the past ("By May 2026,
talks had advanced").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from assistant.brief.material import Sentence
from assistant.brief.statements import states_something
from assistant.brief.tuning import BRIEF
from assistant.text.dates import DateMention, find_dates, parse_loose_date
from assistant.types import Citation

_PAST = re.compile(r"\b(?:had|has|have|was|were|did|already|since|ago)\b|\b\w+ed\b(?! by)", re.I)


@dataclass(frozen=True)
class TimelineEntry:
    date: str
    precision: str
    wording: str
    target: bool
    citation: Citation
    reported: str | None
    """The document's own date (front matter): when it was reported, not when it happened."""
    also: tuple[Citation, ...] = ()
    """The same event as told elsewhere."""


def is_target(mention: DateMention, sentence: str, reported: str | None) -> bool:
    if not mention.target:
        return False
    if reported:
        when_reported = parse_loose_date(reported)
        if when_reported is not None and mention.when.upper <= when_reported.upper:
            return False
    after = sentence[sentence.find(mention.wording) + len(mention.wording):] if mention.wording in sentence else ""
    return not _PAST.search(after[:80])


def build_timeline(material: Sequence[Sentence], cite: Callable[[Sentence], Citation | None],
                   reported_of: Callable[[str], str | None], limit: int) -> tuple[TimelineEntry, ...]:
    """The ``limit`` events of ``material``'s best-scored dated sentences, merged by event (two
    sentences telling one event fill one row), in date order. A sentence whose only dates are
    those of documents it names ("…Service Bulletin, dated June 12, 2020") comes after every
    sentence dating what it tells."""
    def rank(s: Sentence) -> tuple[bool, float]:
        return all(m.edition for m in find_dates(s.text)), -s.score

    rows: list[tuple[DateMention, Sentence, list[Sentence]]] = []
    for s in sorted(material, key=rank):
        if len(rows) >= limit:
            break
        mentions = find_dates(s.text, s.start)
        if not mentions or not states_something(s.text):
            continue  # a dated title is no event
        told = [m for m in mentions if not m.edition] or mentions  # its events' dates, if it dates any
        for mention in told:
            twin = next((r for r in rows if r[0].when == mention.when
                         and (r[1].text == s.text or float(r[1].vector @ s.vector) > BRIEF.same_event)), None)
            if twin is not None:
                if twin[1] is not s and all(o is not s for o in twin[2]):
                    twin[2].append(s)
                continue
            rows.append((mention, s, []))
    out: list[tuple[date, date, int, TimelineEntry]] = []
    for mention, s, others in rows[:limit]:
        c = cite(s)
        if c is None:
            continue
        reported = reported_of(s.doc_id)
        also = tuple(a for a in (cite(o) for o in others) if a is not None)
        entry = TimelineEntry(mention.when.iso(), mention.when.precision, mention.wording,
                              is_target(mention, s.text, reported), c, reported, also)
        out.append((mention.when.lower, mention.when.upper, c.start, entry))
    out.sort(key=lambda row: row[:3])
    return tuple(row[3] for row in out)
