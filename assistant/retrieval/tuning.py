"""The values retrieval is tuned by, beside the settings a user may change (fusion, weights,
passages per question): how wide each ranking's candidate pool is before the two are fused."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RetrievalTuning:
    """How many candidates each ranking (dense, BM25) offers the fusion (``RETRIEVAL``)."""

    pool_factor: int = 4
    """Candidates each ranking offers per passage asked for…"""
    pool_min: int = 50
    """…and at least this many: a passage ranked low by one signal and high by the other is in
    both pools, so fusion can find it."""
    filtered_share: float = 0.25
    """A clearance leaving at least this share of the passages is searched by the dense index
    itself, widened and filtered (``HybridRetriever._dense_permitted``); below it, exactly over
    the permitted passages' vectors, which is then the cheaper of the two."""
    filtered_margin: float = 1.5
    """…widened by this much beyond the permitted share's due, so that few searches come back
    with fewer than the pool and fall back to the exact one."""


RETRIEVAL = RetrievalTuning()
"""The values in force."""
