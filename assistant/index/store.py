"""The index on disk, read and written: a generation loaded and checked against its manifest
(``LoadedIndex``, its chunk table read lazily), and a new generation written, fsynced and
published so a reader sees the old index or the new one, never a mixture. Where each file
lives is ``index.layout``'s; what the manifest holds, ``index.manifest``'s.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from assistant.errors import BriefingError, IndexCorrupt
from assistant.index.layout import REBUILD_HINT, GenerationFiles, IndexLayout, current_generation, why
from assistant.index.manifest import Manifest, read_manifest
from assistant.index.marking_record import MarkingRecord, read_markings, write_markings
from assistant.types import Chunk

if TYPE_CHECKING:  # numpy and bm25s load only with an index, so `index status` starts fast
    import numpy as np
    from numpy.typing import NDArray

    from assistant.index.bm25 import SparseIndex
    from assistant.index.dense import FaissIndex

@dataclass
class LoadedIndex:
    """A generation read back from disk, checked against its manifest."""

    path: Path
    manifest: Manifest
    chunks: Sequence[Chunk]
    vectors: NDArray[np.float32]
    dense: FaissIndex
    sparse: SparseIndex
    sentence_vectors: NDArray[np.float32] | None = None
    """Memory-mapped; chunk ``i``'s sentence ``j`` is row ``sentence_start[i] + j``."""
    sentence_start: NDArray[np.int64] | None = None
    markings: MarkingRecord | None = None
    """Each document's protective marking (None: a generation built before they were recorded)."""

    @functools.cached_property
    def initialisms(self) -> frozenset[str]:
        """The initials of every name the corpus spells out (``DocEntry.initialisms``), gathered
        the first time a question uses an abbreviation the corpus does not."""
        return frozenset(i for entry in self.manifest.documents.values() for i in entry.initialisms)

    # -- where a sentence's vector is: the one place that knows the layout ---------------

    @property
    def has_sentence_vectors(self) -> bool:
        """Whether sentences' vectors were stored (``vectors="sentences"``, the default)."""
        return self.sentence_vectors is not None and self.sentence_start is not None

    def sentence_rows(self, first_chunk: int, n_chunks: int) -> slice:
        """The rows of ``n_chunks`` consecutive chunks' sentences, from ``first_chunk``."""
        assert self.sentence_start is not None
        return slice(int(self.sentence_start[first_chunk]), int(self.sentence_start[first_chunk + n_chunks]))

    def sentence_vectors_at(self, places: Sequence[tuple[int, int]]) -> NDArray[np.float32]:
        """The stored vectors of sentences given as (chunk id, position in the chunk's
        ``sentences``): chunk ``i``'s sentence ``j`` is row ``sentence_start[i] + j``."""
        import numpy as np

        assert self.sentence_vectors is not None and self.sentence_start is not None
        rows = [int(self.sentence_start[chunk]) + position for chunk, position in places]
        return np.asarray(self.sentence_vectors[rows], dtype=np.float32).reshape(len(rows), self.manifest.dim)

    def best_sentence_similarity(self, chunk_ids: Sequence[int], query: NDArray[np.float32],
                                 otherwise: NDArray[np.float32]) -> NDArray[np.float32]:
        """Per chunk, the similarity of its sentence most like ``query`` (``otherwise``'s value
        for a chunk with no sentence): every sentence row of every chunk read at once."""
        import numpy as np

        assert self.sentence_vectors is not None and self.sentence_start is not None
        starts = np.asarray(self.sentence_start[chunk_ids], dtype=np.int64)
        lengths = np.asarray(self.sentence_start[np.asarray(chunk_ids) + 1], dtype=np.int64) - starts
        best = np.array(otherwise, dtype=np.float32, copy=True)
        has = lengths > 0
        if has.any():
            first = np.concatenate([[0], np.cumsum(lengths[has])[:-1]])
            rows = np.repeat(starts[has] - first, lengths[has]) + np.arange(int(lengths[has].sum()))
            similarity = np.asarray(self.sentence_vectors[rows], dtype=np.float32) @ query
            best[has] = np.maximum.reduceat(similarity, first)
        return best


