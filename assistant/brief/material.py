"""What a brief is made from: every on-topic sentence of the corpus, scored for what it tells.

An answer wants the one sentence closest to a question; a brief wants the most information
on a topic in the fewest words. So the material is gathered wide (many passages, kept while
their relevance stays within a floor of the best one, across documents), boilerplate is
dropped (reference lists, links, bylines, copyright lines), and each sentence is scored by
its passage's relevance, its own closeness to the topic and its specificity: numbers, names
and words the topic does not already say. A sentence that only restates the topic tells a
reader nothing new.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answer.candidates import Candidate, VectorLookup, candidates_from
from assistant.brief.tuning import BRIEF
from assistant.text.analyser import analyze
from assistant.types import Hit

_URL = re.compile(r"https?://|www\.|\bdoi\b|\bdoi:|\.(?:com|org|gov|edu)/", re.I)
_BOILERPLATE = re.compile(
    r"©|\bcopyright\b|all rights reserved|\blicen[cs]ed under\b|creative commons|\bcompeting interests?\b|"
    r"\bconflicts? of interest\b|\bauthor affiliations?\b|\bcorresponding author\b|\bfunding:|\breceived:|"
    r"\baccepted:|\bpublished( online)?:|\bcite this\b|\bclick here\b|\bsubscribe\b|\bcookies?\b",
    re.I,
)
# "Li Q, Guan X, Wu P, et al." / "Smith J. (2019)": a reference-list entry.
_REFERENCE = re.compile(r"^(?:[A-Z][\w'’-]+,?\s+(?:[A-Z]{1,3}\b\.?,?\s*)+){2,}|\bet al\.,?\s+\(?\d{4}|^\[\d+\]\s", re.U)
_NUMBER = re.compile(r"(?<![\[\w])\d[\d,.]*(?:\s?%|\b)(?!\])")
_CAPITALISED = re.compile(r"(?<=[\s(])[A-Z][\w-]*[A-Za-z]")


@dataclass(frozen=True)
class Sentence:
    """One candidate sentence of the material, with the signals selection needs."""

    candidate: Candidate
    passage: float
    """Its passage's fused score relative to the best passage (1.0 for the best)."""
    topic: float
    """Cosine similarity to the topic."""
    specificity: float
    """0..1: numbers, names and words beyond the topic's own."""
    score: float
    vector: np.ndarray

    @property
    def doc_id(self) -> str:
        return self.candidate.doc_id

    @property
    def start(self) -> int:
        return self.candidate.start

    @property
    def end(self) -> int:
        return self.candidate.end

    @property
    def text(self) -> str:
        return self.candidate.text


def is_boilerplate(text: str) -> bool:
    """Links, reference-list entries, bylines and legal lines: never a key point."""
    letters = sum(ch.isalpha() for ch in text)
    return (letters < 0.55 * len(text) or len(text) < 25 or bool(_URL.search(text))
            or bool(_BOILERPLATE.search(text)) or bool(_REFERENCE.search(text.strip())))


def specificity(text: str, topic_terms: set[str]) -> float:
    """How much a sentence says beyond the topic: numbers, names, new content words."""
    numbers = len(_NUMBER.findall(text))
    names = len(_CAPITALISED.findall(text))
    terms = analyze([text])[0]
    new = len({t for t in terms if t not in topic_terms})
    return min(1.0, 0.12 * min(numbers, 4) + 0.06 * min(names, 4) + 0.035 * min(new, 12))


def relevance(hit: Hit, best: Hit, retrieved: int) -> float:
    """A passage's relevance relative to the best passage's: the fused score (measured better on
    covidqa-dev than the dense cosine alone), unless so few passages were retrieved that the
    fusion's min-max normalisation is meaningless (the last of two always fuses to 0): then the
    dense cosine, which a tiny corpus still compares fairly."""
    if retrieved < BRIEF.few_passages:
        return hit.dense_score / (best.dense_score or 1.0)
    return hit.score / (best.score or 1.0)


