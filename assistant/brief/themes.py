"""Themes that span a corpus: what a start panel offers when titles would be arbitrary.

Six titles out of 98 articles tell a new user little. Themes do: the documents are grouped by
meaning (k-means over each document's mean passage vector, with FAISS, as the index has them),
and each group is named as a reader would name it: by the noun phrases of its documents' titles
and openings ("avian influenza", "spike protein") that many of its documents use and the rest
of the corpus uses little (``text.phrases`` finds noun phrases; single distinctive words such as
"experimental, enables, emergence" named nothing a reader would ask about). A theme offers a
brief on its best phrase and says how many documents it draws on.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from assistant.brief.tuning import BRIEF
from assistant.index.manifest import DocEntry
from assistant.retrieval.snapshot import IndexSnapshot
from assistant.text.analyser import analyze
from assistant.text.phrases import Phrase


@dataclass(frozen=True)
class Theme:
    phrases: tuple[str, ...]
    """The noun phrases it is named by, most distinctive first."""
    documents: int
    """How many documents it draws on."""

    @property
    def topic(self) -> str:
        """What a brief on the theme is asked about: its most distinctive phrase."""
        return self.phrases[0]

    @property
    def label(self) -> str:
        return f"{', '.join(self.phrases)} ({self.documents} documents)"


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
    """Up to ``BRIEF.max_themes`` themes, largest first; none for a corpus under ``BRIEF.min_documents``.
    ``opening(entry)`` is the start of a document's text (its first passages)."""
    if len(documents) < BRIEF.min_documents or len(vectors) == 0:
        return ()
    import faiss

    from assistant.text.phrases import noun_phrases

    points = document_vectors(documents, vectors)
    k = min(BRIEF.max_themes, max(2, round(math.sqrt(len(points) / 2))))
    kmeans = faiss.Kmeans(points.shape[1], k, niter=25, seed=1234, spherical=True, verbose=False,
                          min_points_per_centroid=1)  # a small corpus is fine: no warning on stderr
    kmeans.train(points)
    _, assigned = kmeans.index.search(points, 1)
    entries = list(documents.values())
    openings = [opening(entry) for entry in entries]
    words = [set(tokens) for tokens in analyze([e.meta.title for e in entries])]
    groups: dict[int, list[int]] = {}
    for i, cluster in enumerate(assigned[:, 0]):
        groups.setdefault(int(cluster), []).append(i)
    groups = {c: members for c, members in groups.items() if len(members) >= BRIEF.min_members}
    centres = np.asarray(kmeans.centroids, dtype=np.float32)
    naming = sorted({i for c, members in groups.items() for i in _central(members, points, centres[c])})
    phrases = {i: _candidates(ps) for i, ps in zip(naming, noun_phrases([entries[i].meta.title for i in naming]),
                                                    strict=True)}
    untitled = [i for i in naming if not phrases[i]]  # "Report 7" names nothing: its opening does
    for i, ps in zip(untitled, noun_phrases([openings[i][:BRIEF.naming_chars] for i in untitled]), strict=True):
        phrases[i] = _candidates(ps)
        words[i] |= set(analyze([openings[i][:BRIEF.naming_chars]])[0])
    themes = [_named(members, phrases, words) for members in groups.values()]
    named = [t for t in themes if t is not None]
    named.sort(key=lambda t: -t.documents)
    return tuple(dict.fromkeys(named))  # two groups named alike are one theme to offer


def _central(members: Sequence[int], points: NDArray[np.float32], centre: NDArray[np.float32]) -> list[int]:
    """The ``BRIEF.naming_documents`` members nearest their group's centre: whose titles are parsed for
    phrases (a group of thousands is named as well by its central documents, in a second)."""
    if len(members) <= BRIEF.naming_documents:
        return list(members)
    order = np.argsort(-(points[list(members)] @ centre), kind="stable")[:BRIEF.naming_documents]
    return [members[int(i)] for i in order]


@dataclass(frozen=True)
class _Candidate:
    """A noun phrase that may name a theme, and its words as the index analyses them."""

    text: str
    tokens: frozenset[str]
    length: int

    @classmethod
    def of(cls, text: str, words: Sequence[str]) -> _Candidate | None:
        if len(words) > BRIEF.max_phrase_words or not _specific(words):
            return None
        tokens = frozenset(analyze([" ".join(words)])[0])
        return cls(text, tokens, len(words)) if tokens else None


def _candidates(phrases: Sequence[Phrase]) -> list[_Candidate]:
    """The phrases and their endings ("First Complete Genome Sequence", "Complete Genome Sequence",
    "Genome Sequence", "Sequence"): two titles share an ending more often than a whole phrase."""
    out = []
    for phrase in phrases:
        cut = phrase.text.split()
        for start in range(len(phrase.words)):
            candidate = _Candidate.of(" ".join(cut[start:]), phrase.words[start:]) if len(cut) == len(
                phrase.words) else (_Candidate.of(phrase.text, phrase.words) if start == 0 else None)
            if candidate is not None:
                out.append(candidate)
    return out


def _specific(words: Sequence[str]) -> bool:
    """Whether a phrase has a word rarer in English than ``BRIEF.theme_common_zipf`` (and is not all capitals
    of a structured abstract's headings: "METHODS")."""
    from wordfreq import zipf_frequency

    return any(len(w) >= 3 and w.isalpha() and zipf_frequency(w, "en") < BRIEF.theme_common_zipf for w in words)


def _named(members: Sequence[int], phrases: Mapping[int, list[_Candidate]],
           words: Sequence[set[str]]) -> Theme | None:
    """A group named by the phrases its documents use and the rest of the corpus does not: the
    share of its documents using all of a phrase's words, weighted by how much more often they
    use it than the others do (p log p/q, the phrase's part of the group's divergence from the
    corpus), a little more for a longer phrase."""
    inside = set(members)
    outside = max(len(words) - len(members), 1)
    scored: dict[frozenset[str], tuple[float, str]] = {}
    for i in members:
        for c in phrases.get(i, []):
            if c.tokens in scored:
                continue
            holding = [j for j, doc in enumerate(words) if c.tokens <= doc]
            count = sum(1 for j in holding if j in inside)
            if count < BRIEF.min_members:
                continue
            p = count / len(members)
            q = (len(holding) - count + 0.5) / (outside + 1)
            if p > q:
                scored[c.tokens] = (p * math.log(p / q) * (1 + BRIEF.longer_phrase * (c.length - 1)), c.text)
    chosen: list[tuple[frozenset[str], str]] = []
    for tokens, (_score, text) in sorted(scored.items(), key=lambda item: -item[1][0]):
        if any(tokens <= other or other <= tokens for other, _ in chosen):
            continue  # "influenza" adds nothing to "avian influenza"
        chosen.append((tokens, text))
        if len(chosen) == BRIEF.name_phrases:
            break
    if not chosen:
        return None
    return Theme(tuple(text for _tokens, text in chosen), len(members))


def themes_of(snap: IndexSnapshot) -> tuple[Theme, ...]:
    """The themes of the corpus one index generation holds."""
    index = snap.index
    return corpus_themes(index.manifest.documents, index.vectors, lambda entry: " ".join(
        c.text for c in index.chunks[entry.first_chunk:entry.first_chunk + BRIEF.opening_passages]))
