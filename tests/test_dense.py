"""The dense index's tiers (flat, HNSW, IVF-PQ), IVF-PQ's re-scoring, and what a session maps."""

from __future__ import annotations

import json

import numpy as np
import pytest

from assistant.answer.engine import Engine
from assistant.index import dense
from assistant.index.dense import build_dense, choose_kind, dense_search, ivf_lists, measure_recall
from assistant.index.store import ChunkTable, load_index
from assistant.settings import Settings
from tests.fakes import HashEmbedder
from tests.helpers import build, run_cli, write_doc


def clustered(n: int, dim: int = 64, centres: int = 40, seed: int = 3) -> np.ndarray:
    """Vectors around a few centres, as text embeddings are, normalised."""
    rng = np.random.default_rng(seed)
    c = rng.standard_normal((centres, dim)).astype(np.float32)
    x = c[rng.integers(0, centres, n)] + 0.35 * rng.standard_normal((n, dim)).astype(np.float32)
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_tiers_by_size_with_ivf_only_where_it_can_be_trained():
    assert choose_kind(100, hnsw_threshold=1000, ivf_threshold=5000) == "flat"
    assert choose_kind(2000, hnsw_threshold=1000, ivf_threshold=5000) == "hnsw"
    assert choose_kind(20_000, hnsw_threshold=1000, ivf_threshold=5000) == "ivfpq"
    assert choose_kind(dense.IVF_MIN - 1, hnsw_threshold=10, ivf_threshold=10) == "hnsw"
    assert [ivf_lists(n) for n in (10_000, 1_000_000, 3_500_000)] == [128, 4096, 4096]
    assert [dense.pq_bytes(d) for d in (384, 128, 100)] == [48, 16, 10]


@pytest.fixture(scope="module")
def ivf():
    vectors = clustered(12_000)
    return vectors, build_dense(vectors, hnsw_threshold=1000, ivf_threshold=5000)


@pytest.mark.slow
def test_ivfpq_rescored_with_stored_vectors_is_close_to_exact(ivf):
    vectors, built = ivf
    assert built.kind == "ivfpq" and built.index.ntotal == len(vectors)
    assert built.recall_at_10 is not None and built.recall_at_10 >= 0.9
    codes_only = measure_recall_without_rescoring(built.index, vectors)
    assert codes_only < built.recall_at_10  # re-scoring is what buys the recall
    scores, ids = dense_search(built.index, vectors[123], 5, vectors)
    assert ids[0] == 123 and scores[0] == pytest.approx(1.0, abs=1e-5)  # exact scores, not code distances
    assert list(scores) == sorted(scores, reverse=True)


def measure_recall_without_rescoring(index, vectors: np.ndarray) -> float:
    queries = vectors[:100]
    truth = np.argsort(-(queries @ vectors.T), axis=1)[:, :10]
    found = sum(len(set(dense_search(index, q, 10)[1].tolist()) & set(t.tolist()))
                for q, t in zip(queries, truth, strict=True))
    return found / 1000


def test_recall_is_measured_against_exact_search():
    vectors = clustered(3000)
    exact = build_dense(vectors, hnsw_threshold=10**9, ivf_threshold=10**9)
    assert exact.kind == "flat" and exact.recall_at_10 is None
    assert measure_recall(exact.index, vectors) == 1.0
    hnsw = build_dense(vectors, hnsw_threshold=1000, ivf_threshold=10**9)
    assert hnsw.kind == "hnsw" and 0.9 <= (hnsw.recall_at_10 or 0) <= 1.0


def test_chunk_table_splits_rows_on_newlines_only(tmp_path):
    rows = [{"chunk_id": 0, "doc_id": "a.txt", "start": 0, "end": 9, "text": "one\u2028two"},
            {"chunk_id": 1, "doc_id": "a.txt", "start": 10, "end": 15, "text": "three"}]
    path = tmp_path / "chunks.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")  # no last \n
    table = ChunkTable(path, tmp_path)
    assert len(table) == 2 and table[0].text == "one\u2028two" and table[1].text == "three"
    assert [c.chunk_id for c in table[0:2]] == [0, 1]


