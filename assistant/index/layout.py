"""The index folder's layout: the one owner of what lives where in it.

Layout (``index/`` is ``Settings.index_dir``)::

    index/CURRENT              name of the live generation (replaced atomically)
    index/gen-<stamp>/         one complete, immutable build:
        manifest.json          format, model id, dimension, chunking, sha256 per document
        chunks.jsonl           the chunk table (one JSON object per chunk)
        vectors.npy            chunk embeddings, reused by incremental builds
        sentences.npy          unless BRIEFING_VECTORS=passages: one row per entry of each
                               chunk's ``sentences``, in chunk order; sentence_start.npy
                               where each chunk's rows begin
        dense.faiss            FAISS index over vectors.npy
        bm25/                  bm25s index over the chunk texts
        markings.json          each document's protective marking, its sources and portion
                               marks, and the scheme that marked them (``marking_record``)
        texts/<sha256>.txt     extracted text of converted documents (PDF, HTML, Office, e-mail, OCR)
    index/ocr-cache/           pages read by OCR, by file hash (outlives generations)

A build writes a new generation in a hidden temporary folder, fsyncs it, renames it into
place and only then swaps ``CURRENT``; a reader therefore sees the old index or the new
one, never a mixture, and a build killed at any point leaves the old one live.
"""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import IndexCorrupt

FORMAT_VERSION = 4
"""2: sentence vectors by default, with their offsets in sentence_start.npy. 3: documents carry
their sections and uncitable spans (headings, page furniture), chunks leave the latter out.
4: a manifest's document holds its ``DocMeta`` under ``meta``, apart from the build's bookkeeping."""
GENERATION_PREFIX = "gen-"
TEXTS_FOLDER = "texts"
_TMP_PREFIX = ".tmp-"
REBUILD_HINT = "run `briefing index build` to rebuild it"


@dataclass(frozen=True)
class GenerationFiles:
    """The files of one generation folder; their names are decided here and nowhere else."""

    path: Path

    @property
    def manifest(self) -> Path:
        return self.path / "manifest.json"

    @property
    def chunks(self) -> Path:
        return self.path / "chunks.jsonl"

    @property
    def vectors(self) -> Path:
        return self.path / "vectors.npy"

    @property
    def sentences(self) -> Path:
        return self.path / "sentences.npy"

    @property
    def sentence_start(self) -> Path:
        """Where each chunk's rows begin in ``sentences.npy`` (one more entry than chunks)."""
        return self.path / "sentence_start.npy"

    @property
    def dense(self) -> Path:
        return self.path / "dense.faiss"

    @property
    def markings(self) -> Path:
        """Each document's protective marking and its sources (``marking_record``)."""
        return self.path / "markings.json"

    @property
    def bm25(self) -> Path:
        return self.path / "bm25"

    @property
    def texts(self) -> Path:
        return self.path / TEXTS_FOLDER

    @staticmethod
    def text_file(sha256: str) -> str:
        """Where a converted document's extracted text is stored, relative to the generation."""
        return f"{TEXTS_FOLDER}/{sha256}.txt"

    def stored_text(self, relative: str) -> Path:
        """The path of a stored text (``DocEntry.text_file``), refused with ``ValueError`` when
        the manifest points outside the generation (a damaged or crafted manifest)."""
        path = (self.path / relative).resolve()
        if not path.is_relative_to(self.path.resolve()):
            raise ValueError(f"{relative} is outside the index")
        return path


@dataclass(frozen=True)
class IndexLayout:
    """The index folder (``Settings.index_dir``): the one owner of what lives where in it,
    as bm25s's ``save``/``load`` own their folder. Nothing else builds a path inside it."""

    root: Path

    @property
    def current(self) -> Path:
        """The pointer to the live generation, replaced atomically."""
        return self.root / "CURRENT"

    @property
    def current_tmp(self) -> Path:
        return self.root / "CURRENT.tmp"

    @property
    def lock(self) -> Path:
        """Held by a build from start to finish: a second build is refused."""
        return self.root / ".build.lock"

    @property
    def ocr_cache(self) -> Path:
        """Pages read by OCR, kept across builds (``ingest.ocr.OcrCache``): a killed build keeps
        what it read, and a file is never OCR'd twice. Pruned to the live index's files."""
        return self.root / "ocr-cache"

    @property
    def brief_history(self) -> Path:
        """When each topic was last briefed on this index (``brief.new_since.BriefHistory``): what
        ``--new-since last`` compares with. Kept across builds."""
        return self.root / "brief-history.json"

    def new_temporary(self) -> Path:
        """A hidden folder to write a generation into; ``publish`` renames it into place."""
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f"{_TMP_PREFIX}{GENERATION_PREFIX}{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
        tmp.mkdir()
        return tmp

    def published_name(self, tmp: Path) -> Path:
        return self.root / tmp.name.removeprefix(_TMP_PREFIX)

    def temporaries(self) -> list[Path]:
        return list(self.root.glob(f"{_TMP_PREFIX}{GENERATION_PREFIX}*")) if self.root.is_dir() else []

    def generations(self) -> list[Path]:
        return list(self.root.glob(f"{GENERATION_PREFIX}*"))


_GENERATION_NAME = re.compile(GENERATION_PREFIX + r"[A-Za-z0-9_-]+")



def current_generation(index_dir: Path) -> Path | None:
    """The live generation named by ``CURRENT``; None before the first build.

    Raises ``IndexCorrupt`` when ``CURRENT`` is damaged or names anything but a generation
    folder of this index (it is never followed elsewhere).
    """
    pointer = IndexLayout(index_dir).current
    try:
        raw = pointer.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise IndexCorrupt(f"cannot read {pointer} ({exc.strerror}); {REBUILD_HINT}") from None
    try:
        name = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        name = ""
    if not _GENERATION_NAME.fullmatch(name):
        raise IndexCorrupt(f"{pointer} is damaged; {REBUILD_HINT}")
    generation = index_dir / name
    if not generation.is_dir():
        raise IndexCorrupt(f"{pointer} names {name}, which is missing; {REBUILD_HINT}")
    return generation


def why(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:160]}" if text else type(exc).__name__
