"""A small deterministic embedder for unit tests: hashed bag of stemmed words.

Texts sharing words get similar vectors, which is enough to exercise retrieval and answer
composition without loading a model. It counts what it embeds, so tests can prove that
an incremental build re-embeds nothing it should not.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np

from assistant.embedders import Embedder
from assistant.text.analyser import analyze


class HashEmbedder(Embedder):
    model_id = "test/hash-embedder"
    dim = 128

    def __init__(self, fail_after_batches: int | None = None, batch_size: int = 4) -> None:
        self.batch_size = batch_size
        self.calls = 0
        self.texts_embedded = 0
        self.fail_after_batches = fail_after_batches

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        if self.fail_after_batches is not None and self.calls >= self.fail_after_batches:
            raise RuntimeError("injected failure in the middle of a build")
        self.calls += 1
        self.texts_embedded += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, tokens in enumerate(analyze(list(texts))):
            for token in tokens or ["<empty>"]:
                h = zlib.crc32(token.encode("utf-8"))
                out[row, h % self.dim] += 1.0 if (h >> 16) & 1 else -1.0
            out[row, 0] += 0.01  # never an all-zero vector
        return out
