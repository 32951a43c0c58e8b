import random

from assistant.ingest.chunking import chunk_document
from assistant.ingest.corpus import CorpusFile
from assistant.ingest.loaders import load_document
from tests.helpers import SEED


def _doc(tmp_path, text, name="d.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_document(CorpusFile(name, path, path.stat().st_size))[0]


def test_every_chunk_is_the_exact_span_of_the_seed_file(tmp_path):
    doc = _doc(tmp_path, SEED.read_text(encoding="utf-8"), "seed.txt")
    for size, overlap in [(800, 120), (300, 50), (120, 0)]:
        chunks = chunk_document(doc, size, overlap)
        assert len(chunks) > 3
        for c in chunks:
            assert doc.text[c.start : c.end] == c.text
            assert c.start >= doc.meta.body_start
            assert len(c.text) <= size
            for a, b in c.sentences:
                assert c.start <= a < b <= c.end


def test_front_matter_is_in_the_frame_but_never_in_a_chunk(tmp_path):
    text = "---\ntitle: Hello\ndate: 2025-01-02\n---\nBody sentence one. Body sentence two.\n"
    doc = _doc(tmp_path, text)
    assert doc.meta.title == "Hello" and doc.meta.date == "2025-01-02"
    chunks = chunk_document(doc, 200, 20)
    assert chunks and all("title:" not in c.text for c in chunks)
    assert text[chunks[0].start : chunks[0].end] == chunks[0].text == "Body sentence one. Body sentence two."


def test_offsets_hold_on_random_text_with_repeats_and_unicode(tmp_path):
    rng = random.Random(7)
    words = ["alpha", "béta", "gamma.", "delta,", "Ωmega", "\n", "\n\n", "repeat", "repeat", "x" * 40]
    text = " ".join(rng.choice(words) for _ in range(3000))
    doc = _doc(tmp_path, text, "r.txt")
    chunks = chunk_document(doc, 150, 30)
    assert all(doc.text[c.start : c.end] == c.text for c in chunks)
    # chunks advance through the document
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)


def test_a_hard_wrapped_text_is_cited_by_whole_sentences(tmp_path):
    sentence = "Hantaan virus is an enveloped, negative-sense RNA virus from the\ngenus Hantavirus, carried by mice."
    doc = _doc(tmp_path, "Virology notes\n" + (sentence + " ") * 20, "notes.txt")
    chunks = chunk_document(doc, 800, 120)
    cited = {doc.text[a:b] for c in chunks for a, b in c.sentences}
    assert sentence in cited
    assert not any(s.endswith("from the") for s in cited)
