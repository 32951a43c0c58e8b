"""The part of scale this machine can show: the product's IVF-PQ tier over 10 million vectors.

    python -m bench.ivfpq [--millions M] [--queries Q]     (prints one JSON object; not in the default run)

No embedding: the vectors are synthetic, drawn around 2,000 random centres (so they cluster as
text embeddings do, unlike uniform noise) and normalised, generated in blocks from fixed seeds.
Everything else is what ``briefing index build`` does past ``BRIEFING_IVF_THRESHOLD``: the same
FAISS index (``assistant.index.dense.empty_index``, its list count and code size), trained on the same
sample size, filled block by block while the vectors are written to a ``.npy`` file; then the
index is read back memory-mapped (``read_dense``) with the vectors memory-mapped beside it, and
questions go through ``dense_search``, which re-scores the codes' first candidates against them.
Recall@10 is measured against exact inner-product search over all the vectors (regenerated block
by block, never held whole).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from assistant.index import dense
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


def exact_top10(queries: np.ndarray, blocks: int, centres: np.ndarray) -> np.ndarray:
    best_d = np.full((len(queries), 10), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(queries), 10), dtype=np.int64)
    for i in range(blocks):
        scores = queries @ block(i, centres).T
        top = np.argpartition(-scores, 10, axis=1)[:, :10]
        both_d = np.hstack([best_d, np.take_along_axis(scores, top, axis=1)])
        both_i = np.hstack([best_i, top + i * BLOCK])
        keep = np.argsort(-both_d, axis=1)[:, :10]
        best_d, best_i = np.take_along_axis(both_d, keep, axis=1), np.take_along_axis(both_i, keep, axis=1)
    return best_i


def main() -> None:
    import faiss

    parser = argparse.ArgumentParser(prog="python -m bench.ivfpq", description=__doc__)
    parser.add_argument("--millions", type=float, default=10.0, help="vectors, in millions")
    parser.add_argument("--queries", type=int, default=100)
    args = parser.parse_args()
    millions, n_queries = args.millions, args.queries
    blocks = int(millions * 1_000_000) // BLOCK
    n = blocks * BLOCK
    rng = np.random.default_rng(7)
    centres = rng.standard_normal((CENTRES, DIM), dtype=np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    queries = block(10_000, centres)[:n_queries]

    with tempfile.TemporaryDirectory(dir=Path(__file__).parent / "work") as tmp:
        started = time.perf_counter()
        per_block = -(-dense.training_size(n) // min(blocks, 4))
        sample = np.vstack([block(i, centres)[:per_block] for i in range(min(blocks, 4))])
        index = dense.empty_index("ivfpq", DIM, n)
        index.train(sample)
        train_s = time.perf_counter() - started
        del sample
        started = time.perf_counter()
        with (Path(tmp) / "vectors.npy").open("wb") as stored:  # written, not mapped: mapped pages would count
            np.lib.format.write_array_header_1_0(  # as the build's memory
                stored, {"descr": "<f4", "fortran_order": False, "shape": (n, DIM)})
            for i in range(blocks):
                vectors = block(i, centres)
                stored.write(vectors.tobytes())
                index.add(vectors)
        del vectors
        add_s = time.perf_counter() - started
        build_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        started = time.perf_counter()
        truth = exact_top10(queries, blocks, centres)
        exact_s = time.perf_counter() - started

        path = Path(tmp) / "dense.faiss"
        faiss.write_index(index, str(path))
        size_mb = path.stat().st_size / 1e6
        del index
        anon_before, file_before = current_rss_mb("RssAnon"), current_rss_mb("RssFile")
        mapped = dense.read_dense(path, "ivfpq")
        vectors_mapped = np.load(Path(tmp) / "vectors.npy", mmap_mode="r")
        faiss.omp_set_num_threads(1)  # one question at a time, as a session asks them
        results = {}
        for label, rescore in (("codes_only", None), ("rescored", vectors_mapped)):
            times, found = [], []
            for q in range(n_queries):
                t = time.perf_counter()
                _d, ids = dense.dense_search(mapped, queries[q], 10, rescore)
                times.append((time.perf_counter() - t) * 1000)
                found.append(len(set(ids.tolist()) & set(truth[q].tolist())) / 10)
            results[label] = {"recall@10": round(float(np.mean(found)), 3),
                              "p50_ms": round(statistics.median(times), 2),
                              "p95_ms": round(float(np.percentile(times, 95)), 2)}
        session = {"rss_anon_growth_mb": round(current_rss_mb("RssAnon") - anon_before),
                   "rss_file_growth_mb": round(current_rss_mb("RssFile") - file_before)}
    print(json.dumps({
        "machine": machine(), "vectors": n, "queries": n_queries, "dim": DIM,
        "index": f"IVF{dense.ivf_lists(n)},PQ{dense.pq_bytes(DIM)}", "nprobe": dense.NPROBE,
        "rescore": dense.RESCORE, "train_s": round(train_s, 1), "add_and_write_s": round(add_s, 1),
        "exact_search_s": round(exact_s, 1), "index_mb_on_disk": round(size_mb),
        "vectors_mb_on_disk": round(n * DIM * 4 / 1e6), "build_peak_rss_mb": round(build_rss),
        "query_session": session, **results,
        "note": "page cache warm from the build: the rescored p50 reads vectors from memory, not disk",
    }))


if __name__ == "__main__":
    main()
