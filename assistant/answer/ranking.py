"""The sentences of the passages a question finds, scored: what answers and briefs choose from.

One call per request (``rank``): the passages are retrieved in the request's scope, their
sentences shortlisted by signals that need no embedding, the shortlist scored against the
question (``sentence_scores``), with the sentence that spells out an abbreviation the question
asks about added from wherever in scope it stands, and a list question's enumerations weighed
by how near their items are to the kind asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from assistant.answer import asked_kind, lists, sentence_scores
from assistant.answer.candidates import Candidate, Query, Scored, candidates_from
from assistant.answer.conversation import Resolution
from assistant.answer.request import Request
from assistant.answer.tuning import ANSWER
from assistant.text import abbreviations
from assistant.types import Hit

if TYPE_CHECKING:
    from numpy.typing import NDArray



@dataclass(frozen=True)
class RankedSentences:
    """The sentences of the top passages, best first, and how relevant the best ones are."""

    scored: list[Scored]
    hits: list[Hit]
    confidence: float


def query_for(req: Request, resolution: Resolution) -> Query:
    """The question as ranking needs it, embedded once: a follow-up embeds what it is retrieved
    with (its question and the carried terms) and its own question, in one call."""
    if resolution.is_follow_up:
        vector, own = req.embed([resolution.query, resolution.question])
    else:
        vector, own = req.embed([resolution.query])[0], None
    return Query.build(resolution.question, resolution.carried, vector, own, resolution.seen)


def rank(req: Request, resolution: Resolution, query: Query, k: int) -> RankedSentences:
    """Sentences of the top ``k`` passages in the request's scope, scored against ``query``."""
    snap = req.snap
    # a follow-up is retrieved with the previous question's terms added: a query no one
    # sentence says, so its passages are judged by their pooled vectors alone
    hits = snap.retriever.search(query.vector, query.tokens, k, req.mask, 0.0 if resolution.is_follow_up else None)
    kind = asked_kind.asked(resolution.question)
    bare = kind if kind in asked_kind.BARE else None  # a bare value may answer it: a dateline, a name
    found = candidates_from(hits, (lambda text: not text.rstrip().endswith("?")  # a question answers nothing
                                   and asked_kind.holds(bare, text, resolution.question)) if bare else None)
    candidates = sentence_scores.shortlist(query, found, snap.vocabulary, req.settings.answers.sentence_pool)
    if query.abbreviation:
        defining = _definition(req, query.abbreviation, found, hits, query.vector)
        if defining is not None and defining not in candidates:
            candidates.append(defining)
            if defining.hit not in hits:
                hits = [*hits, defining.hit]
    vectors = sentence_vectors(req, candidates)
    members = membership(req, resolution.question, candidates)
    scored = sentence_scores.score_candidates(query, candidates, vectors, snap.vocabulary, members)
    confidence = max((x.relevance for x in scored[:ANSWER.confidence_sentences]), default=0.0)
    return RankedSentences(scored, hits, confidence)


def sentence_vectors(req: Request, candidates: Sequence[Candidate]) -> NDArray[np.float32]:
    """Precomputed rows when the index has them; otherwise embedded now (and cached)."""
    snap = req.snap
    index = snap.index
    if index.has_sentence_vectors:
        return index.sentence_vectors_at([(c.hit.chunk.chunk_id, c.position) for c in candidates])
    keys = [(c.doc_id, c.start, c.end) for c in candidates]
    missing = snap.sentences.missing(keys)
    fresh: dict[tuple[str, int, int], NDArray[np.float32]] = {}
    if missing:
        vectors = req.embed([candidates[i].text for i in missing])
        fresh = {keys[i]: vec for i, vec in zip(missing, vectors, strict=True)}
        snap.sentences.put(list(fresh), vectors)
    return snap.sentences.get(keys, req.embedder.dim, fresh)


def membership(req: Request, question: str, candidates: Sequence[Candidate]) -> dict[int, float]:
    """For a question asking for several things of a kind (``lists.list_kind``): per candidate
    that lists things, how near they are to that kind, on average ("gadolinium, terbium…" to
    "rare earth elements", not "defence, electric vehicles…"). One embedding call, of short
    texts, for list questions only."""
    kind = lists.list_kind(question)
    if kind is None:
        return {}
    listed = {i: items[:ANSWER.max_items] for i, c in enumerate(candidates)
              if (items := lists.enumerated_items(c.text))}
    if not listed:
        return {}
    vectors = req.embed([kind, *(item for items in listed.values() for item in items)])
    near = vectors[1:] @ vectors[0]
    out, at = {}, 0
    for i, items in listed.items():
        out[i] = float(np.mean(near[at : at + len(items)]))
        at += len(items)
    return out


def _definition(req: Request, short: str, found: Sequence[Candidate], hits: Sequence[Hit],
                vector: NDArray[np.float32]) -> Candidate | None:
    """The sentence that spells out the abbreviation a question asks about: among the passages
    found, or else among those that hold it anywhere in scope (a writer defines it once, at its
    first use, which need not be where it is discussed)."""
    own = next((c for c in found if abbreviations.defines(short, c.text)), None)
    if own is not None:
        return own
    from assistant.text.analyser import analyze

    floor = min((h.score for h in hits), default=0.0)
    elsewhere = req.snap.retriever.holding(analyze([short])[0], vector, req.mask, [h.chunk.chunk_id for h in hits],
                                           ANSWER.definition_passages)
    for hit in elsewhere:
        if not abbreviations.defines(short, hit.chunk.text):
            continue
        placed = Hit(rank=len(hits) + 1, chunk=hit.chunk, score=floor, dense_score=hit.dense_score, sparse_score=0.0)
        defining = next((c for c in candidates_from([placed]) if abbreviations.defines(short, c.text)), None)
        if defining is not None:
            return defining
    return None
