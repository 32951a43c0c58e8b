"""Image files (a scanned letter, a photographed page, a multi-page fax TIFF) read by OCR."""

from __future__ import annotations

from typing import Any

from assistant.errors import SkipFile
from assistant.ingest import ocr
from assistant.ingest.converted import Converted
from assistant.ingest.structure import StructuredText, scanned_page

MAX_FRAMES = 500
"""Pages read from one multi-page TIFF."""


def convert_image(raw: bytes, file_sha: str, options: ocr.OcrOptions) -> Converted:
    why = ocr.unavailable(options)
    if why is not None:
        raise SkipFile(f"scanned image, not read: {why}")
    image = ocr.open_image(raw)
    frames = min(getattr(image, "n_frames", 1), MAX_FRAMES)

    def render(index: int) -> Any:
        image.seek(index)
        frame = image.convert("L")
        frame.load()
        return frame

    # Pillow's image is one object with a cursor: its frames are taken out one at a time.
    options = ocr.OcrOptions(options.enabled, options.languages, options.dpi, options.cache_dir, 1)
    try:
        read = ocr.ocr_pages(file_sha, list(range(frames)), render, options)
    except OSError as exc:
        raise SkipFile(f"cannot read image: {exc}".splitlines()[0][:200]) from None
    written = StructuredText()
    for i in range(frames):
        written.add_page(scanned_page(read[i].text, read[i].furniture))
    done = written.finish()
    confidences = [(i + 1, read[i].confidence) for i in range(frames) if read[i].text.strip()]
    total = getattr(image, "n_frames", 1)
    notes = [f"only the first {MAX_FRAMES} of {total} pages read"] if frames < total else []
    pages = list(done.pages) if frames > 1 else []
    return Converted(done.text, pages=pages, ocr=confidences, notes=notes, uncitable=list(done.uncitable))
