"""The FAISS index over chunk vectors: exact when small, HNSW when large, IVF-PQ past memory.

Three tiers, by chunk count (``Settings.hnsw_threshold`` and ``Settings.ivf_threshold``):

- **flat**: exact inner-product search; nothing is approximate.
- **hnsw**: a graph over the full vectors; fast, but it holds every vector in memory.
- **ivfpq**: vectors compressed to ``pq_bytes(dim)`` bytes in ``nlist`` inverted lists, trained on a
  sample. The codes only rank candidates: the first ``RESCORE`` are re-scored exactly against the
  stored vectors (memory-mapped, so only the rows read are paged in), which is what keeps recall
  near exact search while the index itself is a few percent of the vectors' size. How close it
  is gets measured at build time (``measure_recall``) and recorded in the manifest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128

DIMS_PER_BYTE = 8
"""Product quantisation: one byte (256 centroids) per 8 dimensions, 48 bytes for 384."""
FaissIndex: TypeAlias = Any
"""A ``faiss.Index`` (flat, HNSW or IVF-PQ). faiss ships no type information, so this names what
is meant where ``Any`` would not."""

NPROBE = 32
"""Inverted lists visited per question."""
RESCORE = 200
"""Candidates from the compressed codes re-scored with the stored vectors."""
MAX_LISTS = 4096
"""Building assigns every vector to its nearest list, a cost of lists × vectors: on a CPU, more
than this many lists makes that assignment rival the embedding itself, while a query only
scans a few more compressed codes per list."""
TRAIN_PER_LIST = 64
"""Training sample: this many vectors per inverted list (FAISS asks for 39 at least)."""
IVF_MIN = 10_000
"""Below this many vectors an IVF-PQ index cannot be trained well (each 256-centroid codebook asks
for 39·256 training vectors); HNSW or flat is used instead."""
RECALL_QUERIES = 200
RECALL_SEED = 0


@dataclass(frozen=True)
class DenseBuild:
    """A built FAISS index, its tier, and (for approximate tiers) its measured recall@10."""

    index: FaissIndex
    kind: str
    recall_at_10: float | None = None


def ivf_lists(n: int) -> int:
    """Inverted lists for ``n`` vectors: the power of two nearest 4·√n (the FAISS guideline),
    but no more than leave ``TRAIN_PER_LIST`` training vectors to each list."""
    guideline = int(2 ** round(np.log2(max(4 * np.sqrt(n), 1))))
    trainable = int(2 ** np.floor(np.log2(max(n // TRAIN_PER_LIST, 1))))
    return max(min(guideline, trainable, MAX_LISTS), 1)


def pq_bytes(dim: int) -> int:
    """Sub-quantisers: about one per ``DIMS_PER_BYTE`` dimensions, a divisor of ``dim``."""
    return max(m for m in range(1, max(dim // DIMS_PER_BYTE, 1) + 1) if dim % m == 0)


def choose_kind(n: int, hnsw_threshold: int, ivf_threshold: int) -> str:
    if n > ivf_threshold and n >= IVF_MIN:
        return "ivfpq"
    return "hnsw" if n > hnsw_threshold else "flat"


def empty_index(kind: str, dim: int, n: int) -> FaissIndex:
    """The FAISS index of one tier for ``n`` vectors, before training (IVF-PQ) and filling."""
    import faiss

    if kind == "ivfpq":
        return faiss.index_factory(dim, f"IVF{ivf_lists(n)},PQ{pq_bytes(dim)}", faiss.METRIC_INNER_PRODUCT)
    if kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
        return index
    return faiss.IndexFlatIP(dim)


def training_size(n: int) -> int:
    """Vectors IVF-PQ is trained on: ``TRAIN_PER_LIST`` per list, and enough for the codebooks."""
    return min(n, max(TRAIN_PER_LIST * ivf_lists(n), IVF_MIN))


def build_dense(vectors: NDArray[np.float32], hnsw_threshold: int, ivf_threshold: int,
                queries: NDArray[np.float32] | None = None) -> DenseBuild:
    """Vectors are unit length, so inner product is cosine similarity.

    ``queries`` (sentence vectors, say) are what the recall of an approximate index is measured
    with; without them a sample of the vectors themselves is used."""
    kind = choose_kind(len(vectors), hnsw_threshold, ivf_threshold)
    index = empty_index(kind, vectors.shape[1], len(vectors))
    if kind == "ivfpq":
        rng = np.random.default_rng(RECALL_SEED)
        rows = np.sort(rng.choice(len(vectors), training_size(len(vectors)), replace=False))
        index.train(np.ascontiguousarray(vectors[rows], dtype=np.float32))
    step = 100_000  # added in slices, so a memory-mapped matrix is never copied whole
    for start in range(0, len(vectors), step):
        index.add(np.ascontiguousarray(vectors[start : start + step], dtype=np.float32))
    recall = None if kind == "flat" else measure_recall(index, vectors, queries)
    return DenseBuild(index, kind, recall)


def read_dense(path: Path, kind: str) -> FaissIndex:
    """Read a saved index memory-mapped, not copied: IVF-PQ's inverted lists, the stored vectors
    of flat and HNSW. Pages are read when a search touches them."""
    import faiss

    return faiss.read_index(str(path), faiss.IO_FLAG_MMAP if kind == "ivfpq" else faiss.IO_FLAG_MMAP_IFC)


def dense_search(index: FaissIndex, query: NDArray[np.float32], k: int,
                 vectors: NDArray[np.float32] | None = None) -> tuple[NDArray[np.float32], NDArray[np.int64]]:
    """Top ``k`` (scores, ids); ids of -1 (fewer vectors than ``k``) are removed.

    For IVF-PQ, ``vectors`` (the stored ones) re-score the compressed codes' first candidates."""
    if index.ntotal == 0 or k <= 0:
        return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
    q = query.reshape(1, -1).astype(np.float32)
    if hasattr(index, "hnsw"):
        index.hnsw.efSearch = max(HNSW_EF_SEARCH, k)
    if hasattr(index, "nprobe"):
        index.nprobe = NPROBE
        if vectors is not None:
            _codes, found = index.search(q, min(max(RESCORE, k), index.ntotal))
            ids = np.sort(found[0][found[0] >= 0])  # sorted: neighbouring rows share pages
            exact = np.asarray(vectors[ids], dtype=np.float32) @ q[0]
            best = np.argsort(-exact, kind="stable")[:k]
            return exact[best], ids[best]
    scores, ids = index.search(q, min(k, index.ntotal))
    keep = ids[0] >= 0
    return scores[0][keep], ids[0][keep]