class ChunkTable(Sequence[Chunk]):
    """A generation's chunk table, memory-mapped, each row parsed when it is first asked for.

    A question reads a few dozen rows; parsing every row at load time was most of a cold
    start on a large index, and holding every row's text made a session's memory grow with
    the corpus. Only the line offsets are held. A row that does not parse is reported as a
    damaged index.
    """

    def __init__(self, path: Path, where: Path) -> None:
        import mmap

        import numpy as np

        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            self._data: bytes | mmap.mmap = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        ends = np.flatnonzero(np.frombuffer(self._data, dtype=np.uint8) == ord("\n")) if size else np.zeros(0, int)
        if size and (not len(ends) or ends[-1] != size - 1):
            ends = np.append(ends, size)  # a last row without its newline
        self._starts = np.concatenate([[0], ends[:-1] + 1]).astype(np.int64) if len(ends) else np.zeros(0, np.int64)
        self._ends = ends.astype(np.int64)
        self._rows: dict[int, Chunk] = {}
        self._where = where

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, i: int) -> Chunk: ...

    @overload
    def __getitem__(self, i: slice) -> list[Chunk]: ...

    def __getitem__(self, i: int | slice) -> Chunk | list[Chunk]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        row = self._rows.get(i)
        if row is None:  # two threads may both parse a row: same result, no harm
            try:
                row = Chunk.from_json(json.loads(self._data[int(self._starts[i]) : int(self._ends[i])]))
            except IndexError:
                raise
            except Exception as exc:  # noqa: BLE001 - whatever a damaged row raises
                raise IndexCorrupt(f"index at {self._where} has a damaged chunk row {i} ({why(exc)}); "
                                   f"{REBUILD_HINT}") from None
            self._rows[i] = row
        return row


def load_index(index_dir: Path, model_id: str | None = None) -> LoadedIndex:
    """Load the live generation; every inconsistency is an ``IndexCorrupt`` with a fix."""
    manifest = read_manifest(index_dir)
    gen = current_generation(index_dir)
    assert gen is not None
    if model_id is not None and manifest.model_id != model_id:
        raise IndexCorrupt(
            f"index was built with {manifest.model_id}, but the embedder is {model_id}; {REBUILD_HINT}"
        )
    try:
        import numpy as np

        from assistant.index.bm25 import SparseIndex
        from assistant.index.dense import read_dense

        files = GenerationFiles(gen)
        chunks = ChunkTable(files.chunks, gen)
        chunks[0] if len(chunks) else None  # noqa: B018 - a table that is not JSON fails here, at load
        # Memory-mapped: a session's own memory does not grow with the corpus; the pages it reads
        # are the operating system's cache, shared and reclaimable.
        vectors = np.load(files.vectors, mmap_mode="r", allow_pickle=False) if manifest.n_chunks else \
            np.zeros((0, manifest.dim), dtype=np.float32)
        dense = read_dense(files.dense, manifest.dense_index)
        sparse = SparseIndex.load(files.bm25, len(chunks))
        markings = read_markings(files.markings)
        sentence_vectors = sentence_start = None
        if manifest.chunking.get("vectors") == "sentences":
            sentence_vectors = np.load(files.sentences, mmap_mode="r", allow_pickle=False)
            sentence_start = np.load(files.sentence_start, allow_pickle=False)
    except BriefingError as exc:  # the recorded marking scheme does not parse
        raise IndexCorrupt(f"index at {gen} is damaged ({exc}); {REBUILD_HINT}") from None
    except FileNotFoundError as exc:
        raise IndexCorrupt(f"index at {gen} is missing {Path(str(exc.filename)).name}; {REBUILD_HINT}") from None
    except Exception as exc:  # noqa: BLE001 - numpy/faiss/bm25s raise many types on a damaged file
        raise IndexCorrupt(f"index at {gen} is damaged ({why(exc)}); {REBUILD_HINT}") from None
    n = manifest.n_chunks
    problems = []
    if len(chunks) != n:
        problems.append(f"chunk table has {len(chunks)} rows, manifest says {n}")
    if vectors.shape != (n, manifest.dim):
        problems.append(f"vectors are {vectors.shape}, expected ({n}, {manifest.dim})")
    if dense.ntotal != n:
        problems.append(f"FAISS index holds {dense.ntotal} vectors, expected {n}")
    expected = sum(e.n_chunks for e in manifest.documents.values())
    if expected != n:
        problems.append(f"documents list {expected} chunks, manifest says {n}")
    if sentence_vectors is not None and sentence_start is not None:
        if sentence_start.shape != (n + 1,) or sentence_start[0] != 0 or np.any(np.diff(sentence_start) < 0):
            problems.append(f"sentence offsets are {sentence_start.shape}, expected ({n + 1},) and increasing")
        elif sentence_vectors.shape != (int(sentence_start[-1]), manifest.dim):
            problems.append(f"sentence vectors are {sentence_vectors.shape}, "
                            f"expected ({int(sentence_start[-1])}, {manifest.dim})")
    if problems:
        raise IndexCorrupt(f"index at {gen} is inconsistent ({'; '.join(problems)}); {REBUILD_HINT}")
    return LoadedIndex(gen, manifest, chunks, vectors.astype(np.float32, copy=False), dense, sparse,
                       sentence_vectors, sentence_start, markings)


PREFETCH_SHARE = 0.5
"""Most of the memory available at load time that prefetching may fill with index files."""


