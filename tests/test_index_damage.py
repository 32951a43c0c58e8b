"""Any index damage is exit 2, and a build repairs it (docs/architecture.md, Guarantees)."""


from __future__ import annotations

import json

import pytest

from assistant.errors import IndexCorrupt, IndexMissing
from assistant.index.layout import current_generation
from assistant.index.store import load_index
from tests.helpers import run_cli


def _damage(settings, how: str) -> None:  # type: ignore[no-untyped-def]
    index_dir = settings.paths.index_dir
    gen = current_generation(index_dir)
    assert gen is not None
    manifest = gen / "manifest.json"
    if how == "current_bytes":
        (index_dir / "CURRENT").write_bytes(b"\xff\xfe\xfa")
    elif how == "current_escape":
        (index_dir / "CURRENT").write_text("../../etc\n")
    elif how == "current_missing_generation":
        (index_dir / "CURRENT").write_text("gen-19990101-000000-deadbeef\n")
    elif how == "documents_list":
        data = json.loads(manifest.read_text())
        data["documents"] = []
        manifest.write_text(json.dumps(data))
    elif how == "document_types":
        data = json.loads(manifest.read_text())
        next(iter(data["documents"].values()))["n_chunks"] = "many"
        manifest.write_text(json.dumps(data))
    elif how == "chunk_range":
        data = json.loads(manifest.read_text())
        next(iter(data["documents"].values()))["first_chunk"] = 10_000
        manifest.write_text(json.dumps(data))
    elif how == "manifest_json":
        manifest.write_text("{not json")
    elif how == "manifest_binary":
        manifest.write_bytes(b"\x00\xff\xfe" * 10)
    elif how == "truncate_faiss":
        data = (gen / "dense.faiss").read_bytes()
        (gen / "dense.faiss").write_bytes(data[: len(data) // 2])
    elif how == "drop_chunks":
        (gen / "chunks.jsonl").unlink()
    elif how == "garbage_chunks":
        (gen / "chunks.jsonl").write_text("garbage\n")
    elif how == "vectors_shape":
        import numpy as np

        np.save(gen / "vectors.npy", np.zeros((1, 3), dtype=np.float32))
    elif how == "edit_count":
        data = json.loads(manifest.read_text())
        data["n_chunks"] += 1
        manifest.write_text(json.dumps(data))
    else:
        raise AssertionError(how)


DAMAGE = ["current_bytes", "current_escape", "current_missing_generation", "documents_list", "document_types",
          "chunk_range", "manifest_json", "manifest_binary", "truncate_faiss", "drop_chunks", "garbage_chunks",
          "vectors_shape", "edit_count"]


@pytest.mark.parametrize("how", DAMAGE)
def test_damaged_index_is_exit_2_and_a_build_repairs_it(capsys, fake_scale, three_docs, settings, how):
    assert run_cli(capsys, "index", "build")[0] == 0
    _damage(settings, how)
    with pytest.raises(IndexCorrupt, match="briefing index build"):
        load_index(settings.paths.index_dir)
    code, _, err = run_cli(capsys, "ask", "Which exports were restricted?")
    assert code == 2 and "briefing index build" in err and err.count("\n") == 1
    code, out, _ = run_cli(capsys, "index", "status", "--json")
    assert code == 0  # status reads the pointer and the manifest only (it must stay fast)
    assert bool(json.loads(out)["index_error"]) == (how.startswith(("current", "document", "chunk_range", "manifest")))
    code, out, err = run_cli(capsys, "index", "build")
    assert code == 0 and "Full rebuild" in out, err
    code, out, _ = run_cli(capsys, "ask", "Which exports were restricted in 2023?")
    assert code == 0 and "Gallium" in out


def test_missing_index_is_a_clear_error(settings):
    with pytest.raises(IndexMissing, match="briefing index build"):
        load_index(settings.paths.index_dir)


def test_a_stored_text_path_is_confined_to_its_generation(tmp_path):
    """Paths inside a generation are made by GenerationFiles only; one a damaged or crafted
    manifest points outside the generation is refused, not read."""
    from assistant.index.layout import GenerationFiles

    files = GenerationFiles(tmp_path / "gen")
    (tmp_path / "gen" / "texts").mkdir(parents=True)
    assert files.stored_text(GenerationFiles.text_file("abc")) == (tmp_path / "gen" / "texts" / "abc.txt").resolve()
    for crafted in ("../secret.txt", "texts/../../secret.txt", "/etc/passwd"):
        with pytest.raises(ValueError, match="outside the index"):
            files.stored_text(crafted)
