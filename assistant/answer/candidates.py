"""The sentences an answer may be made of: candidates drawn from retrieved passages, each knowing
the sentence before it; the question as the composer weighs it (``Query``); and the one
adjacency rule for sentences that directly follow each other."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answer.tuning import ANSWER
from assistant.text.abbreviations import asked_abbreviation
from assistant.text.analyser import analyze
from assistant.text.framing import POINTING_WORDS
from assistant.text.sentences import is_statement
from assistant.types import Chunk, Hit

_NEEDS_PREVIOUS = re.compile(
    rf"^(?:{'|'.join(sorted(POINTING_WORDS))}|the latter|the former|"
    r"however|but|also|meanwhile|therefore|thus|instead)\b",
    re.I,
)


@dataclass(frozen=True)
class Candidate:
    doc_id: str
    start: int
    end: int
    text: str
    hit: Hit
    prev: tuple[int, int] | None
    """The sentence just before this one in the same paragraph, if the passage holds it."""
    position: int = 0
    """Index of this sentence in its chunk's ``sentences`` (where a precomputed vector is found)."""


VectorLookup = Callable[[Sequence[Candidate]], np.ndarray]
"""Unit vectors for candidate sentences (precomputed, cached or embedded now)."""


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    score: float
    relevance: float
    vector: np.ndarray


@dataclass(frozen=True)
class Query:
    """A question as the composer needs it: its vector and its weighted analysed terms."""

    text: str
    vector: np.ndarray
    """The embedding of what is retrieved with (the question plus any carried-over terms)."""
    terms: dict[str, float]
    question_vector: np.ndarray | None = None
    """For a follow-up, the embedding of the question alone: sentences are judged against both."""
    seen: frozenset[tuple[str, int, int]] = frozenset()
    """For a follow-up, the spans the previous answer cited (one span may hold several sentences)."""
    abbreviation: str | None = None
    """The abbreviation the question asks to be explained ("What is PHEIC?"), if it asks that."""
    phrases: frozenset[tuple[str, str]] = frozenset()
    """The question's adjacent analysed words ("anal swab", "peak infection"): a sentence that
    keeps them together says what was asked more nearly than one that has them apart."""

    @classmethod
    def build(cls, question: str, carried: Sequence[str], vector: np.ndarray,
              question_vector: np.ndarray | None = None, seen: Sequence[tuple[str, int, int]] = ()) -> Query:
        terms: dict[str, float] = {}
        asked = analyze([question])[0]
        for token in asked:
            terms[token] = 1.0
        if carried:
            for token in analyze([" ".join(carried)])[0]:
                terms.setdefault(token, ANSWER.carried_weight)
        return cls(question, vector, terms, question_vector, frozenset(seen), asked_abbreviation(question),
                   frozenset(zip(asked, asked[1:], strict=False)))

    def has_seen(self, candidate: Candidate) -> bool:
        """Whether the previous answer cited this sentence (alone, or inside a longer span)."""
        return any(d == candidate.doc_id and a <= candidate.start and candidate.end <= b for d, a, b in self.seen)

    @property
    def tokens(self) -> list[str]:
        return list(self.terms)


def needs_previous(text: str) -> bool:
    """Whether a sentence leans on the one before it ("This distinction…", "It…", "However…")."""
    return bool(_NEEDS_PREVIOUS.match(text.lstrip()))


_SELF_REFERENCE = ("year|years|week|weeks|month|months|quarter|decade|century|time|study|studies|article|paper|"
                   "report|review|work|analysis|research|survey|trial|section|chapter|manuscript|investigation")
_POINTING_PHRASE = re.compile(
    rf"\b(?:this|these|those)\s+(?!(?:{_SELF_REFERENCE})\b)[a-z]{{3,}}|\bsuch\s+(?!as\b|that\b)[a-z]{{3,}}", re.I)


def points_back(text: str, known: Callable[[str], bool] = lambda _word: False) -> bool:
    """Whether a sentence cannot stand alone: it opens by leaning on the one before
    (``needs_previous``) or names something only the one before says ("China is using this
    pressure as motivation…": which pressure?). "In this study", "this year" and "such as"
    point at nothing before; nor does "these elements" when ``known("elements")``: the reader
    already knows which (the topic or a point shown names them)."""
    if needs_previous(text):
        return True
    return any(not known(m.group(0).split()[-1]) for m in _POINTING_PHRASE.finditer(text))




def directly_follows(text: str, end: int, start: int) -> bool:
    """Whether the sentence starting at ``start`` directly follows the one ending at ``end`` in
    ``text`` (a document's text): only a little white space between, and no paragraph break.
    The one adjacency rule: two such sentences are cited as one span, in answers and briefs."""
    gap = text[end:start]
    return 0 <= start - end <= ANSWER.adjacent_gap and not gap.strip() and "\n\n" not in gap


def same_paragraph(chunk: Chunk, end: int, start: int) -> bool:
    """Whether the sentence ending at ``end`` and the one starting at ``start`` share a paragraph:
    no line break between them. (Breaks that only wrap a line lie inside sentences; a break
    between two sentences is taken as a paragraph's end, even in hard-wrapped text.)"""
    return "\n" not in chunk.text[end - chunk.start : start - chunk.start]


def candidates_from(hits: Sequence[Hit], admit: Callable[[str], bool] | None = None) -> list[Candidate]:
    """The citable sentences of ``hits``' passages that state something (``is_statement``), and
    those that do not but ``admit`` lets in: a bare value a question asks for (a dateline, a
    signature's name) states its fact by where it stands. A sentence overlapping one already
    taken (passages overlap, and each splits its own text) is left out, so no text is cited twice."""
    taken: dict[str, list[tuple[int, int]]] = {}
    out: list[Candidate] = []
    for hit in hits:
        chunk = hit.chunk
        previous: tuple[int, int] | None = None
        for position, (a, b) in enumerate(chunk.sentences):
            text = chunk.text[a - chunk.start : b - chunk.start]
            prev = previous if previous and same_paragraph(chunk, previous[1], a) else None
            previous = (a, b)
            if not (is_statement(text) or admit is not None and admit(text)):
                continue
            if any(x < b and a < y for x, y in taken.get(chunk.doc_id, ())):
                continue  # overlapping passages split a stretch of text differently: the first split wins
            taken.setdefault(chunk.doc_id, []).append((a, b))
            out.append(Candidate(chunk.doc_id, a, b, text, hit, prev, position))
    return out


def continuation(lead: Candidate) -> Candidate | None:
    """The sentence after ``lead`` in its passage and paragraph, if it is one worth citing."""
    chunk = lead.hit.chunk
    following = lead.position + 1
    if following >= len(chunk.sentences):
        return None
    a, b = chunk.sentences[following]
    text = chunk.text[a - chunk.start : b - chunk.start]
    if not same_paragraph(chunk, lead.end, a) or not is_statement(text):
        return None
    return Candidate(lead.doc_id, a, b, text, lead.hit, (lead.start, lead.end), following)
