"""What the next build must do that cannot be decided per document: one rule, light to import.

``index build`` acts on it and ``index status`` reports it (status must start fast, so this
module imports neither numpy nor a model).
"""

from __future__ import annotations

from typing import Any

from assistant.settings import Settings
from assistant.store import FORMAT_VERSION, Manifest

SPLITTER_VERSION = "recursive-v1"


def full_rebuild_reason(settings: Settings, model_id: str, manifest: Manifest) -> str | None:
    """Why the live index cannot be extended and every document must be embedded again, or
    None. The one rule: ``index build`` acts on it and ``index status`` reports it."""
    if manifest.model_id != model_id:
        return f"model changed ({manifest.model_id} -> {model_id})"
    if manifest.chunking != chunking_params(settings):
        return f"chunk settings changed ({manifest.chunking} -> {chunking_params(settings)})"
    if manifest.format_version != FORMAT_VERSION:
        return "index format changed"
    return None


def chunking_params(settings: Settings) -> dict[str, Any]:
    params: dict[str, Any] = {
        "size": settings.chunk_size,
        "overlap": settings.chunk_overlap,
        "splitter": SPLITTER_VERSION,
        "title_prefix": settings.title_prefix,
    }
    if settings.sentence_vectors:  # absent when off, so indexes built before it stay valid
        params["sentence_vectors"] = True
    return params
