"""Scale: a ≥100k-chunk index made by replicating the SciFact index under distinct ids
(the vectors are copied, not re-embedded), then warm query latency, HNSW recall@10 against
exact search, and peak memory — build and query each in their own process.

    python -m bench.scale build SOURCE_INDEX TARGET_INDEX MIN_CHUNKS
    python -m bench.scale query TARGET_INDEX QUERIES.jsonl
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from functools import partial
from pathlib import Path

import numpy as np

from assistant.eval.answers import percentile
from assistant.settings import Settings
from bench.common import peak_rss_mb, rss_parts, timed


def build(source: Path, target: Path, min_chunks: int) -> dict[str, object]:
    from assistant.index.bm25 import SparseIndex
    from assistant.index.dense import build_dense
    from assistant.index.layout import IndexLayout
    from assistant.index.manifest import DocEntry, Manifest
    from assistant.index.store import load_index, publish_generation, write_generation
    from assistant.types import Chunk

    base = load_index(source)
    copies = -(-min_chunks // len(base.chunks))

    def make() -> int:
        chunks: list[Chunk] = []
        documents: dict[str, DocEntry] = {}
        for copy in range(copies):
            for doc_id, entry in base.manifest.documents.items():
                new_id = f"copy{copy}/{doc_id}"
                first = len(chunks)
                for c in base.chunks[entry.first_chunk : entry.first_chunk + entry.n_chunks]:
                    chunks.append(dataclasses.replace(c, chunk_id=len(chunks), doc_id=new_id))
                documents[new_id] = dataclasses.replace(entry, first_chunk=first)
        vectors = np.tile(base.vectors, (copies, 1))
        sentences = None if base.sentence_vectors is None else np.tile(base.sentence_vectors, (copies, 1))
        defaults = Settings.model_fields
        dense = build_dense(vectors, defaults["hnsw_threshold"].default, defaults["ivf_threshold"].default)
        sparse = SparseIndex.build([c.text for c in chunks])
        manifest = dataclasses.replace(base.manifest, documents=documents, n_chunks=len(chunks),
                                       dense_index=dense.kind, dense_recall=dense.recall_at_10)
        assert isinstance(manifest, Manifest)
        tmp = IndexLayout(target).new_temporary()
        write_generation(tmp, manifest, chunks, vectors, dense.index, sparse, {}, sentences)
        publish_generation(target, tmp)
        return len(chunks)

    seconds, n = timed(make)
    return {"chunks": n, "copies": copies, "build_seconds": round(seconds, 1),
            "build_peak_rss_mb": round(peak_rss_mb())}


def query(target: Path, queries_file: Path, corpus: Path) -> dict[str, object]:
    from assistant.answer.engine import Engine
    from assistant.index.manifest import read_manifest

    # Replicated documents are hard links to the real files, so citations are verified as usual
    # (a symbolic link out of the corpus would be refused: reads are confined to it).
    view = target.parent / "corpus-view"
    view.mkdir(exist_ok=True)
    for doc in read_manifest(target).documents:
        copy, name = doc.split("/", 1)
        link = view / copy / name
        if link.is_symlink() or (link.parent.is_symlink()):
            link.parent.unlink() if link.parent.is_symlink() else link.unlink()
        if not link.exists():
            link.parent.mkdir(parents=True, exist_ok=True)
            os.link(corpus / name, link)
    settings = Settings.from_env({}, corpus_dir=view, index_dir=target)
    engine = Engine(settings)
    engine.warm()
    questions = [json.loads(line)["text"] for line in queries_file.read_text().splitlines() if line][:200]
    latencies = []
    for q in questions:
        seconds, _ = timed(partial(engine.ask, q))
        latencies.append(seconds * 1000)
    index = engine.index
    # Every vector is there once per copy, so exact search ties across copies: compare the first
    # ten distinct base vectors HNSW returns with the exact top ten of one copy.
    copies = len({d.split("/", 1)[0] for d in index.manifest.documents})
    n_base = len(index.chunks) // copies
    recall = []
    for q in questions[:100]:
        vec = engine.embedder.embed_one(q)
        _s, approx = index.dense.search(vec.reshape(1, -1), 10 * copies)
        found = list(dict.fromkeys(int(i) % n_base for i in approx[0] if i >= 0))[:10]
        exact = np.argsort(-(index.vectors[:n_base] @ vec))[:10]
        recall.append(len(set(found) & set(exact.tolist())) / 10)
    return {"chunks": len(index.chunks), "dense_index": index.manifest.dense_index,
            "p50_ms": round(percentile(latencies, 50), 1), "p95_ms": round(percentile(latencies, 95), 1),
            "hnsw_recall@10": round(float(np.mean(recall)), 4), "query_peak_rss_mb": round(peak_rss_mb()),
            **{f"query_{k}": v for k, v in rss_parts().items()}}


if __name__ == "__main__":
    if sys.argv[1] == "build":
        print(json.dumps(build(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))))
    else:
        print(json.dumps(query(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))))
