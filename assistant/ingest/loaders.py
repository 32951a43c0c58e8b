"""Turn each file the corpus scan found (``ingest.corpus``) into ``Document``s: text decoded,
front matter read, converted formats extracted, containers (mbox, attachments) opened."""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from assistant.errors import SkipFile
from assistant.ingest.converted import Converted
from assistant.ingest.corpus import CONVERTED_FORMATS, TEXT_FORMATS, CorpusFile, Skipped
from assistant.ingest.ocr import OcrOptions
from assistant.ingest.text_headings import markdown_structure, plain_sections
from assistant.ingest.tidy import tidy
from assistant.markings.detect import marking_fields
from assistant.types import DocMeta, Document

MAX_ATTACHMENT_DEPTH = 2
"""An attachment inside a forwarded message inside a message is read; deeper nesting is not."""
# UTF-32 before UTF-16: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def decode_text(raw: bytes) -> tuple[str, str | None]:
    """Decode a text file; returns the text and a note when it was not UTF-8."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec), f"not UTF-8: decoded as {codec}"
            except UnicodeDecodeError:
                raise SkipFile(f"undecodable text (starts with a {codec} byte-order mark)") from None
    if b"\x00" in raw[:8192]:
        raise SkipFile("binary file (contains NUL bytes)")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise SkipFile("undecodable text (not UTF-8 and no encoding detected)")
    return str(best), f"not UTF-8: decoded as {best.encoding}"


def read_source_text(path: Path) -> str:
    """The text frame of a ``.txt``/``.md`` file, decoded exactly as at build time."""
    return decode_text(path.read_bytes())[0]


def read_document(source: CorpusFile) -> bytes:
    """The file's bytes. Raises ``SkipFile`` when it cannot be read."""
    try:
        return source.path.read_bytes()
    except OSError as exc:
        raise SkipFile(f"unreadable: {exc.strerror}") from None


@dataclass(frozen=True)
class SourceRead:
    """What one corpus file yields: its documents (one, or a message's attachments besides it,
    or an mbox's messages), what the analyst should know, and parts that could not be read."""

    documents: tuple[Document, ...] = ()
    notes: tuple[Skipped, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    metadata: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """By document id: the properties, headers or front matter that may state its protective
    marking (``Converted.metadata``); only documents that have some are listed."""


def load_document(source: CorpusFile) -> tuple[Document, str | None]:
    """Load a file of one document. Raises ``SkipFile`` with the reason when it cannot be indexed."""
    read = parse_source(source, read_document(source))
    note = read.notes[0].reason if read.notes else None
    return read.documents[0], note


def parse_source(source: CorpusFile, raw: bytes, options: OcrOptions | None = None) -> SourceRead:
    """Make the documents of a file's bytes (no file access: a Ray task runs this on bytes the
    build's driver read). Raises ``SkipFile`` with the reason when nothing in it can be indexed."""
    suffix = os.path.splitext(source.doc_id)[1].lower()  # the scan's rule, even through a symlink
    sha = hashlib.sha256(raw).hexdigest()
    options = options or OcrOptions()
    if suffix in TEXT_FORMATS:
        text, note = decode_text(raw)
        doc, fields = _text_document(source, text, sha, TEXT_FORMATS[suffix])
        _check_text(doc)
        return SourceRead((doc,), (Skipped(source.doc_id, note),) if note else (),
                          metadata={doc.doc_id: fields} if fields else {})
    reader = _ContainerReader(source, sha, options)
    if CONVERTED_FORMATS[suffix] == "mbox":
        messages = _split_mbox(raw)
        width = max(5, len(str(len(messages))))
        for n, message in enumerate(messages, 1):
            reader.add(f"{source.doc_id}/{n:0{width}d}", "email", message, depth=0)
        if not reader.documents:
            raise SkipFile("no messages to index" if not messages else f"no readable message ({reader.first_reason()})")
    else:
        reader.add(source.doc_id, CONVERTED_FORMATS[suffix], raw, depth=0)
    return SourceRead(tuple(reader.documents), tuple(reader.notes), tuple(reader.skipped), reader.metadata)


def _split_mbox(raw: bytes) -> list[bytes]:
    from assistant.ingest.mail import split_mbox

    return split_mbox(raw)


class _ContainerReader:
    """Reads one corpus file's documents: the file itself, or the messages and attachments in it.

    A part that cannot be read (an attachment in no supported format, a damaged message) is
    recorded with its reason and the rest of the file is still indexed; only the file's own
    document failing fails the file.
    """

    def __init__(self, source: CorpusFile, file_sha: str, options: OcrOptions) -> None:
        self.source, self.file_sha, self.options = source, file_sha, options
        self.documents: list[Document] = []
        self.notes: list[Skipped] = []
        self.skipped: list[Skipped] = []
        self.metadata: dict[str, Mapping[str, str]] = {}

    def first_reason(self) -> str:
        return self.skipped[0].reason if self.skipped else "empty"

    def add(self, doc_id: str, fmt: str, raw: bytes, depth: int) -> None:
        own = doc_id == self.source.doc_id
        sha = self.file_sha if own else hashlib.sha256(raw).hexdigest()
        try:
            converted = _convert(fmt, raw, sha, self.options)
            doc = self._document(doc_id, fmt, sha, converted, own)
            _check_text(doc)
        except SkipFile as exc:
            if own:
                raise
            self.skipped.append(Skipped(doc_id, str(exc)))
            return
        self.documents.append(doc)
        if converted.metadata:
            self.metadata[doc_id] = dict(converted.metadata)
        self.notes.extend(Skipped(doc_id, note) for note in converted.notes)
        names: set[str] = set()
        for attachment in converted.attachments:
            name = _unique(attachment.name, names)
            child = f"{doc_id}/{name}"
            suffix = os.path.splitext(name)[1].lower()
            child_fmt = "plain" if suffix in TEXT_FORMATS else CONVERTED_FORMATS.get(suffix)
            if child_fmt is None or child_fmt == "mbox":
                self.skipped.append(Skipped(child, f"attachment of unsupported type '{suffix or name}'"))
            elif child_fmt == "email" and depth >= MAX_ATTACHMENT_DEPTH:
                self.skipped.append(Skipped(child, "attached message nested too deep"))
            else:
                self.add(child, child_fmt, attachment.raw, depth + 1)

    def _document(self, doc_id: str, fmt: str, sha: str, converted: Converted, own: bool) -> Document:
        frame = _Frame(converted.pages or [converted.text])
        pages = frame.pages if converted.pages else []
        text = frame.text
        labels = tuple(converted.part_labels) if len(converted.part_labels) == len(pages) else ()
        meta = DocMeta(
            sha256=sha,
            format=fmt,
            title=(converted.title or (_first_line(text) if converted.title_from_text else "")
                   or (self.source.path.stem if own else _stem(doc_id))),
            date=converted.date,
            origin=converted.origin,
            page_starts=_page_starts(pages),
            part_labels=labels,
            ocr_pages=tuple(converted.ocr),
            container=None if own else self.source.doc_id,
            container_sha256=None if own else self.file_sha,
            sections=tuple(replace(s, start=frame.position(s.start)) for s in converted.sections),
            uncitable=tuple(sorted(span for span in (frame.span(a, b) for a, b in converted.uncitable)
                                   if span[1] > span[0])),
        )
        return Document(doc_id, text, meta, converted=True)


class _Frame:
    """A converted document's parts tidied (``tidy``) and joined by a blank line, with the
    reader's offsets (into its parts joined the same way) moved to where they now stand."""

    def __init__(self, parts: list[str]) -> None:
        self._tidied = [tidy(part) for part in parts]
        self.pages = [t.text for t in self._tidied]
        self.text = "\n\n".join(self.pages)
        self._old_starts: list[int] = []
        self._new_starts: list[int] = []
        old = new = 0
        for part, done in zip(parts, self._tidied, strict=True):
            self._old_starts.append(old)
            self._new_starts.append(new)
            old += len(part) + 2
            new += len(done.text) + 2

    def position(self, offset: int) -> int:
        i = max(bisect_right(self._old_starts, offset) - 1, 0)
        return self._new_starts[i] + self._tidied[i].position(offset - self._old_starts[i])

    def span(self, start: int, end: int) -> tuple[int, int]:
        a, b = self.position(start), self.position(end)
        while b > a and self.text[b - 1].isspace():
            b -= 1
        return a, b


def _convert(fmt: str, raw: bytes, sha: str, options: OcrOptions) -> Converted:
    """A part's text: text formats decoded (an attached ``.txt``), the rest by its converter."""
    if fmt == "plain":
        return Converted(decode_text(raw)[0])
    if fmt == "csv":
        from assistant.ingest.sheets import convert_csv

        return convert_csv(decode_text(raw)[0])
    from assistant.ingest import converters

    return converters.convert(fmt, raw, sha, options)


def _stem(doc_id: str) -> str:
    return os.path.splitext(doc_id.rsplit("/", 1)[-1])[0]


def _unique(name: str, taken: set[str]) -> str:
    stem, ext = os.path.splitext(name)
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem} ({n}){ext}"
    taken.add(candidate)
    return candidate


