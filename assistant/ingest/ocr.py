"""Reading scanned pages and images with Tesseract, once per page of each file's content.

Tesseract (Debian's ``tesseract-ocr``) runs as a child process through ``pytesseract``; each
call is limited to one thread (``OMP_THREAD_LIMIT=1``) so that a build can keep one page per
core in flight. Its word boxes give the text line by line and a confidence per word; a page's
confidence is the mean over its words, kept so that ``index status`` can list doubtful pages.

Results are cached outside the index generations (``IndexLayout.ocr_cache``), keyed by the
file's hash, the page and the languages: a killed build loses none of the pages it finished,
and a file that comes back unchanged is never read twice.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import SkipFile
from assistant.ingest import scan_tables
from assistant.ingest.paragraphs import Line, Paragraph, continues, merged, paragraphs
from assistant.ingest.tables import table_lines

if TYPE_CHECKING:
    from PIL.Image import Image

INSTALL_HINT = "install tesseract-ocr"
MAX_PIXELS = 100_000_000
"""Largest image (in pixels) decoded for OCR: Pillow's own guard against decompression bombs
sits near here, and a page scanned at 600 dpi on A3 is about 70 million."""


@dataclass(frozen=True)
class OcrOptions:
    """What a file's reader needs to OCR its pages; plain data, so a Ray task can carry it."""

    enabled: bool = True
    languages: str = "eng"
    dpi: int = 300
    cache_dir: Path | None = None
    workers: int = 1


@dataclass(frozen=True)
class OcrPage:
    """The recognised text of one page and the mean confidence (0-100) of its words."""

    text: str
    confidence: float
    furniture: tuple[str, ...] = ()
    """Short lines in the page's top or bottom margin band (a running head, a folio), kept out
    of ``text`` and written after it, never cited."""


def unavailable(options: OcrOptions) -> str | None:
    """Why pages cannot be OCR'd here (the reason a skipped page carries), or None."""
    if not options.enabled:
        return "OCR is off (BRIEFING_OCR=0)"
    missing = missing_languages(options.languages)
    if missing is None:
        return f"{INSTALL_HINT} (apt-get install tesseract-ocr tesseract-ocr-eng)"
    if missing:
        packages = " ".join(f"tesseract-ocr-{lang.lower()}" for lang in missing)
        return f"Tesseract has no data for {'+'.join(missing)} (apt-get install {packages})"
    return None


@lru_cache(maxsize=8)
def missing_languages(languages: str) -> tuple[str, ...] | None:
    """The languages Tesseract lacks data for; None when Tesseract itself is missing."""
    if shutil.which("tesseract") is None:
        return None
    import pytesseract

    try:
        installed = set(pytesseract.get_languages(config=""))
    except Exception:  # noqa: BLE001 - a broken installation reads as a missing one
        return None
    return tuple(lang for lang in languages.split("+") if lang not in installed)


def recognise(image: Image, languages: str) -> OcrPage:
    """OCR one page image: its paragraphs in reading order, each on one line, a blank line apart."""
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    data = pytesseract.image_to_data(image, lang=languages, output_type=pytesseract.Output.DICT)
    # a ruled table's words are written as its labelled rows, in place (``scan_tables``), not as
    # lines read across its columns
    return page_text(data, scan_tables.grid_tables(image, languages))


