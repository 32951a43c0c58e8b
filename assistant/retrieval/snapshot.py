"""One loaded index generation, shared by every thread that answers from it.

A worker takes a snapshot once (``Engine.snapshot()``) and uses only it for the whole
question or brief; a reload builds a new snapshot and swaps the engine's reference, never
touching one a reader holds. The snapshot itself is immutable; its two caches are guarded
by locks, because several workers (the TUI's ask and brief) fill them at once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

from assistant.index.document_text import document_text
from assistant.index.manifest import DocEntry
from assistant.index.store import LoadedIndex
from assistant.markings.detect import DocumentMarking
from assistant.markings.marking import Clearance
from assistant.markings.scheme import Scheme
from assistant.retrieval.cleared import cleared_index
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.vocabulary import IndexVocabulary, Vocabulary
from assistant.settings import IndexShape
from assistant.types import DocInfo

if TYPE_CHECKING:
    from numpy.typing import NDArray

SentenceKey = tuple[str, int, int]
_SENTENCE_CACHE_SIZE = 20_000


class SentenceVectorCache:
    """Least-recently-used sentence vectors embedded at question time, keyed by span."""

    def __init__(self, size: int = _SENTENCE_CACHE_SIZE) -> None:
        self._size = size
        self._items: OrderedDict[SentenceKey, NDArray[np.float32]] = OrderedDict()
        self._lock = threading.Lock()

    def missing(self, keys: Sequence[SentenceKey]) -> list[int]:
        with self._lock:
            return [i for i, key in enumerate(keys) if key not in self._items]

    def put(self, keys: Sequence[SentenceKey], vectors: NDArray[np.float32]) -> None:
        with self._lock:
            for key, vector in zip(keys, vectors, strict=True):
                self._items[key] = vector
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def get(self, keys: Sequence[SentenceKey], dim: int,
            fallback: dict[SentenceKey, NDArray[np.float32]]) -> NDArray[np.float32]:
        """Rows for ``keys``; ``fallback`` holds what this caller just embedded (another
        thread may have evicted it from the cache in between)."""
        out = np.zeros((len(keys), dim), dtype=np.float32)
        with self._lock:
            for i, key in enumerate(keys):
                vector = self._items.get(key)
                if vector is None:
                    vector = fallback[key]
                else:
                    self._items.move_to_end(key)
                out[i] = vector
        return out

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


@dataclass(frozen=True)
class IndexSnapshot:
    index: LoadedIndex
    retriever: HybridRetriever
    corpus_dir: Path
    sentences: SentenceVectorCache = field(default_factory=SentenceVectorCache)
    _texts: dict[str, tuple[int, str | None]] = field(default_factory=dict)
    _texts_lock: threading.Lock = field(default_factory=threading.Lock)
    clearance: Clearance | None = None
    """The clearance this snapshot is restricted to (``view``); None: the whole generation."""
    withheld: int = 0
    """How many documents the clearance leaves out: all a view may say of them."""
    _views: dict[Clearance, IndexSnapshot] = field(default_factory=dict)
    _views_lock: threading.Lock = field(default_factory=threading.Lock)

    # -- markings ------------------------------------------------------------------

    @property
    def scheme(self) -> Scheme | None:
        """The marking scheme this generation's documents were marked with (None: no markings)."""
        record = self.index.markings
        return None if record is None or record.scheme is None else record.scheme.scheme

    def marking(self, doc_id: str) -> DocumentMarking | None:
        """A document's marking and its portion marks (None: no scheme)."""
        record = self.index.markings
        return None if record is None else record.marking(doc_id)

    def view(self, clearance: Clearance | None, shape: IndexShape) -> IndexSnapshot:
        """This generation as a reader with ``clearance`` sees it (``cleared``): made the first
        time a clearance asks, then kept with the snapshot (a reload makes new ones). Without a
        scheme or a clearance, the snapshot itself."""
        if clearance is None or self.scheme is None or self.clearance is not None:
            return self
        with self._views_lock:
            found = self._views.get(clearance)
            if found is None:
                permitted = [d for d in self.index.manifest.documents
                             if (m := self.marking(d)) is not None and clearance.permits(m.marking)]
                cleared = cleared_index(self.index, permitted, shape)
                r = self.retriever
                retriever = HybridRetriever(cleared.index, r.rrf_k, r.dense_weight, r.sparse_weight, r.fusion,
                                            r.best_sentence, permitted=cleared.mask)
                found = IndexSnapshot(cleared.index, retriever, self.corpus_dir, self.sentences,
                                      clearance=clearance, withheld=cleared.withheld)
                self._views[clearance] = found
        return found

    @property
    def vocabulary(self) -> Vocabulary:
        """The words of this generation's passages, as the answer side may ask about them."""
        return IndexVocabulary(self.index.sparse)

    @property
    def initialisms(self) -> frozenset[str]:
        """The initials of every name a document of this generation spells out ("eu" for
        "European Union"): an abbreviation asked about is the name it stands for."""
        return self.index.initialisms

    @property
    def generation(self) -> str:
        """The generation folder's name: which build this snapshot answers from."""
        return self.index.path.name

    @property
    def documents(self) -> Mapping[str, DocEntry]:
        """Every indexed document by id, read-only: what a front end lists, scopes and counts
        (it never reaches into the index's manifest itself)."""
        return MappingProxyType(self.index.manifest.documents)

    @property
    def passage_count(self) -> int:
        """How many passages the index holds (of the documents this snapshot may show)."""
        return sum(e.n_chunks for e in self.index.manifest.documents.values())

    def source_text(self, doc_id: str) -> str | None:
        """The document's text as it is now (cached per file modification time, so an edit
        made while the TUI runs is seen at once); None when it cannot be read."""
        try:
            stamp = (self.corpus_dir / doc_id).stat().st_mtime_ns
        except OSError:
            stamp = -1
        with self._texts_lock:
            cached = self._texts.get(doc_id)
        if cached is None or cached[0] != stamp:
            entry = self.index.manifest.documents.get(doc_id)
            text = None if entry is None else document_text(self.corpus_dir, self.index.path, doc_id, entry)
            cached = (stamp, text)
            with self._texts_lock:
                self._texts[doc_id] = cached
        return cached[1]

    def doc_info(self, doc_id: str) -> DocInfo:
        entry = self.index.manifest.documents.get(doc_id)
        if entry is None:
            return DocInfo.titled(doc_id)
        return DocInfo(entry.meta, entry.ctime_ns)

    def part_start(self, doc_id: str, at: int) -> int | None:
        """Where the part holding offset ``at`` begins (``DocMeta.part_at``: one document of a
        file holding several), or None for a file of one document. Answers and briefs keep
        parts apart by it."""
        part = self.doc_info(doc_id).meta.part_at(at)
        return part.start if part is not None else None
