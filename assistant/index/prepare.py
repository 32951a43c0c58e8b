"""Reading the files a build plans to load: each parsed (OCR included) and chunked, by a pool
of threads on this machine or by Ray tasks on a cluster (``cluster.ray_build``), which share
``prepare_document``. A file that cannot be read becomes a ``Prepared`` that says why."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from assistant.errors import SkipFile
from assistant.index.layout import IndexLayout
from assistant.index.plan import DocPlan
from assistant.ingest.chunking import chunk_document
from assistant.ingest.corpus import CorpusFile, Skipped
from assistant.ingest.loaders import parse_source, read_document
from assistant.ingest.ocr import OcrOptions
from assistant.settings import Settings
from assistant.types import Chunk, Document


@dataclass(frozen=True)
class PreparedDocument:
    """One document of a file, parsed and chunked."""

    document: Document
    chunks: list[Chunk]
    metadata: Mapping[str, str] = field(default_factory=dict)
    """Its fields that may state a protective marking (``SourceRead.metadata``)."""


@dataclass(frozen=True)
class Prepared:
    """One file parsed and chunked (its documents: one, or several for an e-mail with
    attachments or an mbox), or the reason it is skipped."""

    documents: tuple[PreparedDocument, ...] = ()
    notes: tuple[Skipped, ...] = ()
    """What the analyst should know although the file was read (pages not OCR'd, tables cut)."""
    parts_skipped: tuple[Skipped, ...] = ()
    """Parts that could not be read (an attachment of an unsupported type, a damaged message)."""
    skip: str | None = None


def ocr_options(settings: Settings, local: bool = True) -> OcrOptions:
    """How this build reads scanned pages; a cluster's tasks have no access to the local cache."""
    return OcrOptions(settings.ingest.ocr, settings.ingest.ocr_languages, settings.ingest.ocr_dpi,
                      IndexLayout(settings.paths.index_dir).ocr_cache if local else None, read_workers(settings))


def read_workers(settings: Settings) -> int:
    return settings.ingest.read_workers or max(1, os.cpu_count() or 1)


def prepare_document(source: CorpusFile, raw: bytes, chunk_size: int, overlap: int,
                     options: OcrOptions | None = None) -> Prepared:
    """Parse and chunk one file's bytes: what a local build does in its pool and a Ray build in tasks."""
    try:
        read = parse_source(source, raw, options)
    except SkipFile as exc:
        return Prepared(skip=str(exc))
    documents = tuple(PreparedDocument(d, chunk_document(d, chunk_size, overlap), read.metadata.get(d.doc_id, {}))
                      for d in read.documents)
    return Prepared(documents, read.notes, read.skipped)


def read_planned(doc: DocPlan) -> bytes | Prepared:
    """The bytes of a document the build loads, or the ``Prepared`` that skips it (unreadable)."""
    assert doc.file is not None
    try:
        return read_document(doc.file)
    except SkipFile as exc:
        return Prepared(skip=str(exc))


def prepare_locally(docs: list[DocPlan], settings: Settings) -> Iterator[tuple[DocPlan, Prepared]]:
    """The files a build loads, prepared by a pool of threads (OCR runs as child processes, so
    scanned files proceed one per core), yielded in the order given, a bounded number ahead."""
    options = ocr_options(settings)
    workers = read_workers(settings)

    def prepare(doc: DocPlan) -> Prepared:
        raw = read_planned(doc)
        if isinstance(raw, Prepared):
            return raw
        assert doc.file is not None
        return prepare_document(doc.file, raw, settings.shape.chunk_size, settings.shape.chunk_overlap, options)

    if workers == 1 or len(docs) <= 1:
        for doc in docs:
            yield doc, prepare(doc)
        return
    from collections import deque
    from concurrent.futures import Future, ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="briefing-read") as pool:
        ahead: deque[tuple[DocPlan, Future[Prepared]]] = deque()
        todo = iter(docs)
        try:
            while True:
                while len(ahead) < 2 * workers:
                    upcoming = next(todo, None)
                    if upcoming is None:
                        break
                    ahead.append((upcoming, pool.submit(prepare, upcoming)))
                if not ahead:
                    return
                doc, future = ahead.popleft()
                yield doc, future.result()
        finally:
            for _, future in ahead:
                future.cancel()


Preparer = Callable[[list[DocPlan], Settings], Iterator[tuple[DocPlan, Prepared]]]
