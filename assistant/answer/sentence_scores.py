"""How well a candidate sentence answers a question: dense similarity, idf-weighted word overlap
(and the question's word pairs kept together) and its passage's fused rank, with bonuses for
what the question's form asks (a cause for "why", members for a list, a spelled-out
abbreviation) and penalties for what reads badly alone."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

import numpy as np

from assistant.answer.asked_kind import asked, holds
from assistant.answer.candidates import Candidate, Query, Scored, needs_previous
from assistant.answer.tuning import ANSWER
from assistant.retrieval.vocabulary import Vocabulary
from assistant.text.abbreviations import defines
from assistant.text.analyser import analyze
from assistant.text.sentences import is_record

_WHY = re.compile(r"^\s*why\b|\bwhat (?:is|was|are|were) the (?:reasons?|causes?|motives?)\b|\bfor what reason\b", re.I)
_CAUSE = re.compile(r"\b(?:because|due to|in response to|response to|aimed at|driven by|caused by|as a result|"
                    r"in order to|motivat\w*|owing to|seen as|reason|requires?|depends? on|relies on|needs)\b", re.I)
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


_AGGREGATE = frozenset(analyze(["total totals overall nationwide statewide countywide worldwide altogether combined "
                                 "grand all"])[0])
"""Words asking for a table's total row ("nationwide", "in total", "overall")."""


def row_named(question_terms: Collection[str], text: str) -> bool:
    """Whether ``text`` is a table's row whose label (its first cell after any group) the question
    names in full: "Column 1: Deficit; …" for "the total deficit", not "On-budget deficit"; a
    "Totals" row for a question asking for the whole ("nationwide", "in total")."""
    if not is_record(text):
        return False
    cells = [c for c in text.split("; ") if not c.startswith("Group: ")]
    if not cells:
        return False
    label = analyze([cells[0].partition(": ")[2]])[0]
    if not label:
        return False
    terms = set(question_terms)
    return set(label) <= terms or set(label) <= _AGGREGATE and bool(terms & _AGGREGATE)


def shortlist(query: Query, candidates: Sequence[Candidate], vocabulary: Vocabulary, limit: int) -> list[Candidate]:
    """The ``limit`` most promising sentences by signals that need no embedding (their passage's
    similarity and rank, their word overlap), so only those are embedded at query time."""
    if len(candidates) <= limit:
        return list(candidates)
    total = sum(vocabulary.idf(t) * w for t, w in query.terms.items()) or 1.0
    top_fused = max(c.hit.score for c in candidates) or 1.0
    kind = asked(query.text)
    cheap = [
        ANSWER.w_dense * c.hit.dense_score + ANSWER.w_lexical * _lexical(query, toks, vocabulary, total)
        + ANSWER.w_passage * c.hit.score / top_fused
        + (ANSWER.w_kind if kind and holds(kind, c.text, query.text) else 0.0)
        + (ANSWER.w_kind if row_named(query.terms, c.text) else 0.0)
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
    kind = asked(query.text)
    pair_idf = {pair: vocabulary.idf(pair[0]) + vocabulary.idf(pair[1]) for pair in query.phrases}
    pairs = {pair: weight / (sum(pair_idf.values()) or 1.0) for pair, weight in pair_idf.items()}
    scored = []
    for i, (cand, toks) in enumerate(zip(candidates, analyze([c.text for c in candidates]), strict=True)):
        cos = float(dense[i])
        lexical = _lexical(query, toks, vocabulary, total)
        passage = cand.hit.score / top_fused
        relevance = 0.6 * float(cos) + 0.4 * lexical
        score = ANSWER.w_dense * float(cos) + ANSWER.w_lexical * lexical + ANSWER.w_passage * passage
        score += ANSWER.w_phrase * _phrase(pairs, toks)
        if query.has_seen(cand):
            score *= ANSWER.seen_factor  # a follow-up wants what the last answer did not say
        if cand.prev is None and needs_previous(cand.text):
            score *= ANSWER.dangling_factor  # "This distinction…" with nothing before it to point at
        if merely_uses(cand.text):
            score *= ANSWER.uses_factor
        if why and _CAUSE.search(cand.text):
            score += ANSWER.w_cause
        if kind and holds(kind, cand.text, query.text):
            score += ANSWER.w_kind  # it holds what was asked for: a name, a date, a figure
        if row_named(query.terms, cand.text):
            score += ANSWER.w_kind  # the row the question names, not its neighbour with a qualifier
        if membership:
            score += ANSWER.w_list * min(max(membership.get(i, 0.0), 0.0) / ANSWER.member_cosine, 1.0)
        if query.abbreviation and defines(query.abbreviation, cand.text):
            score += ANSWER.w_definition  # it spells out what was asked: the answer, however it scores
        scored.append(Scored(cand, score, relevance, vectors[i]))
    scored.sort(key=lambda s: -s.score)
    return scored
