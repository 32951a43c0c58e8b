"""What the answer side may ask of the corpus's words, and nothing more.

The rules that refuse a question ("the corpus never mentions Japan", "the passages found share
only everyday words") and the scores that weigh a sentence's words need to know which words the
corpus uses and how rare they are. They ask this small interface, never the BM25 index itself:
the index can change how it stores its words (and a reader's view of it, restricted to the
documents they may see, can answer the same questions over fewer passages) without the rules
noticing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from assistant.index.bm25 import SparseIndex


class Vocabulary(Protocol):
    """The corpus's analysed words (``text.analyser``) as the answer side sees them."""

    def knows(self, token: str) -> bool:
        """Whether the token occurs in some passage."""
        ...

    def knows_close(self, token: str) -> bool:
        """Whether a token one typo away occurs (a misspelling of a corpus word is no new subject)."""
        ...

    def idf(self, token: str) -> float:
        """How rare the token is across the passages (unseen tokens count as rare)."""
        ...

    def share(self, token: str) -> float:
        """The share of passages that hold the token."""
        ...

    def occurs_in(self, token: str, chunk_ids: Sequence[int]) -> bool:
        """Whether the token occurs in any of these passages."""
        ...


class IndexVocabulary:
    """The vocabulary of one index generation, read from its BM25 index."""

    def __init__(self, sparse: SparseIndex) -> None:
        self._sparse = sparse

    def knows(self, token: str) -> bool:
        return self._sparse.knows(token)

    def knows_close(self, token: str) -> bool:
        return self._sparse.knows_close(token)

    def idf(self, token: str) -> float:
        return self._sparse.idf(token)

    def share(self, token: str) -> float:
        return self._sparse.passage_share(token)

    def occurs_in(self, token: str, chunk_ids: Sequence[int]) -> bool:
        return self._sparse.occurs_in(token, chunk_ids)
