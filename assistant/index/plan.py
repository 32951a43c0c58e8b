"""What the next build will do: the one place that compares the corpus with the live index.

``index build`` executes the plan and ``index status`` prints it, so they cannot disagree.
Light to import (no numpy, no model): status must start fast.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any, Literal

from assistant.errors import SkipFile
from assistant.index.layout import FORMAT_VERSION
from assistant.index.manifest import DocEntry, Manifest
from assistant.ingest.corpus import CorpusFile, content_hash, scan_corpus
from assistant.settings import Settings

SPLITTER_VERSION = "recursive-v3"
ANALYSER_VERSION = 2
"""Changes when ``text.analyser.analyze`` would split or stem a text differently, so an index made
with another version is rebuilt: 2 writes British spellings the American way (``spelling``).
(Kept here, not in ``index.bm25``, so ``index status`` need not import numpy.)"""


def full_rebuild_reason(settings: Settings, model_id: str, manifest: Manifest) -> str | None:
    """Why the live index cannot be extended and every document must be embedded again, or
    None. The one rule: ``index build`` acts on it and ``index status`` reports it."""
    if manifest.model_id != model_id:
        return f"model changed ({manifest.model_id} -> {model_id})"
    fingerprint = index_fingerprint(settings)
    if manifest.chunking != fingerprint:
        was = manifest.chunking
        changed = sorted(k for k in {*was, *fingerprint} if was.get(k) != fingerprint.get(k))
        return f"index settings changed ({', '.join(changed)})"
    if manifest.format_version != FORMAT_VERSION:
        return "index format changed"
    return None


def index_fingerprint(settings: Settings) -> dict[str, Any]:
    """What an index is made of, recorded in its manifest: every setting of the ``shape``
    section (a setting added there is part of it without a word here), and the versions of the
    splitter and the analyser."""
    return {**settings.shape.model_dump(mode="json"), "splitter": SPLITTER_VERSION, "analyser": ANALYSER_VERSION}


DocState = Literal["indexed", "new", "changed", "removed", "skipped"]
Action = Literal["reuse", "load", "none"]


@dataclass(frozen=True)
class BuildProgress:
    """``stage`` is one of scan, embed, write; ``done``/``total`` count items."""

    stage: str
    done: int
    total: int


@dataclass(frozen=True)
class DocPlan:
    """One document: where it stands against the live index, and what the next build does."""

    doc_id: str
    state: DocState
    action: Action
    file: CorpusFile | None = None
    sha256: str = ""
    entry: DocEntry | None = None
    """Its record in the live manifest, if it has one."""
    reason: str | None = None
    """Why it is skipped."""
    parts: tuple[tuple[str, DocEntry], ...] = ()
    """The live documents read out of this file besides itself (attachments, an mbox's
    messages), by id: a file of many documents is planned, hashed and reused as one."""


@dataclass(frozen=True)
class BuildPlan:
    documents: tuple[DocPlan, ...]
    """Every file in the corpus and every document of the live index, sorted by id."""
    full_reason: str | None = None
    """Why every document is embedded again (then nothing is reused)."""

    def count(self, state: DocState) -> int:
        return sum(1 for d in self.documents if d.state == state)


def plan_build(settings: Settings, model_id: str, manifest: Manifest | None,
               full_reason: str | None = None) -> Generator[BuildProgress, None, BuildPlan]:
    """Compare the corpus with the live ``manifest`` (None: no usable index). Yields scan
    progress (hashing is the slow part) and returns the plan; ``full_reason`` forces a full
    rebuild (requested, or the previous index could not be loaded).

    A file refused before and unchanged since is reported "skipped" with that reason but still
    loaded again: a newer Briefing may read what an older one could not.
    """
    sources, refused = scan_corpus(settings.paths.corpus_dir, int(settings.ingest.max_file_mb * 1_000_000))
    if manifest is not None and full_reason is None:
        full_reason = full_rebuild_reason(settings, model_id, manifest)
    indexed = manifest.documents if manifest else {}
    parts_of: dict[str, list[tuple[str, DocEntry]]] = {}
    for doc_id, part in indexed.items():
        if part.meta.container is not None:
            parts_of.setdefault(part.meta.container, []).append((doc_id, part))
    refused_before = {s["doc"]: s for s in manifest.skipped} if manifest else {}
    plans = [DocPlan(s.doc_id, "skipped", "none", reason=s.reason) for s in refused]
    first_seen: dict[str, str] = {}
    for i, src in enumerate(sources):
        yield BuildProgress("scan", i, len(sources))
        own = indexed.get(src.doc_id)
        entry = own if own is not None and own.meta.container is None else None
        parts = tuple(parts_of.get(src.doc_id, ()))
        known = entry or (parts[0][1] if parts else None)
        try:
            sha = content_hash(src, known)
        except SkipFile as exc:
            plans.append(DocPlan(src.doc_id, "skipped", "none", src, entry=entry, reason=str(exc), parts=parts))
            continue
        if sha in first_seen:
            plans.append(DocPlan(src.doc_id, "skipped", "none", src, sha, entry, f"duplicate of {first_seen[sha]}",
                                 parts))
            continue
        first_seen[sha] = src.doc_id
        before = refused_before.get(src.doc_id)
        if known is None and before and before.get("sha256") == sha:
            plans.append(DocPlan(src.doc_id, "skipped", "load", src, sha, None, before["reason"]))
        elif known is None:
            plans.append(DocPlan(src.doc_id, "new", "load", src, sha))
        elif known.meta.file_sha256 == sha:
            plans.append(DocPlan(src.doc_id, "indexed", "load" if full_reason else "reuse", src, sha, entry,
                                 parts=parts))
        else:
            plans.append(DocPlan(src.doc_id, "changed", "load", src, sha, entry, parts=parts))
    yield BuildProgress("scan", len(sources), len(sources))
    present = {p.doc_id for p in plans}  # a file still there but now refused is "skipped", not "removed"
    plans += [DocPlan(doc_id, "removed", "none", entry=entry) for doc_id, entry in indexed.items()
              if (entry.meta.container or doc_id) not in present]
    return BuildPlan(tuple(sorted(plans, key=lambda p: p.doc_id)), full_reason)
