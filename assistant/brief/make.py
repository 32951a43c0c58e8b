"""A brief on a topic: key points, a dated timeline, the actors and the sources, every line cited.

A brief is not an answer: it gathers everything on the topic across documents
(``brief.material``), then says the most in the fewest words (``key_points``): distinct,
specific points, adjacent sentences kept together, repeats grouped under one point that cites
every document making it. The timeline (``timeline``) and the actors (``actors``) come from
the same on-topic material. Every span is re-read from its document before it is shown.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from assistant.answer import compose, verdict
from assistant.answer.candidates import directly_follows
from assistant.answer.conversation import Resolution
from assistant.answer.engine import Engine, clean_query
from assistant.answer.marked import marked_citation, overall
from assistant.answer.ranking import query_for, rank, sentence_vectors
from assistant.answer.request import Request
from assistant.brief.actors import Actor, find_actors
from assistant.brief.differences import disagrees
from assistant.brief.key_points import BUDGETS, Length, Point, asks_meaning, choose_points, on_topic
from assistant.brief.material import Sentence, score_material, sole_part
from assistant.brief.thin import says_little
from assistant.brief.timeline import TimelineEntry, build_timeline
from assistant.brief.tuning import BRIEF
from assistant.errors import QuestionError
from assistant.markings.marking import highest
from assistant.markings.scheme import Scheme
from assistant.retrieval.hybrid import Scope
from assistant.retrieval.snapshot import IndexSnapshot
from assistant.types import Citation

LENGTHS: tuple[Length, ...] = ("short", "standard", "long")

__all__ = ["Actor", "Brief", "KeyPoint", "SourceDocument", "TimelineEntry", "brief_on", "make_brief"]


@dataclass(frozen=True)
class KeyPoint:
    citation: Citation
    """The point: one exact span, a sentence or a run of adjacent sentences of one document."""
    also: tuple[Citation, ...] = ()
    """The same point as other sentences (often other documents) make it."""
    differs: tuple[Citation, ...] = ()
    """The same point as other documents make it with other figures or dates (``differences``):
    shown beside it under "Sources differ", not cited as agreeing."""

    @property
    def citations(self) -> tuple[Citation, ...]:
        return (self.citation, *self.also)


@dataclass(frozen=True)
class SourceDocument:
    doc_id: str
    title: str
    date: str | None


@dataclass(frozen=True)
class Brief:
    topic: str
    key_points: tuple[KeyPoint, ...]
    timeline: tuple[TimelineEntry, ...]
    actors: tuple[Actor, ...]
    not_covered: str | None
    """Why the corpus does not cover the topic, when it does not (the brief is then empty), by
    the rule that refuses a question (``Engine.not_covered``)."""
    sources: tuple[SourceDocument, ...] = ()
    """Every document the brief cites, in order of first use."""
    thin: str | None = None
    """A warning that the corpus has little on a topic it does cover ("2 relevant sentences")."""
    new_since: str | None = None
    """When lines are marked new: since what ("2026-12-01", "the last brief on this topic (…)")."""
    new_documents: frozenset[str] = frozenset()
    """The cited documents added or dated after ``new_since`` (``brief.new_since``)."""
    marking: str = ""
    """The highest marking of what it quotes: the banner of every copy ("" without a scheme)."""
    scheme: Scheme | None = None
    """The marking scheme its citations' markings belong to: how a line's portion mark, the
    highest of its citations', is written (``portion``)."""

    def portion(self, citations: tuple[Citation, ...]) -> str:
        """A line's portion mark: the highest marking of what it cites, "(OS)"; "" without a scheme."""
        if self.scheme is None:
            return ""
        found = [m for c in citations if c.marking and (m := self.scheme.parse(c.marking)) is not None]
        return self.scheme.portion(highest(found, self.scheme.unmarked_marking)) if found else ""

    def is_new(self, citations: tuple[Citation, ...]) -> bool:
        """Whether a line comes from a new document: its first citation's (the one it quotes)."""
        return bool(citations) and citations[0].doc_id in self.new_documents

    def citations(self) -> list[Citation]:
        """Every cited span, key points first, each once."""
        seen: dict[tuple[str, int, int], Citation] = {}
        cited = [c for k in self.key_points for c in (*k.citations, *k.differs)]
        cited += [c for t in self.timeline for c in (t.citation, *t.also)]
        for c in cited:
            seen.setdefault((c.doc_id, c.start, c.end), c)
        return list(seen.values())


