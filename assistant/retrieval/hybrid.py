"""Hybrid retrieval: dense (FAISS) and BM25 rankings fused, by default as a convex combination of
min-max normalised scores (``Settings.fusion``; weighted Reciprocal Rank Fusion is the other choice)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from assistant.errors import QuestionError
from assistant.index.dense import dense_search
from assistant.index.store import LoadedIndex
from assistant.retrieval.tuning import RETRIEVAL
from assistant.settings import Fusions
from assistant.text.dates import parse_loose_date
from assistant.types import Hit

if TYPE_CHECKING:
    from numpy.typing import NDArray


@dataclass(frozen=True)
class Scope:
    """Restricts retrieval to some documents: by path and/or by front-matter date."""

    docs: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None

    def is_everything(self) -> bool:
        return not self.docs and not self.since and not self.until

    def describe(self) -> str:
        parts = list(self.docs)
        if self.since:
            parts.append(f"since {self.since}")
        if self.until:
            parts.append(f"until {self.until}")
        return ", ".join(parts) or "all documents"


def matches_doc(doc_id: str, pattern: str) -> bool:
    """``--doc`` accepts an exact path, a folder prefix, or a glob."""
    from fnmatch import fnmatchcase

    pattern = pattern.strip().strip("/")
    return doc_id == pattern or doc_id.startswith(pattern + "/") or fnmatchcase(doc_id, pattern)


def scope_documents(index: LoadedIndex, scope: Scope) -> list[str]:
    docs = list(index.manifest.documents)
    if scope.docs:
        for pattern in scope.docs:
            if not any(matches_doc(d, pattern) for d in docs):
                raise QuestionError(f"no indexed document matches --doc {pattern!r}")
        docs = [d for d in docs if any(matches_doc(d, p) for p in scope.docs)]
    since = _bound(scope.since, "since")
    until = _bound(scope.until, "until")
    if since or until:
        dated = []
        for d in docs:
            raw = index.manifest.documents[d].meta.date
            when = parse_loose_date(raw) if raw else None
            if when is None:
                continue
            if since and when.upper < since.lower:
                continue
            if until and when.lower > until.upper:
                continue
            dated.append(d)
        docs = dated
    return docs


def _bound(value: str | None, name: str):  # type: ignore[no-untyped-def]
    if not value:
        return None
    parsed = parse_loose_date(value)
    if parsed is None:
        raise QuestionError(f"--{name} {value!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    return parsed


class HybridRetriever:
    """Dense and BM25 rankings fused; the defaults are the settings' (validated there)."""

    def __init__(self, index: LoadedIndex, rrf_k: int = 60, dense_weight: float = 0.6, sparse_weight: float = 0.4,
                 fusion: Fusions = "convex", best_sentence: float = 0.0, permitted: NDArray[np.bool_] | None = None):
        self.index = index
        self.permitted = permitted
        """The passages a reader's clearance permits (``cleared``), applied to every search; None: all."""
        self.rrf_k = rrf_k
        self.dense_weight = dense_weight
        self.sparse_weight = sparse_weight
        self.fusion = fusion
        self.best_sentence = best_sentence

    def mask(self, scope: Scope | None) -> NDArray[np.bool_] | None:
        """The passages a scope allows, within those permitted (None: every passage)."""
        if scope is None or scope.is_everything():
            return self.permitted
        mask = np.zeros(len(self.index.chunks), dtype=bool)
        for doc_id in scope_documents(self.index, scope):
            entry = self.index.manifest.documents[doc_id]
            mask[entry.first_chunk : entry.first_chunk + entry.n_chunks] = True
        return mask if self.permitted is None else mask & self.permitted

    def search(
        self,
        query_vec: NDArray[np.float32],
        tokens: list[str],
        k: int,
        mask: NDArray[np.bool_] | None = None,
        best_sentence: float | None = None,
    ) -> list[Hit]:
        """The top ``k`` passages. ``best_sentence`` (the retriever's own by default) blends each
        candidate passage's dense score with its best sentence's (when the index stores sentence
        vectors): how much a passage is about a topic, rather than close to it on average."""
        best_sentence = self.best_sentence if best_sentence is None else best_sentence
        n = len(self.index.chunks)
        if n == 0 or k <= 0 or (mask is not None and not mask.any()):
            return []
        pool = min(n, max(RETRIEVAL.pool_factor * k, RETRIEVAL.pool_min))
        dense_ids = self._dense(query_vec, pool, mask)
        sparse_all = self.index.sparse.scores(tokens, mask)
        sparse_ids = _top(sparse_all, pool)
        union = sorted(set(dense_ids) | set(sparse_ids))
        cos_all = dict(zip(union, self._dense_scores(union, query_vec, best_sentence).tolist(), strict=True)) \
            if union else {}
        if self.fusion == "convex":
            fused = convex_fuse(cos_all, {c: float(sparse_all[c]) for c in union},
                                self.dense_weight, self.sparse_weight)
        else:
            fused = rrf_fuse([(self.dense_weight, dense_ids), (self.sparse_weight, sparse_ids)], self.rrf_k)
        order = sorted(fused, key=lambda c: (-fused[c], c))[:k]
        return [
            Hit(rank=i + 1, chunk=self.index.chunks[cid], score=fused[cid],
                dense_score=float(cos_all[cid]), sparse_score=float(sparse_all[cid]))
            for i, cid in enumerate(order)
        ]

    def holding(self, tokens: Sequence[str], query_vec: NDArray[np.float32], mask: NDArray[np.bool_] | None,
                exclude: Sequence[int], limit: int) -> list[Hit]:
        """The passages (in ``mask``, not in ``exclude``) that hold every one of ``tokens``, the
        most similar to the query first, at most ``limit``: where a word the question asks about
        stands elsewhere in scope (an abbreviation's definition, written once at its first use).
        Their score is the lowest fused score possible (0): they were not retrieved."""
        if not tokens:
            return []
        rows = self.index.sparse.passages_with(tokens[0])
        for token in tokens[1:]:
            rows = np.intersect1d(rows, self.index.sparse.passages_with(token))
        if mask is not None:
            rows = rows[mask[rows]]
        rows = np.setdiff1d(rows, np.asarray(exclude, dtype=np.int64))
        if not len(rows):
            return []
        similarity = np.asarray(self.index.vectors[rows] @ query_vec, dtype=np.float32)
        order = np.argsort(-similarity, kind="stable")[:limit]
        return [Hit(rank=i + 1, chunk=self.index.chunks[int(rows[j])], score=0.0, dense_score=float(similarity[j]))
                for i, j in enumerate(order.tolist())]

    def _dense_scores(self, ids: list[int], query_vec: NDArray[np.float32], w: float) -> NDArray[np.float32]:
        pooled = np.asarray(self.index.vectors[ids] @ query_vec, dtype=np.float32)
        if not w or not self.index.has_sentence_vectors:
            return pooled
        best = self.index.best_sentence_similarity(ids, query_vec, pooled)
        return (1 - w) * pooled + w * best

    def _dense(self, query_vec: NDArray[np.float32], pool: int, mask: NDArray[np.bool_] | None) -> list[int]:
        if mask is None:
            _scores, ids = dense_search(self.index.dense, query_vec, pool, self.index.vectors)
            return [int(i) for i in ids]
        if mask is self.permitted:
            found = self._dense_permitted(query_vec, pool, mask)
            if found is not None:
                return found
        allowed = np.flatnonzero(mask)
        scores = self.index.vectors[allowed] @ query_vec
        best = np.argsort(-scores, kind="stable")[:pool]
        return [int(allowed[i]) for i in best]


    def _dense_permitted(self, query_vec: NDArray[np.float32], pool: int, mask: NDArray[np.bool_]) -> list[int] | None:
        """The index's own search, widened by the share of passages withheld and filtered: the
        same ``pool`` permitted passages as an exact search over them when at least ``pool`` are
        left (None, for the caller's exact search, when fewer are)."""
        share = float(mask.mean()) if len(mask) else 0.0
        if share < RETRIEVAL.filtered_share:
            return None
        wider = min(len(mask), int(pool / share * RETRIEVAL.filtered_margin) + 1)
        _scores, ids = dense_search(self.index.dense, query_vec, wider, self.index.vectors)
        kept = [int(i) for i in ids if mask[i]]
        return kept[:pool] if len(kept) >= pool or wider >= len(mask) else None