def prefetch_in_background(index: LoadedIndex) -> threading.Thread:
    """``prefetch`` in a daemon thread of low priority: for sessions that will answer many questions."""
    from assistant.background import lower_current_thread_priority

    def read_ahead() -> None:
        lower_current_thread_priority()
        prefetch(GenerationFiles(index.path))

    thread = threading.Thread(target=read_ahead, name="index-prefetch", daemon=True)
    thread.start()
    return thread


def prefetch(files: GenerationFiles) -> list[Path]:
    """Read the generation's files through, so that the kernel's cache holds them.

    The index is memory-mapped, so the first questions after a reboot (or after other work
    pushed the files out of the cache) would each wait for the disk, page by page. Files go
    in the order questions need them, as long as they fit in ``PREFETCH_SHARE`` of the
    memory available; the kernel drops these pages first if memory runs short. They are
    read through because ``POSIX_FADV_WILLNEED`` alone reads only a few megabytes of each
    file on some kernels. Returns the files read.
    """
    budget = PREFETCH_SHARE * available_memory()
    buffer = bytearray(1 << 20)
    done: list[Path] = []
    wanted = [files.dense, files.bm25, files.chunks, files.sentence_start, files.vectors, files.sentences]
    for path in wanted:
        try:  # the generation may be replaced and removed meanwhile: then there is nothing to do
            parts = sorted(path.iterdir()) if path.is_dir() else [path]
            for part in parts:
                with part.open("rb", buffering=0) as fh:
                    size = os.fstat(fh.fileno()).st_size
                    if size > budget:
                        return done
                    budget -= size
                    if hasattr(os, "posix_fadvise"):
                        os.posix_fadvise(fh.fileno(), 0, 0, os.POSIX_FADV_SEQUENTIAL)
                    while fh.readinto(buffer):
                        pass
                done.append(part)
        except OSError:
            continue
    return done


def available_memory() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024.0
    except (OSError, ValueError):
        pass
    return 0.0


# --- writing -------------------------------------------------------------------------


def write_generation(
    tmp: Path,
    manifest: Manifest,
    chunks: list[Chunk],
    vectors: NDArray[np.float32],
    dense: Any,
    sparse: SparseIndex,
    texts: dict[str, str],
    sentence_vectors: NDArray[np.float32] | None = None,
    markings: MarkingRecord | None = None,
) -> None:
    """Write every file of a generation into ``tmp`` and fsync it."""
    import faiss
    import numpy as np

    files = GenerationFiles(tmp)
    with files.chunks.open("w", encoding="utf-8") as fh:
        for chunk in chunks:
            fh.write(json.dumps(chunk.to_json(), ensure_ascii=False) + "\n")
    np.save(files.vectors, vectors, allow_pickle=False)
    if sentence_vectors is not None:
        np.save(files.sentences, sentence_vectors, allow_pickle=False)
        start = np.zeros(len(chunks) + 1, dtype=np.int64)
        np.cumsum([len(c.sentences) for c in chunks], out=start[1:])
        np.save(files.sentence_start, start, allow_pickle=False)
    faiss.write_index(dense, str(files.dense))
    sparse.save(files.bm25)
    if texts:
        files.texts.mkdir()
        for rel, text in texts.items():
            files.stored_text(rel).write_text(text, encoding="utf-8")
    if markings is not None:
        write_markings(files.markings, markings)
    files.manifest.write_text(json.dumps(manifest.to_json(), indent=2, ensure_ascii=False), "utf-8")
    _fsync_tree(tmp)


def publish_generation(index_dir: Path, tmp: Path) -> Path:
    """Rename ``tmp`` into place, then atomically point ``CURRENT`` at it."""
    layout = IndexLayout(index_dir)
    final = layout.published_name(tmp)
    os.replace(tmp, final)
    pointer_tmp = layout.current_tmp
    with pointer_tmp.open("w", encoding="utf-8") as fh:
        fh.write(final.name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    try:
        previous: Path | None = current_generation(index_dir)
    except IndexCorrupt:  # this build is what repairs it
        previous = None
    os.replace(pointer_tmp, layout.current)
    _fsync_dir(index_dir)
    _remove_old_generations(index_dir, keep={final.name, previous.name if previous else ""})
    return final


def remove_stale_temporaries(index_dir: Path) -> None:
    """Leftovers of killed builds (only called while holding the build lock)."""
    for path in IndexLayout(index_dir).temporaries():
        shutil.rmtree(path, ignore_errors=True)


def _remove_old_generations(index_dir: Path, keep: set[str]) -> None:
    # The previous generation is kept one build longer: a reader may be loading it right now.
    for path in IndexLayout(index_dir).generations():
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


def _fsync_tree(root: Path) -> None:
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(dirpath))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
