"""Text extraction for every format that is not plain text: one entry point, one module per format.

Each reader returns a ``Converted`` whose text Briefing indexes and cites; it is stored in the
index so offsets stay checkable with ``briefing show``. A reader raises ``SkipFile`` for a file
it refuses on purpose (password-protected, a decompression bomb); anything else a third-party
parser raises on a damaged file becomes a one-line ``SkipFile`` here.
"""

from __future__ import annotations

from assistant.errors import SkipFile
from assistant.ingest.converted import Converted, one_line_error
from assistant.ingest.library_warnings import captured
from assistant.ingest.ocr import OcrOptions


def convert(fmt: str, raw: bytes, file_sha: str = "", options: OcrOptions | None = None) -> Converted:
    """The file's text and structure; what its parsing libraries warned about is in its notes
    (``library_warnings``), never on the terminal."""
    options = options or OcrOptions()
    with captured() as caught:
        try:
            converted = read_format(fmt, raw, file_sha, options)
        except SkipFile:
            raise
        except MemoryError:
            raise SkipFile(f"cannot read {fmt.upper()}: too large to read into memory") from None
        except Exception as exc:  # noqa: BLE001 - third-party parsers raise anything on a bad file
            raise SkipFile(one_line_error(fmt.upper(), exc)) from None
    converted.notes.extend(caught.notes())
    return converted


def read_format(fmt: str, raw: bytes, file_sha: str, options: OcrOptions) -> Converted:
    """The reader of one format, as ``convert`` runs it (inside the warnings capture)."""
    if fmt == "html":
        from assistant.ingest.html import convert_html

        return convert_html(raw)
    if fmt == "pdf":
        from assistant.ingest.pdf import convert_pdf

        return convert_pdf(raw, file_sha, options)
    if fmt == "docx":
        from assistant.ingest.word import convert_docx

        return convert_docx(raw)
    if fmt == "pptx":
        from assistant.ingest.slides import convert_pptx

        return convert_pptx(raw)
    if fmt == "xlsx":
        from assistant.ingest.sheets import convert_xlsx

        return convert_xlsx(raw)
    if fmt == "image":
        from assistant.ingest.images import convert_image

        return convert_image(raw, file_sha, options)
    if fmt == "email":
        from assistant.ingest.mail import convert_message

        return convert_message(raw)
    raise SkipFile(f"unsupported format {fmt}")