def measure_recall(index: FaissIndex, vectors: NDArray[np.float32], queries: NDArray[np.float32] | None = None,
                   k: int = 10) -> float:
    """Recall@k of ``dense_search`` against exact search, over a fixed sample of queries."""
    pool = vectors if queries is None or not len(queries) else queries
    rng = np.random.default_rng(RECALL_SEED)
    picked = np.asarray(pool[np.sort(rng.choice(len(pool), min(RECALL_QUERIES, len(pool)), replace=False))],
                        dtype=np.float32)
    truth = _exact_top(vectors, picked, k)
    found = 0
    for q, true in zip(picked, truth, strict=True):
        _s, ids = dense_search(index, q, k, vectors)
        found += len(set(ids.tolist()) & set(true.tolist()))
    return round(found / (k * len(picked)), 4)


def _exact_top(vectors: NDArray[np.float32], queries: NDArray[np.float32], k: int) -> NDArray[np.int64]:
    """Exact top ``k`` ids per query, streamed over the vectors in slices."""
    best_s = np.full((len(queries), k), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(queries), k), dtype=np.int64)
    step = 200_000
    for start in range(0, len(vectors), step):
        scores = queries @ np.asarray(vectors[start : start + step], dtype=np.float32).T
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k] if scores.shape[1] > k else \
            np.broadcast_to(np.arange(scores.shape[1]), scores.shape)
        both_s = np.hstack([best_s, np.take_along_axis(scores, top, axis=1)])
        both_i = np.hstack([best_i, top + start])
        keep = np.argsort(-both_s, axis=1, kind="stable")[:, :k]
        best_s, best_i = np.take_along_axis(both_s, keep, axis=1), np.take_along_axis(both_i, keep, axis=1)
    return best_i
