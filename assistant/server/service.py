"""What the local server offers, whatever the transport: HTTP (``server.http``) and MCP
(``server.mcp_tools``) both call this, so an answer is the same answer either way.

Each operation takes a validated request and returns the CLI's ``--json`` shape
(``export.json_output``: one owner for each). Answers, searches and briefs each run on one
index snapshot, as the engine takes it once per question; a rebuild swaps the snapshot for
the next request, never under a running one.

Work runs in threads, at most ``serve_workers`` at once with ``serve_queue`` more waiting:
past that a request fails at once with 503 rather than piling up, and a request that takes
longer than ``serve_timeout_s`` gets 504.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import anyio
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.errors import BriefingError, CorpusError, IndexCorrupt, IndexMissing, QuestionError
from assistant.server.readers import CURRENT
from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.answer.engine import Engine
    from assistant.retrieval.hybrid import Scope

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
MAX_K = 50


class RequestError(BriefingError):
    """A request that cannot be served, with the HTTP status and a stable code for clients."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code

    @classmethod
    def invalid(cls, exc: ValidationError) -> RequestError:
        """A request that does not fit its model, named by its first problem ("k: Input should
        be less than or equal to 50"): the same words over HTTP and MCP."""
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "body"
        return cls(400, "invalid_request", f"{where}: {first.get('msg', 'invalid')}")


def validated(model: type[M], **fields: Any) -> M:
    """``model(**fields)``, or the ``RequestError`` that says what is wrong with them."""
    try:
        return model(**fields)
    except ValidationError as exc:
        raise RequestError.invalid(exc) from None


@dataclass(frozen=True)
class WatchStatus:
    """Whether the server's watcher keeps the index current, and if not, why: what
    ``/v1/status`` reports as ``watching`` and ``watch_problem``."""

    watching: bool
    problem: str | None = None


NOT_WATCHING = WatchStatus(False)


