"""Reading a document's text frame back: the thing every citation is checked against."""

from __future__ import annotations

from pathlib import Path

from assistant.errors import QuestionError
from assistant.loaders import read_source_text
from assistant.settings import Settings
from assistant.store import DocEntry, current_generation, read_manifest


def document_text(corpus_dir: Path, generation: Path, doc_id: str, entry: DocEntry) -> str | None:
    """Converted formats: the extraction stored in the index. Text formats: the file as it is now.

    Returns None when it cannot be read (the file was deleted, say), so callers drop the citation.
    """
    try:
        if entry.text_file:
            return (generation / entry.text_file).read_text(encoding="utf-8")
        return read_source_text(corpus_dir / doc_id)
    except (OSError, ValueError):
        return None


def indexed_text(settings: Settings, doc_id: str) -> str:
    """For ``briefing show``: the text an indexed document's offsets refer to."""
    manifest = read_manifest(settings.index_dir)
    entry = manifest.documents.get(doc_id)
    if entry is None:
        raise QuestionError(f"{doc_id!r} is not in the index (see `briefing index status`)")
    generation = current_generation(settings.index_dir)
    assert generation is not None
    text = document_text(settings.corpus_dir, generation, doc_id, entry)
    if text is None:
        raise QuestionError(f"cannot read {doc_id}; it may have been moved or deleted")
    return text
