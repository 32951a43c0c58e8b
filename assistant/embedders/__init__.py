"""Embedders: texts in, unit-length vectors out, and the one factory (``embedder_for``) that
picks one from the settings.

Importing this package is cheap (no numpy, no model): ``index status`` asks it for the model
id a build would write. ``Embedder`` is loaded from ``base`` on first use.

- ``base``: the interface every embedder implements.
- ``ids``: model ids and the export version, known without loading anything.
- ``onnx``: the default: the bundled MiniLM on onnxruntime, no torch at query time.
- ``torch``: the reference: sentence-transformers on torch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.embedders.ids import BUNDLED_MODEL_ID, EXPORT_VERSION, INT8_MODEL_ID, model_id_for

if TYPE_CHECKING:
    from assistant.embedders.base import Embedder
    from assistant.settings import Settings

__all__ = ["BUNDLED_MODEL_ID", "EXPORT_VERSION", "INT8_MODEL_ID", "Embedder", "embedder_for", "model_id_for"]

def __getattr__(name: str) -> Any:
    if name == "Embedder":
        from assistant.embedders.base import Embedder

        return Embedder
    raise AttributeError(name)


def embedder_for(settings: Settings, threads: int | None = None) -> Embedder:
    """``onnx`` (fast start, no torch at query time), ``onnx-int8`` (quantised: faster, vectors
    differ slightly) or ``torch`` (sentence-transformers, the reference). Nothing loads yet.

    ``threads`` caps the ONNX session's threads (default: every core); a build running beside
    questions takes one, so a question always has a core of its own."""
    if settings.embedding.embedder == "torch":
        from assistant.embedders.torch import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(batch_size=settings.embedding.embed_batch_size)
    from assistant.embedders.onnx import OnnxEmbedder

    return OnnxEmbedder(settings.models_dir, batch_size=settings.embedding.embed_batch_size, threads=threads,
                        device=settings.embedding.device,
                        int8=settings.embedding.embedder == "onnx-int8")
