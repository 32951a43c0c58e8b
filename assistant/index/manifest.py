"""What an index generation records about itself and each document (``manifest.json``), read
and checked without loading vectors or a model: ``index status`` and build planning use it alone."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import IndexCorrupt, IndexMissing
from assistant.index.layout import FORMAT_VERSION, REBUILD_HINT, GenerationFiles, current_generation, why
from assistant.types import DocMeta


@dataclass(frozen=True)
class DocEntry:
    """What the manifest records about one indexed document: its ``DocMeta`` and the build's
    bookkeeping (where its chunks are, how its file looked, its stored text)."""

    meta: DocMeta
    first_chunk: int
    n_chunks: int
    size: int = 0
    mtime_ns: int = 0
    ctime_ns: int = 0
    """With ``size`` and ``mtime_ns``, lets status and builds skip re-hashing untouched files."""
    text_file: str | None = None
    """For converted formats: the stored extracted text, relative to the generation folder."""
    initialisms: tuple[str, ...] = ()
    """The initials of the names the document spells out ("eu" for "European Union"), so a
    question's abbreviation of one is known (``abbreviations.initialisms``)."""


@dataclass(frozen=True)
class Manifest:
    model_id: str
    dim: int
    chunking: dict[str, Any]
    documents: dict[str, DocEntry]
    n_chunks: int
    dense_index: str = "flat"
    dense_recall: float | None = None
    """Recall@10 of an approximate dense index against exact search, measured when it was built."""
    built_at: str = ""
    format_version: int = FORMAT_VERSION
    skipped: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["documents"] = {k: asdict(v) for k, v in self.documents.items()}
        return data

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        """Checked field by field (types included): raises ``ValueError`` on any damage."""
        from pydantic import TypeAdapter, ValidationError

        try:
            manifest = TypeAdapter(Manifest).validate_python(data)
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(part) for part in first.get("loc", ()))
            raise ValueError(f"{where or 'manifest'}: {first.get('msg', 'invalid')}") from None
        for doc_id, entry in manifest.documents.items():
            if entry.first_chunk < 0 or entry.n_chunks < 0 or entry.first_chunk + entry.n_chunks > manifest.n_chunks:
                raise ValueError(f"documents.{doc_id}: chunk range outside the index")
        return manifest


def read_manifest(index_dir: Path) -> Manifest:
    """The live manifest alone (cheap: no vectors, no model), for status commands."""
    gen = current_generation(index_dir)
    if gen is None:
        raise IndexMissing(f"no index at {index_dir}; run `briefing index build` first")
    try:
        data = json.loads(GenerationFiles(gen).manifest.read_text(encoding="utf-8"))
        _check_format(data)
        manifest = Manifest.from_json(data)
    except FileNotFoundError:
        raise IndexCorrupt(f"index at {index_dir} has no manifest; {REBUILD_HINT}") from None
    except OSError as exc:
        raise IndexCorrupt(f"cannot read the index manifest at {gen} ({exc.strerror}); {REBUILD_HINT}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise IndexCorrupt(f"index manifest at {gen} is unreadable ({why(exc)}); {REBUILD_HINT}") from None
    return manifest


def _check_format(data: Any) -> None:
    """An index written in another format is refused by its version, before its fields are read:
    an older manifest's documents have another shape, and "format 3 is not the supported 4" says
    what to do where a field-by-field complaint would not."""
    version = data.get("format_version", FORMAT_VERSION) if isinstance(data, dict) else FORMAT_VERSION
    if version != FORMAT_VERSION:
        raise IndexCorrupt(f"index format {version} is not the supported {FORMAT_VERSION}; {REBUILD_HINT}")
