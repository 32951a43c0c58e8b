"""The embedder interface: texts in, unit-length float32 vectors out.

Subclasses implement ``embed_batch`` only; the base class does batching (longest texts
together, so padding is wasted less), L2-normalisation and progress reporting.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray



class Embedder(ABC):
    """Maps texts to unit-length float32 vectors of ``dim`` dimensions."""

    model_id: str = ""
    dim: int = 0
    batch_size: int = 16

    @abstractmethod
    def embed_batch(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Embed one batch; the base class normalises the result."""

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for _done, _total, rows, vectors in self.iter_embed(texts):
            out[rows] = vectors
        return out

    def iter_embed(self, texts: Sequence[str]) -> Iterator[tuple[int, int, list[int], NDArray[np.float32]]]:
        """Yield ``(done, total, row_indices, vectors)`` batch by batch, longest texts first."""
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        done = 0
        for at in range(0, len(order), self.batch_size):
            rows = order[at : at + self.batch_size]
            vectors = np.asarray(self.embed_batch([texts[i] for i in rows]), dtype=np.float32)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            vectors = vectors / np.maximum(norms, 1e-12)
            done += len(rows)
            yield done, len(texts), rows, vectors

    def load(self) -> None:  # noqa: B027 - optional: embedders that load lazily override it
        """Load the model now rather than on the first embedding."""

    def for_background(self) -> Embedder:
        """The embedder a build running beside questions should use: by default this one."""
        return self

    def embed_one(self, text: str) -> NDArray[np.float32]:
        return self.embed([text])[0]
