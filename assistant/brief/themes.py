"""Themes that span a corpus: what a start panel offers when titles would be arbitrary.

Six titles out of 98 articles tell a new user little. Themes do: the documents are grouped by
meaning (k-means over each document's mean passage vector, with FAISS, as the index has them),
and each group is named by its distinctive words: words many of its documents use (in their
titles and opening passages) and the rest of the corpus uses little. A theme offers a brief on
those words and says how many documents it draws on.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from assistant.index.manifest import DocEntry
from assistant.retrieval.snapshot import IndexSnapshot

MIN_DOCUMENTS = 8
"""Below this many documents, titles and headings are the topics (``topics.corpus_overview``)."""
MAX_THEMES = 6
NAME_WORDS = 3
OPENING_PASSAGES = 3
"""Passages of each document read for its words: the title and the opening say what it is about."""
COMMON_ZIPF = 4.5
"""Words at least this common in English ("also", "study", "however") name no theme."""
MIN_MEMBERS = 2
"""A theme spans documents: a group of one is left out."""
_WORD = re.compile(r"[A-Za-z](?:[A-Za-z-]*[A-Za-z])?")


@dataclass(frozen=True)
class Theme:
    words: tuple[str, ...]
    """Its distinctive words, most distinctive first."""
    documents: int
    """How many documents it draws on."""

    @property
    def topic(self) -> str:
        """What a brief on the theme is asked about."""
        return " ".join(self.words)

    @property
    def label(self) -> str:
        return f"{', '.join(self.words)} ({self.documents} documents)"


def document_vectors(documents: Mapping[str, DocEntry], vectors: NDArray[np.float32]) -> NDArray[np.float32]:
    """Each document's mean passage vector, unit length, in ``documents``' order."""
    rows = []
    for entry in documents.values():
        block = np.asarray(vectors[entry.first_chunk:entry.first_chunk + max(entry.n_chunks, 1)], dtype=np.float32)
        mean = block.mean(axis=0) if len(block) else np.zeros(vectors.shape[1], dtype=np.float32)
        rows.append(mean / (np.linalg.norm(mean) or 1.0))
    return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, vectors.shape[1]), dtype=np.float32)


def corpus_themes(documents: Mapping[str, DocEntry], vectors: NDArray[np.float32],
                  opening: Callable[[DocEntry], str]) -> tuple[Theme, ...]:
    """Up to ``MAX_THEMES`` themes, largest first; none for a corpus under ``MIN_DOCUMENTS``.
    ``opening(entry)`` is the start of a document's text (its first passages)."""
    if len(documents) < MIN_DOCUMENTS or len(vectors) == 0:
        return ()
    import faiss

    points = document_vectors(documents, vectors)
    k = min(MAX_THEMES, max(2, round(math.sqrt(len(points) / 2))))
    kmeans = faiss.Kmeans(points.shape[1], k, niter=25, seed=1234, spherical=True, verbose=False,
                          min_points_per_centroid=1)  # a small corpus is fine: no warning on stderr
    kmeans.train(points)
    _, assigned = kmeans.index.search(points, 1)
    words = [_words(f"{entry.title} {opening(entry)}") for entry in documents.values()]
    groups: dict[int, list[int]] = {}
    for i, cluster in enumerate(assigned[:, 0]):
        groups.setdefault(int(cluster), []).append(i)
    themes = [_named(members, words) for members in groups.values()]
    named = [t for t in themes if t is not None and t.words]
    named.sort(key=lambda t: -t.documents)
    return tuple(dict.fromkeys(named))  # two groups named alike are one theme to offer


def _words(text: str) -> dict[str, str]:
    """A document's content words: lower-case key -> the spelling it uses most."""
    from wordfreq import zipf_frequency

    forms: dict[str, Counter[str]] = {}
    for w in _WORD.findall(text):
        key = w.lower()
        if w.isupper() and len(w) > 5:
            continue  # "METHODS", "OBJECTIVE": a structured abstract's headings
        if len(key) >= 4 and zipf_frequency(key, "en") < COMMON_ZIPF:
            forms.setdefault(key, Counter())[w] += 1
    return {key: counts.most_common(1)[0][0] for key, counts in forms.items()}


def _named(members: Sequence[int], words: Sequence[dict[str, str]]) -> Theme | None:
    """A group named by the words its documents use and the rest of the corpus does not: the
    share of its documents using a word, weighted by how much more often they use it than the
    others do (p log p/q, the word's part of the group's divergence from the corpus)."""
    if len(members) < MIN_MEMBERS:
        return None
    total = len(words)
    everywhere = Counter(key for doc in words for key in doc)
    inside = Counter(key for i in members for key in words[i])
    outside = max(total - len(members), 1)
    scored = []
    for key, count in inside.items():
        if count < MIN_MEMBERS:
            continue
        p = count / len(members)
        q = (everywhere[key] - count + 0.5) / (outside + 1)
        if p > q:
            scored.append((p * math.log(p / q), key))
    scored.sort()
    best = [key for _score, key in reversed(scored)][:NAME_WORDS]
    if not best:
        return None
    spelling = Counter(words[i][key] for i in members for key in best if key in words[i])
    shown = tuple(max((f for f in spelling if f.lower() == key), key=lambda f: spelling[f]) for key in best)
    return Theme(shown, len(members))


def themes_of(snap: IndexSnapshot) -> tuple[Theme, ...]:
    """The themes of the corpus one index generation holds."""
    index = snap.index
    return corpus_themes(index.manifest.documents, index.vectors, lambda entry: " ".join(
        c.text for c in index.chunks[entry.first_chunk:entry.first_chunk + OPENING_PASSAGES]))