_NO_TEXT = re.compile(r"[\s\ufeff\u200b-\u200d\u2060]*")
"""What a document may hold and still have no text: spaces, and the invisible marks (a byte-order
mark, zero-width spaces and joiners) that an editor writes without anything typed."""


def _check_text(doc: Document) -> None:
    if _NO_TEXT.fullmatch(doc.text, doc.meta.body_start):
        raise SkipFile("no text to index (empty after extraction)")


def _text_document(source: CorpusFile, text: str, sha: str, fmt: str) -> tuple[Document, dict[str, str]]:
    """The document, and the fields of its front matter that may state its marking."""
    meta: dict[str, Any] = {}
    body_start = 0
    m = _FRONT_MATTER.match(text)
    if m:
        meta = _parse_front_matter(m.group(1))
        body_start = m.end()
    tags = meta.get("tags") or ()
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",")]
    title = str(meta.get("title") or "").strip() or _first_line(text[body_start:]) or source.path.stem
    if fmt == "markdown":
        sections, uncitable = markdown_structure(text, body_start)
    else:
        sections, uncitable = plain_sections(text, body_start), ()
    return Document(source.doc_id, text, DocMeta(
        sha256=sha,
        format=fmt,
        title=title,
        date=_date_str(meta.get("date")),
        origin=str(meta["source"]) if meta.get("source") else None,
        tags=tuple(str(t) for t in tags),
        body_start=body_start,
        sections=sections,
        uncitable=uncitable,
    )), marking_fields(meta)


def _parse_front_matter(block: str) -> dict[str, Any]:
    import frontmatter
    import yaml

    try:
        data = frontmatter.loads(f"---\n{block}\n---\n").metadata
    except yaml.YAMLError:
        return {}
    return dict(data) if isinstance(data, dict) else {}


def _date_str(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:160]
    return ""


def _page_starts(pages: list[str]) -> tuple[int, ...]:
    starts, pos = [], 0
    for page in pages:
        starts.append(pos)
        pos += len(page) + 2
    return tuple(starts)
