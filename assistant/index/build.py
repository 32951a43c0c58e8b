"""Incremental, crash-safe index builds.

Long because a build is one transaction over one state: what it reuses, reads, embeds and
writes all update the same report, the content hashes whose OCR stays cached and the parts of
files that could not be read; split into modules, that state would travel between them.

Only new and changed documents are chunked and embedded; unchanged ones keep their stored
vectors. ``IndexBuild.run()`` yields ``BuildProgress`` so a CLI progress bar or a TUI
worker can show it (and stop it: closing the generator discards the half-built generation);
``build_index`` (or ``run_build`` for a job made elsewhere: a cluster's) is how every caller
runs one.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import numpy as np

from assistant.embedders import Embedder
from assistant.errors import BriefingError, IndexCorrupt, IndexLocked, IndexUnwritable
from assistant.index.bm25 import SparseIndex
from assistant.index.dense import build_dense
from assistant.index.document_text import SourceUnreadable, read_document_text
from assistant.index.layout import GenerationFiles, IndexLayout
from assistant.index.manifest import DocEntry, Manifest
from assistant.index.marking_record import MarkedDocument, MarkingRecord
from assistant.index.passages import passage_heading, passage_text
from assistant.index.plan import BuildProgress, DocPlan, index_fingerprint, plan_build
from assistant.index.pooling import SentenceTexts
from assistant.index.prepare import Prepared, Preparer, prepare_locally
from assistant.index.store import (
    LoadedIndex,
    load_index,
    publish_generation,
    remove_stale_temporaries,
    write_generation,
)
from assistant.ingest.corpus import CorpusFile, Skipped
from assistant.ingest.ocr import OcrCache
from assistant.markings.detect import mark
from assistant.markings.scheme import configured_scheme
from assistant.settings import Settings
from assistant.text.abbreviations import initialisms
from assistant.types import Chunk, Document


@dataclass
class BuildReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    chunks_embedded: int = 0
    """Passages of new and changed documents (their vectors are new)."""
    texts_embedded: int = 0
    """What the model embedded for them: distinct sentences (and titles), or whole passages."""
    seconds: float = 0.0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[Skipped] = field(default_factory=list)
    full_reason: str | None = None
    total_chunks: int = 0
    wrote_index: bool = False
    dense_index: str = ""
    """The FAISS tier written (flat, hnsw, ivfpq); empty when nothing was written."""
    dense_recall: float | None = None
    """Its recall@10 against exact search, for the approximate tiers."""


def _unwritable(index_dir: Any, exc: OSError) -> IndexUnwritable:
    return IndexUnwritable(f"cannot write the index at {index_dir} ({exc.strerror or type(exc).__name__}); "
                           "the previous index, if any, is unchanged")




@dataclass
class _Planned:
    """One document's place in the new index: reused from the old one, or freshly chunked."""

    entry: DocEntry
    chunks: list[Chunk]
    vectors: np.ndarray | None = None
    text: str | None = None
    sentence_vectors: np.ndarray | None = None
    """Unless ``vectors="passages"``: a row per entry of each chunk's ``sentences``, in order."""
    marked: MarkedDocument = field(default_factory=MarkedDocument)
    """Its protective marking (``markings``) and the metadata fields that may state one."""

    def heading(self, settings: Settings) -> str:
        """The title that heads this document's passages (``passages.passage_heading``)."""
        return passage_heading(self.entry.meta.title, self.chunks, settings.shape)


@dataclass(frozen=True)
class _Assembled:
    """What a new generation will hold, as ``IndexBuild._run`` leaves it for ``_write``: every
    document's place (reused or fresh, embedded), and the index it was planned against."""

    planned: dict[str, _Planned]
    previous: LoadedIndex | None



