"""How well a candidate sentence answers a question: dense similarity, idf-weighted word overlap
(and the question's word pairs kept together) and its passage's fused rank, with bonuses for
what the question's form asks (a cause for "why", members for a list, a spelled-out
abbreviation) and penalties for what reads badly alone."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from assistant.answer.candidates import Candidate, Query, Scored, needs_previous
from assistant.answer.lists import MEMBER_COSINE, W_LIST
from assistant.retrieval.vocabulary import Vocabulary
from assistant.text.abbreviations import defines
from assistant.text.analyser import analyze

# Weights of the three signals in a sentence's score (they sum to 1).
W_DENSE, W_LEXICAL, W_PASSAGE = 0.55, 0.30, 0.15
SEEN_FACTOR = 0.8
"""A follow-up's sentence that the previous answer already cited scores this much."""
DANGLING_FACTOR = 0.85
"""A sentence leaning on a predecessor ("This…") that the passage does not hold scores this much."""
W_CAUSE = 0.08
"""Bonus, for a "why" question, to a sentence giving a cause or motive."""
_WHY = re.compile(r"^\s*why\b|\bwhat (?:is|was|are|were) the (?:reasons?|causes?|motives?)\b|\bfor what reason\b", re.I)
_CAUSE = re.compile(r"\b(?:because|due to|in response to|response to|aimed at|driven by|caused by|as a result|"
                    r"in order to|motivat\w*|owing to|seen as|reason|requires?|depends? on|relies on|needs)\b", re.I)
W_PHRASE = 0.06
"""Bonus, scaled by ``_phrase``, to a sentence that keeps the question's words together."""
W_DEFINITION = 0.2
"""Bonus, for "What is PHEIC?", to the sentence that spells the abbreviation out (``abbreviations``)."""
USES_FACTOR = 0.9
"""A sentence that uses a figure rather than states it ("We set the same value (5.2 days) of the
incubation period…", "…was assumed to be…") scores this much: the statement is the answer."""
_USES = re.compile(r"\b(?:we|they|the authors)\s+(?:then\s+)?(?:set|assumed?|used|adopted|took|fixed|chose)\b"
                   r"|\b(?:was|were|is|are|been)\s+(?:set|assumed|fixed|taken)\s+(?:to|at|as|equal)\b"
                   r"|\bassuming\b", re.I)


def merely_uses(sentence: str) -> bool:
    """Whether a sentence uses a figure rather than states it ("We set the same value (5.2 days)
    of the incubation period…", "…was assumed to be 5 days")."""
    return bool(_USES.search(sentence))


def _lexical(query: Query, tokens: Sequence[str], vocabulary: Vocabulary, total: float) -> float:
    present = set(tokens)
    return sum(vocabulary.idf(t) * w for t, w in query.terms.items() if t in present) / total


def _phrase(pairs: dict[tuple[str, str], float], tokens: Sequence[str]) -> float:
    """The share of the question's word pairs (``pairs``: each with its weight, the weights summing
    to 1) that the sentence has side by side."""
    if not pairs:
        return 0.0
    return sum(pairs.get(pair, 0.0) for pair in set(zip(tokens, tokens[1:], strict=False)))


def shortlist(query: Query, candidates: Sequence[Candidate], vocabulary: Vocabulary, limit: int) -> list[Candidate]:
    """The ``limit`` most promising sentences by signals that need no embedding (their passage's
    similarity and rank, their word overlap), so only those are embedded at query time."""
    if len(candidates) <= limit:
        return list(candidates)
    total = sum(vocabulary.idf(t) * w for t, w in query.terms.items()) or 1.0
    top_fused = max(c.hit.score for c in candidates) or 1.0
    cheap = [
        W_DENSE * c.hit.dense_score + W_LEXICAL * _lexical(query, toks, vocabulary, total)
        + W_PASSAGE * c.hit.score / top_fused
        for c, toks in zip(candidates, analyze([c.text for c in candidates]), strict=True)
    ]
    keep = sorted(range(len(candidates)), key=lambda i: -cheap[i])[:limit]
    return [candidates[i] for i in sorted(keep)]


def score_candidates(
    query: Query,
    candidates: Sequence[Candidate],
    vectors: np.ndarray,
    vocabulary: Vocabulary,
    membership: dict[int, float] | None = None,
) -> list[Scored]:
    """Each candidate's score, best first. ``membership``: for a question asking for a list, how
    near the items each enumerating candidate lists are to the kind asked for (``list_kind``)."""
    if not candidates:
        return []
    dense = vectors @ query.vector
    if query.question_vector is not None:
        dense = (dense + vectors @ query.question_vector) / 2
    top_fused = max(c.hit.score for c in candidates) or 1.0
    total = sum(vocabulary.idf(t) * w for t, w in query.terms.items()) or 1.0
    why = bool(_WHY.search(query.text))
    pair_idf = {pair: vocabulary.idf(pair[0]) + vocabulary.idf(pair[1]) for pair in query.phrases}
    pairs = {pair: weight / (sum(pair_idf.values()) or 1.0) for pair, weight in pair_idf.items()}
    scored = []
    for i, (cand, toks) in enumerate(zip(candidates, analyze([c.text for c in candidates]), strict=True)):
        cos = float(dense[i])
        lexical = _lexical(query, toks, vocabulary, total)
        passage = cand.hit.score / top_fused
        relevance = 0.6 * float(cos) + 0.4 * lexical
        score = W_DENSE * float(cos) + W_LEXICAL * lexical + W_PASSAGE * passage
        score += W_PHRASE * _phrase(pairs, toks)
        if query.has_seen(cand):
            score *= SEEN_FACTOR  # a follow-up wants what the last answer did not say
        if cand.prev is None and needs_previous(cand.text):
            score *= DANGLING_FACTOR  # "This distinction…" with nothing before it to point at
        if merely_uses(cand.text):
            score *= USES_FACTOR
        if why and _CAUSE.search(cand.text):
            score += W_CAUSE
        if membership:
            score += W_LIST * min(max(membership.get(i, 0.0), 0.0) / MEMBER_COSINE, 1.0)
        if query.abbreviation and defines(query.abbreviation, cand.text):
            score += W_DEFINITION  # it spells out what was asked: the answer, however it scores
        scored.append(Scored(cand, score, relevance, vectors[i]))
    scored.sort(key=lambda s: -s.score)
    return scored
