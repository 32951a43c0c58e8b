"""The corpus folder: which files in it are documents, and the one confinement rule for
every read of a source (a symlink or an id leading outside the corpus is refused).

Discovery reports every file it will not index, with the reason, instead of failing: one bad
file must never stop an analyst's build.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import CorpusError, SkipFile

TEXT_FORMATS = {".txt": "text", ".md": "markdown", ".markdown": "markdown"}
CONVERTED_FORMATS = {
    ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx", ".pptx": "pptx",
    ".xlsx": "xlsx", ".csv": "csv", ".eml": "email", ".mbox": "mbox",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image",
}
"""Formats whose text is extracted (and stored in the index); see ``ingest.converters``."""
_SIZE_FACTOR = {".mbox": 20}
"""An mbox holds a whole mailbox (thousands of messages, each a document): it may be this many
times ``max_file_mb``."""
_TEMP_NAME = re.compile(r"^(~\$|\.~lock|#.*#$)|(~|\.swp|\.swo|\.tmp|\.part|\.crdownload)$", re.I)
_IGNORED_NAMES = {"thumbs.db", "desktop.ini"}


@dataclass(frozen=True)
class CorpusFile:
    """A file in the corpus that looks indexable; ``doc_id`` is its corpus-relative path."""

    doc_id: str
    path: Path
    size: int
    mtime_ns: int = 0
    ctime_ns: int = 0
    """Changes on every write, and no user can set it back (``touch -r`` restores only mtime)."""


@dataclass(frozen=True)
class Skipped:
    """A file left out of the index, and why (shown to the analyst)."""

    doc_id: str
    reason: str


def scan_corpus(corpus_dir: Path, max_bytes: int) -> tuple[list[CorpusFile], list[Skipped]]:
    """List indexable files under ``corpus_dir`` and the ones refused, both sorted by id.

    Uses ``os.scandir`` so each file costs one ``stat``: status on thousands of files stays fast.
    """
    if not corpus_dir.exists():
        raise CorpusError(f"corpus folder not found: {corpus_dir}")
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus path is not a folder: {corpus_dir}")
    root = corpus_dir.resolve()
    files: list[CorpusFile] = []
    skipped: list[Skipped] = []
    for found in _walk(str(corpus_dir), ""):
        if isinstance(found, Skipped):
            skipped.append(found)
            continue
        entry, doc_id = found
        path = Path(entry.path)
        if entry.is_symlink():
            try:
                path = confined_path(root, path)
            except SkipFile as exc:
                skipped.append(Skipped(doc_id, str(exc)))
                continue
        suffix = os.path.splitext(entry.name)[1].lower()
        if suffix not in TEXT_FORMATS and suffix not in CONVERTED_FORMATS:
            skipped.append(Skipped(doc_id, f"unsupported file type '{suffix or entry.name}'"))
            continue
        try:
            stat = entry.stat()
        except OSError as exc:
            skipped.append(Skipped(doc_id, f"unreadable: {exc.strerror}"))
            continue
        if stat.st_size == 0:
            skipped.append(Skipped(doc_id, "empty file"))
        elif stat.st_size > max_bytes * _SIZE_FACTOR.get(suffix, 1):
            limit = max_bytes * _SIZE_FACTOR.get(suffix, 1)
            skipped.append(Skipped(doc_id, f"too large ({stat.st_size / 1e6:.1f} MB > {limit / 1e6:.0f} MB limit)"))
        else:
            files.append(CorpusFile(doc_id, path, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns))
    return files, skipped


def confined_path(root: Path, path: Path) -> Path:
    """``path`` resolved, if it is a regular file inside the corpus ``root`` (already resolved).

    The one rule for every read of a source, at build time and whenever a citation, ``show``,
    the viewer or a brief reads it back: a symlink (or an id with ``..``) that leads outside
    the corpus, a symlink loop, a dangling link and a folder are all refused with a reason.
    The resolved target is what gets opened, so a link swapped afterwards is not followed.
    """
    try:
        target = path.resolve(strict=True)
    except RuntimeError:
        raise SkipFile("symlink loop") from None
    except FileNotFoundError:
        raise SkipFile("broken symlink or missing file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SkipFile("symlink loop") from None
        raise SkipFile(f"unreadable: {exc.strerror}") from None
    if not target.is_relative_to(root):
        raise SkipFile("symlink points outside the corpus")
    if target.is_dir():
        raise SkipFile("symlinked folder not followed")
    if not target.is_file():
        raise SkipFile("not a regular file")
    return target


def corpus_file(corpus_dir: Path, doc_id: str) -> Path:
    """The file behind a document id, confined to the corpus (see ``confined_path``)."""
    return confined_path(corpus_dir.resolve(), corpus_dir / doc_id)


def _walk(folder: str, prefix: str) -> Iterator[tuple[os.DirEntry[str], str] | Skipped]:
    """Files (and symlinks) below ``folder`` in name order, with their corpus-relative ids; a
    file or folder whose name is not UTF-8 comes back as ``Skipped`` (see ``is_utf8_name``)."""
    with os.scandir(folder) as it:
        entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        name = entry.name
        if ignored_name(name):
            continue
        doc_id = prefix + name
        if not is_utf8_name(name):
            folder_name = entry.is_dir(follow_symlinks=False)
            shown = escaped_name(doc_id) + ("/" if folder_name else "")
            yield Skipped(shown, f"{'folder' if folder_name else 'file'} name is not valid UTF-8 "
                                 f"({'nothing in it is indexed; ' if folder_name else ''}rename it to index it)")
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path, doc_id + "/")
        else:
            yield entry, doc_id


def is_utf8_name(name: str) -> bool:
    """Whether a name read from the file system is valid UTF-8. Python hands an undecodable
    name over with each bad byte as a lone surrogate (PEP 383), which no index file, JSON
    answer or terminal can carry: such a file is reported, never indexed, so a document's id
    is always text."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def escaped_name(name: str) -> str:
    """A file name as text whatever its bytes: an undecodable byte is shown as ``\\xff``
    (``b'bad\\xff.txt'`` reads "bad\\xff.txt"), so the analyst can find the file."""
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that stands for no byte
        return name.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def ignored_name(name: str) -> bool:
    """Whether a file or folder of this name is never a document: hidden, system clutter
    ("Thumbs.db") or a file still being written or edited ("~$memo.docx", ".part",
    ".crdownload", an editor's swap file). The scan skips them, and a watcher waits for them."""
    return name.startswith(".") or name.lower() in _IGNORED_NAMES or bool(_TEMP_NAME.search(name))


def sha256_file(path: Path) -> str:
    """Hash in blocks so a large file never has to fit in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def content_hash(source: CorpusFile, known: Any = None) -> str:
    """sha256 of the file, trusting a manifest entry whose size, mtime and ctime all still match
    (as git does). Raises ``SkipFile`` when the file cannot be read."""
    if (known is not None and known.size == source.size and known.mtime_ns and known.ctime_ns
            and known.mtime_ns == source.mtime_ns and known.ctime_ns == source.ctime_ns):
        return str(known.meta.file_sha256)
    try:
        return sha256_file(source.path)
    except OSError as exc:
        raise SkipFile(f"unreadable: {exc.strerror}") from None