class IndexBuild:
    def __init__(self, settings: Settings, embedder: Embedder, full: bool = False,
                 prepare: Preparer = prepare_locally) -> None:
        self.settings = settings
        self.embedder = embedder
        self.full = full
        self.prepare = prepare
        """Parses and chunks the documents to load (``ray_build`` spreads this over a cluster)."""
        self.report = BuildReport()
        self._skipped_sha: dict[str, str] = {}
        self._stat_changed = False  # touched but identical files: record their new mtimes
        self._kept_hashes: set[str] = set()  # content the new index holds: its OCR stays cached
        self._part_skips: dict[str, str] = {}  # unreadable parts of files read: part id -> file id
        self._fields_complete = True  # every document's metadata fields are known
        self.scheme = configured_scheme(settings.markings.markings_file, settings.paths.corpus_dir)
        """The marking scheme in force (None: documents carry no markings)."""

    def run(self) -> Generator[BuildProgress, None, None]:
        from filelock import FileLock, Timeout

        started = time.perf_counter()
        index_dir = self.settings.paths.index_dir
        try:
            index_dir.mkdir(parents=True, exist_ok=True)
            lock = FileLock(str(IndexLayout(index_dir).lock))
            lock.acquire(timeout=0)
        except Timeout:
            raise IndexLocked(f"another build is running (lock held on {IndexLayout(index_dir).lock})") from None
        except OSError as exc:
            raise _unwritable(index_dir, exc) from None
        tmp = None
        try:
            remove_stale_temporaries(index_dir)
            assembled = yield from self._run()
            if self._needs_write(assembled):
                yield BuildProgress("write", 0, 1)
                try:
                    tmp = IndexLayout(index_dir).new_temporary()
                    self._write(tmp, assembled)
                    publish_generation(index_dir, tmp)
                    OcrCache(IndexLayout(index_dir).ocr_cache).prune(self._kept_hashes)
                except OSError as exc:
                    raise _unwritable(index_dir, exc) from None
                tmp = None
                self.report.wrote_index = True
                yield BuildProgress("write", 1, 1)
        finally:
            if tmp is not None:
                import shutil

                shutil.rmtree(tmp, ignore_errors=True)
            lock.release()
            self.report.seconds = time.perf_counter() - started

    # -- planning ------------------------------------------------------------------

    def _run(self) -> Generator[BuildProgress, None, _Assembled]:
        """Plan, read and embed; what the new index will hold is returned, for ``_write``."""
        previous, forced = self._previous()
        model_id = self.embedder.model_id
        plan = yield from plan_build(self.settings, model_id, previous.manifest if previous else None, forced)
        self.report.full_reason = plan.full_reason
        if plan.full_reason is not None:
            previous = None
        planned: dict[str, _Planned] = {}
        fresh: list[_Planned] = []
        for doc in plan.documents:
            if doc.action == "reuse":
                assert previous is not None and doc.file is not None
                src = doc.file
                for doc_id, entry in ((doc.doc_id, doc.entry), *doc.parts):
                    if entry is None:
                        continue
                    touched = dataclasses.replace(entry, mtime_ns=src.mtime_ns, ctime_ns=src.ctime_ns)
                    planned[doc_id] = self._reuse(previous, touched)
                    self._stat_changed |= (entry.mtime_ns, entry.ctime_ns) != (src.mtime_ns, src.ctime_ns)
                    self.report.unchanged += 1
                self._carry_part_skips(previous, doc.doc_id)
            elif doc.state == "skipped":
                self.report.skipped.append(Skipped(doc.doc_id, doc.reason or "skipped"))
            elif doc.state == "removed" and previous is not None:
                self.report.removed += 1
        to_load = [doc for doc in plan.documents if doc.action == "load"]
        yield BuildProgress("read", 0, len(to_load))
        for done, (doc, prepared) in enumerate(self.prepare(to_load, self.settings), 1):
            assert doc.file is not None
            if prepared.skip is not None:
                self.report.skipped.append(Skipped(doc.doc_id, prepared.skip))
                self._skipped_sha[doc.doc_id] = doc.sha256
                yield BuildProgress("read", done, len(to_load))
                continue
            self.report.warnings.extend(prepared.notes)
            for part in prepared.parts_skipped:
                self.report.skipped.append(part)
                self._skipped_sha[part.doc_id] = doc.sha256
                self._part_skips[part.doc_id] = doc.doc_id
            self._place(doc, prepared, previous, planned, fresh)
            yield BuildProgress("read", done, len(to_load))
        # In document order, whatever order they were prepared in: the int8 model quantises each
        # batch's activations on their own range, so the same batches give the same vectors.
        fresh.sort(key=lambda p: p.chunks[0].doc_id if p.chunks else "")
        yield from self._embed(fresh)
        return _Assembled(planned, previous)

    def _place(self, doc: DocPlan, prepared: Prepared, previous: LoadedIndex | None,
               planned: dict[str, _Planned], fresh: list[_Planned]) -> None:
        """Put a loaded file's documents into the new index. A message or attachment whose own
        bytes are unchanged keeps its vectors (an mbox with one new message embeds one message)."""
        assert doc.file is not None
        src = doc.file
        old_ids = {doc_id for doc_id, _ in doc.parts} | ({doc.doc_id} if doc.entry is not None else set())
        for part in prepared.documents:
            document = part.document
            old_ids.discard(document.doc_id)
            old = previous.manifest.documents.get(document.doc_id) if previous is not None else None
            if old is not None and previous is not None and document.meta.container is not None \
                    and old.meta.sha256 == document.meta.sha256:
                meta = dataclasses.replace(old.meta, container_sha256=document.meta.container_sha256)
                entry = dataclasses.replace(old, meta=meta, size=src.size, mtime_ns=src.mtime_ns,
                                            ctime_ns=src.ctime_ns)
                planned[document.doc_id] = self._reuse(previous, entry)
                self.report.unchanged += 1
                continue
            planned[document.doc_id] = self._planned_for(document, part.chunks, src)
            planned[document.doc_id].marked = MarkedDocument(
                mark(self.scheme.scheme, document.doc_id, document.text, document.meta.page_starts, part.metadata)
                if self.scheme is not None else None, dict(part.metadata))
            fresh.append(planned[document.doc_id])
            if old is None or previous is None:
                self.report.added += 1
            else:
                self.report.updated += 1
        if previous is not None:
            self.report.removed += len(old_ids)  # messages or attachments no longer in the file

    def _carry_part_skips(self, previous: LoadedIndex, file_id: str) -> None:
        """A reused file's unreadable parts stay reported, as they were when it was read."""
        for skipped in previous.manifest.skipped:
            if skipped["doc"].startswith(file_id + "/") and skipped.get("container") == file_id:
                self.report.skipped.append(Skipped(skipped["doc"], skipped["reason"]))
                self._skipped_sha[skipped["doc"]] = skipped.get("sha256", "")
                self._part_skips[skipped["doc"]] = file_id

    def _previous(self) -> tuple[LoadedIndex | None, str | None]:
        """The live index to extend, or the reason there is none to extend."""
        if self.full:
            return None, "full rebuild requested"
        try:
            previous = load_index(self.settings.paths.index_dir)
        except BriefingError as exc:
            if IndexLayout(self.settings.paths.index_dir).current.exists():
                return None, f"previous index unusable: {exc}"
            return None, None
        if self.scheme is not None and (previous.markings is None or not previous.markings.complete):
            return None, "a marking scheme is in force and the index has no record of its documents' metadata"
        return previous, None

    def _reuse(self, previous: LoadedIndex, old: DocEntry) -> _Planned:
        rows = slice(old.first_chunk, old.first_chunk + old.n_chunks)
        text = None
        if old.text_file:
            try:
                stored = GenerationFiles(previous.path).stored_text(old.text_file)
            except ValueError as exc:
                raise IndexCorrupt(f"the index is damaged ({exc}); run `briefing index build --full`") from None
            text = stored.read_text(encoding="utf-8")
        sentences = None
        if previous.sentence_vectors is not None:
            sentences = np.array(previous.sentence_vectors[previous.sentence_rows(old.first_chunk, old.n_chunks)])
        plan = _Planned(old, list(previous.chunks[rows]), np.array(previous.vectors[rows]), text, sentences)
        plan.marked = self._remarked(previous, plan)
        return plan

    def _remarked(self, previous: LoadedIndex, plan: _Planned) -> MarkedDocument:
        """A reused document's marking: as recorded when the scheme is the same; else found again
        in its stored text and recorded metadata fields (nothing is read from its file but a
        text format's text, and nothing is embedded)."""
        doc_id = plan.chunks[0].doc_id if plan.chunks else None
        record = previous.markings
        self._fields_complete &= record is not None and record.complete
        recorded = record.documents.get(doc_id, MarkedDocument()) if record is not None and doc_id else \
            MarkedDocument()
        sha = None if self.scheme is None else self.scheme.sha256
        if record is not None and record.scheme_sha256 == sha:
            return recorded
        if self.scheme is None or doc_id is None:
            return MarkedDocument(None, recorded.fields)
        text = plan.text
        if text is None:
            try:
                text = read_document_text(self.settings.paths.corpus_dir, previous.path, doc_id, plan.entry)
            except SourceUnreadable as exc:
                raise IndexCorrupt(f"cannot mark {doc_id} again ({exc}); run `briefing index build --full`") from None
        found = mark(self.scheme.scheme, doc_id, text, plan.entry.meta.page_starts, recorded.fields)
        return MarkedDocument(found, recorded.fields)

    def _planned_for(self, doc: Document, chunks: list[Chunk], src: CorpusFile) -> _Planned:
        entry = DocEntry(
            doc.meta,
            first_chunk=0,
            n_chunks=len(chunks),
            size=src.size,
            mtime_ns=src.mtime_ns,
            ctime_ns=src.ctime_ns,
            text_file=GenerationFiles.text_file(doc.meta.sha256) if doc.converted else None,
            initialisms=initialisms(doc.text[doc.meta.body_start:]),
        )
        return _Planned(entry, chunks, None, doc.text if doc.converted else None)

    def _embed(self, todo: list[_Planned]) -> Iterator[BuildProgress]:
        """Embed what new and changed documents need, as ``settings.shape.vectors`` says."""
        if self.settings.shape.vectors == "sentences":
            yield from self._embed_sentences(todo)
        else:
            yield from self._embed_passages(todo)
        self.report.chunks_embedded = sum(len(plan.chunks) for plan in todo)

    def _embed_sentences(self, todo: list[_Planned]) -> Iterator[BuildProgress]:
        """Each distinct sentence once; passage vectors pooled from them (``pooling``)."""
        jobs = [SentenceTexts.of(plan.chunks, plan.heading(self.settings) or None)
                for plan in todo]
        texts = [text for job in jobs for text in job.texts]
        self.report.texts_embedded = len(texts)
        vectors = np.zeros((len(texts), self.embedder.dim), dtype=np.float32)
        yield BuildProgress("embed", 0, len(texts))
        for done, total, rows, batch in self.embedder.iter_embed(texts):
            vectors[rows] = batch
            yield BuildProgress("embed", done, total)
        at = 0
        for plan, job in zip(todo, jobs, strict=True):
            own = vectors[at : at + len(job.texts)]
            at += len(job.texts)
            plan.sentence_vectors = job.sentence_matrix(own)
            plan.vectors = job.passage_matrix(own)

    def _embed_passages(self, todo: list[_Planned]) -> Iterator[BuildProgress]:
        """Each chunk as a whole (sentences are then embedded at question time)."""
        texts: list[str] = []
        owners: list[tuple[_Planned, int]] = []
        for plan in todo:
            plan.vectors = np.zeros((len(plan.chunks), self.embedder.dim), dtype=np.float32)
            for j, chunk in enumerate(plan.chunks):
                texts.append(passage_text(plan.heading(self.settings), chunk.text))
                owners.append((plan, j))
        self.report.texts_embedded = len(texts)
        yield BuildProgress("embed", 0, len(texts))
        for done, total, rows, vectors in self.embedder.iter_embed(texts):
            for i, vector in zip(rows, vectors, strict=True):
                plan, j = owners[i]
                assert plan.vectors is not None
                plan.vectors[j] = vector
            yield BuildProgress("embed", done, total)

    # -- writing -------------------------------------------------------------------

    def _needs_write(self, assembled: _Assembled) -> bool:
        r = self.report
        previous = assembled.previous
        if previous is None or r.added or r.updated or r.removed or self._stat_changed:
            return True
        if previous.markings is None or previous.markings.scheme_sha256 != (self.scheme and self.scheme.sha256):
            return True  # the scheme changed: every document is marked again, nothing embedded
        before = sorted((x["doc"], x["reason"]) for x in previous.manifest.skipped)
        if before != sorted((x.doc_id, x.reason) for x in r.skipped):
            return True
        r.total_chunks = previous.manifest.n_chunks
        return False

    def _skip_record(self, skipped: Skipped) -> dict[str, str]:
        record = {"doc": skipped.doc_id, "reason": skipped.reason, "sha256": self._skipped_sha.get(skipped.doc_id, "")}
        if skipped.doc_id in self._part_skips:
            record["container"] = self._part_skips[skipped.doc_id]
        return record

    def _write(self, tmp: Any, assembled: _Assembled) -> None:
        chunks: list[Chunk] = []
        vectors: list[np.ndarray] = []
        sentence_vectors: list[np.ndarray] = []
        documents: dict[str, DocEntry] = {}
        texts: dict[str, str] = {}
        headings: list[str] = []
        for doc_id in sorted(assembled.planned):
            plan = assembled.planned[doc_id]
            first = len(chunks)
            heading = plan.heading(self.settings)
            for chunk in plan.chunks:
                chunks.append(dataclasses.replace(chunk, chunk_id=len(chunks)))
                headings.append(heading)
            if plan.vectors is not None and len(plan.vectors):
                vectors.append(plan.vectors)
            if plan.sentence_vectors is not None and len(plan.sentence_vectors):
                sentence_vectors.append(plan.sentence_vectors)
            documents[doc_id] = dataclasses.replace(plan.entry, first_chunk=first, n_chunks=len(plan.chunks))
            if plan.entry.text_file and plan.text is not None:
                texts[plan.entry.text_file] = plan.text
        self._kept_hashes = {h for e in documents.values() for h in (e.meta.sha256, e.meta.file_sha256)}
        matrix = np.vstack(vectors) if vectors else np.zeros((0, self.embedder.dim), dtype=np.float32)
        sentences = None
        if self.settings.shape.vectors == "sentences":
            dim = self.embedder.dim
            sentences = np.vstack(sentence_vectors) if sentence_vectors else np.zeros((0, dim), dtype=np.float32)
        tiers = self.settings.retrieval
        dense = build_dense(matrix, tiers.hnsw_threshold, tiers.ivf_threshold, queries=sentences)
        sparse = SparseIndex.build(
            [passage_text(t, c.text) for t, c in zip(headings, chunks, strict=True)]
        )
        manifest = Manifest(
            model_id=self.embedder.model_id,
            dim=self.embedder.dim,
            chunking=index_fingerprint(self.settings),
            documents=documents,
            n_chunks=len(chunks),
            dense_index=dense.kind,
            dense_recall=dense.recall_at_10,
            built_at=datetime.now(UTC).isoformat(timespec="seconds"),
            skipped=[self._skip_record(s) for s in self.report.skipped],
        )
        markings = MarkingRecord(self.scheme, {doc_id: plan.marked for doc_id, plan in assembled.planned.items()},
                                 self._fields_complete)
        write_generation(tmp, manifest, chunks, matrix.astype(np.float32), dense.index, sparse, texts, sentences,
                         markings)
        self.report.total_chunks = len(chunks)
        self.report.dense_index, self.report.dense_recall = dense.kind, dense.recall_at_10


