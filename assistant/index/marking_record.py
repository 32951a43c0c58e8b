"""What the index records about each document's protective marking (``markings.json`` in a
generation, kept apart from the manifest): the marking, every source that stated one, its
portion-marked paragraphs, and the metadata fields that may state one, so that a changed scheme
re-marks every document from its stored text and fields without reading or embedding it again.

The scheme's own text is recorded too: a generation's markings are read with the scheme that
made them, and its hash tells a build (and a reader) whether the scheme in force is the same.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import IndexCorrupt
from assistant.markings.detect import DocumentMarking, Portion, Source
from assistant.markings.marking import Clearance, Marking
from assistant.markings.scheme import Scheme, SchemeFile, configured_scheme, parse_scheme, reader_clearance
from assistant.settings import Settings

RECORD_VERSION = 1


@dataclass(frozen=True)
class MarkedDocument:
    """One document's marking as found, and the metadata fields it was found in (``fields``,
    kept whatever the scheme, so another scheme can read them)."""

    marking: DocumentMarking | None = None
    """None without a scheme."""
    fields: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MarkingRecord:
    """Every document's marking in one generation, and the scheme that marked them (None: none
    was configured, and only metadata fields are recorded)."""

    scheme: SchemeFile | None
    documents: Mapping[str, MarkedDocument]
    complete: bool = True
    """Whether every document's metadata fields are recorded: False when some were carried over
    from a generation built before they were (a scheme then needs every document read again)."""

    @property
    def scheme_sha256(self) -> str | None:
        return None if self.scheme is None else self.scheme.sha256

    def marking(self, doc_id: str) -> DocumentMarking | None:
        """A document's marking (None: no scheme); a document the record lacks is unmarked."""
        if self.scheme is None:
            return None
        found = self.documents.get(doc_id)
        if found is None or found.marking is None:
            return DocumentMarking(self.scheme.scheme.unmarked_marking)
        return found.marking

    def permits(self, doc_id: str, clearance: Clearance | None) -> bool:
        """Whether a reader with ``clearance`` may see the document (None, or no scheme: yes)."""
        found = self.marking(doc_id)
        return clearance is None or found is None or clearance.permits(found.marking)

    def to_json(self) -> dict[str, Any]:
        scheme = None if self.scheme is None else self.scheme.scheme
        docs: dict[str, Any] = {}
        for doc_id, marked in sorted(self.documents.items()):
            item: dict[str, Any] = {}
            if marked.fields:
                item["fields"] = dict(marked.fields)
            if scheme is not None and marked.marking is not None:
                m = marked.marking
                item["marking"] = scheme.label(m.marking)
                item["sources"] = [[s.kind, s.detail, scheme.label(s.marking)] for s in m.sources]
                item["portions"] = [[p.start, p.end, scheme.label(p.marking)] for p in m.portions]
            if item:
                docs[doc_id] = item
        return {"version": RECORD_VERSION, "scheme": None if self.scheme is None else self.scheme.text,
                "complete": self.complete, "documents": docs}

    @classmethod
    def from_json(cls, data: Any) -> MarkingRecord:
        """Checked as read: ``ValueError`` on any damage."""
        if not isinstance(data, dict) or data.get("version") != RECORD_VERSION:
            raise ValueError("not a markings record of this version")
        text = data.get("scheme")
        scheme_file = None
        if text is not None:
            scheme_file = SchemeFile(parse_scheme(str(text), "recorded in the index"), str(text))
        docs = data.get("documents")
        if not isinstance(docs, dict):
            raise ValueError("documents must be an object")
        out = {}
        for doc_id, item in docs.items():
            fields = item.get("fields", {})
            if not isinstance(fields, dict):
                raise ValueError(f"{doc_id}: fields must be an object")
            marking = None
            if scheme_file is not None and "marking" in item:
                scheme = scheme_file.scheme
                marking = DocumentMarking(
                    _parse(scheme, item["marking"]),
                    tuple(Source(str(k), str(d), _parse(scheme, m)) for k, d, m in item.get("sources", [])),
                    tuple(Portion(int(a), int(b), _parse(scheme, m)) for a, b, m in item.get("portions", [])))
            out[str(doc_id)] = MarkedDocument(marking, {str(k): str(v) for k, v in fields.items()})
        return cls(scheme_file, out, bool(data.get("complete", True)))


def _parse(scheme: Scheme, label: Any) -> Marking:
    found = scheme.parse(str(label))
    if found is None:
        raise ValueError(f"{label!r} is not a marking of the recorded scheme")
    return found


def write_markings(path: Path, record: MarkingRecord) -> None:
    path.write_text(json.dumps(record.to_json(), ensure_ascii=False), encoding="utf-8")


def read_markings(path: Path) -> MarkingRecord | None:
    """The record in ``path``; None when the generation has none (built before markings were
    recorded). Damage raises ``ValueError`` or ``OSError`` for the caller to report."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return MarkingRecord.from_json(json.loads(raw))


def check_scheme(settings: Settings, record: MarkingRecord | None) -> None:
    """The scheme in force must be the one the index's documents were marked with: a scheme
    added, changed or removed since the build would otherwise show documents by stale markings.
    An ``IndexCorrupt`` naming the fix (a build marks them again without embedding)."""
    configured = configured_scheme(settings.markings.markings_file, settings.paths.corpus_dir)
    recorded = None if record is None else record.scheme_sha256
    if (configured.sha256 if configured else None) != recorded:
        what = "is new" if recorded is None else "was removed" if configured is None else "has changed"
        raise IndexCorrupt(f"the marking scheme {what} since the index was built; run `briefing index build` "
                           "to mark its documents again (nothing is embedded again)")


def clearance_in(record: MarkingRecord | None, clearance: str | None) -> Clearance | None:
    """A reader's clearance (as written; None: the unmarked level) under the recorded scheme."""
    return reader_clearance(None if record is None or record.scheme is None else record.scheme.scheme, clearance)
