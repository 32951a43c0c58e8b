import pytest

from assistant.answer.engine import Engine
from assistant.errors import QuestionError
from assistant.retrieval.hybrid import Scope, matches_doc, rrf_fuse
from assistant.text.dates import parse_loose_date
from tests.fakes import HashEmbedder
from tests.helpers import build


def test_rrf_prefers_agreement_and_respects_weights():
    fused = rrf_fuse([(1.0, [1, 2, 3]), (1.0, [2, 3, 1])], k=60)
    assert max(fused, key=fused.get) == 2  # ranked 2nd and 1st beats 1st and 3rd
    assert fused[2] == pytest.approx(1 / 62 + 1 / 61)
    dense_heavy = rrf_fuse([(3.0, [1, 2]), (1.0, [2, 1])], k=60)
    assert max(dense_heavy, key=dense_heavy.get) == 1
    assert rrf_fuse([(1.0, [])]) == {}


def test_doc_patterns():
    assert matches_doc("reports/2025/a.pdf", "reports")
    assert matches_doc("reports/2025/a.pdf", "reports/*/a.pdf")
    assert matches_doc("a.txt", "a.txt")
    assert not matches_doc("a.txt.bak", "a.txt")


def test_loose_dates_keep_precision():
    assert parse_loose_date("2026").precision == "year"
    d = parse_loose_date("2026-05")
    assert (d.precision, d.lower.day, d.upper.day) == ("month", 1, 31)
    assert parse_loose_date("2025-04-04").iso() == "2025-04-04"
    assert parse_loose_date("next week") is None


@pytest.fixture
def two_sources(settings, corpus):
    (corpus / "old.md").write_text("---\ndate: 2023-03-01\n---\nCobalt refining moved to Indonesia in 2023.\n")
    (corpus / "new.md").write_text("---\ndate: 2026-01-15\n---\nCobalt refining capacity doubled in 2026.\n")
    (corpus / "undated.txt").write_text("Cobalt is mined in Congo.\n")
    build(settings, HashEmbedder())
    return Engine(settings, HashEmbedder())


def test_scope_by_document_and_date(two_sources):
    engine = two_sources
    everything = {h.chunk.doc_id for h in engine.search("cobalt refining", 10)}
    assert everything == {"old.md", "new.md", "undated.txt"}
    assert {h.chunk.doc_id for h in engine.search("cobalt", 10, Scope(docs=("new.md",)))} == {"new.md"}
    assert {h.chunk.doc_id for h in engine.search("cobalt", 10, Scope(since="2025"))} == {"new.md"}
    assert {h.chunk.doc_id for h in engine.search("cobalt", 10, Scope(until="2024-12"))} == {"old.md"}
    answer = engine.ask("Where did cobalt refining move?", scope=Scope(docs=("new.md",)))
    assert all(c.doc_id == "new.md" for c in answer.citations)


def test_scope_errors_are_question_errors(two_sources):
    with pytest.raises(QuestionError, match="no indexed document"):
        two_sources.search("cobalt", 5, Scope(docs=("missing.txt",)))
    with pytest.raises(QuestionError, match="not a date"):
        two_sources.search("cobalt", 5, Scope(since="yesterday"))


def test_convex_fusion_normalises_each_arm():
    from assistant.retrieval.hybrid import convex_fuse

    fused = convex_fuse({1: 0.9, 2: 0.5, 3: 0.1}, {1: 0.0, 2: 30.0, 3: 10.0})
    # 1: (1.0 + 0)/2, 2: (0.5 + 1.0)/2, 3: (0 + 1/3)/2
    assert fused == pytest.approx({1: 0.5, 2: 0.75, 3: 1 / 6})
    dense_only = convex_fuse({1: 0.9, 2: 0.5}, {1: 0.0, 2: 30.0}, 1.0, 0.0)
    assert max(dense_only, key=dense_only.get) == 1


def test_a_passage_can_be_ranked_by_its_best_sentence(settings, corpus):
    import numpy as np

    from assistant.index.store import load_index
    from assistant.retrieval.hybrid import HybridRetriever
    from tests.fakes import HashEmbedder
    from tests.helpers import build

    (corpus / "a.txt").write_text("Zinc smelting doubled in Peru. Tourism grew. Fishing fell. Mining paused.\n")
    (corpus / "b.txt").write_text("Copper output rose in Chile. Zinc prices were flat.\n")
    build(settings, HashEmbedder())
    index = load_index(settings.paths.index_dir)
    query = HashEmbedder().embed(["zinc smelting"])[0]
    retriever = HybridRetriever(index)
    ids = list(range(len(index.chunks)))
    assert index.sentence_vectors is not None and index.sentence_start is not None
    best = [max(float(np.asarray(index.sentence_vectors[r]) @ query)
                for r in range(int(index.sentence_start[i]), int(index.sentence_start[i + 1]))) for i in ids]
    assert np.allclose(retriever._dense_scores(ids, query, 1.0), best, atol=1e-5)
    assert np.allclose(retriever._dense_scores(ids, query, 0.0), index.vectors[ids] @ query, atol=1e-5)
    hits = retriever.search(query, ["zinc", "smelt"], 2, best_sentence=1.0)
    assert hits[0].chunk.doc_id == "a.txt" and hits[0].dense_score == max(best)
