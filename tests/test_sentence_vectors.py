"""BRIEFING_SENTENCE_VECTORS: sentences embedded at build time, looked up at question time."""


import numpy as np
import pytest

from assistant.engine import Engine
from assistant.store import load_index
from tests.fakes import HashEmbedder
from tests.helpers import build

QUESTIONS = [
    "Which export controls did China impose on rare earths?",
    "Who makes AI chips in China?",
    "What is the best recipe for a French omelette?",
]


@pytest.fixture
def precomputed(settings):
    return settings.replace(sentence_vectors=True)


def test_every_sentence_of_every_chunk_has_its_vector(precomputed, seed_corpus):
    embedder = HashEmbedder()
    report = build(precomputed, embedder)
    index = load_index(precomputed.index_dir)
    assert index.sentence_vectors is not None and index.sentence_start is not None
    spans = [(c, s) for c in index.chunks for s in c.sentences]
    assert index.sentence_vectors.shape == (len(spans), embedder.dim)
    distinct = {(c.doc_id, a, b) for c, (a, b) in spans}
    # Chunks and the distinct sentences are embedded once each (overlaps are not re-embedded).
    assert embedder.texts_embedded == report.chunks_embedded + len(distinct)
    for row in (0, len(spans) // 2, len(spans) - 1):
        chunk, (a, b) = spans[row]
        want = HashEmbedder().embed([chunk.text[a - chunk.start : b - chunk.start]])[0]
        assert np.allclose(index.sentence_vectors[row], want, atol=1e-6)


def test_same_answers_with_one_embedding_per_question(settings, precomputed, seed_corpus, tmp_path):
    build(settings, HashEmbedder())
    plain = Engine(settings, HashEmbedder())
    other = precomputed.replace(index_dir=tmp_path / "index-precomputed")
    build(other, HashEmbedder())
    counting = HashEmbedder()
    fast = Engine(other, counting)
    for question in QUESTIONS:
        before = counting.texts_embedded
        got, want = fast.ask(question), plain.ask(question)
        assert counting.texts_embedded - before == 1  # the question, nothing else
        assert (got.text, got.abstained) == (want.text, want.abstained)
        assert [(c.doc_id, c.start, c.end) for c in got.citations] == [
            (c.doc_id, c.start, c.end) for c in want.citations]
    assert any(not fast.ask(q).abstained for q in QUESTIONS)


def test_incremental_build_reuses_sentence_vectors(precomputed, seed_corpus):
    build(precomputed, HashEmbedder())
    before = load_index(precomputed.index_dir)
    assert before.sentence_vectors is not None
    kept = np.array(before.sentence_vectors)
    (seed_corpus / "zz-new.txt").write_text("Gallium prices rose. Germanium followed them.\n")
    embedder = HashEmbedder()
    report = build(precomputed, embedder)
    assert (report.added, report.chunks_embedded) == (1, 1)
    assert embedder.texts_embedded == 1 + 2  # its one chunk and its two sentences
    after = load_index(precomputed.index_dir)
    assert after.sentence_vectors is not None
    assert np.array_equal(np.asarray(after.sentence_vectors[: len(kept)]), kept)  # zz-new sorts last
    assert after.sentence_vectors.shape[0] == len(kept) + 2


def test_switching_it_on_rebuilds_everything(settings, precomputed, seed_corpus):
    build(settings, HashEmbedder())
    report = build(precomputed, HashEmbedder())
    assert report.full_reason is not None and "chunk settings changed" in report.full_reason
    assert load_index(precomputed.index_dir).sentence_vectors is not None
    report = build(settings, HashEmbedder())
    assert report.full_reason is not None and load_index(settings.index_dir).sentence_vectors is None


def test_a_truncated_sentence_matrix_is_reported_as_corrupt(precomputed, seed_corpus):
    from assistant.errors import IndexCorrupt
    from assistant.store import current_generation

    build(precomputed, HashEmbedder())
    path = current_generation(precomputed.index_dir) / "sentences.npy"
    np.save(path, np.load(path)[:-1])
    with pytest.raises(IndexCorrupt, match="sentence vectors are"):
        load_index(precomputed.index_dir)
