"""How text becomes search terms, the same for chunks and questions: lower-cased, stop-worded,
written the American way and stemmed (PyStemmer, bm25s's tokenizer), and how far a misspelling
may stray from a word. A change here changes ``index.plan.ANALYSER_VERSION``, rebuilding old indexes."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from assistant.text.spelling import american


def typo_edits(length: int) -> int:
    """How many edits a misspelling of a word this long may hold (``SparseIndex.knows_close``):
    none up to two letters, one up to five, then two (the "AUTO" fuzziness of search engines)."""
    return 0 if length <= 2 else 1 if length <= 5 else 2


TYPO_SIMILARITY = 0.8
"""…and a misspelling keeps this share of the word's letters in order (Indel similarity, as
difflib's ratio): one edit in a three- or four-letter word ("ssn", "peac") makes another word."""


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def _stopwords() -> list[str]:
    # NLTK's English list (179 words): the short Lucene list keeps "which", "how", "from",
    # which then weigh as rare terms in questions.
    from bm25s.stopwords import STOPWORDS_EN_PLUS

    return list(STOPWORDS_EN_PLUS)


def is_stopword(word: str) -> bool:
    """Whether the analyser drops ``word`` (lower case) as a stop word."""
    return word in _stopword_set()


@lru_cache(maxsize=1)
def _stopword_set() -> frozenset[str]:
    return frozenset(_stopwords())


class _AmericanStemmer:
    """Stems each word as written the American way (``spelling``): "summarise" and "summarize",
    "tumour" and "tumor" are one token, in the corpus and in questions alike."""

    def stemWords(self, words: Sequence[str]) -> list[str]:  # noqa: N802 (bm25s calls it so)
        return list(_stemmer().stemWords([american(w) for w in words]))


_ANALYSER_STEMMER = _AmericanStemmer()  # a change here changes ``index.plan.ANALYSER_VERSION``


def analyze(texts: Sequence[str]) -> list[list[str]]:
    """Lower-cased, stop-worded, stemmed tokens: the same analysis for chunks and questions."""
    import bm25s

    return bm25s.tokenize(  # type: ignore[no-any-return]
        list(texts), stopwords=_stopwords(), stemmer=_ANALYSER_STEMMER, return_ids=False, show_progress=False
    )


def analyze_for_index(texts: Sequence[str]) -> Any:
    """The same analysis as ``analyze``, as the token ids and vocabulary ``bm25s.BM25.index`` takes."""
    import bm25s

    return bm25s.tokenize(list(texts), stopwords=_stopwords(), stemmer=_ANALYSER_STEMMER, show_progress=False)
