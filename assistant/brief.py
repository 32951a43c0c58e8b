"""A briefing on a topic: key points, a timeline and the actors, every line cited.

Built from the same ranked sentences as an answer, so everything shown is an exact,
verified span. Actors are found with capitalised-phrase rules and a stop list (no NER
model installs offline with its weights from PyPI alone); countries are recognised with
pycountry, other names are reported as "organisation or person".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from assistant import answer as composer
from assistant.conversation import Resolution
from assistant.dates import find_dates
from assistant.engine import Engine
from assistant.errors import QuestionError
from assistant.export import md_literal
from assistant.retrieval import Scope
from assistant.snapshot import IndexSnapshot
from assistant.types import Citation

MAX_KEY_POINTS = 7
MIN_KEY_POINTS = 3
KEY_POINT_FLOOR = 0.75  # relative to the best sentence's score
SAME_POINT_COSINE = 0.80  # a sentence this close to a key point is grouped under it
RELEVANT_SHARE = 0.5  # a sentence is on the topic if its relevance is this share of the best
MAX_RELEVANT = 40
MAX_ACTORS = 15


@dataclass(frozen=True)
class KeyPoint:
    citation: Citation
    also: tuple[Citation, ...] = ()
    """Other sentences that say the same thing."""


@dataclass(frozen=True)
class TimelineEntry:
    date: str
    precision: str
    wording: str
    target: bool
    citation: Citation
    reported: str | None
    """The document's own date (front matter): when it was reported, not when it happened."""


@dataclass(frozen=True)
class Actor:
    name: str
    kind: str
    citations: tuple[Citation, ...]

    @property
    def mentions(self) -> int:
        return len(self.citations)


@dataclass(frozen=True)
class Brief:
    topic: str
    key_points: tuple[KeyPoint, ...]
    timeline: tuple[TimelineEntry, ...]
    actors: tuple[Actor, ...]
    not_covered: str | None

    def to_markdown(self, now: datetime | None = None) -> str:
        notes: list[Citation] = []

        def ref(c: Citation) -> str:
            notes.append(c)
            return f"[^{len(notes)}]"

        stamp = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
        out = [f"# Briefing: {md_literal(self.topic)}", "",
               f"_Prepared {stamp} by Briefing; every line quotes a source._", ""]
        if self.not_covered:
            out += [f"> {md_literal(self.not_covered)}", ""]
        if self.key_points:
            out += ["## Key points", ""]
            out += [f"- {md_literal(k.citation.text)} {ref(k.citation)}"
                    + "".join(ref(a) for a in k.also) for k in self.key_points]
            out.append("")
        if self.timeline:
            out += ["## Timeline", "", "| date | wording | statement |", "|---|---|---|"]
            for t in self.timeline:
                when = f"{t.date} (target)" if t.target else t.date
                out.append(f"| {md_literal(when)} | {md_literal(t.wording)} | {md_literal(t.citation.text)} "
                           f"{ref(t.citation)} |")
            out.append("")
        if self.actors:
            out += ["## Actors", "", "| actor | kind | mentions | where |", "|---|---|---|---|"]
            for a in self.actors:
                out.append(f"| {md_literal(a.name)} | {a.kind} | {a.mentions} | "
                           f"{' '.join(ref(c) for c in a.citations)} |")
            out.append("")
        if notes:
            out += ["---", ""]
            out += [f'[^{i}]: {md_literal(c.doc_id)}, characters {c.start}–{c.end}'
                    f'{f", page {c.page}" if c.page else ""}: "{md_literal(c.text)}"'
                    for i, c in enumerate(notes, 1)]
            out.append("")
        return "\n".join(out)


def make_brief(engine: Engine, topic: str, scope: Scope | None = None, k: int = 24) -> Brief:
    topic = " ".join(topic.split())
    if not topic or not any(ch.isalnum() for ch in topic):
        raise QuestionError("the topic is empty")
    threshold = engine.settings.refusal_threshold
    snap = engine.snapshot()  # one generation for the whole brief
    ranked = engine.rank_sentences(Resolution(topic), scope, k, snap)
    scored = ranked.scored
    if not scored or ranked.confidence < threshold:
        return Brief(topic, (), (), (), f"The corpus does not cover “{topic}”.")
    best = max(s.relevance for s in scored)
    relevant = [s for s in scored if s.relevance >= max(threshold, RELEVANT_SHARE * best)][:MAX_RELEVANT]
    citations = _citations(snap, relevant)
    keys = _key_points(relevant, citations)
    timeline = _timeline(snap, relevant, citations)
    actors = _actors(relevant, citations)
    thin = None
    if len(relevant) < MIN_KEY_POINTS:
        thin = f"The corpus has little on “{topic}”: {len(relevant)} relevant sentence(s)."
    return Brief(topic, keys, timeline, actors, thin)


def _citations(snap: IndexSnapshot, relevant: list[composer.Scored]) -> dict[int, Citation]:
    out: dict[int, Citation] = {}
    for i, s in enumerate(relevant):
        c = composer.cite(s.candidate, i + 1, s.score, snap.source_text, snap.doc_info)
        if c is not None:
            out[i] = c
    return out


def _key_points(relevant: list[composer.Scored], cites: dict[int, Citation]) -> tuple[KeyPoint, ...]:
    chosen: list[int] = []
    for i, s in enumerate(relevant):
        if i not in cites or len(chosen) >= MAX_KEY_POINTS:
            continue
        if len(chosen) >= MIN_KEY_POINTS and s.score < KEY_POINT_FLOOR * relevant[0].score:
            break
        if any(float(s.vector @ relevant[j].vector) > SAME_POINT_COSINE for j in chosen):
            continue
        chosen.append(i)
    groups: dict[int, list[Citation]] = {i: [] for i in chosen}
    for i, s in enumerate(relevant):
        if i in groups or i not in cites:
            continue
        sims = [(float(s.vector @ relevant[j].vector), j) for j in chosen]
        if sims:
            sim, j = max(sims)
            if sim > SAME_POINT_COSINE and len(groups[j]) < 2:
                groups[j].append(cites[i])
    return tuple(KeyPoint(cites[i], tuple(groups[i])) for i in chosen)


