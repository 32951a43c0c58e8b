"""Passage vectors made from sentence vectors: each distinct sentence is embedded once.

Answers need a vector per sentence and retrieval a vector per passage. Embedding both means
embedding every word about twice (three times where chunks overlap); embedding sentences
only, and making each passage's vector from its sentences', means once. The passage vector
is the normalised mean of its sentences' vectors weighted by their length, the sentence-level
analogue of the model's own mean over tokens; a document's title, when passages are headed by
it, joins the mean with a weight of its own (``TITLE_SHARE``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from assistant.types import Chunk

if TYPE_CHECKING:
    from numpy.typing import NDArray


TITLE_SHARE = 0.3
"""A title that heads passages (``Settings.title_heads``) weighs this much against the passage's
own sentences together: a short title is what the whole document is about, so it counts for
more than its few characters would."""


@dataclass
class SentenceTexts:
    """The texts one document contributes to a sentence-first build, and where their vectors go.

    ``texts`` holds each distinct sentence once (overlapping chunks share sentences), then the
    title if it heads passages, then the text of any chunk that holds no sentence at all.
    """

    texts: list[str] = field(default_factory=list)
    rows: list[list[int]] = field(default_factory=list)
    """Per chunk, the index in ``texts`` of each entry of ``chunk.sentences``."""
    weights: list[list[float]] = field(default_factory=list)
    title: int | None = None
    whole: dict[int, int] = field(default_factory=dict)
    """Chunks without sentences: chunk position -> index in ``texts`` of its own text."""

    @classmethod
    def of(cls, chunks: Sequence[Chunk], title: str | None) -> SentenceTexts:
        out = cls()
        seen: dict[tuple[int, int], int] = {}
        for position, chunk in enumerate(chunks):
            rows, weights = [], []
            for a, b in chunk.sentences:
                if (a, b) not in seen:
                    seen[(a, b)] = len(out.texts)
                    out.texts.append(chunk.text[a - chunk.start : b - chunk.start])
                rows.append(seen[(a, b)])
                weights.append(float(b - a))
            if not rows:
                out.whole[position] = len(out.texts)
                out.texts.append(chunk.text)
            out.rows.append(rows)
            out.weights.append(weights)
        if title:  # a title that is also a sentence of its own (a heading line) is embedded once
            known = [i for i, text in enumerate(out.texts) if text == title]
            out.title = known[0] if known else len(out.texts)
            if not known:
                out.texts.append(title)
        return out

    def sentence_matrix(self, vectors: NDArray[np.float32]) -> NDArray[np.float32]:
        """One row per entry of each chunk's ``sentences``, in chunk order (the stored layout)."""
        flat = [row for rows in self.rows for row in rows]
        return np.asarray(vectors[flat], dtype=np.float32).reshape(len(flat), vectors.shape[1])

    def passage_matrix(self, vectors: NDArray[np.float32]) -> NDArray[np.float32]:
        """Each chunk's vector: the length-weighted mean of its sentences (and title), unit length."""
        out = np.zeros((len(self.rows), vectors.shape[1]), dtype=np.float32)
        for position, (rows, weights) in enumerate(zip(self.rows, self.weights, strict=True)):
            if position in self.whole:
                rows = [self.whole[position]]
                weights = [float(len(self.texts[rows[0]]))]
            pooled = np.asarray(weights, dtype=np.float32) @ vectors[rows]
            if self.title is not None:
                pooled = pooled + TITLE_SHARE * float(sum(weights)) * vectors[self.title]
            out[position] = pooled / max(float(np.linalg.norm(pooled)), 1e-12)
        return out

