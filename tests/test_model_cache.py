"""The exported model lives once per user, is shared between processes and is verified when loaded."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from assistant.embedders import embedder_for
from assistant.embedders import onnx as onnx_embedder
from assistant.settings import Settings, default_cache_dir


def test_cache_folder_follows_xdg_then_home_and_can_be_set(tmp_path: Path) -> None:
    assert default_cache_dir({"XDG_CACHE_HOME": "/x/cache", "HOME": "/h"}) == Path("/x/cache/briefing")
    assert default_cache_dir({"XDG_CACHE_HOME": "relative", "HOME": "/h"}) == Path("/h/.cache/briefing")
    assert default_cache_dir({"HOME": "/h"}) == Path("/h/.cache/briefing")
    s = Settings.from_env({"HOME": "/h", "BRIEFING_CACHE": str(tmp_path)}, index_dir=tmp_path / "index")
    assert s.models_dir == tmp_path / "models"
    assert Settings.from_env({"HOME": "/h"}).models_dir == Path("/h/.cache/briefing/models")


def test_two_indexes_share_one_export(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    a = embedder_for(Settings.from_env({"BRIEFING_CACHE": str(cache)}, index_dir=tmp_path / "a"))
    b = embedder_for(Settings.from_env({"BRIEFING_CACHE": str(cache)}, index_dir=tmp_path / "b"))
    assert isinstance(a, onnx_embedder.OnnxEmbedder) and isinstance(b, onnx_embedder.OnnxEmbedder)
    assert a.cache_dir == b.cache_dir == cache / "models"


def _fake_export(model_dir: Path, target: Path) -> None:
    """Stands in for the 25-second torch export: slow enough for two processes to overlap."""
    import os
    import time

    with (target.parent / "exports.log").open("a") as log:
        log.write(f"{os.getpid()}\n")
    time.sleep(0.5)
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(b"onnx model bytes")
    os.replace(tmp, target)


def _prepare(model_dir: Path, cache: Path) -> None:
    onnx_embedder.export_onnx = _fake_export  # type: ignore[assignment]
    onnx_embedder.prepare(model_dir, cache, int8=False)


@pytest.fixture
def weights(tmp_path: Path) -> Path:
    model_dir = tmp_path / "weights"
    model_dir.mkdir()
    (model_dir / "model.safetensors").write_bytes(b"weights")
    return model_dir


def test_concurrent_processes_export_once_and_leave_no_temporaries(tmp_path: Path, weights: Path) -> None:
    cache = tmp_path / "models"
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_prepare, args=(weights, cache)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(30)
        assert p.exitcode == 0
    assert len((cache / "exports.log").read_text().split()) == 1
    model = onnx_embedder.model_path(cache, weights, int8=False)
    assert onnx_embedder.verified(model)
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        [".export.lock", "exports.log", model.name, model.name + ".sha256"])


def test_a_damaged_or_unrecorded_model_is_exported_again(tmp_path: Path, weights: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "models"
    monkeypatch.setattr(onnx_embedder, "export_onnx", _fake_export)
    model = onnx_embedder.prepare(weights, cache, int8=False)
    assert onnx_embedder.verified(model)
    model.write_bytes(b"onnx model bytes, truncated or tampered")
    assert not onnx_embedder.verified(model)
    onnx_embedder.prepare(weights, cache, int8=False)
    assert onnx_embedder.verified(model) and model.read_bytes() == b"onnx model bytes"
    (cache / (model.name + ".sha256")).unlink()  # a model without its hash is not trusted either
    assert not onnx_embedder.verified(model)
    onnx_embedder.prepare(weights, cache, int8=False)
    assert len((cache / "exports.log").read_text().split()) == 3


def test_loading_an_unverified_model_exports_it_in_a_child_first(tmp_path: Path, weights: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "models"
    monkeypatch.setattr(onnx_embedder, "bundled_model_dir", lambda: weights)
    model = onnx_embedder.model_path(cache, weights, int8=False)
    cache.mkdir()
    model.write_bytes(b"left by a crashed export")  # no hash recorded: never loaded as it is
    children: list[tuple[Path, Path, bool]] = []

    def child(model_dir: Path, cache_dir: Path, int8: bool) -> None:
        children.append((model_dir, cache_dir, int8))
        raise onnx_embedder.ConfigError("stop here: the child would export")

    monkeypatch.setattr(onnx_embedder, "prepare_in_child", child)
    with pytest.raises(onnx_embedder.ConfigError):
        onnx_embedder.OnnxEmbedder(cache).load()
    assert children == [(weights, cache, False)]
