"""Builds on a Ray cluster (a local one here) give the index a local build gives."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

from assistant.embedders import embedder_for
from assistant.embedders.onnx import select_providers
from assistant.index.store import load_index
from assistant.settings import Settings
from tests.helpers import ROOT, SEED, build

pytestmark = pytest.mark.slow  # each starts a Ray cluster

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
    from assistant.index.build import run_build
    from assistant.index.cluster.ray_build import cluster_build
    from assistant.index.plan import BuildProgress

    job = cluster_build(settings, embedder_for(settings), "auto")
    killed: list[int] = []

    def kill_a_replica(step: BuildProgress) -> None:
        if kill_after is not None and not killed and step.stage == "embed" and step.done >= kill_after:
            import ray

            victim = job.embedder.replicas[0]  # type: ignore[attr-defined]
            pid = ray.get(victim.pid.remote())
            os.kill(pid, 9)  # its batch in flight is retried on a restarted replica
            killed.append(pid)

    report = run_build(job, progress=kill_a_replica)
    return report, killed


def _same_index(a: Settings, b: Settings) -> None:
    left, right = load_index(a.paths.index_dir), load_index(b.paths.index_dir)
    assert {d: (e.meta.sha256, e.n_chunks) for d, e in left.manifest.documents.items()} == {
        d: (e.meta.sha256, e.n_chunks) for d, e in right.manifest.documents.items()}
    assert [(c.doc_id, c.start, c.end, c.sentences) for c in left.chunks] == [
        (c.doc_id, c.start, c.end, c.sentences) for c in right.chunks]
    assert np.min(np.sum(left.vectors * right.vectors, axis=1)) >= 0.999
    assert left.sentence_vectors is not None and right.sentence_vectors is not None
    assert np.min(np.sum(np.asarray(left.sentence_vectors) * np.asarray(right.sentence_vectors), axis=1)) >= 0.999


@pytest.mark.integration
def test_a_ray_build_is_the_local_build(ray_cluster, corpora, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from assistant.answer.engine import Engine
    from assistant.eval.answers import run_eval
    from assistant.eval.golden import load_golden

    on_ray = corpora.replace(index_dir=tmp_path / "ray")
    report, _ = _cluster_build(on_ray)
    assert report.added == 201 and report.texts_embedded > report.chunks_embedded > 201
    deadline = time.monotonic() + 30  # the build released its replicas: the next one can start
    while ray_cluster.available_resources().get("CPU", 0) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert ray_cluster.available_resources().get("CPU", 0) == 2
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


# -- a real cluster of two nodes (`ray start --head` and a second `ray start --address`) -----------


class TwoNodes:
    """A head and a worker node on this machine, one CPU each, with token authentication; only
    its own processes are stopped at the end (other tests may have a Ray session open)."""

    def __init__(self) -> None:
        import socket

        self.folder = Path(tempfile.mkdtemp(prefix="ray"))  # short: Ray's socket paths have a length limit
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.address = f"127.0.0.1:{self.port}"
        self.env = {**os.environ, "RAY_ADDRESS": "", "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": os.urandom(16).hex(),
                    "RAY_USAGE_STATS_ENABLED": "0"}
        ray_cli = str(Path(sys.executable).parent / "ray")
        for args in (["--head", f"--port={self.port}", "--include-dashboard=false", f"--temp-dir={self.folder}"],
                     [f"--address={self.address}"]):
            done = subprocess.run([ray_cli, "start", "--num-cpus=1", "--disable-usage-stats", *args],
                                  env=self.env, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr[-800:]

    def processes(self, names: tuple[bytes, ...]) -> list[int]:
        found = []
        for proc in Path("/proc").iterdir():
            try:
                cmdline = (proc / "cmdline").read_bytes()
            except OSError:
                continue
            if proc.name.isdigit() and any(n in cmdline for n in names) and (
                    str(self.folder).encode() in cmdline or str(self.port).encode() in cmdline):
                found.append(int(proc.name))
        return found

    def replicas_running(self) -> bool:
        """Whether a model replica is at work on one of this cluster's nodes."""
        raylets = {str(pid) for pid in self.processes((b"raylet",))}
        for proc in Path("/proc").iterdir():
            with contextlib.suppress(OSError):
                if b"ModelReplica" in (proc / "cmdline").read_bytes() and \
                        (proc / "stat").read_text().rsplit(")", 1)[1].split()[1] in raylets:
                    return True
        return False

    def lose(self) -> None:
        """The cluster disappears at once, as when its machines go down."""
        for pid in self.processes((b"gcs_server", b"raylet")):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def stop(self) -> None:
        self.lose()
        for pid in self.processes((b"ray",)):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.folder, ignore_errors=True)


