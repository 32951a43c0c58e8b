"""Embedders: the interface (``base``), the ONNX default (``onnx``), the torch reference
(``torch``), and the one factory that picks between them from the settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.embedders.base import BUNDLED_MODEL_ID, Embedder

if TYPE_CHECKING:
    from assistant.settings import Settings

__all__ = ["BUNDLED_MODEL_ID", "Embedder", "embedder_for", "model_id_for"]


def model_id_for(settings: Settings) -> str:
    """The id the configured embedder writes into a manifest, known without loading it."""
    from assistant.embedders.onnx import INT8_MODEL_ID

    return INT8_MODEL_ID if settings.embedder == "onnx-int8" else BUNDLED_MODEL_ID


def embedder_for(settings: Settings) -> Embedder:
    """``onnx`` (fast start, no torch at query time), ``onnx-int8`` (quantised: faster, vectors
    differ slightly) or ``torch`` (sentence-transformers, the reference). Nothing loads yet."""
    if settings.embedder == "torch":
        from assistant.embedders.torch import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(batch_size=settings.embed_batch_size)
    from assistant.embedders.onnx import OnnxEmbedder
    from assistant.store import IndexLayout

    return OnnxEmbedder(IndexLayout(settings.index_dir).models, batch_size=settings.embed_batch_size,
                        int8=settings.embedder == "onnx-int8")