def passages(hits: Sequence[Hit]) -> list[Hit]:
    """The retrieved passages that count as material: within the floor of the best one, or at
    least ``BRIEF.min_passages`` of them, but only from documents on the topic (``on_topic_documents``)."""
    if not hits:
        return []
    kept = [h for h in hits[:BRIEF.max_passages] if relevance(h, hits[0], len(hits)) >= BRIEF.passage_floor]
    if len(kept) >= BRIEF.min_passages:
        return kept
    documents = on_topic_documents(hits)
    best_dense = max(h.dense_score for h in hits) or 1.0
    return [h for h in hits[:BRIEF.min_passages] if h.chunk.doc_id in documents
            and (h in kept or h.dense_score >= BRIEF.padding_floor * best_dense)]


def on_topic_documents(hits: Sequence[Hit]) -> set[str]:
    """The documents whose best passage is within the floor of the best passage. A document
    whose best passage is far below (a neighbouring article that mentions the topic in passing)
    is not the topic's: a sentence from it may share words with the topic but is not about it,
    and a short brief is better than one padded from it. A document on the topic keeps its
    weaker passages, which often hold the details."""
    best: dict[str, float] = {}
    for h in hits:
        best[h.chunk.doc_id] = max(best.get(h.chunk.doc_id, 0.0), relevance(h, hits[0], len(hits)))
    return {d for d, r in best.items() if r >= BRIEF.passage_floor}


PartOf = Callable[[str, int], int | None]
"""Where the part holding an offset of a document starts (a notice of a register issue,
``Section.part``), or None in a file of one document."""


def parts_on_topic(hits: Sequence[Hit], part_of: PartOf) -> set[tuple[str, int | None]]:
    """The (document, part) pairs a brief takes material from: a file holding several documents
    (the notices of a register issue) gives the part its best passage starts in, and another
    part only when that part's best passage is as relevant (``BRIEF.part_floor``; a topic such
    as "airworthiness directives" is every notice's). A file of one document is one pair."""
    best: dict[tuple[str, int | None], float] = {}
    for h in hits:
        key = (h.chunk.doc_id, part_of(h.chunk.doc_id, h.chunk.start))
        best[key] = max(best.get(key, 0.0), h.score)
    top: dict[str, float] = {}
    for (doc, _part), score in best.items():
        top[doc] = max(top.get(doc, 0.0), score)
    return {(doc, part) for (doc, part), score in best.items()
            if part is None or score >= BRIEF.part_floor * top[doc]}


def sole_part(hits: Sequence[Hit], part_of: PartOf) -> tuple[str, int | None] | None:
    """The one (document, part) the material of ``hits`` comes from, or None when it spans
    several: a brief on what one document (one notice of a file) is about is that document's
    brief, made from the whole of it (``score_material(whole=…)``)."""
    parts = parts_on_topic(passages(hits), part_of)
    return next(iter(parts)) if len(parts) == 1 else None


def score_material(topic: str, topic_vector: np.ndarray, hits: Sequence[Hit],
                   vectors_for: VectorLookup, part_of: PartOf = lambda _doc, _at: None,
                   whole: tuple[str, int | None] | None = None) -> list[Sentence]:
    """Every non-boilerplate sentence of the material passages, best first. With ``whole`` (the
    one document part the topic is about, ``sole_part``), every passage of ``hits`` in it is
    material: its details sit in sections whose words are far from the topic's."""
    if whole is None:
        material = passages(hits)
        parts = parts_on_topic(material, part_of)  # a passage may run on into the next notice: by sentence
        limit = BRIEF.max_sentences
    else:
        material, parts, limit = list(hits), {whole}, BRIEF.document_sentences
    candidates = [c for c in candidates_from(material)
                  if not is_boilerplate(c.text) and (c.doc_id, part_of(c.doc_id, c.start)) in parts]
    candidates.sort(key=lambda c: -c.hit.score)
    candidates = candidates[:limit]
    if not candidates:
        return []
    vectors = vectors_for(candidates)
    topic_terms = set(analyze([topic])[0])
    out = []
    for cand, vector in zip(candidates, vectors, strict=True):
        passage = relevance(cand.hit, hits[0], len(hits))
        topic_sim = float(vector @ topic_vector)
        specific = specificity(cand.text, topic_terms)
        score = BRIEF.w_passage * passage + BRIEF.w_topic * topic_sim + BRIEF.w_specific * specific
        out.append(Sentence(cand, passage, topic_sim, specific, score, vector))
    out.sort(key=lambda s: -s.score)
    return out
