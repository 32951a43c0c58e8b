"""The question-answering engine: one embedder, many questions, one index snapshot at a time.

The CLI builds one per command; the TUI keeps one alive for the whole session and answers
from several threads while a rebuild may finish: each question starts a ``Request`` on the
current ``IndexSnapshot`` and uses only it throughout (ranking, the coverage verdict,
composing), and ``reload`` swaps in a new snapshot for the requests that start after it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
import time

from assistant.answer import asked_kind, compose, coverage, verdict
from assistant.answer.conversation import Conversation, Resolution
from assistant.answer.marked import marked_answer, marked_hits
from assistant.answer.ranking import RankedSentences, query_for, rank
from assistant.answer.request import Request
from assistant.answer.tuning import ANSWER
from assistant.embedders import Embedder, embedder_for
from assistant.errors import QuestionError
from assistant.index.marking_record import check_scheme
from assistant.index.store import LoadedIndex, load_index, prefetch_in_background
from assistant.markings.scheme import reader_clearance
from assistant.retrieval.hybrid import HybridRetriever, Scope
from assistant.retrieval.snapshot import IndexSnapshot
from assistant.settings import Settings
from assistant.text import framing
from assistant.text.analyser import analyze
from assistant.types import Answer, DocInfo, Hit

MAX_QUESTION_CHARS = 2000


class _Loaded:
    """The snapshot an engine and its views at other clearances (``Engine.at``) share."""

    def __init__(self) -> None:
        self.snapshot: IndexSnapshot | None = None
        self.lock = threading.Lock()


class Engine:
    def __init__(self, settings: Settings, embedder: Embedder | None = None, clearance: str | None = None,
                 _loaded: _Loaded | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or embedder_for(settings)
        self.clearance = clearance if clearance is not None else settings.markings.clearance
        """The reader's clearance as written ("SECRET/NOFORN"); None: the unmarked level."""
        self._loaded = _loaded or _Loaded()

    def at(self, clearance: str | None) -> Engine:
        """This engine for a reader with another clearance (a server's client): the same model
        and the same loaded index, seen through that clearance ("": the unmarked level; None:
        this engine's own)."""
        return self if clearance is None else Engine(self.settings, self.embedder, clearance, self._loaded)

    # -- lifecycle -----------------------------------------------------------------

    def snapshot(self) -> IndexSnapshot:
        """The current index snapshot as this engine's reader may see it (``IndexSnapshot.view``),
        loaded on first use. Take it once per unit of work."""
        loaded = self._loaded
        snap = loaded.snapshot
        if snap is None:
            with loaded.lock:
                snap = loaded.snapshot
                if snap is None:
                    snap = self._load()
                    loaded.snapshot = snap
        return snap.view(reader_clearance(snap.scheme, self.clearance or None), self.settings.shape)

    def _load(self) -> IndexSnapshot:
        index = load_index(self.settings.paths.index_dir, model_id=self.embedder.model_id)
        check_scheme(self.settings, index.markings)
        r = self.settings.retrieval
        retriever = HybridRetriever(index, r.rrf_k, r.dense_weight, r.sparse_weight, r.fusion, r.best_sentence)
        return IndexSnapshot(index, retriever, self.settings.paths.corpus_dir)

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
        snap = self._loaded.snapshot
        return None if snap is None else snap.generation

    def reload(self) -> None:
        """Load the index again (after a rebuild) and swap it in; questions already running
        finish on the snapshot they took. If loading fails, the engine has no index."""
        loaded = self._loaded
        with loaded.lock:
            try:
                loaded.snapshot = self._load()
            except BaseException:
                loaded.snapshot = None
                raise

    # -- queries ---------------------------------------------------------------------

    def request(self, scope: Scope | None = None) -> Request:
        """What one question or brief works on: the current snapshot, taken once, and its scope."""
        return Request.start(self.snapshot(), self.settings, self.embedder, scope)

    def search(self, query: str, k: int | None = None, scope: Scope | None = None) -> list[Hit]:
        query = framing.core(clean_query(query))
        req = self.request(scope)
        vector = self.embedder.embed_one(query)
        return marked_hits(req.snap, req.snap.retriever.search(vector, analyze([query])[0],
                                                                k or self.settings.retrieval.top_k, req.mask))

    def ranked(self, question: str, scope: Scope | None = None, k: int | None = None) -> RankedSentences:
        """The passages a question finds and their sentences, scored: what an answer chooses from
        (for the benchmarks and tests that study ranking)."""
        req = self.request(scope)
        resolution = Resolution(framing.core(clean_query(question)))
        return rank(req, resolution, query_for(req, resolution), k or self.settings.retrieval.top_k)

    def ask(self, question: str, conversation: Conversation | None = None, scope: Scope | None = None,
            k: int | None = None) -> Answer:
        started = time.perf_counter()
        question = clean_query(question)
        asked = framing.core(question)  # "Summarise: why…?" asks "Why…?"
        req = self.request(scope)
        resolution = conversation.resolve(asked) if conversation else Resolution(asked)
        result = marked_answer(req.snap, self._answer(req, resolution, k or self.settings.retrieval.top_k))
        if conversation is not None:
            conversation.add(question, resolution.query, result)
        return dataclasses.replace(result, question=question, latency_ms=(time.perf_counter() - started) * 1000,
                                   generation=req.snap.generation)

    def _answer(self, req: Request, resolution: Resolution, k: int) -> Answer:
        s = self.settings
        ranked = rank(req, resolution, query_for(req, resolution), k)
        judged = verdict.of(req, resolution, ranked)
        if not judged.covered:
            refusal = compose.refusal(resolution.question, resolution.query, ranked.hits[:3], ranked.confidence)
            return dataclasses.replace(refusal, notes=(judged.reason,) if judged.reason else ())
        kind = asked_kind.asked(resolution.question)
        wanted = (lambda text: asked_kind.holds(kind, text, resolution.question)) if kind else None
        scored = compose.within_lead_part(ranked.scored, req.snap.part_start)
        chosen = compose.select(scored, s.answers.answer_budget, s.answers.max_sentences,
                                 0.0 if resolution.is_follow_up else ANSWER.support_floor, wanted)
        return compose.compose(resolution.question, resolution.query, chosen, ranked.confidence,
                                req.snap.source_text, s.answers.answer_budget, req.snap.doc_info)

    # -- sources ---------------------------------------------------------------------

    def source_text(self, doc_id: str) -> str | None:
        """The document's text as it is now, from the current snapshot (see ``IndexSnapshot``)."""
        return self.snapshot().source_text(doc_id)

    def doc_info(self, doc_id: str) -> DocInfo:
        return self.snapshot().doc_info(doc_id)


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
