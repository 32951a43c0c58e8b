"""Model ids and the export version: what a manifest records, known without loading anything."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.settings import Settings

BUNDLED_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
EXPORT_VERSION = 2
"""Bumped when the ONNX export changes, so an old export is not reused."""
INT8_MODEL_ID = f"{BUNDLED_MODEL_ID}@onnx-int8-v{EXPORT_VERSION}"
"""The quantised model gives different vectors, so it is a different model id (and index)."""


def model_id_for(settings: Settings) -> str:
    """The id the configured embedder writes into a manifest, known without loading it."""
    return INT8_MODEL_ID if settings.embedding.embedder == "onnx-int8" else BUNDLED_MODEL_ID
