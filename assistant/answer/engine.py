"""The question-answering engine: one embedder, many questions, one index snapshot at a time.

The CLI builds one per command; the TUI keeps one alive for the whole session and answers
from several threads while a rebuild may finish: each question takes the current
``IndexSnapshot`` once and uses it throughout, and ``reload`` swaps in a new one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from assistant.answer import compose as composer
from assistant.answer import coverage, lists, sentence_scores
from assistant.answer import expected_type as answer_type
from assistant.answer.candidates import Candidate, Query, Scored, candidates_from
from assistant.answer.conversation import Conversation, Resolution
from assistant.embedders import Embedder, embedder_for
from assistant.errors import QuestionError
from assistant.index.store import LoadedIndex, load_index, prefetch_in_background
from assistant.retrieval.hybrid import HybridRetriever, Scope
from assistant.retrieval.snapshot import IndexSnapshot
from assistant.settings import Settings
from assistant.text import abbreviations as definitions
from assistant.text import framing
from assistant.text.analyser import analyze
from assistant.types import Answer, DocInfo, Hit

if TYPE_CHECKING:
    from numpy.typing import NDArray

MAX_QUESTION_CHARS = 2000
TYPE_WINDOW = 8
"""Best sentences searched for the kind of answer a question asks for (``expected_type``)."""


@dataclasses.dataclass(frozen=True)
class Coverage:
    """Whether the corpus covers what was asked, and if not, why (when a reason can be named)."""

    covered: bool
    reason: str | None = None


@dataclasses.dataclass(frozen=True)
class RankedSentences:
    """The sentences of the top passages, best first, and how relevant the best ones are."""

    scored: list[Scored]
    hits: list[Hit]
    confidence: float


class Engine:
    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or embedder_for(settings)
        self._snapshot: IndexSnapshot | None = None
        self._loading = threading.Lock()

    # -- lifecycle -----------------------------------------------------------------

    def snapshot(self) -> IndexSnapshot:
        """The current index snapshot, loaded on first use. Take it once per unit of work."""
        snap = self._snapshot
        if snap is None:
            with self._loading:
                snap = self._snapshot
                if snap is None:
                    snap = self._load()
                    self._snapshot = snap
        return snap

    def _load(self) -> IndexSnapshot:
        index = load_index(self.settings.index_dir, model_id=self.embedder.model_id)
        s = self.settings
        retriever = HybridRetriever(index, s.rrf_k, s.dense_weight, s.sparse_weight, s.fusion, s.best_sentence)
        return IndexSnapshot(index, retriever, s.corpus_dir)

    @property
    def index(self) -> LoadedIndex:
        return self.snapshot().index

    def warm(self, prefetch: bool = True) -> None:
        """Load the index and the model now, side by side: the model's session is built in a
        thread of its own while this one reads the index (the TUI calls this from a worker).
        ``prefetch`` then reads the index files into the page cache in the background, for a
        session that will ask many questions; a one-question command skips it."""
        loading = threading.Thread(target=self._load_model_quietly, name="model-load", daemon=True)
        loading.start()
        try:
            snap = self.snapshot()
        finally:
            loading.join()
        if prefetch:
            prefetch_in_background(snap.index)
            threading.Thread(target=coverage.load_word_frequencies, name="word-frequencies", daemon=True).start()
        self.embedder.embed_one("warm up")  # raises here if the model could not be loaded

    def _load_model_quietly(self) -> None:
        with contextlib.suppress(Exception):  # reported by the warm-up embedding, in the caller
            self.embedder.load()

    def loaded_generation(self) -> str | None:
        """The name of the generation the current snapshot answers from; None before one is loaded."""
        snap = self._snapshot
        return None if snap is None else snap.generation

    def reload(self) -> None:
        """Load the index again (after a rebuild) and swap it in; questions already running
        finish on the snapshot they took. If loading fails, the engine has no index."""
        with self._loading:
            try:
                self._snapshot = self._load()
            except BaseException:
                self._snapshot = None
                raise

    # -- queries ---------------------------------------------------------------------

    def search(self, query: str, k: int | None = None, scope: Scope | None = None) -> list[Hit]:
        query = framing.core(clean_query(query))
        snap = self.snapshot()
        vector = self.embedder.embed_one(query)
        return snap.retriever.search(vector, analyze([query])[0], k or self.settings.top_k, snap.retriever.mask(scope))

    def ask(self, question: str, conversation: Conversation | None = None, scope: Scope | None = None,
            k: int | None = None) -> Answer:
        started = time.perf_counter()
        question = clean_query(question)
        asked = framing.core(question)  # "Summarise: why…?" asks "Why…?"
        snap = self.snapshot()
        resolution = conversation.resolve(asked) if conversation else Resolution(asked)
        result = self._answer(snap, resolution, scope, k or self.settings.top_k)
        if conversation is not None:
            conversation.add(question, resolution.query, result)
        return dataclasses.replace(result, question=question, latency_ms=(time.perf_counter() - started) * 1000,
                                   generation=snap.generation)

    def _answer(self, snap: IndexSnapshot, resolution: Resolution, scope: Scope | None, k: int) -> Answer:
        s = self.settings
        ranked = self.rank_sentences(resolution, scope, k, snap)
        verdict = self.coverage(snap, resolution, ranked)
        if not verdict.covered:
            refusal = composer.refusal(resolution.question, resolution.query, ranked.hits[:3], ranked.confidence)
            return dataclasses.replace(refusal, notes=(verdict.reason,) if verdict.reason else ())
        chosen = composer.select(ranked.scored, s.answer_budget, s.max_sentences,
                                 0.0 if resolution.is_follow_up else composer.SUPPORT_FLOOR)
        return composer.compose(resolution.question, resolution.query, chosen, ranked.confidence,
                                snap.source_text, s.answer_budget, snap.doc_info)

    def coverage(self, snap: IndexSnapshot, resolution: Resolution, ranked: RankedSentences) -> Coverage:
        """Whether the corpus covers a question or a brief's topic: the one decision both
        refusals are made by. Not when nothing relevant enough is found (the relevance floor,
        ``refusal_threshold``: no reason is given, the nearest material speaks for itself), nor
        when ``not_covered`` finds a reason."""
        if not ranked.scored or ranked.confidence < self.settings.refusal_threshold:
            return Coverage(False)
        why_not = self.not_covered(snap, resolution, ranked)
        return Coverage(why_not is None, why_not)

    def not_covered(self, snap: IndexSnapshot, resolution: Resolution, ranked: RankedSentences) -> str | None:
        """Why relevant-looking sentences still cannot answer (a question, or a brief's topic): its
        subject or most of its words are nowhere in the corpus, or the passages found share only
        words the corpus uses in passing (``coverage``), or none of them states the kind of
        answer asked (``expected_type``)."""
        sparse = snap.index.sparse
        passage_words = self.settings.chunk_size / coverage.WORD_CHARS
        absent = coverage.absent_names(resolution.question, sparse, lambda: snap.index.initialisms)
        if absent:
            return f"the corpus never mentions {', '.join(absent)}"
        unknown, words = coverage.unknown_words(resolution.question, sparse)
        if words and len(unknown) / words >= coverage.UNKNOWN_SHARE and ranked.confidence < coverage.UNKNOWN_CONFIDENCE:
            return "most of the question's words never occur in the corpus"
        # a lower-case subject is an unknown word: most questions have none, and skip that check
        absent = coverage.absent_terms(resolution.question, sparse) if unknown else []
        if absent:
            return f"the corpus never mentions {', '.join(absent)}"
        # a follow-up's own words are few and plain: its subject is the conversation's
        if not resolution.is_follow_up and coverage.only_everyday_words(
                resolution.question, sparse, [h.chunk.chunk_id for h in ranked.hits], passage_words):
            return "the passages found share only everyday words with the question"
        kind = answer_type.wanted(resolution.question)
        if kind:
            window = [answer_type.Context(x.candidate.text, snap.doc_info(x.candidate.doc_id).title)
                      for x in ranked.scored[:TYPE_WINDOW]]
            if not answer_type.any_satisfies(kind, window, self.embedder.embed):
                return f"no passage found states {kind.describe()}"
        return None

    def rank_sentences(self, resolution: Resolution, scope: Scope | None, k: int,
                       snap: IndexSnapshot | None = None) -> RankedSentences:
        """Sentences of the top ``k`` passages of ``snap`` (the current snapshot by default)."""
        snap = snap or self.snapshot()
        if resolution.is_follow_up:
            vector, own = self.embedder.embed([resolution.query, resolution.question])
        else:
            vector, own = self.embedder.embed_one(resolution.query), None
        query = Query.build(resolution.question, resolution.carried, vector, own, resolution.seen)
        mask = snap.retriever.mask(scope)
        # a follow-up is retrieved with the previous question's terms added: a query no one
        # sentence says, so its passages are judged by their pooled vectors alone
        hits = snap.retriever.search(vector, query.tokens, k, mask, 0.0 if resolution.is_follow_up else None)
        found = candidates_from(hits)
        candidates = sentence_scores.shortlist(query, found, snap.index.sparse, self.settings.sentence_pool)
        if query.abbreviation:
            defining = _definition(snap, query.abbreviation, found, hits, vector, mask)
            if defining is not None and defining not in candidates:
                candidates.append(defining)
                if defining.hit not in hits:
                    hits = [*hits, defining.hit]
        vectors = self.sentence_vectors(snap, candidates)
        membership = self.membership(resolution.question, candidates)
        scored = sentence_scores.score_candidates(query, candidates, vectors, snap.index.sparse, membership)
        confidence = max((x.relevance for x in scored[:5]), default=0.0)
        return RankedSentences(scored, hits, confidence)

    def membership(self, question: str, candidates: Sequence[Candidate]) -> dict[int, float]:
        """For a question asking for several things of a kind (``answer.list_kind``): per candidate
        that lists things, how near they are to that kind, on average ("gadolinium, terbium…" to
        "rare earth elements", not "defence, electric vehicles…"). One embedding call, of short
        texts, for list questions only."""
        kind = lists.list_kind(question)
        if kind is None:
            return {}
        listed = {i: items[:MAX_ITEMS] for i, c in enumerate(candidates)
                  if (items := lists.enumerated_items(c.text))}
        if not listed:
            return {}
        texts = [kind, *(item for items in listed.values() for item in items)]
        vectors = self.embedder.embed(texts)
        near = vectors[1:] @ vectors[0]
        out, at = {}, 0
        for i, items in listed.items():
            out[i] = float(np.mean(near[at : at + len(items)]))
            at += len(items)
        return out

    def sentence_vectors(self, snap: IndexSnapshot, candidates: Sequence[Candidate]) -> NDArray[np.float32]:
        """Precomputed rows when the index has them; otherwise embedded now (and cached)."""
        index = snap.index
        if index.has_sentence_vectors:
            return index.sentence_vectors_at([(c.hit.chunk.chunk_id, c.position) for c in candidates])
        keys = [(c.doc_id, c.start, c.end) for c in candidates]
        missing = snap.sentences.missing(keys)
        fresh: dict[tuple[str, int, int], NDArray[np.float32]] = {}
        if missing:
            vectors = self.embedder.embed([candidates[i].text for i in missing])
            fresh = {keys[i]: vec for i, vec in zip(missing, vectors, strict=True)}
            snap.sentences.put(list(fresh), vectors)
        return snap.sentences.get(keys, self.embedder.dim, fresh)

    # -- sources ---------------------------------------------------------------------

    def source_text(self, doc_id: str) -> str | None:
        """The document's text as it is now, from the current snapshot (see ``IndexSnapshot``)."""
        return self.snapshot().source_text(doc_id)

    def doc_info(self, doc_id: str) -> DocInfo:
        return self.snapshot().doc_info(doc_id)


MAX_ITEMS = 8
"""Items of one enumeration compared with the kind a list question asks for (``membership``)."""
DEFINITION_PASSAGES = 64
"""Passages holding an asked abbreviation searched for its definition, the most similar first."""


def _definition(snap: IndexSnapshot, short: str, found: Sequence[Candidate], hits: Sequence[Hit],
                vector: NDArray[np.float32], mask: NDArray[np.bool_] | None) -> Candidate | None:
    """The sentence that spells out the abbreviation a question asks about: among the passages
    found, or else among those that hold it anywhere in scope (a writer defines it once, at its
    first use, which need not be where it is discussed)."""
    own = next((c for c in found if definitions.defines(short, c.text)), None)
    if own is not None:
        return own
    index = snap.index
    tokens = analyze([short])[0]
    if not tokens:
        return None
    rows = index.sparse.passages_with(tokens[0])
    for token in tokens[1:]:
        rows = np.intersect1d(rows, index.sparse.passages_with(token))
    if mask is not None:
        rows = rows[mask[rows]]
    rows = np.setdiff1d(rows, [h.chunk.chunk_id for h in hits])
    if not len(rows):
        return None
    similarity = np.asarray(index.vectors[rows] @ vector, dtype=np.float32)
    floor = min((h.score for h in hits), default=0.0)
    for i in np.argsort(-similarity, kind="stable")[:DEFINITION_PASSAGES].tolist():
        chunk = index.chunks[int(rows[i])]
        if not definitions.defines(short, chunk.text):
            continue
        hit = Hit(rank=len(hits) + 1, chunk=chunk, score=floor, dense_score=float(similarity[i]), sparse_score=0.0)
        own = next((c for c in candidates_from([hit]) if definitions.defines(short, c.text)), None)
        if own is not None:
            return own
    return None


def clean_query(question: str, what: str = "question") -> str:
    """White space folded; an empty, wordless or over-long question (or brief topic: ``what``)
    is a ``QuestionError`` that says which."""
    question = " ".join((question or "").split())
    if not question:
        raise QuestionError(f"the {what} is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(f"the {what} is too long ({len(question)} characters, limit {MAX_QUESTION_CHARS})")
    if not any(ch.isalnum() for ch in question):
        raise QuestionError(f"the {what} has no words in it")
    return question
