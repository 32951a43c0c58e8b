"""BM25 over chunks with bm25s and PyStemmer (English stemming and stop words)."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.text.analyser import TYPO_SIMILARITY, analyze_for_index, typo_edits

if TYPE_CHECKING:
    from numpy.typing import NDArray


class SparseIndex:
    """A saved bm25s index plus the document frequencies used to weight word overlap."""

    def __init__(self, retriever: Any, n_docs: int, rows: NDArray[np.int64] | None = None,
                 n_total: int | None = None) -> None:
        self._retriever = retriever
        self.n_docs = n_docs
        """Passages indexed: what the idf and shares count."""
        self._rows = rows
        """For an index of some passages only (``retrieval.cleared``): passage i here is passage
        ``rows[i]`` of the generation, and scores and rows are given in the generation's numbering."""
        self._n_total = n_docs if n_total is None else n_total
        self._idf: dict[str, float] = {}
        self._ends: dict[str, list[str]] | None = None
        if retriever is not None:
            df = np.diff(retriever.scores["indptr"]).astype(np.float64)
            tokens = list(retriever.vocab_dict)
            ids = np.fromiter(retriever.vocab_dict.values(), dtype=np.int64, count=len(tokens))
            d = np.where(ids < len(df), df[np.minimum(ids, max(len(df) - 1, 0))], 0.0) if len(df) else \
                np.zeros(len(ids))
            self._idf = dict(zip(tokens, np.log1p((n_docs - d + 0.5) / (d + 0.5)).tolist(), strict=True))

    @classmethod
    def build(cls, texts: Sequence[str], k1: float = 1.2, b: float = 0.75, rows: NDArray[np.int64] | None = None,
              n_total: int | None = None) -> SparseIndex:
        """An index of ``texts``; with ``rows``, they are those passages of a generation of
        ``n_total`` (a restricted view's: its statistics count only them)."""
        import bm25s

        if not texts:
            return cls(None, 0, rows, n_total)
        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets DEBUG on itself at import
        tokens = analyze_for_index(texts)
        retriever = bm25s.BM25(k1=k1, b=b)
        retriever.index(tokens, show_progress=False)
        return cls(retriever, len(texts), rows, n_total)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self._retriever is not None:
            self._retriever.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path, n_docs: int) -> SparseIndex:
        import bm25s

        if n_docs == 0:
            return cls(None, 0)
        retriever = bm25s.BM25.load(str(folder), mmap=True, show_progress=False)  # pages read, not copied
        if int(retriever.scores.get("num_docs", n_docs)) != n_docs:
            raise ValueError(f"BM25 index holds {retriever.scores.get('num_docs')} passages, expected {n_docs}")
        return cls(retriever, n_docs)

    def scores(self, tokens: list[str], mask: NDArray[np.bool_] | None = None) -> NDArray[np.float32]:
        """BM25 score of every chunk for the query tokens (zeros where ``mask`` is False)."""
        if self._retriever is None or not tokens:
            return np.zeros(self._n_total, dtype=np.float32)
        known = [t for t in tokens if t in self._idf]
        if not known:
            return np.zeros(self._n_total, dtype=np.float32)
        if self._rows is not None and mask is not None:
            mask = mask[self._rows]
        weights = None if mask is None else mask.astype(np.float32)
        scores = np.asarray(self._retriever.get_scores(known, weight_mask=weights), dtype=np.float32)
        if self._rows is None:
            return scores
        out = np.zeros(self._n_total, dtype=np.float32)
        out[self._rows] = scores
        return out

    def knows(self, token: str) -> bool:
        """Whether an analysed token occurs anywhere in the corpus."""
        return token in self._idf

    def knows_close(self, token: str) -> bool:
        """Whether the corpus has a token one typo away from this one (``typo_edits``: a letter
        changed, added, dropped, or two swapped; ``TYPO_SIMILARITY``) that begins or ends as it
        does: a misspelling keeps one end of the word, and comparing only those words keeps a
        question fast on a vocabulary of any size. "Bacilius" is the corpus's "Bacillus";
        "monkeypox" is not its "monkey", nor "Fauci" its "facility"."""
        from rapidfuzz.distance import OSA, Indel
        from rapidfuzz.process import extract

        edits = typo_edits(len(token))
        if not edits:
            return False
        if self._ends is None:
            ends: dict[str, list[str]] = {}
            for word in self._idf:
                ends.setdefault("^" + word[:2], []).append(word)
                ends.setdefault(word[-2:] + "$", []).append(word)
            self._ends = ends  # built once per index; two threads may both build it, harmlessly
        near = {*self._ends.get("^" + token[:2], ()), *self._ends.get(token[-2:] + "$", ())}
        within = extract(token, near, scorer=OSA.distance, score_cutoff=edits, limit=None)
        return any(Indel.normalized_similarity(token, w) >= TYPO_SIMILARITY for w, _d, _i in within)

    def passage_share(self, token: str) -> float:
        """The share of passages that hold ``token``, from its idf (d + 0.5 = (N + 1) / e^idf)."""
        if token not in self._idf or not self.n_docs:
            return 0.0
        return max(((self.n_docs + 1) * math.exp(-self._idf[token]) - 0.5) / self.n_docs, 0.0)

    def occurs_in(self, token: str, chunk_ids: Sequence[int]) -> bool:
        """Whether ``token`` occurs in any of the passages ``chunk_ids``."""
        return bool(np.isin(self.passages_with(token), np.asarray(chunk_ids)).any())

    def passages_with(self, token: str) -> NDArray[np.int64]:
        """The passages that hold ``token`` (its column of the index, as stored)."""
        if self._retriever is None:
            return np.zeros(0, dtype=np.int64)
        column = self._retriever.vocab_dict.get(token)
        csc = self._retriever.scores
        if column is None or column + 1 >= len(csc["indptr"]):
            return np.zeros(0, dtype=np.int64)
        rows = np.asarray(csc["indices"][csc["indptr"][column] : csc["indptr"][column + 1]], dtype=np.int64)
        return rows if self._rows is None else self._rows[rows]

    def idf(self, token: str) -> float:
        """Rarity of a token in the corpus; unseen tokens count as rare."""
        return self._idf.get(token, math.log(1.0 + (self.n_docs + 0.5) / 0.5))
