"""Office files are zip archives: check what one would expand to before any library opens it.

A 40 KB ``.docx`` can expand to gigabytes (a decompression bomb); python-docx, python-pptx and
openpyxl would inflate it in memory. The central directory states every member's size, so
the check costs nothing and needs no extraction.

Ratios alone do not bound the work: XML compresses about ten to one, so a 4 MB ``.docx`` can
hold 40 MB of XML, which python-docx parses into a tree twenty times that size in memory. The
XML parts a converter parses whole are bounded too, each and in all (``MAX_XML_PART_BYTES``,
``MAX_XML_BYTES``); parts it reads as a stream (a workbook's sheets, row by row) are not.
"""

from __future__ import annotations

import io
import zipfile

from assistant.errors import SkipFile

MAX_EXPANDED_BYTES = 512 * 1024 * 1024
"""What an Office file may expand to in all."""
MAX_RATIO = 200
"""Expanded size over compressed size, per member, above which a member is refused (text compresses
about 10:1; a bomb hundreds or thousands to one)."""
MAX_MEMBERS = 20_000
MAX_XML_PART_BYTES = 24_000_000
"""The largest XML part parsed whole (a Word file's body, a slide, a workbook's styles): several
times a 900-page handbook's ``word/document.xml``."""
MAX_XML_BYTES = 64_000_000
"""The XML parsed whole from one Office file, all parts together."""
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_office_archive(raw: bytes, kind: str, streamed: tuple[str, ...] = ()) -> None:
    """Raise ``SkipFile`` unless ``raw`` is a zip archive that expands to a sane size, with no
    more XML to parse whole than the limits; parts named with a prefix in ``streamed`` are read
    as a stream by their converter and count only towards the archive's total."""
    if raw.startswith(_OLE_MAGIC):
        raise SkipFile(f"password-protected or legacy (pre-2007) {kind} file")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise SkipFile(f"cannot read {kind}: not a valid Office file (damaged zip archive)") from None
    if len(members) > MAX_MEMBERS:
        raise SkipFile(f"cannot read {kind}: {len(members)} parts in the archive (a decompression bomb?)")
    total = xml = 0
    for member in members:
        total += member.file_size
        if member.file_size > 1_000_000 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            ratio = member.file_size // max(member.compress_size, 1)
            raise SkipFile(f"cannot read {kind}: {member.filename} expands {ratio} times (a decompression bomb?)")
        if member.filename.lower().endswith(_XML_SUFFIXES) and not member.filename.startswith(streamed):
            if member.file_size > MAX_XML_PART_BYTES:
                raise SkipFile(f"cannot read {kind}: {member.filename} is {member.file_size / 1e6:.0f} MB of XML "
                               f"(limit {MAX_XML_PART_BYTES / 1e6:.0f} MB per part)")
            xml += member.file_size
    if xml > MAX_XML_BYTES:
        raise SkipFile(f"cannot read {kind}: {xml / 1e6:.0f} MB of XML to parse "
                       f"(limit {MAX_XML_BYTES / 1e6:.0f} MB)")
    if total > MAX_EXPANDED_BYTES:
        raise SkipFile(f"cannot read {kind}: expands to {total / 1e6:.0f} MB "
                       f"(limit {MAX_EXPANDED_BYTES / 1e6:.0f} MB; a decompression bomb?)")
