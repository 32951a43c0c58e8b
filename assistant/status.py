"""Per-document index status, computed without loading the model or the vectors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.errors import IndexCorrupt, IndexMissing, SkipFile
from assistant.ingest.loaders import content_hash, scan_corpus
from assistant.settings import Settings
from assistant.store import Manifest, read_manifest


@dataclass(frozen=True)
class DocStatus:
    doc_id: str
    state: str
    """indexed | new | changed | removed | skipped"""
    reason: str | None = None
    title: str = ""
    date: str | None = None
    chunks: int = 0


@dataclass
class StatusReport:
    documents: list[DocStatus] = field(default_factory=list)
    model_id: str | None = None
    chunks: int = 0
    built_at: str | None = None
    index_error: str | None = None
    full_rebuild: str | None = None
    """Why the next build will embed everything again (model or chunking changed), if it will."""

    @property
    def stale(self) -> list[DocStatus]:
        """Documents the next build will embed or drop (all of them on a full rebuild)."""
        if self.full_rebuild:
            return [d for d in self.documents if d.state != "skipped"]
        return [d for d in self.documents if d.state in ("new", "changed", "removed")]

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model_id,
            "chunks": self.chunks,
            "built_at": self.built_at,
            "index_error": self.index_error,
            "full_rebuild": self.full_rebuild,
            "documents": [
                {"doc": d.doc_id, "state": d.state, "reason": d.reason, "title": d.title, "chunks": d.chunks}
                for d in self.documents
            ],
        }


def corpus_status(settings: Settings) -> StatusReport:
    report = StatusReport()
    manifest: Manifest | None = None
    try:
        manifest = read_manifest(settings.index_dir)
    except IndexMissing:
        report.index_error = "no index built yet"
    except IndexCorrupt as exc:
        report.index_error = str(exc)
    indexed = manifest.documents if manifest else {}
    skipped_before = {s["doc"]: s for s in manifest.skipped} if manifest else {}
    if manifest:
        report.model_id, report.chunks, report.built_at = manifest.model_id, manifest.n_chunks, manifest.built_at
        from assistant.build_plan import full_rebuild_reason
        from assistant.embedders import model_id_for

        report.full_rebuild = full_rebuild_reason(settings, model_id_for(settings), manifest)
    sources, skipped = scan_corpus(settings.corpus_dir, int(settings.max_file_mb * 1_000_000))
    docs: list[DocStatus] = [DocStatus(s.doc_id, "skipped", s.reason) for s in skipped]
    seen: dict[str, str] = {}
    for src in sources:
        entry = indexed.get(src.doc_id)
        try:
            sha = content_hash(src, entry)
        except SkipFile as exc:
            docs.append(DocStatus(src.doc_id, "skipped", str(exc)))
            continue
        if sha in seen:
            docs.append(DocStatus(src.doc_id, "skipped", f"duplicate of {seen[sha]}"))
            continue
        seen[sha] = src.doc_id
        before = skipped_before.get(src.doc_id)
        if entry is None and before and before.get("sha256") == sha:
            docs.append(DocStatus(src.doc_id, "skipped", before["reason"]))
        elif entry is None:
            docs.append(DocStatus(src.doc_id, "new"))
        else:
            state = "indexed" if entry.sha256 == sha else "changed"
            docs.append(DocStatus(src.doc_id, state, None, entry.title, entry.date, entry.n_chunks))
    present = {d.doc_id for d in docs}  # a file still there but now refused is "skipped", not "removed"
    for doc_id, entry in indexed.items():
        if doc_id not in present:
            docs.append(DocStatus(doc_id, "removed", None, entry.title, entry.date, entry.n_chunks))
    report.documents = sorted(docs, key=lambda d: d.doc_id)
    return report
