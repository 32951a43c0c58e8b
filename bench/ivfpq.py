"""The part of scale this machine can show: FAISS IVF-PQ over 10 million 384-dimensional vectors.

    python -m bench.ivfpq [MILLIONS] [QUERIES]     (prints one JSON object; not in the default run)

No embedding: the vectors are synthetic, drawn around 2,000 random centres (so they cluster as
text embeddings do, unlike uniform noise) and normalised, generated in blocks from fixed seeds so
the exact search can regenerate them instead of holding 15 GB. The index (IVF with 4,096 lists,
product quantisation to 48 bytes a vector) is trained on a 200,000-vector sample, filled block by
block, written to disk and read back memory-mapped, as a query session would read it; recall@10
is measured against exact inner-product search over all the vectors.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import current_rss_mb, machine

DIM = 384
BLOCK = 500_000
CENTRES = 2_000
SPREAD = 0.045
"""Per-dimension noise around a centre: a vector's cosine to its centre is then about 0.75,
as a passage's is to its topic; much more and nearest neighbours stop meaning anything."""


def block(i: int, centres: np.ndarray) -> np.ndarray:
    rng = np.random.default_rng(1000 + i)
    which = rng.integers(0, len(centres), BLOCK)
    x = centres[which] + SPREAD * rng.standard_normal((BLOCK, DIM), dtype=np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x.astype(np.float32)


def main() -> None:
    import faiss

    millions = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    n_queries = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    blocks = int(millions * 1_000_000) // BLOCK
    rng = np.random.default_rng(7)
    centres = rng.standard_normal((CENTRES, DIM), dtype=np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    queries = block(10_000, centres)[:n_queries]

    started = time.perf_counter()
    sample = np.vstack([block(i, centres)[: 160_000 // min(blocks, 4)] for i in range(min(blocks, 4))])
    index = faiss.index_factory(DIM, "IVF4096,PQ48", faiss.METRIC_INNER_PRODUCT)
    index.train(sample)
    train_s = time.perf_counter() - started
    del sample
    started = time.perf_counter()
    for i in range(blocks):
        index.add(block(i, centres))
    add_s = time.perf_counter() - started
    build_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    exact_d = np.full((n_queries, 10), -np.inf, dtype=np.float32)
    exact_i = np.zeros((n_queries, 10), dtype=np.int64)
    started = time.perf_counter()
    for i in range(blocks):  # exact top-10, block by block
        scores = queries @ block(i, centres).T
        top = np.argpartition(-scores, 10, axis=1)[:, :10]
        d = np.take_along_axis(scores, top, axis=1)
        both_d, both_i = np.hstack([exact_d, d]), np.hstack([exact_i, top + i * BLOCK])
        keep = np.argsort(-both_d, axis=1)[:, :10]
        exact_d, exact_i = np.take_along_axis(both_d, keep, axis=1), np.take_along_axis(both_i, keep, axis=1)
    exact_s = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ivfpq.faiss"
        faiss.write_index(index, str(path))
        size_mb = path.stat().st_size / 1e6
        del index
        rss_before = current_rss_mb()
        mapped = faiss.read_index(str(path), faiss.IO_FLAG_MMAP)
        faiss.omp_set_num_threads(1)  # one question at a time, as a session asks them
        results = {}
        for nprobe in (16, 64):
            faiss.extract_index_ivf(mapped).nprobe = nprobe
            times, found, within = [], [], []
            for q in range(n_queries):
                t = time.perf_counter()
                _d, ids = mapped.search(queries[q : q + 1], 100)
                times.append((time.perf_counter() - t) * 1000)
                truth = set(exact_i[q].tolist())
                found.append(len(set(ids[0, :10].tolist()) & truth) / 10)
                within.append(len(set(ids[0].tolist()) & truth) / 10)
            # recall@10 of the compressed codes alone, and of the true 10 among the first 100: what
            # re-scoring those 100 with the stored float vectors (memory-mapped) would reach
            results[f"nprobe_{nprobe}"] = {"recall@10": round(float(np.mean(found)), 3),
                                           "true_top10_in_first_100": round(float(np.mean(within)), 3),
                                           "p50_ms": round(statistics.median(times), 2),
                                           "p95_ms": round(float(np.percentile(times, 95)), 2)}
        session_rss = current_rss_mb() - rss_before
    print(json.dumps({
        "machine": machine(), "vectors": blocks * BLOCK, "queries": n_queries, "dim": DIM, "index": "IVF4096,PQ48",
        "train_s": round(train_s, 1), "add_s": round(add_s, 1), "exact_search_s": round(exact_s, 1),
        "index_mb_on_disk": round(size_mb), "build_peak_rss_mb": round(build_rss),
        "query_session_rss_growth_mb": round(session_rss), **results,
    }))


if __name__ == "__main__":
    main()
