"""Tables on a scanned page, read as rows where their grid is visible.

OCR reads a scanned table line by line across its columns, so a row's figures lose their
headers. Where the page shows the table's ruling, the grid is found on the page image (OpenCV
morphology, as camelot's lattice parser finds it on a rendered page; camelot itself is not
imported, its import costs more than a page's search), each drawn cell is read by Tesseract
(all of a table's cells in one call), and the table is written as labelled rows
(``table_layout``, ``tables``) like a PDF's. A cell drawn across several columns or rows (no
ruling between them) holds its text once, in its first column and row. A table without ruling
stays as OCR read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.ingest.table_layout import table_from_grid
from assistant.ingest.tables import Table

PixelBox = tuple[int, int, int, int]
"""(left, top, right, bottom) in the page image's pixels."""

MIN_LINE = 40
"""A ruling is at least the page's size over this many pixels long (camelot's ``line_scale``)."""
MIN_AREA = 0.0005
"""Share of the page a grid must cover to be read (camelot's floor for a table's outline)."""
MAX_TABLES = 8
"""Grids read per page at most (the largest first)."""
MAX_CELLS = 600
"""Cells in one grid at most: each is one Tesseract call (a form of many boxes is left to the
page's OCR)."""


@dataclass(frozen=True)
class ScanTable:
    """A table found on a page image: its region and cells."""

    box: PixelBox
    table: Table


