"""BRIEFING_VECTORS: sentences embedded once at build time (the default), passages pooled from them."""


import numpy as np
import pytest

from assistant.answer.engine import Engine
from assistant.index.pooling import TITLE_SHARE
from assistant.index.store import load_index
from tests.fakes import HashEmbedder
from tests.helpers import build

QUESTIONS = [
    "Which export controls did China impose on rare earths?",
    "Who makes AI chips in China?",
    "What is the best recipe for a French omelette?",
]


@pytest.fixture
def passages(settings):
    return settings.replace(vectors="passages", index_dir=settings.paths.index_dir.parent / "index-passages")


def test_every_distinct_sentence_is_embedded_once(settings, seed_corpus):
    assert settings.shape.vectors == "sentences"
    embedder = HashEmbedder()
    build(settings, embedder)
    index = load_index(settings.paths.index_dir)
    assert index.sentence_vectors is not None and index.sentence_start is not None
    spans = [(c, s) for c in index.chunks for s in c.sentences]
    assert index.sentence_vectors.shape == (len(spans), embedder.dim)
    distinct = {(c.doc_id, a, b) for c, (a, b) in spans}
    assert len(distinct) < len(spans)  # overlapping chunks share sentences…
    assert embedder.texts_embedded == len(distinct)  # …which are embedded once, and nothing else is
    for row in (0, len(spans) // 2, len(spans) - 1):
        chunk, (a, b) = spans[row]
        want = HashEmbedder().embed([chunk.text[a - chunk.start : b - chunk.start]])[0]
        assert np.allclose(index.sentence_vectors[row], want, atol=1e-6)


def test_a_passage_vector_is_the_length_weighted_mean_of_its_sentences(settings, seed_corpus):
    build(settings, HashEmbedder())
    index = load_index(settings.paths.index_dir)
    assert index.sentence_vectors is not None and index.sentence_start is not None
    for chunk in index.chunks[:3]:
        rows = index.sentence_vectors[index.sentence_rows(chunk.chunk_id, 1)]
        weights = np.array([b - a for a, b in chunk.sentences], dtype=np.float32)
        want = weights @ rows
        assert np.allclose(index.vectors[chunk.chunk_id], want / np.linalg.norm(want), atol=1e-5)
        assert abs(float(np.linalg.norm(index.vectors[chunk.chunk_id])) - 1) < 1e-5


def test_a_title_joins_the_mean_when_it_heads_passages(settings, seed_corpus):
    titled = settings.replace(title_prefix="always")
    embedder = HashEmbedder()
    build(titled, embedder)
    index = load_index(titled.paths.index_dir)
    distinct = {c.text[a - c.start : b - c.start] for c in index.chunks for a, b in c.sentences}
    chunk = index.chunks[0]
    title = index.manifest.documents[chunk.doc_id].meta.title
    assert title in distinct  # the article's first line, its title, is a sentence of its own…
    assert embedder.texts_embedded == len(distinct)  # …embedded once
    assert index.sentence_vectors is not None
    rows = index.sentence_vectors[index.sentence_rows(chunk.chunk_id, 1)]
    weights = np.array([b - a for a, b in chunk.sentences], dtype=np.float32)
    want = weights @ rows + TITLE_SHARE * weights.sum() * HashEmbedder().embed([title])[0]
    assert np.allclose(index.vectors[chunk.chunk_id], want / np.linalg.norm(want), atol=1e-5)


def test_by_default_only_a_short_document_has_its_title_join_its_passages(settings, seed_corpus):
    """A note's title speaks for each of its passages; an article's title, shared by all its
    passages, would blur them into one another (``Settings.title_heads``)."""
    note = "Chip export licences\n" + " ".join(["Licences for chip exports are granted by the ministry."] * 30)
    (seed_corpus / "note.txt").write_text(note + "\n", encoding="utf-8")
    assert settings.shape.title_prefix == "auto" and len(note) > settings.shape.chunk_size  # two passages or more
    embedder = HashEmbedder()
    build(settings, embedder)
    index = load_index(settings.paths.index_dir)
    assert index.sentence_vectors is not None
    for chunk in index.chunks:
        rows = index.sentence_vectors[index.sentence_rows(chunk.chunk_id, 1)]
        weights = np.array([b - a for a, b in chunk.sentences], dtype=np.float32)
        want = weights @ rows
        if chunk.doc_id == "note.txt":
            want = want + TITLE_SHARE * weights.sum() * HashEmbedder().embed(["Chip export licences"])[0]
        assert np.allclose(index.vectors[chunk.chunk_id], want / np.linalg.norm(want), atol=1e-5)


@pytest.mark.parametrize(("raw", "mode"), [("1", "always"), ("yes", "always"), ("0", "never"), ("auto", "auto")])
def test_the_title_setting_reads_the_older_boolean_switch(raw, mode):
    from assistant.settings import Settings

    assert Settings.from_env({"BRIEFING_TITLE_PREFIX": raw}).shape.title_prefix == mode


def _membership_texts(engine: Engine, question: str) -> int:
    from assistant.answer import lists

    if lists.list_kind(question) is None:
        return 0
    probe = HashEmbedder()
    counted = Engine(engine.settings, probe)
    counted.ranked(question)
    return probe.texts_embedded - 1


def test_one_embedding_per_question(settings, passages, seed_corpus):
    build(settings, HashEmbedder())
    counting = HashEmbedder()
    fast = Engine(settings, counting)
    build(passages, HashEmbedder())
    slow_counting = HashEmbedder()
    slow = Engine(passages, slow_counting)
    for question in QUESTIONS:
        before, slow_before = counting.texts_embedded, slow_counting.texts_embedded
        fast.ask(question)
        slow.ask(question)
        # the question, nothing else; a question asking for a list ("Which export controls…")
        # also has the kind it asks for and the items that sentences list compared (``membership``)
        assert counting.texts_embedded - before == 1 + _membership_texts(fast, question)
        assert slow_counting.texts_embedded - slow_before > 1  # the question and its candidate sentences
    assert not fast.ask(QUESTIONS[0]).abstained and fast.ask(QUESTIONS[2]).abstained


def test_incremental_build_reuses_sentence_vectors(settings, seed_corpus):
    build(settings, HashEmbedder())
    before = load_index(settings.paths.index_dir)
    assert before.sentence_vectors is not None
    kept = np.array(before.sentence_vectors)
    kept_passages = np.array(before.vectors)
    (seed_corpus / "zz-new.txt").write_text("Minerals\n\nGallium prices rose. Germanium followed them.\n")
    embedder = HashEmbedder()
    report = build(settings, embedder)
    assert (report.added, report.chunks_embedded) == (1, 1)
    # its heading and two sentences; its one passage is pooled from them, the heading (its
    # title, a short document's) counted twice but embedded once
    assert embedder.texts_embedded == 3
    after = load_index(settings.paths.index_dir)
    assert after.sentence_vectors is not None
    assert np.array_equal(np.asarray(after.sentence_vectors[: len(kept)]), kept)  # zz-new sorts last
    assert np.array_equal(after.vectors[: len(kept_passages)], kept_passages)
    assert after.sentence_vectors.shape[0] == len(kept) + 3


def test_switching_modes_rebuilds_everything(settings, seed_corpus):
    build(settings, HashEmbedder())
    other = settings.replace(vectors="passages")
    report = build(other, HashEmbedder())
    assert report.full_reason is not None and "index settings changed" in report.full_reason
    assert load_index(other.paths.index_dir).sentence_vectors is None
    report = build(settings, HashEmbedder())
    assert report.full_reason is not None and load_index(settings.paths.index_dir).sentence_vectors is not None


def test_a_truncated_sentence_matrix_is_reported_as_corrupt(settings, seed_corpus):
    from assistant.errors import IndexCorrupt
    from assistant.index.layout import current_generation

    build(settings, HashEmbedder())
    path = current_generation(settings.paths.index_dir) / "sentences.npy"
    np.save(path, np.load(path)[:-1])
    with pytest.raises(IndexCorrupt, match="sentence vectors are"):
        load_index(settings.paths.index_dir)


def test_a_passage_without_whole_sentences_is_embedded_as_it_is() -> None:
    from assistant.index.pooling import SentenceTexts
    from assistant.types import Chunk

    chunks = [Chunk(0, "d.txt", 0, 11, "One. Two ok", ((0, 4), (5, 11))), Chunk(1, "d.txt", 12, 20, "a b c d-", ())]
    job = SentenceTexts.of(chunks, None)
    assert job.texts == ["One.", "Two ok", "a b c d-"]
    vectors = HashEmbedder().embed(job.texts)
    pooled = job.passage_matrix(vectors)
    assert np.allclose(pooled[1], vectors[2], atol=1e-6)
    assert job.sentence_matrix(vectors).shape == (2, vectors.shape[1])


def test_a_damaged_chunk_row_is_a_damaged_index_when_it_is_read(settings, seed_corpus):
    from assistant.errors import IndexCorrupt
    from assistant.index.layout import current_generation

    build(settings, HashEmbedder())
    path = current_generation(settings.paths.index_dir) / "chunks.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[len(lines) // 2] = lines[len(lines) // 2][:40]  # cut in the middle of a row
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    index = load_index(settings.paths.index_dir)  # rows are parsed when read…
    assert index.chunks[0].doc_id
    with pytest.raises(IndexCorrupt, match=f"damaged chunk row {len(lines) // 2}"):
        index.chunks[len(lines) // 2]  # …and a damaged one says so, in one line


def test_damaged_sentence_offsets_are_reported_as_corrupt(settings, seed_corpus):
    from assistant.errors import IndexCorrupt
    from assistant.index.layout import current_generation

    build(settings, HashEmbedder())
    path = current_generation(settings.paths.index_dir) / "sentence_start.npy"
    np.save(path, np.load(path)[::-1])
    with pytest.raises(IndexCorrupt, match="sentence offsets"):
        load_index(settings.paths.index_dir)
