"""A generation as a reader with some clearance sees it: only the documents their clearance
permits, and BM25 statistics and vocabulary computed over those documents' passages alone.

Withheld passages keep their numbers (chunk ids are the generation's), but nothing reaches them:
the manifest a view holds lists only permitted documents (so scopes, document lists, titles,
initialisms and themes are theirs), the retriever is given the permitted passages as a mask it
always applies, and the BM25 index is built again over the permitted passages' texts, so that a
word only a withheld document uses is a word "the corpus never mentions", and rarity is rarity
among what the reader may see.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from typing import TYPE_CHECKING

import numpy as np

from assistant.index.bm25 import SparseIndex
from assistant.index.passages import passage_heading, passage_text
from assistant.index.store import LoadedIndex
from assistant.settings import IndexShape

if TYPE_CHECKING:
    from numpy.typing import NDArray


@dataclasses.dataclass(frozen=True)
class ClearedIndex:
    """The generation restricted to ``permitted`` documents, and their passages as a mask."""

    index: LoadedIndex
    mask: NDArray[np.bool_]
    withheld: int
    """How many documents the view leaves out (the only thing it may say about them)."""


def cleared_index(index: LoadedIndex, permitted: Collection[str], shape: IndexShape) -> ClearedIndex:
    documents = {d: e for d, e in index.manifest.documents.items() if d in permitted}
    n = len(index.chunks)
    mask = np.zeros(n, dtype=bool)
    rows: list[int] = []
    texts: list[str] = []
    for entry in sorted(documents.values(), key=lambda e: e.first_chunk):
        chunks = index.chunks[entry.first_chunk : entry.first_chunk + entry.n_chunks]
        heading = passage_heading(entry.meta.title, chunks, shape)
        mask[entry.first_chunk : entry.first_chunk + entry.n_chunks] = True
        rows.extend(range(entry.first_chunk, entry.first_chunk + entry.n_chunks))
        texts.extend(passage_text(heading, c.text) for c in chunks)
    sparse = SparseIndex.build(texts, rows=np.asarray(rows, dtype=np.int64), n_total=n)
    containers = {e.meta.container for e in documents.values() if e.meta.container} | set(documents)
    manifest = dataclasses.replace(index.manifest, documents=documents,
                                   skipped=[s for s in index.manifest.skipped if s.get("container") in containers])
    view = dataclasses.replace(index, manifest=manifest, sparse=sparse)
    return ClearedIndex(view, mask, len(index.manifest.documents) - len(documents))
