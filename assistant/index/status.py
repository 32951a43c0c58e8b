"""Per-document index status, computed without loading the model or the vectors."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from assistant.errors import IndexCorrupt, IndexMissing
from assistant.index.layout import GenerationFiles, current_generation
from assistant.index.manifest import Manifest, read_manifest
from assistant.index.marking_record import check_scheme, read_markings
from assistant.index.plan import DocState
from assistant.markings.marking import Clearance, highest
from assistant.markings.scheme import configured_scheme, reader_clearance
from assistant.settings import Settings


@dataclass(frozen=True)
class DocStatus:
    doc_id: str
    state: DocState
    reason: str | None = None
    title: str = ""
    date: str | None = None
    chunks: int = 0
    marking: str | None = None
    """Its protective marking ("SECRET//NOFORN"; None: no scheme, or not indexed yet)…"""
    marked_by: str | None = None
    """…and where it came from: "rule restricted/**; banner page 1 top" ("" when nothing marks it)."""


@dataclass(frozen=True)
class DoubtfulPage:
    """A page read by OCR whose mean word confidence is below ``Settings.ocr_low_confidence``."""

    doc_id: str
    page: int
    confidence: float


@dataclass
class StatusReport:
    documents: list[DocStatus] = field(default_factory=list)
    model_id: str | None = None
    chunks: int = 0
    built_at: str | None = None
    index_error: str | None = None
    dense_index: str = ""
    dense_recall: float | None = None
    """Recall@10 of an approximate dense index (HNSW, IVF-PQ) against exact search, from its build."""
    full_rebuild: str | None = None
    """Why the next build will embed everything again (model or chunking changed), if it will."""
    low_confidence: list[DoubtfulPage] = field(default_factory=list)
    """OCR'd pages worth checking by eye: Tesseract was unsure of their words."""
    withheld: int = 0
    """Documents above the reader's clearance: counted, never named."""
    clearance: str | None = None
    """The reader's clearance as the scheme writes it (None: no scheme)."""

    @property
    def stale(self) -> list[DocStatus]:
        """Documents the next build will embed or drop (all of them on a full rebuild)."""
        if self.full_rebuild:
            return [d for d in self.documents if d.state != "skipped"]
        return [d for d in self.documents if d.state in ("new", "changed", "removed")]


def index_status(settings: Settings) -> StatusReport:
    """The index's part of the status (model, passages, when it was built), without reading the
    corpus: what a server can still say while the corpus folder is gone."""
    return _index_report(settings)[0]


def _index_report(settings: Settings) -> tuple[StatusReport, Manifest | None]:
    report = StatusReport()
    manifest: Manifest | None = None
    try:
        manifest = read_manifest(settings.paths.index_dir)
    except IndexMissing:
        report.index_error = "no index built yet"
    except IndexCorrupt as exc:
        report.index_error = str(exc)
    if manifest:
        report.model_id, report.chunks, report.built_at = manifest.model_id, manifest.n_chunks, manifest.built_at
        report.dense_index, report.dense_recall = manifest.dense_index, manifest.dense_recall
    return report, manifest


def corpus_status(settings: Settings) -> StatusReport:
    """What ``index build`` would do now, per document (the build's own plan; no model loads)."""
    from assistant.embedders import model_id_for
    from assistant.index.plan import plan_build

    report, manifest = _index_report(settings)
    planner = plan_build(settings, model_id_for(settings), manifest)
    while True:
        try:
            next(planner)
        except StopIteration as done:
            plan = done.value
            break
    report.full_rebuild = plan.full_reason
    for doc in plan.documents:
        live = doc.state in ("indexed", "changed", "removed")
        entry = doc.entry if live else None
        if entry is not None or not doc.parts:
            report.documents.append(DocStatus(doc.doc_id, doc.state, doc.reason, entry.meta.title if entry else "",
                                              entry.meta.date if entry else None, entry.n_chunks if entry else 0))
        for part_id, part in doc.parts if live else ():  # the messages and attachments of a file
            report.documents.append(DocStatus(part_id, doc.state, None, part.meta.title, part.meta.date, part.n_chunks))
    read = {d.doc_id for d in plan.documents if d.state in ("indexed", "changed")}
    for skipped in manifest.skipped if manifest else ():  # unreadable parts of files that were read
        if skipped.get("container") in read:
            report.documents.append(DocStatus(skipped["doc"], "skipped", skipped["reason"]))
    if manifest:
        report.low_confidence = [DoubtfulPage(doc_id, page, conf) for doc_id, entry in manifest.documents.items()
                                 for page, conf in entry.meta.ocr_pages if conf < settings.ingest.ocr_low_confidence]
    report.documents.sort(key=lambda d: d.doc_id)
    return _cleared(settings, report)


def _cleared(settings: Settings, report: StatusReport) -> StatusReport:
    """The report as the reader's clearance may see it: each indexed document's marking and its
    sources; documents above the clearance only counted. A document not indexed yet is judged
    by the scheme's folder rules (all that marks it before it is read)."""
    generation = current_generation(settings.paths.index_dir) if report.index_error is None else None
    record = read_markings(GenerationFiles(generation).markings) if generation is not None else None
    configured = configured_scheme(settings.markings.markings_file, settings.paths.corpus_dir)
    if generation is not None:
        try:
            check_scheme(settings, record)
        except IndexCorrupt as exc:  # stale markings are never shown by: every document is withheld
            report.index_error = str(exc)
            if configured is not None:
                report.clearance = configured.scheme.clearance_label(
                    reader_clearance(configured.scheme, settings.markings.clearance) or Clearance(0))
            report.withheld, report.documents, report.low_confidence, report.chunks = len(report.documents), [], [], 0
            return report
    scheme_file = record.scheme if record is not None else configured
    if scheme_file is None:
        return report
    scheme = scheme_file.scheme
    reader = reader_clearance(scheme, settings.markings.clearance)
    assert reader is not None
    report.clearance = scheme.clearance_label(reader)
    shown = []
    for doc in report.documents:
        found = record.marking(doc.doc_id) if record is not None and doc.state in ("indexed", "changed") else None
        if found is None:
            marking = highest((m for _glob, m in scheme.ruled(doc.doc_id)), scheme.unmarked_marking)
        else:
            marking = found.marking
        if not reader.permits(marking):
            report.withheld += 1
            continue
        if found is not None:
            doc = dataclasses.replace(doc, marking=scheme.label(marking), marked_by="; ".join(
                f"{s.kind} {s.detail}" for s in found.sources))
        shown.append(doc)
    report.documents = shown
    if report.withheld:
        report.chunks = sum(d.chunks for d in shown if d.state in ("indexed", "changed"))
    report.low_confidence = [p for p in report.low_confidence if any(d.doc_id == p.doc_id for d in shown)]
    return report