def test_a_session_maps_vectors_and_bm25_instead_of_copying_them(settings, corpus):
    write_doc(corpus, "news.txt", "Acme Robotics opened a factory in Ohio in March 2024. The plant employs 900.\n")
    build(settings, HashEmbedder())
    index = load_index(settings.paths.index_dir)
    assert isinstance(index.vectors, np.memmap)
    assert isinstance(index.sentence_vectors, np.memmap)
    assert isinstance(index.sparse._retriever.scores["data"], np.memmap)


@pytest.mark.slow
def test_an_ivfpq_index_is_built_reported_and_answers(settings, corpus, capsys, monkeypatch):
    monkeypatch.setattr(dense, "IVF_MIN", 500)  # a corpus a test can build quickly
    for i in range(60):
        write_doc(corpus, f"r{i:02}.txt", "\n\n".join(
            f"Report {i} section {j}: the harbour of town{i}x{j} handled {i * 100 + j} tonnes of grain."
            for j in range(12)))
    write_doc(corpus, "acme.txt", "Acme Robotics opened a factory in Ohio in March 2024.\n")
    for name, value in (("IVF_THRESHOLD", "500"), ("CHUNK_SIZE", "100"), ("CHUNK_OVERLAP", "0")):
        monkeypatch.setenv(f"BRIEFING_{name}", value)
    tuned = Settings.from_env()
    report = build(tuned, HashEmbedder())
    assert report.dense_index == "ivfpq" and report.total_chunks > 500
    assert report.dense_recall is not None and 0 < report.dense_recall <= 1
    index = load_index(tuned.paths.index_dir)
    assert index.manifest.dense_index == "ivfpq" and index.manifest.dense_recall == report.dense_recall
    answer = Engine(tuned.replace(refusal_threshold=0.0), HashEmbedder()).ask("Where did Acme Robotics open a factory?")
    assert answer.citations and answer.citations[0].doc_id == "acme.txt"
    code, out, _ = run_cli(capsys, "index", "status")
    assert code == 0 and "dense index ivfpq, recall@10" in out


def test_prefetch_reads_what_questions_need_first_within_its_share_of_memory(settings, corpus, monkeypatch):
    from assistant.index import store
    from assistant.index.layout import GenerationFiles, current_generation
    from assistant.index.store import prefetch

    write_doc(corpus, "news.txt", "Acme Robotics opened a factory in Ohio in March 2024. The plant employs 900.\n")
    build(settings, HashEmbedder())
    gen = current_generation(settings.paths.index_dir)
    assert gen is not None
    files = GenerationFiles(gen)
    everything = prefetch(files)
    assert everything[0] == files.dense and files.vectors in everything and files.sentences in everything
    first = files.dense.stat().st_size
    monkeypatch.setattr(store, "available_memory", lambda: first / store.PREFETCH_SHARE)
    assert prefetch(files) == [files.dense]  # the next file would exceed the share
    monkeypatch.undo()
    gone = GenerationFiles(settings.paths.index_dir / "gen-removed-meanwhile")
    assert prefetch(gone) == []


def test_sessions_prefetch_the_index_and_a_one_question_command_does_not(settings, corpus, capsys, monkeypatch):
    write_doc(corpus, "news.txt", "Acme Robotics opened a factory in Ohio in March 2024. The plant employs 900.\n")
    build(settings, HashEmbedder())
    started: list[str] = []
    monkeypatch.setattr("assistant.answer.engine.prefetch_in_background", lambda index: started.append(index.path.name))
    code, _out, _err = run_cli(capsys, "ask", "Where did Acme open a factory?")
    assert code == 0 and started == []
    engine = Engine(settings, HashEmbedder())
    engine.warm()
    assert started == [engine.index.path.name]