class _Scoped(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc: list[str] = Field(default_factory=list, description="Only these documents (corpus-relative ids).")
    since: str | None = Field(None, description="Only documents dated on or after this date (YYYY[-MM[-DD]]).")
    until: str | None = Field(None, description="Only documents dated on or before this date.")


class AskRequest(_Scoped):
    question: str = Field(description="The question.")
    k: int | None = Field(None, ge=1, le=MAX_K, description="Passages to read (default: the server's setting).")
    conversation: dict[str, Any] | None = Field(
        None, description="For a follow-up: the `conversation` the previous answer returned, sent back as it was.")


class SearchRequest(_Scoped):
    query: str = Field(description="What to search for.")
    k: int | None = Field(None, ge=1, le=MAX_K, description="How many passages (default: the server's setting).")


class BriefRequest(_Scoped):
    topic: str = Field(description="The topic of the brief.")
    length: Literal["short", "standard", "long"] = "standard"
    new_since: str | None = Field(None, description="Mark the lines from documents added or dated after this date "
                                  "(YYYY[-MM[-DD]]), or after the last brief on this topic on this index ('last').")


class BriefingService:
    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self._limiter = anyio.CapacityLimiter(settings.server.serve_workers)
        self._in_flight = 0
        self._reloading = threading.Lock()
        self.watch_status = NOT_WATCHING
        """Set by the watcher's thread (one immutable value, swapped whole)."""

    # -- running -----------------------------------------------------------------------

    async def run(self, work: Callable[..., T], *args: Any) -> T:
        """``work(*args)`` in a worker thread, within the server's limits (503 when full, 504
        when too slow). Called on the event loop only, so the count needs no lock."""
        if self._in_flight >= self.settings.server.serve_workers + self.settings.server.serve_queue:
            raise RequestError(503, "busy", "the server is busy; try again shortly")
        self._in_flight += 1
        try:
            with anyio.fail_after(self.settings.server.serve_timeout_s):
                return await anyio.to_thread.run_sync(self._guarded, work, *args, limiter=self._limiter,
                                                      abandon_on_cancel=True)
        except TimeoutError:
            raise RequestError(504, "timeout", f"no answer within {self.settings.server.serve_timeout_s:g} s") from None
        finally:
            self._in_flight -= 1

    def _guarded(self, work: Callable[..., T], *args: Any) -> T:
        try:
            self.refresh()
            return work(*args)
        except (IndexMissing, IndexCorrupt) as exc:
            raise RequestError(503, "index_unavailable", str(exc)) from None
        except QuestionError as exc:
            raise RequestError(400, "bad_request", str(exc)) from None

    def refresh(self) -> None:
        """Serve the live generation: when a build (by this server's watcher, ``briefing index
        build`` or another process) has published a new one, load it for this request and the
        next; requests already running finish on theirs."""
        from assistant.index.layout import current_generation

        live = current_generation(self.settings.paths.index_dir)
        if live is not None and self.engine.loaded_generation() not in (None, live.name):
            with self._reloading:
                if self.engine.loaded_generation() not in (None, live.name):
                    self.engine.reload()

    # -- operations (run in worker threads) ------------------------------------------

    def ask(self, request: AskRequest) -> dict[str, Any]:
        from assistant.answer.conversation import Conversation
        from assistant.export.json_output import answer_json

        question = self._text(request.question, "question")
        conversation = Conversation.from_json(request.conversation) if request.conversation else Conversation()
        answer = self._engine().ask(question, conversation, self._scope(request), request.k)
        self._released([answer.marking])
        return {**answer_json(answer), "conversation": conversation.to_json()}

    def search(self, request: SearchRequest) -> dict[str, Any]:
        from assistant.export.json_output import hit_json

        query = self._text(request.query, "query")
        hits = self._engine().search(query, request.k, self._scope(request))
        self._released([h.marking for h in hits])
        return {"question": query, "hits": [hit_json(h) for h in hits]}

    def brief(self, request: BriefRequest) -> dict[str, Any]:
        from assistant.brief.new_since import follow
        from assistant.export.json_output import brief_json

        topic = self._text(request.topic, "topic")
        made = follow(self._engine(), topic, self._scope(request), request.length, request.new_since).brief
        self._released([made.marking])
        return brief_json(made)

    def documents(self) -> dict[str, Any]:
        snap = self._engine().snapshot()
        marks = {doc_id: m.marking for doc_id in snap.documents if (m := snap.marking(doc_id)) is not None}
        scheme = snap.scheme
        labels = {doc_id: scheme.label(m) for doc_id, m in marks.items()} if scheme is not None else {}
        self._released(list(labels.values()))
        return {"generation": snap.generation,
                "documents": [{"doc": doc_id, "title": d.meta.title, "date": d.meta.date, "format": d.meta.format,
                               "passages": d.n_chunks, **({"marking": labels[doc_id]} if doc_id in labels else {})}
                              for doc_id, d in snap.documents.items()],
                "passages": snap.passage_count}

    def source_text(self, doc: str, start: int | None, end: int | None) -> dict[str, Any]:
        """A document's indexed text, or a span of it: what a citation's offsets point into,
        read from the corpus under the same confinement as ``briefing show``."""
        from assistant.index.document_text import indexed_text

        engine = self._engine()
        snap = engine.snapshot()
        if doc not in snap.documents:
            raise RequestError(404, "unknown_document", f"{doc!r} is not an indexed document (see /v1/documents)")
        text = indexed_text(self.settings, doc, engine.clearance or "")
        a = 0 if start is None else start
        b = len(text) if end is None else end
        if not 0 <= a <= b <= len(text):
            raise QuestionError(f"span {a}:{b} is outside {doc} (length {len(text)})")
        found, scheme = snap.marking(doc), snap.scheme
        marking = scheme.label(found.at(a, b)) if found is not None and scheme is not None else ""
        self._released([marking])
        return {"doc": doc, "start": a, "end": b, "length": len(text), "text": text[a:b],
                **({"marking": marking} if marking else {})}

    def status(self) -> dict[str, Any]:
        """The index and each document's state; while the corpus folder is gone, the index's
        part alone with ``corpus_error`` saying why (the index is still served)."""
        from assistant.export.json_output import status_json
        from assistant.index.status import corpus_status, index_status

        watch = self.watch_status
        corpus_error = None
        try:
            report = corpus_status(self._reader_settings())
        except CorpusError as exc:
            report, corpus_error = index_status(self.settings), str(exc)
        return {**status_json(report), "corpus_error": corpus_error, "watching": watch.watching,
                "watch_problem": watch.problem}

    # -- the reader ------------------------------------------------------------------

    def _engine(self) -> Engine:
        """The engine at the clearance of the request's reader (``readers.CURRENT``)."""
        audit = CURRENT.get()
        return self.engine if audit is None else self.engine.at(audit.reader.clearance)

    def _reader_settings(self) -> Settings:
        """The settings with the request's reader's clearance (what ``index status`` reads)."""
        audit = CURRENT.get()
        if audit is None or audit.reader.clearance is None:
            return self.settings
        return self.settings.replace(clearance=audit.reader.clearance)

    def _released(self, labels: list[str]) -> None:
        """Record the highest marking this request releases, for the access log."""
        audit = CURRENT.get()
        if audit is None:
            return
        from assistant.answer.marked import highest_label

        audit.released = highest_label(self._engine().snapshot(), [audit.released, *labels])

    # -- checks ------------------------------------------------------------------------

    def _text(self, value: str, what: str) -> str:
        if len(value) > self.settings.server.serve_max_question_chars:
            limit = self.settings.server.serve_max_question_chars
            raise RequestError(400, "too_long", f"the {what} is longer than {limit} characters")
        return value

    @staticmethod
    def _scope(request: _Scoped) -> Scope:
        from assistant.retrieval.hybrid import Scope

        return Scope(tuple(request.doc), request.since, request.until)