def _timeline(snap: IndexSnapshot, relevant: list[composer.Scored], cites: dict[int, Citation]
              ) -> tuple[TimelineEntry, ...]:
    entries: dict[tuple[str, str, int], tuple[Any, TimelineEntry]] = {}
    for i in range(len(relevant)):
        if i not in cites:
            continue
        c = cites[i]
        reported = snap.doc_info(c.doc_id).date
        for mention in find_dates(c.text, c.start):
            key = (mention.when.iso(), c.doc_id, c.start)
            entry = TimelineEntry(mention.when.iso(), mention.when.precision, mention.wording, mention.target,
                                  c, reported)
            entries.setdefault(key, (mention.when, entry))
    ordered = sorted(entries.values(), key=lambda pair: (pair[0].lower, pair[0].upper, pair[1].citation.start))
    return tuple(entry for _when, entry in ordered)


_TOKEN = re.compile(r"[A-Za-z0-9][\w\-'’&.]*[\w]|[A-Za-z0-9]")
_CONNECTORS = frozenset({"of", "for", "&"})
_NOT_ACTORS = frozenset(
    """a an the this that these those it its in on at by for from to of and or but as if so yet also even
    according after although because before despite during however instead meanwhile moreover rather since
    still then therefore though thus unlike until when whereas while what which who whom whose why how where
    he she they we i you his her their our my your there here many most some several all both each every
    more less no not new by-the-way ai api apis gpu gpus cpu cpus llm llms ml it's one two three four
    first second third last next other another such same percent per""".split()
)
_MONTHS = frozenset("""january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split())
_DEMONYMS = {"american": "United States", "chinese": "China", "british": "United Kingdom", "european": "European Union",
             "japanese": "Japan", "russian": "Russia", "indian": "India", "french": "France", "german": "Germany",
             "korean": "South Korea", "taiwanese": "Taiwan", "canadian": "Canada", "australian": "Australia"}
_COUNTRY_ALIASES = {"us": "United States", "u.s.": "United States", "usa": "United States", "america": "United States",
                    "uk": "United Kingdom", "britain": "United Kingdom", "eu": "European Union",
                    "european union": "European Union", "russia": "Russia", "south korea": "South Korea",
                    "taiwan": "Taiwan", "west": "the West"}


def _country(name: str) -> str | None:
    lowered = name.lower()
    if lowered in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[lowered]
    if lowered in _DEMONYMS:
        return _DEMONYMS[lowered]
    import pycountry

    for attr in ("name", "common_name", "official_name"):
        for country in pycountry.countries:
            if getattr(country, attr, "").lower() == lowered:
                return str(getattr(country, "common_name", None) or country.name)
    return None


def _names(sentence: str) -> list[tuple[str, bool]]:
    """Capitalised phrases: ``(name, opens_sentence)``. Digits end a phrase ("Nvidia H200" -> Nvidia)."""
    out: list[tuple[str, bool]] = []
    run: list[str] = []
    run_start = 0
    last_end = 0

    def flush() -> None:
        words = list(run)
        while words and words[-1].lower() in _CONNECTORS:
            words.pop()
        while words and (words[0].lower() in _NOT_ACTORS or words[0].lower() in _MONTHS):
            words.pop(0)
        name = " ".join(words)
        label = sentence[last_end:last_end + 1] == ":" and run_start == 0
        if words and not label and name.lower() not in _NOT_ACTORS and name.lower() not in _MONTHS:
            opens = sentence[:run_start].rstrip() in ("",) or sentence[:run_start].rstrip().endswith(":")
            out.append((name, opens and words[0] == run[0]))
        run.clear()

    for m in _TOKEN.finditer(sentence):
        word = m.group(0).replace("’", "'")
        possessive = word.endswith("'s")
        word = word.removesuffix("'s")
        gap = sentence[last_end : m.start()]
        capital = word[:1].isupper() and not any(ch.isdigit() for ch in word)
        joins = run and gap.strip() == "" and (capital or word.lower() in _CONNECTORS)
        if run and not joins:
            flush()
        if capital or (run and word.lower() in _CONNECTORS):
            if not run:
                run_start = m.start()
            run.append(word)
        last_end = m.end()
        if possessive and run:
            flush()
    if run:
        flush()
    return out


def _actors(relevant: list[composer.Scored], cites: dict[int, Citation]) -> tuple[Actor, ...]:
    found = [(i, name, opens) for i in range(len(relevant)) if i in cites for name, opens in _names(cites[i].text)]
    # A capitalised word opening a sentence is only a name if it is also capitalised elsewhere.
    seen_inside = {name for _i, name, opens in found if not opens}
    mentions: dict[str, list[Citation]] = {}
    display: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for i, name, opens in found:
        country = _country(name)
        if opens and " " not in name and not country and not name.isupper() and name not in seen_inside:
            continue
        key = (country or name).lower()
        display.setdefault(key, country or name)
        kinds.setdefault(key, "country" if country else "organisation or person")
        if not mentions.get(key) or mentions[key][-1] is not cites[i]:
            mentions.setdefault(key, []).append(cites[i])
    ranked = sorted(mentions, key=lambda k: (-len(mentions[k]), mentions[k][0].doc_id, mentions[k][0].start))
    return tuple(Actor(display[k], kinds[k], tuple(mentions[k])) for k in ranked[:MAX_ACTORS])