def make_brief(engine: Engine, topic: str, scope: Scope | None = None, length: Length = "standard") -> Brief:
    """A brief on ``topic`` from the engine's current index generation (``brief_on``)."""
    return brief_on(engine.request(scope), topic, length)


def brief_on(req: Request, topic: str, length: Length = "standard") -> Brief:
    """A brief on ``topic`` from the request's one snapshot: the topic is embedded once, judged
    covered or not as a question would be (``verdict.of``), and its material gathered
    with the same vector. An empty topic or an unknown length is a ``QuestionError``."""
    topic = clean_query(topic, "topic")
    if length not in BUDGETS:
        raise QuestionError(f"--length must be one of {', '.join(LENGTHS)}, not {length!r}")
    resolution = Resolution(topic)
    query = query_for(req, resolution)
    ranked = rank(req, resolution, query, req.settings.retrieval.top_k)
    judged = verdict.of(req, resolution, ranked)  # as a question would be refused
    if not judged.covered:
        why = f": {judged.reason}" if judged.reason else ""
        return _marked(req.snap, Brief(topic, (), (), (), f"The corpus does not cover “{topic}”{why}."))
    snap = req.snap
    hits = snap.retriever.search(query.vector, query.tokens, BRIEF.material_passages, req.mask,
                                 best_sentence=BRIEF.best_sentence)
    whole = sole_part(hits, snap.part_start) if req.sole_document() is not None else None
    if whole is not None:  # a brief on one document: its own brief, from the whole of it
        hits = snap.retriever.search(query.vector, query.tokens, BRIEF.document_passages,
                                     _within(req, whole[0]), best_sentence=BRIEF.best_sentence)
    material = score_material(topic, query.vector, hits, lambda cands: sentence_vectors(req, cands),
                              snap.part_start, whole)
    little = says_little(topic, material, _opening(snap, whole) if whole is not None else "")
    if little is not None:  # only what mentions it: never padding from neighbouring material
        material = list(little.sentences)
    writer = _Citer(snap)
    points = choose_points(material, BUDGETS[length], writer.adjacent, glossary=asks_meaning(topic), topic=topic)
    key_points = tuple(k for k in (writer.key_point(p) for p in points) if k is not None)
    dated = _timeline_material(material, whole is not None, writer.adjacent)
    timeline = build_timeline(dated, writer.cite, lambda doc_id: snap.doc_info(doc_id).meta.date,
                              BUDGETS[length].timeline)
    actors = find_actors([c for k in key_points for c in k.citations] + [t.citation for t in timeline],
                         writer.text)
    thin = little.note(topic) if little is not None else None
    sentences = sum(len(p.sentences) for p in points)
    if thin is None and sentences < 3:
        thin = f"The corpus has little on “{topic}”: {sentences} relevant sentence{'s' if sentences != 1 else ''}."
    brief = _marked(snap, Brief(topic, key_points, timeline, actors, None, thin=thin))
    return dataclasses.replace(brief, sources=_sources(brief, snap))


def _timeline_material(material: list[Sentence], whole: bool,
                       adjacent: Callable[[Sentence, Sentence], bool]) -> list[Sentence]:
    """The sentences whose dates are the topic's events: across documents, those scoring near the
    best (the topic's, not every date the passages mention); in the one document a brief is about,
    every sentence on the topic as a key point must be (``key_points.on_topic``): the events that
    led to it sit in a background section, whose passages score far below its summary's."""
    if not material:
        return []
    if whole:
        return on_topic(material, adjacent)
    return [s for s in material if s.score >= BRIEF.timeline_floor * material[0].score]