def _cli_env(base: dict[str, str], settings: Settings) -> dict[str, str]:
    return {**base, "BRIEFING_CORPUS": str(settings.paths.corpus_dir), "BRIEFING_INDEX": str(settings.paths.index_dir)}


@pytest.mark.integration
def test_a_build_on_two_nodes_is_the_local_build(corpora, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("ray")
    cluster = TwoNodes()
    try:
        on_two = corpora.replace(index_dir=tmp_path / "two-nodes")
        briefing = Path(sys.executable).parent / "briefing"
        done = subprocess.run([str(briefing), "index", "build", "--json", "--ray", cluster.address],
                              env=_cli_env(cluster.env, on_two), cwd=ROOT, capture_output=True, text=True,
                              timeout=900)
    finally:
        cluster.stop()
    assert done.returncode == 0, done.stderr[-800:]
    assert done.stderr == ""  # Ray's own output went to its log, not to the analyst's terminal
    report = json.loads(done.stdout)  # and stdout is exactly the JSON summary
    assert report["added"] == 201
    _same_index(corpora, on_two)  # two replicas of one CPU each: one on each node


@pytest.mark.integration
def test_a_cluster_lost_mid_build_leaves_the_previous_index_and_says_so(tmp_path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("ray")
    (tmp_path / "corpus").mkdir(exist_ok=True)
    shutil.copy(SEED, tmp_path / "corpus" / SEED.name)
    settings = Settings.from_env({}, corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    build(settings, embedder_for(settings))
    live = (tmp_path / "index" / "CURRENT").read_text()
    _generated(tmp_path / "corpus", 1500)  # a build long enough to be caught in the middle
    cluster = TwoNodes()
    try:
        briefing = Path(sys.executable).parent / "briefing"
        child = subprocess.Popen([str(briefing), "index", "build", "--ray", cluster.address],
                                 env=_cli_env(cluster.env, settings), cwd=ROOT, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 300
        while not cluster.replicas_running() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)
        assert child.poll() is None, "the build ended before the cluster could be lost"
        cluster.lose()
        out, err = child.communicate(timeout=300)
    finally:
        cluster.stop()
    assert child.returncode == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "previous index is unchanged" in lines[0], err
    assert out == ""
    log = Path(lines[0].rsplit("Ray's messages: ", 1)[1].rstrip(")"))
    assert log.is_file()  # where the details are
    log.unlink()
    assert (tmp_path / "index" / "CURRENT").read_text() == live
    assert len(load_index(settings.paths.index_dir).manifest.documents) == 1


def test_the_driver_process_report_survives_its_trip_through_json() -> None:
    from assistant.index.build import BuildReport
    from assistant.index.cluster.job import report_from_json, report_to_json
    from assistant.ingest.corpus import Skipped

    report = BuildReport(added=3, removed=1, chunks_embedded=7, texts_embedded=19, seconds=1.5,
                         skipped=[Skipped("a.bin", "unsupported format")], warnings=[Skipped("b.pdf", "no text")],
                         full_reason="model changed", total_chunks=40, wrote_index=True, dense_index="hnsw",
                         dense_recall=0.97)
    assert report_from_json(json.loads(json.dumps(report_to_json(report)))) == report
