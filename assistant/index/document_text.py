"""Reading a document's text frame back: the thing every citation is checked against.

Every read goes through ``corpus_file``, the scan's own rule, so nothing outside the corpus
is ever shown, whatever a symlink or a manifest entry says.
"""

from __future__ import annotations

from pathlib import Path

from assistant.errors import BriefingError, IndexCorrupt, QuestionError, SkipFile
from assistant.index.layout import REBUILD_HINT, GenerationFiles, current_generation, why
from assistant.index.manifest import DocEntry, read_manifest
from assistant.index.marking_record import check_scheme, clearance_in, read_markings
from assistant.ingest.corpus import corpus_file
from assistant.ingest.loaders import read_source_text
from assistant.settings import Settings


class SourceUnreadable(Exception):
    """The text frame cannot be read now; the message says why."""


def read_document_text(corpus_dir: Path, generation: Path, doc_id: str, entry: DocEntry) -> str:
    """Converted formats: the extraction stored in the index. Text formats: the file as it is now.

    Raises ``SourceUnreadable`` with the reason (moved, deleted, now a link out of the corpus).
    """
    try:
        if entry.text_file:
            try:
                stored = GenerationFiles(generation).stored_text(entry.text_file)
            except ValueError:
                raise SourceUnreadable("its stored text is outside the index") from None
            return stored.read_text(encoding="utf-8")
        return read_source_text(corpus_file(corpus_dir, doc_id))
    except SkipFile as exc:
        raise SourceUnreadable(str(exc)) from None
    except OSError as exc:
        raise SourceUnreadable(exc.strerror or type(exc).__name__) from None
    except ValueError as exc:
        raise SourceUnreadable(f"undecodable ({type(exc).__name__})") from None


def document_text(corpus_dir: Path, generation: Path, doc_id: str, entry: DocEntry) -> str | None:
    """``read_document_text``, or None when it cannot be read, so callers drop the citation."""
    try:
        return read_document_text(corpus_dir, generation, doc_id, entry)
    except SourceUnreadable:
        return None


def indexed_text(settings: Settings, doc_id: str, clearance: str | None = None) -> str:
    """For ``briefing show``: the text an indexed document's offsets refer to, when a reader
    with ``clearance`` (the settings' when None) may see it; one they may not is "not in the
    index", word for word as one that is not."""
    manifest = read_manifest(settings.paths.index_dir)
    entry = manifest.documents.get(doc_id)
    generation = current_generation(settings.paths.index_dir)
    assert generation is not None
    try:
        record = read_markings(GenerationFiles(generation).markings)
    except (OSError, ValueError, BriefingError) as exc:
        raise IndexCorrupt(f"the index's markings are unreadable ({why(exc)}); {REBUILD_HINT}") from None
    check_scheme(settings, record)
    reader = clearance_in(record, settings.markings.clearance if clearance is None else clearance or None)
    if entry is None or (record is not None and not record.permits(doc_id, reader)):
        raise QuestionError(f"{doc_id!r} is not in the index (see `briefing index status`)")
    try:
        return read_document_text(settings.paths.corpus_dir, generation, doc_id, entry)
    except SourceUnreadable as exc:
        raise QuestionError(f"cannot read {doc_id}: {exc}") from None