def grid_tables(image: Any, languages: str) -> list[ScanTable]:
    """The ruled tables of a page image, top to bottom, each drawn cell read by Tesseract on its
    own (a page read whole drops a lone figure in a wide cell, and text on a shaded header);
    none where OpenCV is missing or no grid of at least two rows and two columns shows."""
    try:
        import cv2
        import numpy as np
    except ImportError:
        return []
    gray = np.asarray(image.convert("L"))
    ink = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 15, -2)
    vmask, verticals = _lines(ink, vertical=True)
    hmask, horizontals = _lines(ink, vertical=False)
    outlines, _ = cv2.findContours(vmask + hmask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    regions = sorted((cv2.boundingRect(c) for c in outlines), key=lambda r: -r[2] * r[3])
    found = []
    for x, y, w, h in [r for r in regions if r[2] * r[3] >= MIN_AREA * gray.size][:MAX_TABLES]:
        box = (int(x), int(y), int(x + w), int(y + h))
        verts = [v for v in verticals if box[0] - 5 <= v[0] <= box[2] + 5 and v[1] < box[3] and v[2] > box[1]]
        hors = [h for h in horizontals if box[1] - 5 <= h[0] <= box[3] + 5 and h[1] < box[2] and h[2] > box[0]]
        # a column edge is ruled along much of the table (a letter's stroke is not)
        xs = [x for x in _edges([v[0] for v in verts]) if _ruled(verts, x, box[1], box[3], 0.2)]
        ys = [y for y in _edges([h[0] for h in hors]) if _ruled(hors, y, box[0], box[2], 0.2)]
        if len(xs) < 3 or len(ys) < 3 or (len(xs) - 1) * (len(ys) - 1) > MAX_CELLS:
            continue
        rows = _read_cells(gray, xs, ys, verts, hors, languages)
        table = table_from_grid(rows)
        if table is not None:
            found.append(ScanTable(box, table))
    return sorted(found, key=lambda t: t.box[1])


def _lines(ink: Any, vertical: bool) -> tuple[Any, list[tuple[int, int, int]]]:
    """The rulings of one direction: a mask of them, and each as (position, start, end) in pixels
    (x, top, bottom for a vertical one; y, left, right for a horizontal one). Ink is opened with
    a bar ``1/MIN_LINE`` of the page long, so only strokes at least that long survive (as
    camelot's lattice parser finds them on a rendered page)."""
    import cv2

    size = max(ink.shape[0 if vertical else 1] // MIN_LINE, 1)
    bar = cv2.getStructuringElement(cv2.MORPH_RECT, (1, size) if vertical else (size, 1))
    mask = cv2.dilate(cv2.erode(ink, bar), bar)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    out = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        out.append((x + w // 2, y, y + h) if vertical else (y + h // 2, x, x + w))
    return mask, out


def _edges(values: list[int], gap: int = 8) -> list[int]:
    """Line positions with near neighbours (one ruling seen twice) taken once."""
    out: list[int] = []
    for v in sorted(values):
        if not out or v - out[-1] > gap:
            out.append(v)
    return out


def _ruled(lines: list[tuple[int, int, int]], at: int, start: int, end: int, share: float = 0.6) -> bool:
    """Whether a ruling at ``at`` runs along ``share`` or more of ``start``..``end``."""
    covered = sum(max(0, min(hi, end) - max(lo, start)) for pos, lo, hi in lines if abs(pos - at) <= 8)
    return covered >= share * (end - start)


def _read_cells(gray: Any, xs: list[int], ys: list[int], verts: list[tuple[int, int, int]],
                hors: list[tuple[int, int, int]], languages: str) -> list[list[str]]:
    """Rows of cell texts. A cell drawn across missing rulings is read once, whole, and its text
    stands in its first column and row."""
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    for row in range(n_rows):
        for col in range(n_cols):
            r, c = row, col
            while c > 0 and not _ruled(verts, xs[c], ys[r], ys[r + 1]):
                c -= 1
            while r > 0 and not _ruled(hors, ys[r], xs[c], xs[c + 1]):
                r -= 1
            origin[(row, col)] = (r, c)
    spans: dict[tuple[int, int], list[int]] = {}
    for (row, col), start in origin.items():
        last = spans.setdefault(start, [row, col])
        spans[start] = [max(last[0], row), max(last[1], col)]
    grid = [["" for _ in range(n_cols)] for _ in range(n_rows)]
    cells = {(r, c): _clean(gray[ys[r]:ys[r2 + 1], xs[c]:xs[c2 + 1]]) for (r, c), (r2, c2) in spans.items()}
    texts = _ocr_stacked({key: img for key, img in cells.items() if img is not None}, languages)
    for (r, c), text in texts.items():
        grid[r][c] = text
    return grid


def _clean(cell: Any) -> Any:
    """A cell's image with its ruling trimmed off, black on white whatever its shading (Otsu);
    None for an empty cell."""
    import cv2

    height, width = cell.shape[:2]
    inset = 6
    if height <= 3 * inset or width <= 3 * inset:
        return None
    cell = cell[inset:height - inset, inset:width - inset]
    _, binary = cv2.threshold(cell, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    if (binary == 0).mean() > 0.5:
        binary = 255 - binary  # light text on a dark fill
    return binary if (binary == 0).mean() >= 0.002 else None


def _ocr_stacked(cells: dict[tuple[int, int], Any], languages: str) -> dict[tuple[int, int], str]:
    """Every cell's text from one Tesseract call: the cells are stacked down one white canvas,
    apart by blank bands, and each word read goes back to the cell whose band holds it."""
    if not cells:
        return {}
    import numpy as np
    import pytesseract

    gap = 30
    width = max(img.shape[1] for img in cells.values()) + 2 * gap
    height = sum(img.shape[0] + gap for img in cells.values()) + gap
    canvas = np.full((height, width), 255, dtype=np.uint8)
    bands: list[tuple[int, int, tuple[int, int]]] = []
    y = gap
    for key, img in cells.items():
        canvas[y:y + img.shape[0], gap:gap + img.shape[1]] = img
        bands.append((y, y + img.shape[0], key))
        y += img.shape[0] + gap
    data = pytesseract.image_to_data(canvas, lang=languages, config="--psm 6", output_type=pytesseract.Output.DICT)
    lines: dict[tuple[int, int], dict[tuple[int, int, int], list[tuple[int, str]]]] = {}
    for i, word in enumerate(data["text"]):
        word = (word or "").strip()
        if not word or float(data["conf"][i]) < 0:
            continue
        middle = data["top"][i] + data["height"][i] / 2
        cell = next((k for top, bottom, k in bands if top - gap / 2 <= middle < bottom + gap / 2), None)
        if cell is not None:
            line = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            lines.setdefault(cell, {}).setdefault(line, []).append((data["left"][i], word))
    return {key: "\n".join(" ".join(w for _, w in sorted(words)) for _, words in sorted(found.items()))
            for key, found in lines.items()}
