"""BEIR SciFact through the product: files in a corpus folder, `briefing index build`,
`briefing search --batch`, then nDCG@10 and Recall@100 at document level.

The benchmark is read from ../shared/benchmarks/scifact and written out as files under
bench/work/ (git-ignored); it is never copied into the repository.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from bench.datasets import ROOT, SCIFACT

WORK = ROOT / "bench" / "work" / "scifact"
BRIEFING = Path(sys.executable).parent / "briefing"


LAYOUTS = {"lines": "\n", "paragraph": "\n\n"}
"""How a file holds its abstract: the title on the first line and the text on the next
("lines"), or the title, a blank line, then the text ("paragraph"). Users' folders hold both."""


def work_dir(layout: str) -> Path:
    return WORK if layout == "lines" else WORK.parent / f"scifact-{layout}"


def write_corpus(target: Path, layout: str = "lines") -> int:
    """One file per abstract, named ``<_id>.txt``: the title, then the text (``LAYOUTS``)."""
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    with (SCIFACT / "corpus.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            path = target / f"{row['_id']}.txt"
            body = f"{row['title'].strip()}{LAYOUTS[layout]}{row['text'].strip()}\n" if row["title"].strip() \
                else row["text"]
            if not path.exists() or path.read_text(encoding="utf-8") != body:
                path.write_text(body, encoding="utf-8")
            count += 1
    return count


def qrels() -> dict[str, dict[str, int]]:
    judged: dict[str, dict[str, int]] = defaultdict(dict)
    with (SCIFACT / "qrels" / "test.tsv").open(encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            qid, did, score = line.rstrip("\n").split("\t")
            judged[qid][did] = int(score)
    return judged


def test_queries(path: Path, judged: dict[str, dict[str, int]]) -> int:
    rows = []
    with (SCIFACT / "queries.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["_id"] in judged:
                rows.append(json.dumps({"_id": row["_id"], "text": row["text"]}))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(rows)


def briefing(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(BRIEFING), *args], capture_output=True, text=True, env=env, cwd=ROOT)
    if done.returncode not in (0,):
        raise SystemExit(f"briefing {' '.join(args)} failed: {done.stderr.strip()}")
    return done


def doc_rankings(output: str) -> dict[str, list[str]]:
    """Passage hits to document rankings: a document ranks at its best passage."""
    ranked: dict[str, list[str]] = {}
    for line in output.splitlines():
        row = json.loads(line)
        seen: list[str] = []
        for hit in row["hits"]:
            doc = hit["doc"].rsplit(".", 1)[0]
            if doc not in seen:
                seen.append(doc)
        ranked[row["id"]] = seen
    return ranked


def ndcg_at(ranked: dict[str, list[str]], judged: dict[str, dict[str, int]], k: int = 10) -> float:
    total = 0.0
    for qid, rel in judged.items():
        docs = ranked.get(qid, [])[:k]
        dcg = sum(rel.get(d, 0) / math.log2(i + 2) for i, d in enumerate(docs))
        ideal = sorted(rel.values(), reverse=True)[:k]
        idcg = sum(r / math.log2(i + 2) for i, r in enumerate(ideal))
        total += dcg / idcg if idcg else 0.0
    return total / len(judged)


def recall_at(ranked: dict[str, list[str]], judged: dict[str, dict[str, int]], k: int = 100) -> float:
    total = 0.0
    for qid, rel in judged.items():
        relevant = {d for d, r in rel.items() if r > 0}
        total += len(relevant & set(ranked.get(qid, [])[:k])) / len(relevant)
    return total / len(judged)


ARMS = {
    "bm25": {"BRIEFING_DENSE_WEIGHT": "0", "BRIEFING_SPARSE_WEIGHT": "1"},
    "dense": {"BRIEFING_DENSE_WEIGHT": "1", "BRIEFING_SPARSE_WEIGHT": "0"},
    "hybrid": {},
}


def require() -> None:
    if not (SCIFACT / "corpus.jsonl").exists():
        raise SystemExit(f"SciFact not found at {SCIFACT} (set BRIEFING_SCIFACT to ../shared/benchmarks/scifact)")


def run(extra_env: dict[str, str] | None = None, rebuild: bool = False, layout: str = "lines") -> dict[str, object]:
    require()
    judged = qrels()
    work = work_dir(layout)
    corpus = work / "corpus"
    n_docs = write_corpus(corpus, layout)
    queries = work / "queries.jsonl"
    n_queries = test_queries(queries, judged)
    env = {**os.environ, "BRIEFING_CORPUS": str(corpus), "BRIEFING_INDEX": str(work / "index"),
           "HF_HUB_OFFLINE": "1", **(extra_env or {})}
    started = time.perf_counter()
    build = json.loads(briefing(env, "index", "build", "--json", *(["--full"] if rebuild else [])).stdout)
    build_seconds = time.perf_counter() - started
    results: dict[str, object] = {"layout": layout, "documents": n_docs, "queries": n_queries, "build": build,
                                  "build_wall_seconds": round(build_seconds, 1)}
    for arm, arm_env in ARMS.items():
        out = briefing({**env, **arm_env}, "search", "--batch", str(queries), "--k", "200").stdout
        ranked = doc_rankings(out)
        results[arm] = {"ndcg@10": round(ndcg_at(ranked, judged), 4), "recall@100": round(recall_at(ranked, judged), 4)}
    return results


def both_layouts() -> dict[str, object]:
    """The default settings on both layouts: "lines" in full, "paragraph"'s rankings beside it."""
    results = run()
    results["paragraph_layout"] = {k: v for k, v in run(layout="paragraph").items() if k in ("hybrid", "bm25", "dense")}
    return results


def main() -> None:
    require()
    results = both_layouts()
    out = ROOT / "bench" / "results" / "scifact.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