def _opening(snap: IndexSnapshot, whole: tuple[str, int | None]) -> str:
    """The opening of the one document (part) a brief is about: its title, caption and summary."""
    doc_id, part = whole
    text = snap.source_text(doc_id) or ""
    start = part or 0
    return f"{snap.doc_info(doc_id).meta.title}\n{text[start:start + BRIEF.opening_chars]}"


def _within(req: Request, doc_id: str) -> NDArray[np.bool_] | None:
    """The passages of one document that the request may read."""
    mask = req.snap.retriever.mask(Scope(docs=(doc_id,)))
    return req.mask if mask is None else mask if req.mask is None else mask & req.mask


def _marked(snap: IndexSnapshot, brief: Brief) -> Brief:
    """Every citation with its marking (``answer.marked``), the brief with the highest of them."""
    if snap.scheme is None:
        return brief
    def mark(cs: tuple[Citation, ...]) -> tuple[Citation, ...]:
        return tuple(marked_citation(snap, c) for c in cs)

    points = tuple(dataclasses.replace(k, citation=marked_citation(snap, k.citation), also=mark(k.also),
                                       differs=mark(k.differs)) for k in brief.key_points)
    timeline = tuple(dataclasses.replace(t, citation=marked_citation(snap, t.citation), also=mark(t.also))
                     for t in brief.timeline)
    actors = tuple(dataclasses.replace(a, citations=mark(a.citations)) for a in brief.actors)
    marked = dataclasses.replace(brief, key_points=points, timeline=timeline, actors=actors, scheme=snap.scheme)
    return dataclasses.replace(marked, marking=overall(snap, [*marked.citations(),
                                                              *(c for a in actors for c in a.citations)]))


class _Citer:
    """Turns selected sentences into verified citations against one snapshot."""

    def __init__(self, snap: IndexSnapshot) -> None:
        self.snap = snap
        self.n = 0
        self._texts: dict[str, str | None] = {}

    def text(self, doc_id: str) -> str | None:
        """A document's text, read once per brief (selection asks about adjacency very often)."""
        if doc_id not in self._texts:
            self._texts[doc_id] = self.snap.source_text(doc_id)
        return self._texts[doc_id]

    def adjacent(self, a: Sentence, b: Sentence) -> bool:
        """``b`` directly follows ``a`` in the same paragraph of the same document."""
        if a.doc_id != b.doc_id:
            return False
        text = self.text(a.doc_id)
        return text is not None and directly_follows(text, a.end, b.start)

    def cite(self, s: Sentence) -> Citation | None:
        self.n += 1
        return compose.cite(s.candidate, self.n, s.score, self.snap.source_text, self.snap.doc_info)

    def key_point(self, point: Point) -> KeyPoint | None:
        first, last = point.sentences[0], point.sentences[-1]
        text = self.snap.source_text(first.doc_id)
        # Re-read: every sentence of the run must still be where the index says.
        if text is None or any(text[s.start:s.end] != s.text for s in point.sentences):
            return None
        self.n += 1
        run = compose.cite(first.candidate, self.n, point.importance, self.snap.source_text, self.snap.doc_info,
                            start=first.start, text=text[first.start:last.end], end=last.end)
        if run is None:
            return None
        agree = [s for s in point.also if s.doc_id == first.doc_id or not disagrees(run.text, s.text)]
        differ = [s for s in point.also if s not in agree]
        also = tuple(c for c in (self.cite(s) for s in agree) if c is not None)
        differs = tuple(c for c in (self.cite(s) for s in differ) if c is not None)
        return KeyPoint(run, also, differs)


def _sources(brief: Brief, snap: IndexSnapshot) -> tuple[SourceDocument, ...]:
    ids = list(dict.fromkeys(c.doc_id for c in brief.citations()))
    return tuple(SourceDocument(d, snap.doc_info(d).meta.title, snap.doc_info(d).meta.date) for d in ids)

