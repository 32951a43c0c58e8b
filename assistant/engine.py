"""The question-answering engine: one loaded index, one embedder, many questions.

The CLI builds one per command; the TUI keeps one alive for the whole session.
"""

from __future__ import annotations

import dataclasses
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from assistant import answer as composer
from assistant.conversation import Conversation, Resolution
from assistant.embedders import Embedder, embedder_for
from assistant.errors import QuestionError
from assistant.retrieval import HybridRetriever, Scope
from assistant.settings import Settings
from assistant.sources import document_text
from assistant.sparse import analyze
from assistant.store import LoadedIndex, load_index
from assistant.types import Answer, Hit

if TYPE_CHECKING:
    from numpy.typing import NDArray

MAX_QUESTION_CHARS = 2000
_CACHE_SIZE = 20_000


class Engine:
    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or embedder_for(settings)
        self._index: LoadedIndex | None = None
        self._retriever: HybridRetriever | None = None
        self._sentence_vectors: OrderedDict[tuple[str, int, int], NDArray[np.float32]] = OrderedDict()
        self._texts: dict[str, tuple[int, str | None]] = {}

    # -- lifecycle -----------------------------------------------------------------

    @property
    def index(self) -> LoadedIndex:
        if self._index is None:
            self._index = load_index(self.settings.index_dir, model_id=self.embedder.model_id)
            s = self.settings
            self._retriever = HybridRetriever(self._index, s.rrf_k, s.dense_weight, s.sparse_weight, s.fusion)
        return self._index

    @property
    def retriever(self) -> HybridRetriever:
        self.index  # noqa: B018 - loads it
        assert self._retriever is not None
        return self._retriever

    def warm(self) -> None:
        """Load the index and the model now (the TUI does this in a worker)."""
        self.index  # noqa: B018
        self.embedder.embed_one("warm up")

    def reload(self) -> None:
        """Forget the loaded index (after a rebuild); it is read again on next use."""
        self._index = None
        self._retriever = None
        self._sentence_vectors.clear()
        self._texts.clear()

    # -- queries ---------------------------------------------------------------------

    def search(self, query: str, k: int | None = None, scope: Scope | None = None) -> list[Hit]:
        query = _clean(query)
        vector = self.embedder.embed_one(query)
        return self.retriever.search(vector, analyze([query])[0], k or self.settings.top_k,
                                     self.retriever.mask(scope))

    def ask(self, question: str, conversation: Conversation | None = None, scope: Scope | None = None,
            k: int | None = None) -> Answer:
        started = time.perf_counter()
        question = _clean(question)
        resolution = conversation.resolve(question) if conversation else Resolution(question)
        result = self._answer(resolution, scope, k or self.settings.top_k)
        if conversation is not None:
            conversation.add(question, resolution.query, result)
        return dataclasses.replace(result, latency_ms=(time.perf_counter() - started) * 1000)

    def _answer(self, resolution: Resolution, scope: Scope | None, k: int) -> Answer:
        s = self.settings
        scored, hits, confidence = self.rank_sentences(resolution, scope, k)
        if not scored or confidence < s.refusal_threshold:
            return composer.refusal(resolution.question, resolution.query, hits[:3], confidence)
        chosen = composer.select(scored, s.answer_budget, s.max_sentences)
        return composer.compose(resolution.question, resolution.query, chosen, confidence,
                                self.source_text, s.answer_budget, self.doc_info)

    def rank_sentences(self, resolution: Resolution, scope: Scope | None, k: int,
                       ) -> tuple[list[composer.Scored], list[Hit], float]:
        """Sentences of the top ``k`` passages, best first, and how relevant the best ones are."""
        if resolution.is_follow_up:
            vector, own = self.embedder.embed([resolution.query, resolution.question])
        else:
            vector, own = self.embedder.embed_one(resolution.query), None
        query = composer.Query.build(resolution.question, resolution.carried, vector, own)
        hits = self.retriever.search(vector, query.tokens, k, self.retriever.mask(scope))
        candidates = composer.shortlist(query, composer.candidates_from(hits), self.index.sparse,
                                        self.settings.sentence_pool)
        vectors = self._vectors_for(candidates)
        scored = composer.score_candidates(query, candidates, vectors, self.index.sparse)
        confidence = max((x.relevance for x in scored[:5]), default=0.0)
        return scored, hits, confidence

    def _vectors_for(self, candidates: Sequence[composer.Candidate]) -> NDArray[np.float32]:
        """Precomputed rows when the index has them; otherwise embedded now (and cached)."""
        index = self.index
        if index.sentence_vectors is not None and index.sentence_start is not None:
            rows = [int(index.sentence_start[c.hit.chunk.chunk_id]) + c.position for c in candidates]
            return np.asarray(index.sentence_vectors[rows], dtype=np.float32).reshape(len(rows), self.embedder.dim)
        keys = [(c.doc_id, c.start, c.end) for c in candidates]
        missing = [i for i, key in enumerate(keys) if key not in self._sentence_vectors]
        if missing:
            fresh = self.embedder.embed([candidates[i].text for i in missing])
            for i, vec in zip(missing, fresh, strict=True):
                self._sentence_vectors[keys[i]] = vec
        out = np.zeros((len(keys), self.embedder.dim), dtype=np.float32)
        for i, key in enumerate(keys):
            self._sentence_vectors.move_to_end(key)
            out[i] = self._sentence_vectors[key]
        while len(self._sentence_vectors) > _CACHE_SIZE:
            self._sentence_vectors.popitem(last=False)
        return out

    # -- sources ---------------------------------------------------------------------

    def source_text(self, doc_id: str) -> str | None:
        """The document's text as it is now: the file for text formats, the stored extraction otherwise.

        Cached per file modification time, so an edit made while the TUI runs is seen at once.
        """
        try:
            stamp = (self.settings.corpus_dir / doc_id).stat().st_mtime_ns
        except OSError:
            stamp = -1
        cached = self._texts.get(doc_id)
        if cached is None or cached[0] != stamp:
            cached = (stamp, self._read_source(doc_id))
            self._texts[doc_id] = cached
        return cached[1]

    def _read_source(self, doc_id: str) -> str | None:
        entry = self.index.manifest.documents.get(doc_id)
        if entry is None:
            return None
        return document_text(self.settings.corpus_dir, self.index.path, doc_id, entry)

    def doc_info(self, doc_id: str) -> tuple[str, str | None, Callable[[int], int | None]]:
        entry = self.index.manifest.documents.get(doc_id)
        if entry is None:
            return doc_id, None, lambda _offset: None
        starts = entry.page_starts

        def page_at(offset: int) -> int | None:
            if not starts:
                return None
            return max(i + 1 for i, st in enumerate(starts) if st <= offset) if offset >= starts[0] else 1

        return entry.title, entry.date, page_at


def _clean(question: str) -> str:
    question = " ".join((question or "").split())
    if not question:
        raise QuestionError("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(f"the question is too long ({len(question)} characters, limit {MAX_QUESTION_CHARS})")
    if not any(ch.isalnum() for ch in question):
        raise QuestionError("the question has no words in it")
    return question