def page_text(data: dict[str, list[Any]], tables: Sequence[scan_tables.ScanTable] = ()) -> OcrPage:
    """A page from Tesseract's word table (``image_to_data``): its lines (block, paragraph,
    line numbers) with their boxes joined into paragraphs as a PDF's are (``paragraphs``).

    Tesseract puts the lines of one sentence in paragraphs or blocks of their own when the
    line spacing is wide; read as its blank lines say, each half became a fragment that was
    never cited. Its paragraph numbers are a hint here, not a break: lines go on as one
    paragraph while the sentence does.
    """
    lines: dict[tuple[int, int, int, int], list[int]] = {}
    confidences: list[float] = []
    for i, word in enumerate(data["text"]):
        word = (word or "").strip()
        conf = float(data["conf"][i])
        if not word or conf < 0:
            continue
        confidences.append(conf)
        x, y = data["left"][i] + data["width"][i] / 2, data["top"][i] + data["height"][i] / 2
        if any(t.box[0] <= x <= t.box[2] and t.box[1] <= y <= t.box[3] for t in tables):
            continue  # read as the table's cells
        key = (int(data["page_num"][i]), int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        lines.setdefault(key, []).append(i)
    vocabulary = {str(data["text"][i]).strip().lower() for rows in lines.values() for i in rows}
    known = vocabulary.__contains__
    heights = sorted(int(data["height"][i]) for rows in lines.values() for i in rows)
    # a recognised word's box follows its letters (ascenders, descenders), not the font: every
    # line is given the page's usual height, so no line reads as a change of font
    size = float(heights[len(heights) // 2]) if heights else 10.0
    columns: list[list[Line]] = []
    margin = _margin_rows(data, lines, size)
    furniture = [" ".join(str(data["text"][i]).strip() for i in lines[key]) for key in sorted(margin)]
    previous: tuple[int, int, int, int] | None = None
    for key in sorted(lines):
        if key in margin:
            continue
        rows = lines[key]
        x0 = min(int(data["left"][i]) for i in rows)
        x1 = max(int(data["left"][i]) + int(data["width"][i]) for i in rows)
        line = Line(" ".join(str(data["text"][i]).strip() for i in rows), x0, min(int(data["top"][i]) for i in rows),
                    x1, max(int(data["top"][i]) + int(data["height"][i]) for i in rows), size,
                    new_paragraph=previous is not None and key[:3] != previous[:3])
        if columns and _same_column(columns[-1], line):
            columns[-1].append(line)
        else:
            columns.append([line])
        previous = key
    joined: list[Paragraph] = []
    for column in columns:
        for paragraph in paragraphs(column, known):
            if joined and continues(joined[-1], paragraph):
                joined[-1] = merged(joined[-1], paragraph, known)
            else:
                joined.append(paragraph)
    blocks = [(p.lines[0].top, p.text) for p in joined]
    for table in tables:  # before the first paragraph (in reading order) below the table's top
        at = next((n for n, (top, _) in enumerate(blocks) if top > table.box[1]), len(blocks))
        blocks.insert(at, (table.box[1], "\n".join(table_lines(table.table))))
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    return OcrPage("\n\n".join(text for _, text in blocks if text), round(mean, 1), tuple(furniture))


MARGIN_WORDS = 10
"""Words a scanned page's first or last row may hold and still be a running head or foot."""
MARGIN_GAP = 2.0
"""How many times the page's usual gap between rows sets the head or foot apart from the text."""


def _margin_rows(data: dict[str, list[Any]], lines: dict[Key, list[int]], size: float) -> set[Key]:
    """The lines of a scanned page's first and last rows when they are short and stand apart
    from the text (a running head such as "5 CFR Ch. I (1-1-22 Edition) Pt. 2", a folio)."""
    boxes = {key: (min(int(data["top"][i]) for i in rows), max(int(data["top"][i]) + int(data["height"][i])
                                                                for i in rows)) for key, rows in lines.items()}
    ordered = sorted(boxes, key=lambda key: boxes[key][0])
    rows: list[list[Key]] = []
    for key in ordered:
        if rows and boxes[key][0] - boxes[rows[-1][0]][0] < 0.5 * size:
            rows[-1].append(key)
        else:
            rows.append([key])
    if len(rows) < 4:
        return set()
    spans = [(min(boxes[k][0] for k in row), max(boxes[k][1] for k in row)) for row in rows]
    gaps = [b[0] - a[1] for a, b in zip(spans, spans[1:], strict=False)]
    usual = sorted(gaps)[len(gaps) // 2]
    out: set[Key] = set()
    for row, gap in ((rows[0], gaps[0]), (rows[-1], gaps[-1])):
        if sum(len(lines[k]) for k in row) <= MARGIN_WORDS and gap >= MARGIN_GAP * max(usual, 0.25 * size):
            out.update(row)
    return out


Key = tuple[int, int, int, int]
"""(page, block, paragraph, line) of a line in Tesseract's word table."""


def _same_column(column: list[Line], line: Line) -> bool:
    """Whether ``line`` goes on below ``column`` (their widths overlap by half the narrower)."""
    last = column[-1]
    overlap = min(last.x1, line.x1) - max(last.x0, line.x0)
    return line.top >= last.top and overlap >= 0.5 * min(last.x1 - last.x0, line.x1 - line.x0)


CACHE_VERSION = "p3"
"""Part of a cached page's name: pages read before lines were joined into paragraphs are read again."""


class OcrCache:
    """Recognised pages on disk, one small JSON file each, written atomically."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _path(self, file_sha: str, page: int, options: OcrOptions) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / file_sha[:2] / file_sha / f"{page}-{options.languages}-{options.dpi}-{CACHE_VERSION}.json"

    def get(self, file_sha: str, page: int, options: OcrOptions) -> OcrPage | None:
        path = self._path(file_sha, page, options)
        if path is None or not path.is_file():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return OcrPage(str(data["text"]), float(data["confidence"]),
                           tuple(str(t) for t in data.get("furniture", ())))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged entry is read again

    def put(self, file_sha: str, page: int, options: OcrOptions, result: OcrPage) -> None:
        path = self._path(file_sha, page, options)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                             suffix=".tmp") as fh:
                json.dump({"text": result.text, "confidence": result.confidence,
                           "furniture": list(result.furniture)}, fh)
            os.replace(fh.name, path)
        except OSError:
            pass  # the cache only saves time; the page is in this build all the same

    def prune(self, keep: set[str]) -> None:
        """Forget files no longer in the index (called after a build is published)."""
        if self.folder is None or not self.folder.is_dir():
            return
        for shard in self.folder.iterdir():
            for entry in shard.iterdir() if shard.is_dir() else ():
                if entry.name not in keep:
                    shutil.rmtree(entry, ignore_errors=True)


def ocr_pages(file_sha: str, pages: Sequence[int], render: Callable[[int], Image],
              options: OcrOptions) -> dict[int, OcrPage]:
    """OCR ``pages`` (0-based) of one file, ``options.workers`` at a time, through the cache.

    ``render(i)`` makes page ``i``'s image. Raises ``SkipFile`` when an image is too large.
    """
    cache = OcrCache(options.cache_dir)
    done: dict[int, OcrPage] = {}
    todo = []
    for page in pages:
        hit = cache.get(file_sha, page, options)
        if hit is None:
            todo.append(page)
        else:
            done[page] = hit

    def one(page: int) -> tuple[int, OcrPage]:
        result = recognise(render(page), options.languages)
        cache.put(file_sha, page, options, result)
        return page, result

    if len(todo) <= 1 or options.workers <= 1:
        done.update(one(page) for page in todo)
    else:
        with ThreadPoolExecutor(max_workers=options.workers) as pool:
            done.update(pool.map(one, todo))
    return done


def open_image(raw: bytes) -> Any:
    """Pillow's image of ``raw``, refusing one over ``MAX_PIXELS`` before it is decoded."""
    import io

    from PIL import Image as PILImage

    PILImage.MAX_IMAGE_PIXELS = MAX_PIXELS
    with warnings.catch_warnings():
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        try:
            image = PILImage.open(io.BytesIO(raw))
            width, height = image.size
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
            raise SkipFile(f"image too large to read (over {MAX_PIXELS // 1_000_000} million pixels)") from None
    if width * height > MAX_PIXELS:
        raise SkipFile(f"image too large to read ({width}x{height} pixels, limit {MAX_PIXELS // 1_000_000} million)")
    return image
