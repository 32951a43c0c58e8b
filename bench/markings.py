"""Ask latency at 5k documents with a clearance filter in force, beside none, in one process.

    python -m bench.markings [QUESTIONS]

The SciFact corpus (5,183 abstracts; written and built here when the ``scifact`` step has not
run) is indexed once without a scheme; a copy of that index is marked by a scheme whose rule
marks every abstract whose id ends in 0-2 SECRET (about 30%), which a build does without
embedding anything. Two engines then answer the same test questions turn about: one on the
unmarked index (no filter), one on the marked copy at the unmarked level (the filter withholds
the SECRET abstracts: their passages are masked in the dense search and left out of the view's
BM25 index and vocabulary). The view is made when the engine is warmed and kept: its making is
in ``warm_filtered_ms`` beside ``warm_none_ms``. Target: p50 with the filter within 1.2 × none.
"""

from __future__ import annotations

import json
import shutil
import sys
from functools import partial

from assistant.eval.answers import percentile
from bench import scifact
from bench.common import timed

WORK = scifact.WORK.parent / "markings"
SCHEME = """
[[level]]
name = "OFFICIAL"
[[level]]
name = "SECRET"

[[rule]]
glob = "*[0-2].txt"
marking = "SECRET"
"""


def main() -> None:
    from assistant.answer.engine import Engine
    from assistant.embedders import embedder_for
    from assistant.index.build import build_index
    from assistant.settings import Settings

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    corpus, plain_index = scifact.WORK / "corpus", scifact.WORK / "index"
    plain = Settings.from_env({}, corpus_dir=corpus, index_dir=plain_index)
    embedder = embedder_for(plain)
    queries = scifact.WORK / "queries.jsonl"
    if not queries.exists():
        scifact.write_corpus(corpus)
        scifact.test_queries(queries, scifact.qrels())
    build_index(plain, embedder)  # nothing to do when the scifact step has built it
    WORK.mkdir(parents=True, exist_ok=True)
    scheme_file = WORK / "markings.toml"
    scheme_file.write_text(SCHEME, encoding="utf-8")
    marked_index = WORK / "index"
    shutil.rmtree(marked_index, ignore_errors=True)
    shutil.copytree(plain_index, marked_index)
    marked = Settings.from_env({}, corpus_dir=corpus, index_dir=marked_index, markings_file=scheme_file)
    remark = build_index(marked, embedder)
    assert remark is not None and remark.texts_embedded == 0
    none, filtered = Engine(plain, embedder), Engine(marked, embedder)
    warm_none_s, _ = timed(partial(none.warm, prefetch=False))
    warm_filtered_s, _ = timed(partial(filtered.warm, prefetch=False))  # the view is made here
    snap = filtered.snapshot()
    questions = [json.loads(line)["text"] for line in queries.read_text().splitlines() if line][:count]
    for q in questions[:10]:  # both warm
        none.ask(q)
        filtered.ask(q)
    base, cleared = [], []
    for q in questions:
        base.append(timed(partial(none.ask, q))[0] * 1000)
        cleared.append(timed(partial(filtered.ask, q))[0] * 1000)
    p50_none, p50_filtered = percentile(base, 50), percentile(cleared, 50)
    print(json.dumps({
        "documents": len(none.snapshot().documents), "permitted": len(snap.documents), "withheld": snap.withheld,
        "questions": len(questions), "remark_seconds": round(remark.seconds, 2),
        "warm_none_ms": round(warm_none_s * 1000), "warm_filtered_ms": round(warm_filtered_s * 1000),
        "p50_none_ms": round(p50_none, 1), "p50_filtered_ms": round(p50_filtered, 1),
        "p95_none_ms": round(percentile(base, 95), 1), "p95_filtered_ms": round(percentile(cleared, 95), 1),
        "p50_ratio": round(p50_filtered / p50_none, 3), "target_ratio": 1.2,
    }))


if __name__ == "__main__":
    main()
