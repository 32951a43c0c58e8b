import json
import time

import pytest

from assistant.index.layout import current_generation
from assistant.index.manifest import read_manifest
from assistant.index.store import load_index
from tests.fakes import HashEmbedder
from tests.helpers import build


def _write(corpus, name, text):
    path = corpus / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def three_docs(corpus):
    _write(corpus, "a.txt", "Gallium exports were restricted in 2023. Prices rose sharply afterwards.")
    _write(corpus, "b.md", "---\ntitle: Tungsten\ndate: 2025-02\n---\nTungsten stockpiles are being built by Europe.")
    _write(corpus, "c/d.txt", "Semiconductor fabs need ultra-pure water and stable power.")
    return corpus


def test_first_build_then_nothing_to_do(settings, three_docs):
    emb = HashEmbedder()
    report = build(settings, emb)
    assert (report.added, report.updated, report.removed, report.unchanged) == (3, 0, 0, 0)
    assert report.texts_embedded == emb.texts_embedded > report.chunks_embedded == 3
    gen = current_generation(settings.paths.index_dir)
    again = build(settings, emb)
    assert (again.added, again.unchanged, again.chunks_embedded) == (0, 3, 0)
    assert current_generation(settings.paths.index_dir) == gen  # nothing rewritten


def test_adding_one_document_embeds_only_that_document(settings, three_docs):
    build(settings, HashEmbedder())
    _write(three_docs, "new.txt", "Rare earth magnets power wind turbines.")
    emb = HashEmbedder()
    report = build(settings, emb)
    assert (report.added, report.unchanged, report.chunks_embedded) == (1, 3, 1)
    assert emb.texts_embedded == 1
    index = load_index(settings.paths.index_dir)
    assert {c.doc_id for c in index.chunks} == {"a.txt", "b.md", "c/d.txt", "new.txt"}


def test_edit_and_remove_reuse_stored_vectors(settings, three_docs):
    build(settings, HashEmbedder())
    before = load_index(settings.paths.index_dir)
    _write(three_docs, "a.txt", "Gallium exports were restricted in 2023. Prices then fell.")
    (three_docs / "c" / "d.txt").unlink()
    emb = HashEmbedder()
    report = build(settings, emb)
    assert (report.updated, report.removed, report.unchanged) == (1, 1, 1)
    assert (emb.texts_embedded, report.chunks_embedded) == (2, 1)  # a.txt's two sentences, its one passage
    after = load_index(settings.paths.index_dir)
    old_b = before.manifest.documents["b.md"]
    new_b = after.manifest.documents["b.md"]
    assert (before.vectors[old_b.first_chunk] == after.vectors[new_b.first_chunk]).all()


def test_changed_model_or_chunking_forces_a_full_rebuild(settings, three_docs):
    build(settings, HashEmbedder())

    class OtherModel(HashEmbedder):
        model_id = "test/other"

    report = build(settings, OtherModel())
    assert report.full_reason and "model changed" in report.full_reason
    report = build(settings.replace(chunk_size=300), OtherModel())
    assert report.full_reason and "index settings changed" in report.full_reason
    assert report.chunks_embedded == 3


def test_duplicates_and_bad_files_are_reported_not_fatal(settings, three_docs):
    _write(three_docs, "copy.txt", (three_docs / "a.txt").read_text())
    (three_docs / "empty.md").write_text("")
    (three_docs / "bin.txt").write_bytes(b"\x00\xff" * 50)
    report = build(settings, HashEmbedder())
    reasons = {s.doc_id: s.reason for s in report.skipped}
    assert reasons == {"copy.txt": "duplicate of a.txt", "empty.md": "empty file",
                       "bin.txt": "binary file (contains NUL bytes)"}
    assert report.added == 3


def test_manifest_round_trip(settings, three_docs):
    build(settings, HashEmbedder())
    manifest = read_manifest(settings.paths.index_dir)
    data = json.loads(json.dumps(manifest.to_json()))
    assert type(manifest).from_json(data) == manifest
    assert set(data) >= {"format_version", "model_id", "dim", "chunking", "documents", "built_at"}
    assert data["documents"]["b.md"]["meta"]["title"] == "Tungsten"
    assert len(data["documents"]["a.txt"]["meta"]["sha256"]) == 64


def test_status_lists_each_state(settings, three_docs):
    from assistant.index.status import corpus_status

    (three_docs / "bin.txt").write_bytes(b"\x00" * 10)
    build(settings, HashEmbedder())
    _write(three_docs, "a.txt", "Changed text entirely.")
    _write(three_docs, "fresh.txt", "A new one.")
    (three_docs / "b.md").unlink()
    states = {d.doc_id: (d.state, d.reason) for d in corpus_status(settings).documents}
    assert states == {
        "a.txt": ("changed", None),
        "b.md": ("removed", None),
        "bin.txt": ("skipped", "binary file (contains NUL bytes)"),
        "c/d.txt": ("indexed", None),
        "fresh.txt": ("new", None),
    }


