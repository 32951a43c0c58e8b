"""Index builds on a Ray cluster: the same plan, chunks and generation as a local build.

``briefing index build --ray ADDRESS`` plans the build here exactly as a local build does (which
documents are new, changed, removed); the driver reads the files to load and hands their bytes
to Ray tasks that parse and chunk them (so workers need no view of the corpus), and embedding
runs in a pool of model replicas, one ONNX session per actor, the exported model shipped once
through Ray's object store. Results stream back as they finish and the driver writes the
generation with the same lock and atomic swap. A replica whose worker dies is restarted and its
batch retried (Ray's actor fault tolerance); a cluster lost mid-build leaves the previous index
live, as a killed local build does, and is one line and exit 2.

Only this module imports Ray, and only the Ray driver process (``ray_driver``, started by
``cluster_job`` for ``--ray``) imports this module; tests call it in their own process.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import tempfile
import uuid
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import ray
from ray.util import ActorPool

from assistant.embedders.base import Embedder
from assistant.embedders.onnx import OnnxEmbedder
from assistant.errors import ClusterError, ConfigError
from assistant.index.build import IndexBuild
from assistant.index.plan import BuildProgress, DocPlan
from assistant.index.prepare import Prepared, ocr_options, prepare_document, read_planned
from assistant.ingest.corpus import CorpusFile
from assistant.ingest.ocr import OcrOptions
from assistant.settings import Settings

if TYPE_CHECKING:
    from numpy.typing import NDArray

RETRIES = 3
"""Restarts of a replica whose worker died, and retries of the batch it held."""
IN_FLIGHT_PER_WORKER = 4
"""Documents read and sent ahead per worker: enough to keep them busy, bounded in memory."""


def connect(address: str) -> None:
    """Join (or, for "local", start) the cluster; a cluster that cannot be reached is one line."""
    if ray.is_initialized():
        return
    _reachable(address)
    try:
        if address == "local":
            ray.init(include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
        else:
            ray.init(address=address, include_dashboard=False, log_to_driver=False,
                     logging_level=logging.ERROR)
    except Exception as exc:  # noqa: BLE001 - Ray raises many types for an unreachable cluster
        raise ClusterError(f"cannot reach the Ray cluster at {address} ({_why(exc)})") from None


def _reachable(address: str, timeout: float = 5.0) -> None:
    """A head that does not answer at all is reported now: Ray itself retries for minutes."""
    import socket

    target = address.removeprefix("ray://")
    if address in ("local", "auto") or ":" not in target:
        return
    host, _, port = target.rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=timeout):
            pass
    except (OSError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Ray cluster at {address} ({_why(exc)})") from None


def cluster_cpus() -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


@ray.remote(max_retries=RETRIES)
def _prepare(source: CorpusFile, raw: bytes, chunk_size: int, overlap: int, options: OcrOptions) -> Prepared:
    return prepare_document(source, raw, chunk_size, overlap, options)


def prepare_on_cluster(docs: list[DocPlan], settings: Settings) -> Iterator[tuple[DocPlan, Prepared]]:
    """Parse and chunk ``docs`` as Ray tasks, a bounded number in flight, in the order they finish."""
    window = IN_FLIGHT_PER_WORKER * cluster_cpus()
    options = dataclasses.replace(ocr_options(settings, local=False), workers=1)  # a task is one core
    pending: dict[Any, DocPlan] = {}
    todo = iter(docs)
    try:
        while True:
            while len(pending) < window:
                doc = next(todo, None)
                if doc is None:
                    break
                raw = read_planned(doc)
                if isinstance(raw, Prepared):
                    yield doc, raw
                    continue
                assert doc.file is not None
                shape = settings.shape
                pending[_prepare.remote(doc.file, raw, shape.chunk_size, shape.chunk_overlap, options)] = doc
            if not pending:
                return
            done, _ = ray.wait(list(pending), num_returns=1)
            for ref in done:
                yield pending.pop(ref), ray.get(ref)
    except ray.exceptions.RayError as exc:
        raise ClusterError(f"the Ray cluster failed during the build ({_why(exc)}); "
                           "the previous index is unchanged") from None


@ray.remote(num_cpus=0)
class ModelStore:
    """Holds the model's place in the object store for the replicas, which fetch it when they
    start and again when Ray restarts one (their constructors take only names)."""

    def __init__(self) -> None:
        self.model: list[Any] = []

    def hold(self, model: list[Any]) -> None:
        self.model = model

    def get(self) -> list[Any]:
        return self.model


@ray.remote(num_cpus=1, max_restarts=RETRIES, max_task_retries=RETRIES)
class ModelReplica:
    """One copy of the model on a worker, loaded from the bytes the driver exported and verified."""

    def __init__(self, store: str, name: str, int8: bool, batch_size: int, device: str) -> None:
        held: list[Any] = ray.get(ray.get_actor(store).get.remote())
        model: bytes = ray.get(held[0])
        folder = Path(tempfile.mkdtemp(prefix="briefing-model-"))
        (folder / name).write_bytes(model)
        self.embedder: OnnxEmbedder = OnnxEmbedder(folder, batch_size, threads=1, int8=int8, device=device,
                                     model_file=folder / name)

    def embed(self, rows: list[int], texts: list[str]) -> tuple[list[int], NDArray[np.float32]]:
        return rows, self.embedder.embed_batch(texts)

    def pid(self) -> int:
        return os.getpid()


class RayEmbedder(Embedder):
    """The build's embedder spread over ``workers`` model replicas; batches are made as a local
    build makes them (longest texts together) and come back in the order they finish."""

    def __init__(self, local: OnnxEmbedder, workers: int) -> None:
        self.local = local
        self.model_id = local.model_id
        self.dim = local.dim
        self.batch_size = local.batch_size
        self.workers = workers
        self.replicas: list[Any] = []
        self._store: Any = None  # held for as long as replicas may restart and fetch the model again

    def start(self) -> None:
        if self.replicas:
            return
        path = self.local.prepared_model()
        name = f"briefing-model-{uuid.uuid4().hex[:12]}"
        store: Any = ModelStore  # the classes Ray's decorator made
        replica: Any = ModelReplica
        self._store = store.options(name=name).remote()
        ray.get(self._store.hold.remote([ray.put(path.read_bytes())]))  # into the object store once
        self.replicas = [replica.remote(name, path.name, self.local.int8, self.batch_size, self.local.device)
                         for _ in range(self.workers)]

    def stop(self) -> None:
        """Release the replicas and the model's place in the object store: their CPUs go back to
        the cluster (a driver that lives on, like a benchmark's, would otherwise hold them)."""
        for actor in [*self.replicas, self._store]:
            if actor is not None:
                with contextlib.suppress(Exception):  # a lost cluster has nothing left to release
                    ray.kill(actor)
        self.replicas, self._store = [], None

    def embed_batch(self, texts: Sequence[str]) -> NDArray[np.float32]:
        return self.local.embed_batch(texts)

    def iter_embed(self, texts: Sequence[str]) -> Iterator[tuple[int, int, list[int], NDArray[np.float32]]]:
        if not texts:
            return
        self.start()
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        batches = [order[at : at + self.batch_size] for at in range(0, len(order), self.batch_size)]
        pool = ActorPool(self.replicas)
        done = 0
        try:
            results = pool.map_unordered(lambda replica, rows: replica.embed.remote(rows, [texts[i] for i in rows]),
                                         batches)
            for rows, vectors in results:
                vectors = np.asarray(vectors, dtype=np.float32)
                vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
                done += len(rows)
                yield done, len(texts), rows, vectors
        except ray.exceptions.RayError as exc:
            raise ClusterError(f"the Ray cluster failed during the build ({_why(exc)}); "
                               "the previous index is unchanged") from None


class ClusterBuild(IndexBuild):
    """An ``IndexBuild`` that owns its replicas: they are released when the build ends, however."""

    def __init__(self, settings: Settings, embedder: RayEmbedder, full: bool = False) -> None:
        super().__init__(settings, embedder, full=full, prepare=prepare_on_cluster)
        self.replicas = embedder

    def run(self) -> Generator[BuildProgress, None, None]:
        try:
            yield from super().run()
        finally:
            self.replicas.stop()


def cluster_build(settings: Settings, embedder: Embedder, address: str, full: bool = False) -> ClusterBuild:
    """A build whose documents are prepared and embedded on the cluster at ``address``."""
    if not isinstance(embedder, OnnxEmbedder):
        raise ConfigError("a Ray build needs the ONNX embedder (BRIEFING_EMBEDDER=onnx-int8 or onnx)")
    connect(address)
    workers = settings.cluster.ray_workers or cluster_cpus()
    return ClusterBuild(settings, RayEmbedder(embedder, workers), full=full)


def _why(exc: BaseException, limit: int = 200) -> str:
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    text = lines[-1] if lines else type(exc).__name__
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"
