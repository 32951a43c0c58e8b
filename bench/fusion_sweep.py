"""Fusion variants on SciFact, in one process over the index `bench.scifact` built.

Reports nDCG@10 for RRF and convex fusion at several weights, so the default in
settings is a measured choice. Run after `python -m bench.scifact`.
"""

from __future__ import annotations

import json
import sys

from assistant.answer.engine import Engine
from assistant.retrieval.hybrid import HybridRetriever
from assistant.settings import Fusions, Settings
from assistant.text.analyser import analyze
from bench.scifact import WORK, ndcg_at, qrels, recall_at


def main() -> None:
    judged = qrels()
    queries = [json.loads(line) for line in (WORK / "queries.jsonl").read_text().splitlines() if line]
    settings = Settings.from_env({}, corpus_dir=WORK / "corpus", index_dir=WORK / "index")
    engine = Engine(settings)
    index = engine.index
    vectors = engine.embedder.embed([q["text"] for q in queries])
    tokens = analyze([q["text"] for q in queries])
    variants: list[tuple[Fusions, float, float]] = [("rrf", 1.0, 1.0), ("rrf", 1.0, 0.0), ("rrf", 0.0, 1.0)]
    variants += [("rrf", d, 1.0) for d in (0.7, 1.3, 1.6)]
    variants += [("convex", d, 1 - d) for d in (0.3, 0.4, 0.5, 0.6, 0.7)]
    results = {}
    for fusion, dw, sw in variants:
        retriever = HybridRetriever(index, 60, dw, sw, fusion)
        ranked = {}
        for q, vec, toks in zip(queries, vectors, tokens, strict=True):
            seen: list[str] = []
            for hit in retriever.search(vec, toks, 200):
                doc = hit.chunk.doc_id.rsplit(".", 1)[0]
                if doc not in seen:
                    seen.append(doc)
            ranked[q["_id"]] = seen
        key = f"{fusion} dense={dw:g} sparse={sw:g}"
        results[key] = {"ndcg@10": round(ndcg_at(ranked, judged), 4), "recall@100": round(recall_at(ranked, judged), 4)}
        print(key, results[key], file=sys.stderr)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
