"""The IVF-PQ tier on real vectors: SciFact's index rewritten with an IVF-PQ dense index.

    python -m bench.ivfpq_real        (after the scifact step; prints one JSON object)

``bench.ivfpq`` shows the tier at 10 million vectors, but synthetic ones. Here the SciFact
index built by the ``scifact`` step (17,279 passages, above ``dense.IVF_MIN``) is copied with
its dense index rebuilt as a build past ``BRIEFING_IVF_THRESHOLD`` would build it, and scored
as the ``scifact`` step scores the original, in the same run: nDCG@10 of the dense and hybrid
arms, and the recall@10 the build measures.
"""

from __future__ import annotations

import dataclasses
import json
import shutil

from assistant.index import dense
from assistant.index.layout import IndexLayout
from assistant.index.store import load_index, publish_generation, write_generation
from bench import scifact

WORK = scifact.WORK.parent / "scifact-ivfpq"


def rewrite_with_ivfpq() -> dict[str, object]:
    base = load_index(scifact.WORK / "index")
    built = dense.build_dense(base.vectors, hnsw_threshold=1, ivf_threshold=1, queries=base.sentence_vectors)
    assert built.kind == "ivfpq", built.kind
    shutil.rmtree(WORK, ignore_errors=True)
    tmp = IndexLayout(WORK / "index").new_temporary()
    manifest = dataclasses.replace(base.manifest, dense_index=built.kind, dense_recall=built.recall_at_10)
    texts = {}
    for entry in base.manifest.documents.values():
        if entry.text_file:
            texts[entry.text_file] = (base.path / entry.text_file).read_text(encoding="utf-8")
    write_generation(tmp, manifest, list(base.chunks), base.vectors, built.index, base.sparse, texts,
                     None if base.sentence_vectors is None else base.sentence_vectors)
    publish_generation(WORK / "index", tmp)
    return {"passages": len(base.chunks), "index": f"IVF{dense.ivf_lists(len(base.chunks))},PQ"
            f"{dense.pq_bytes(base.manifest.dim)}", "recall@10_sentence_queries": built.recall_at_10}


def main() -> None:
    flat = scifact.run()
    ivf = rewrite_with_ivfpq()
    # The ivfpq copy is already built: its build step finds nothing to do and keeps it.
    scored = scifact.run({"BRIEFING_INDEX": str(WORK / "index")})
    assert not scored["build"]["added"] and not scored["build"]["updated"], scored["build"]  # type: ignore[index]
    print(json.dumps({
        "ivfpq": ivf,
        "ndcg@10": {arm: {"exact": flat[arm]["ndcg@10"], "ivfpq": scored[arm]["ndcg@10"]}  # type: ignore[index]
                    for arm in ("dense", "hybrid")},
    }))


if __name__ == "__main__":
    main()