class Buildable(Protocol):
    """A build to run: a local ``IndexBuild``, or a Ray cluster's job."""

    report: BuildReport

    def run(self) -> Iterator[BuildProgress]: ...


Driver = Callable[[Callable[[], Iterator[BuildProgress]]], Iterator[BuildProgress]]
"""How a build's steps are driven: here (the default), or in a thread of lower priority
(``background.in_background``, the TUI)."""


def build_index(settings: Settings, embedder: Embedder, *, full: bool = False,
                progress: Callable[[BuildProgress], None] | None = None, stop: Callable[[], bool] | None = None,
                drive: Driver | None = None) -> BuildReport | None:
    """Build or refresh the index, the one way every caller does it (``run_build``)."""
    return run_build(IndexBuild(settings, embedder, full=full), progress=progress, stop=stop, drive=drive)


def run_build(job: Buildable, *, progress: Callable[[BuildProgress], None] | None = None,
              stop: Callable[[], bool] | None = None, drive: Driver | None = None) -> BuildReport | None:
    """Run a build to its end: each step is reported to ``progress``; when ``stop()`` is true
    after a step the build is discarded, the previous index left live, and None returned."""
    steps = drive(job.run) if drive is not None else job.run()
    try:
        for step in steps:
            if progress is not None:
                progress(step)
            if stop is not None and stop():
                return None
    finally:
        close = getattr(steps, "close", None)
        if close is not None:
            close()  # a build stopped part-way discards its half-written generation
    return job.report