def rrf_fuse(rankings: list[tuple[float, list[int]]], k: int = 60) -> dict[int, float]:
    """Weighted Reciprocal Rank Fusion: each ranking adds ``weight / (k + rank)`` (rank from 1)."""
    fused: dict[int, float] = {}
    for weight, ranking in rankings:
        for rank, item in enumerate(ranking, 1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return fused


def convex_fuse(dense: dict[int, float], sparse: dict[int, float], dense_weight: float = 1.0,
                sparse_weight: float = 1.0) -> dict[int, float]:
    """Weighted sum of min-max normalised scores over the candidate pool (Bruch et al., 2023)."""
    total = (dense_weight + sparse_weight) or 1.0
    out: dict[int, float] = {}
    for weight, scores in ((dense_weight, dense), (sparse_weight, sparse)):
        if not scores:
            continue
        lo, hi = min(scores.values()), max(scores.values())
        span = (hi - lo) or 1.0
        for item, value in scores.items():
            out[item] = out.get(item, 0.0) + weight / total * (value - lo) / span
    return out


def _top(scores: NDArray[np.float32], pool: int) -> list[int]:
    positive = np.flatnonzero(scores > 0)
    if len(positive) == 0:
        return []
    if len(positive) > pool:
        part = np.argpartition(-scores[positive], pool - 1)[:pool]
        positive = positive[part]
    return [int(i) for i in positive[np.argsort(-scores[positive], kind="stable")]]
