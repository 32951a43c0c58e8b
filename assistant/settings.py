"""One settings model for the whole application.

Every field can be set from the environment as ``BRIEFING_<FIELD>`` (upper case).
Paths live here and nowhere else, so tests can point them at temporary folders.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError

ENV_PREFIX = "BRIEFING_"
# Short names documented in the README for the two paths users set most.
_ALIASES = {"corpus_dir": "BRIEFING_CORPUS", "index_dir": "BRIEFING_INDEX"}


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = Path("corpus")
    """Folder of source documents; a document's id is its path relative to this folder."""

    index_dir: Path = Path("index")
    """Folder holding the built index (generated, never committed)."""

    exports_dir: Path = Path("exports")
    """Default folder for Markdown briefing notes exported from the TUI."""

    chunk_size: int = 800
    """Target chunk length in characters for the recursive splitter."""

    chunk_overlap: int = 120
    """Characters shared by consecutive chunks, so a sentence cut by a boundary is still whole in one chunk."""

    title_prefix: bool = False
    """Index each chunk headed by its document's title. Helps corpora of many short titled
    documents (abstracts); hurts a single long article, where every chunk would share it."""

    sentence_vectors: bool = False
    """Embed every sentence at build time too, so a question costs one embedding instead of
    ``sentence_pool`` of them (answers ~10x faster on CPU, the same answers; builds ~2x slower
    and the index holds a second matrix). Changing it rebuilds the index."""

    embedder: str = "onnx"
    """Embedding backend: "onnx" (onnxruntime, exported once into the index folder), "torch"
    (sentence-transformers, the reference; same vectors as "onnx") or "onnx-int8" (quantised,
    faster, slightly different vectors: changing to or from it rebuilds the index)."""

    embed_batch_size: int = 16
    """Texts per call to the embedding model (16 ran fastest on two cores: bigger batches pad more)."""

    max_file_mb: float = 50.0
    """Files larger than this are refused (and reported) instead of read into memory."""

    top_k: int = 8
    """Passages retrieved per question before sentence selection."""

    rrf_k: int = 60
    """Reciprocal Rank Fusion constant: larger values flatten the contribution of rank."""

    fusion: str = "convex"
    """How dense and BM25 results are combined: "convex" (weighted sum of min-max normalised
    scores) or "rrf" (reciprocal rank fusion). On SciFact convex 0.6/0.4 gave nDCG@10 0.728
    against 0.714 for RRF (bench/results/fusion_sweep.json)."""

    dense_weight: float = 0.6
    """Weight of the dense (embedding) side in the fusion."""

    sparse_weight: float = 0.4
    """Weight of the BM25 side in the fusion."""

    refusal_threshold: float = 0.27
    """Relevance below which Briefing refuses; calibrated on tests/golden/seed.yaml (see README)."""

    sentence_pool: int = 16
    """Candidate sentences embedded per question (the rest are ranked out by cheaper signals);
    the main cost of an answer on CPU."""

    answer_budget: int = 450
    """Soft cap on the answer's length in characters."""

    max_sentences: int = 3
    """Most sentences an answer may cite."""

    hnsw_threshold: int = 50_000
    """Chunk count above which the dense index is HNSW instead of exact (flat)."""

    def __post_init__(self) -> None:
        if self.chunk_size < 50:
            raise ConfigError(f"chunk_size must be at least 50, got {self.chunk_size}")
        if not 0 <= self.chunk_overlap < self.chunk_size:
            raise ConfigError("chunk_overlap must be between 0 and chunk_size")
        if self.top_k < 1 or self.max_sentences < 1:
            raise ConfigError("top_k and max_sentences must be at least 1")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then ``BRIEFING_*`` variables, then explicit overrides (CLI options)."""
        env = dict(os.environ) if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper()) or env.get(_ALIASES.get(f.name, ""))
            if raw is not None and raw != "":
                values[f.name] = _convert(f, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        for name in ("corpus_dir", "index_dir", "exports_dir"):
            if name in values:
                values[name] = Path(values[name])
        return cls(**values)

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def _convert(f: dataclasses.Field[Any], raw: str) -> Any:
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "Path":
            return Path(raw)
        if kind == "bool":
            if raw.strip().lower() in ("1", "true", "yes", "on"):
                return True
            if raw.strip().lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
    except ValueError:
        raise ConfigError(f"{ENV_PREFIX}{f.name.upper()}={raw!r} is not a valid {kind}") from None
    return raw

