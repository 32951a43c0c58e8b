"""Builds on a Ray cluster (a local one here) give the index a local build gives."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.embedders import embedder_for
from assistant.embedders.onnx import select_providers
from assistant.settings import Settings
from assistant.store import load_index
from tests.helpers import ROOT, SEED, build

METALS = ["gallium", "germanium", "tungsten", "antimony", "graphite", "cobalt", "lithium", "nickel"]
PLACES = ["Ghana", "Chile", "Norway", "Vietnam", "Peru", "Canada", "Kenya", "Poland"]


def _generated(corpus: Path, n: int) -> None:
    """``n`` short reports of varied length, so batches and chunks differ from one to the next."""
    for i in range(n):
        metal, place = METALS[i % len(METALS)], PLACES[(i // 3) % len(PLACES)]
        sentences = [f"Report {i} covers {metal} output in {place} during {2000 + i % 25}.",
                     f"Production of {metal} rose by {i % 17 + 2} percent after a new smelter opened.",
                     f"Officials in {place} said exports of {metal} would need licences from {1 + i % 12} March."]
        body = " ".join(sentences * (1 + i % 4))
        (corpus / f"report-{i:03d}.txt").write_text(f"{metal.title()} in {place}\n{body}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def ray_cluster():  # type: ignore[no-untyped-def]
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("ray")
    (root / "corpus").mkdir()
    shutil.copy(SEED, root / "corpus" / SEED.name)
    _generated(root / "corpus", 200)
    local = Settings.from_env({}, corpus_dir=root / "corpus", index_dir=root / "local")
    build(local, embedder_for(local))
    return local


def _cluster_build(settings: Settings, kill_after: int | None = None):  # type: ignore[no-untyped-def]
    from assistant.ray_build import cluster_build

    job = cluster_build(settings, embedder_for(settings), "auto")
    killed: list[int] = []
    for step in job.run():
        if kill_after is not None and not killed and step.stage == "embed" and step.done >= kill_after:
            import ray

            victim = job.embedder.replicas[0]  # type: ignore[attr-defined]
            pid = ray.get(victim.pid.remote())
            os.kill(pid, 9)  # its batch in flight is retried on a restarted replica
            killed.append(pid)
    return job.report, killed


def _same_index(a: Settings, b: Settings) -> None:
    left, right = load_index(a.index_dir), load_index(b.index_dir)
    assert {d: (e.sha256, e.n_chunks) for d, e in left.manifest.documents.items()} == {
        d: (e.sha256, e.n_chunks) for d, e in right.manifest.documents.items()}
    assert [(c.doc_id, c.start, c.end, c.sentences) for c in left.chunks] == [
        (c.doc_id, c.start, c.end, c.sentences) for c in right.chunks]
    assert np.min(np.sum(left.vectors * right.vectors, axis=1)) >= 0.999
    assert left.sentence_vectors is not None and right.sentence_vectors is not None
    assert np.min(np.sum(np.asarray(left.sentence_vectors) * np.asarray(right.sentence_vectors), axis=1)) >= 0.999


@pytest.mark.integration
def test_a_ray_build_is_the_local_build(ray_cluster, corpora, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from assistant.engine import Engine
    from assistant.evaluation import run_eval
    from assistant.golden import load_golden

    on_ray = corpora.replace(index_dir=tmp_path / "ray")
    report, _ = _cluster_build(on_ray)
    assert report.added == 201 and report.texts_embedded > report.chunks_embedded > 201
    _same_index(corpora, on_ray)
    cases = load_golden(ROOT / "tests" / "golden" / "seed.yaml").questions
    want = run_eval(Engine(corpora), cases)
    got = run_eval(Engine(on_ray), cases)
    assert [(r.answer.text, r.passed) for r in got.results] == [(r.answer.text, r.passed) for r in want.results]


@pytest.mark.integration
def test_a_killed_worker_is_retried_and_the_index_comes_out_whole(ray_cluster, corpora, tmp_path) -> None:  # type: ignore[no-untyped-def]
    on_ray = corpora.replace(index_dir=tmp_path / "ray-killed")
    report, killed = _cluster_build(on_ray, kill_after=64)
    assert len(killed) == 1 and report.added == 201
    _same_index(corpora, on_ray)


def test_without_ray_a_build_never_imports_it(tmp_path: Path) -> None:
    probe = ("import sys; from assistant.cli.main import main\n"
             "try:\n    main(['index', 'build'])\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
             "assert 'ray' not in sys.modules, 'ray was imported'")
    (tmp_path / "corpus").mkdir(exist_ok=True)
    shutil.copy(SEED, tmp_path / "corpus" / SEED.name)
    env = {**os.environ, "BRIEFING_CORPUS": str(tmp_path / "corpus"), "BRIEFING_INDEX": str(tmp_path / "index"),
           "BRIEFING_EMBEDDER": "torch"}
    done = subprocess.run([sys.executable, "-c", probe], env=env, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-800:]


def test_an_unreachable_cluster_is_one_line_and_exit_2(tmp_path: Path) -> None:
    pytest.importorskip("ray")
    (tmp_path / "corpus").mkdir(exist_ok=True)
    shutil.copy(SEED, tmp_path / "corpus" / SEED.name)
    env = {**os.environ, "BRIEFING_CORPUS": str(tmp_path / "corpus"), "BRIEFING_INDEX": str(tmp_path / "index"),
           "RAY_ADDRESS": ""}
    briefing = Path(sys.executable).parent / "briefing"
    done = subprocess.run([str(briefing), "index", "build", "--ray", "127.0.0.1:1"],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: cannot reach the Ray cluster at 127.0.0.1:1")
    assert not (tmp_path / "index" / "CURRENT").exists()


def test_a_gpu_is_used_when_there_is_one_and_the_cpu_otherwise() -> None:
    assert select_providers("cpu", ["CUDAExecutionProvider", "CPUExecutionProvider"]) == (
        ["CPUExecutionProvider"], None)
    assert select_providers("cuda", ["CUDAExecutionProvider", "CPUExecutionProvider"]) == (
        ["CUDAExecutionProvider", "CPUExecutionProvider"], None)
    providers, warning = select_providers("cuda", ["CPUExecutionProvider"])
    assert providers == ["CPUExecutionProvider"] and warning is not None and "onnxruntime-gpu" in warning
    assert "\n" not in warning