def test_the_report_says_what_a_build_did_and_how_long_it_took(settings, three_docs):
    started = time.perf_counter()
    report = build(settings, HashEmbedder())
    assert 0 < report.seconds <= time.perf_counter() - started
    index = load_index(settings.paths.index_dir)
    assert (report.added, report.updated, report.removed, report.unchanged) == (3, 0, 0, 0)
    assert report.wrote_index and report.chunks_embedded == len(index.chunks) == index.manifest.n_chunks
    again = build(settings, HashEmbedder())
    assert (again.added, again.unchanged, again.chunks_embedded, again.wrote_index) == (0, 3, 0, False)


def test_untouched_files_are_not_rehashed(settings, three_docs, monkeypatch):
    import assistant.ingest.corpus as corpus_scan
    from assistant.index.status import corpus_status

    build(settings, HashEmbedder())
    calls = []
    real = corpus_scan.sha256_file
    monkeypatch.setattr(corpus_scan, "sha256_file", lambda path: calls.append(path) or real(path))
    assert all(d.state == "indexed" for d in corpus_status(settings).documents)
    assert build(settings, HashEmbedder()).unchanged == 3
    assert calls == []
    _write(three_docs, "a.txt", "Gallium exports were restricted in 2023. Prices ROSE sharply afterwards.")
    assert {d.doc_id: d.state for d in corpus_status(settings).documents}["a.txt"] == "changed"
    assert len(calls) == 1


def test_status_says_when_the_next_build_is_a_full_rebuild(settings, three_docs):
    from assistant.embedders import INT8_MODEL_ID
    from assistant.index.plan import full_rebuild_reason
    from assistant.index.status import corpus_status

    build(settings, HashEmbedder())
    report = corpus_status(settings)
    # the index was built by the fake model; the configured one is the bundled model, int8
    assert report.full_rebuild == f"model changed (test/hash-embedder -> {INT8_MODEL_ID})"
    assert {d.doc_id for d in report.stale} == {"a.txt", "b.md", "c/d.txt"}
    wider = settings.replace(chunk_size=400)
    reason = full_rebuild_reason(wider, "test/hash-embedder", read_manifest(settings.paths.index_dir))
    assert reason is not None and reason.startswith("index settings changed (chunk_size)")
    assert full_rebuild_reason(settings, "test/hash-embedder", read_manifest(settings.paths.index_dir)) is None
    assert build(wider, HashEmbedder()).full_reason == reason


def test_temporaries_of_a_killed_build_are_what_the_layout_lists(settings, three_docs):
    from assistant.index.layout import IndexLayout
    from assistant.index.store import remove_stale_temporaries

    build(settings, HashEmbedder())
    layout = IndexLayout(settings.paths.index_dir)
    leftover = layout.new_temporary()
    assert layout.temporaries() == [leftover] and leftover.name.startswith(".tmp-gen-")
    assert leftover not in layout.generations()
    remove_stale_temporaries(settings.paths.index_dir)
    assert layout.temporaries() == [] and not leftover.exists()


def test_an_index_of_the_format_before_docmeta_asks_for_a_rebuild(capsys, settings, three_docs):
    """Format 3 wrote a document's fields flat beside the build's bookkeeping; format 4 keeps
    them under ``meta``. An index of format 3 is refused in one line naming the fix, and a build
    replaces it."""
    from tests.helpers import run_cli

    build(settings, HashEmbedder())
    gen = current_generation(settings.paths.index_dir)
    data = json.loads((gen / "manifest.json").read_text())
    assert data["documents"]["b.md"]["meta"]["title"] == "Tungsten"
    for entry in data["documents"].values():  # as format 3 wrote it
        entry.update(entry.pop("meta"))
    data["format_version"] = 3
    (gen / "manifest.json").write_text(json.dumps(data))
    code, _, err = run_cli(capsys, "ask", "Which exports were restricted?")
    assert code == 2 and err == (
        "error: index format 3 is not the supported 4; run `briefing index build` to rebuild it\n")
    code, out, err = run_cli(capsys, "index", "build")
    assert code == 0 and "Full rebuild" in out, err
    assert read_manifest(settings.paths.index_dir).documents["b.md"].meta.title == "Tungsten"


def test_every_setting_of_the_index_shape_is_in_the_fingerprint():
    """Issue 36: the settings that force a rebuild were listed by hand beside the model; the
    fingerprint is now the shape section's dump, so a setting added there cannot be forgotten."""
    from assistant.index.plan import index_fingerprint
    from assistant.settings import IndexShape, Settings

    fingerprint = index_fingerprint(Settings.from_env({}))
    assert set(IndexShape.model_fields) <= set(fingerprint)
    assert index_fingerprint(Settings.from_env({}, title_prefix="never")) != fingerprint
