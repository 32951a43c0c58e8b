"""Tables read from real PDFs, against camelot's expected tables: which reader gets the cells right.

``python -m bench.tables`` (the ``tables`` step of ``make bench``) reads the pages listed in
``bench/golden/tables/expected.json`` (PDFs from camelot's own tests, with the cell lists its
tests expect; ``SOURCES.md`` there says which) with every candidate reader installed here, and
prints and writes ``bench/results/tables.json``: per candidate the share of expected cells
right (``bench.table_score`` defines it), per file and over all, ruled and unruled apart, and
pages per second. Each candidate reads the page with its default settings (the camelot tests'
per-file hints, such as column positions or ``line_scale``, are not passed: a user's PDF comes
with none). Candidates not installed are reported as skipped; ``pip install -e '.[tablebench]'`` brings
img2table (PyMuPDF is measured when present, but its AGPL licence keeps it out of the product).
The scanned table (unstructured's ``table-multi-row-column-cells.png``, Apache-2.0, with its
expected CSV) is read from its image by Briefing's grid reader, by img2table with Tesseract,
and by Tesseract's page text alone, when Tesseract is installed.
pypdfium2 and docling-parse give words, lines and boxes but find no tables themselves, so they
are not candidates here (they could only feed a hand-rolled table finder).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import RESULTS, ROOT, machine
from bench.table_score import Score, score_page

GOLDEN = ROOT / "bench" / "golden" / "tables"
Grid = list[list[str]]
Reader = Callable[[Path, int], list[Grid]]


@dataclass(frozen=True)
class Candidate:
    """A way of reading a page's tables, with the licence that decides whether it may ship."""

    name: str
    licence: str
    needs: str
    """The module that must import for the candidate to run."""
    read: Reader


def _grid(rows: Any) -> Grid:
    return [["" if c is None else str(c) for c in row] for row in rows]


def _product(path: Path, page: int) -> list[Grid]:
    import pdfplumber

    from assistant.ingest.pdf_tables import find_tables

    with pdfplumber.open(path) as pdf:
        return [_grid(t.table.rows) for t in find_tables(pdf.pages[page - 1])]


def _plumber(settings: dict[str, Any], text: dict[str, Any]) -> Reader:
    def read(path: Path, page: int) -> list[Grid]:
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            return [_grid(t.extract(**text)) for t in pdf.pages[page - 1].find_tables(settings)]

    return read


def _camelot(flavor: str) -> Reader:
    def read(path: Path, page: int) -> list[Grid]:
        import camelot

        tables = camelot.read_pdf(str(path), pages=str(page), flavor=flavor, suppress_stdout=True)
        return [_grid(t.df.values.tolist()) for t in tables]

    return read


def _img2table(path: Path, page: int) -> list[Grid]:
    from img2table.document import PDF

    found = PDF(str(path), pages=[page - 1], pdf_text_extraction=True).extract_tables(
        implicit_rows=True, borderless_tables=True)
    return [_grid(t.df.values.tolist()) for t in found.get(page - 1, [])]


def _pymupdf(path: Path, page: int) -> list[Grid]:
    import pymupdf

    with pymupdf.open(str(path)) as doc:
        return [_grid(t.extract()) for t in doc[page - 1].find_tables().tables]


TUNED = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3, "join_tolerance": 3,
         "intersection_tolerance": 3}
TEXT = {"vertical_strategy": "text", "horizontal_strategy": "text", "min_words_vertical": 3,
        "min_words_horizontal": 1, "text_x_tolerance": 1.5}
CANDIDATES = [
    Candidate("briefing", "MIT (camelot-py MIT, OpenCV Apache-2.0)", "camelot", _product),
    Candidate("pdfplumber-lines", "MIT", "pdfplumber", _plumber({}, {})),
    Candidate("pdfplumber-lines-tuned", "MIT", "pdfplumber",
              _plumber(TUNED, {"x_tolerance": 1.5, "layout": False})),
    Candidate("pdfplumber-text", "MIT", "pdfplumber", _plumber(TEXT, {"x_tolerance": 1.5})),
    Candidate("camelot-lattice", "MIT (OpenCV Apache-2.0)", "camelot", _camelot("lattice")),
    Candidate("camelot-stream", "MIT", "camelot", _camelot("stream")),
    Candidate("camelot-network", "MIT", "camelot", _camelot("network")),
    Candidate("camelot-hybrid", "MIT (OpenCV Apache-2.0)", "camelot", _camelot("hybrid")),
    Candidate("img2table", "MIT (OpenCV Apache-2.0)", "img2table", _img2table),
    Candidate("pymupdf", "AGPL-3.0 (excluded from the product)", "pymupdf", _pymupdf),
]


ICDAR = Path("/work/.mirror/camelot-dev+camelot/repo")
ICDAR_DIR = "tests/files/tabula/icdar2013-dataset"


def icdar_cases() -> list[dict[str, Any]] | None:
    """The ICDAR 2013 table competition's human-made structure ground truth (``*-str.xml``,
    shipped in camelot's tests), read from a fetched camelot mirror; None when it is absent.

    A held-out check: none of the rules were written against these documents. Each table's
    cells are placed at their start row and column (a spanning cell's text in its top-left
    cell, as camelot's expectations do), on the page its region names."""
    import subprocess
    import xml.etree.ElementTree as ET

    git = ["git", "-C", str(ICDAR)]
    listed = subprocess.run([*git, "ls-tree", "-r", "--name-only", "HEAD", ICDAR_DIR], capture_output=True, text=True)
    if listed.returncode != 0:
        return None
    out: list[dict[str, Any]] = []
    for name in sorted(n for n in listed.stdout.split() if n.endswith("-str.xml")):
        pdf = name.replace("-str.xml", ".pdf")
        if pdf not in listed.stdout.split():
            continue
        root = ET.fromstring(subprocess.run([*git, "show", f"HEAD:{name}"], capture_output=True, check=True).stdout)
        pages: dict[int, list[list[list[str]]]] = {}
        for region in root.iter("region"):
            cells = [(int(c.get("start-row", 0)), int(c.get("start-col", 0)), (c.findtext("content") or ""))
                     for c in region.iter("cell")]
            if not cells:
                continue
            r0, c0 = min(r for r, _, _ in cells), min(c for _, c, _ in cells)
            grid = [[""] * (max(c for _, c, _ in cells) - c0 + 1) for _ in range(max(r for r, _, _ in cells) - r0 + 1)]
            for r, c, text in cells:
                grid[r - r0][c - c0] = text
            pages.setdefault(int(region.get("page", 1)), []).append(grid)
        for page, tables in sorted(pages.items()):
            out.append({"pdf": pdf, "page": page, "tables": tables})
    return out


def icdar(names: list[str]) -> dict[str, Any]:
    """The candidates named, on every ICDAR 2013 table page (from the mirror; skipped without it)."""
    import subprocess
    import tempfile

    cases = icdar_cases()
    if cases is None:
        return {"skipped": f"camelot mirror not found at {ICDAR} (fetch github:camelot-dev/camelot)"}
    out: dict[str, Any] = {"pages": len(cases), "tables": sum(len(c["tables"]) for c in cases)}
    with tempfile.TemporaryDirectory() as tmp:
        paths: dict[str, Path] = {}
        for case in cases:
            if case["pdf"] not in paths:
                path = Path(tmp) / Path(case["pdf"]).name
                path.write_bytes(subprocess.run(["git", "-C", str(ICDAR), "show", f"HEAD:{case['pdf']}"],
                                                capture_output=True, check=True).stdout)
                paths[case["pdf"]] = path
        for cand in CANDIDATES:
            if cand.name not in names or not _available(cand.needs):
                continue
            right = expected = 0
            started = time.perf_counter()
            for case in cases:
                try:
                    read = cand.read(paths[case["pdf"]], case["page"])
                except Exception:  # noqa: BLE001 - a reader that fails on a page scores nothing there
                    read = []
                for score in score_page(case["tables"], read):
                    right, expected = right + score.right, expected + score.expected
            out[cand.name] = {"cells_right": round(right / max(expected, 1), 4), "right": right, "expected": expected,
                              "pages_per_s": round(len(cases) / (time.perf_counter() - started), 2)}
    return out


def _available(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def run(names: list[str] | None = None) -> dict[str, Any]:
    golden = json.loads((GOLDEN / "expected.json").read_text(encoding="utf-8"))
    cases = golden["cases"]
    out: dict[str, Any] = {"source": golden["source"], "machine": machine(), "candidates": {}}
    for cand in CANDIDATES:
        if names and cand.name not in names:
            continue
        if not _available(cand.needs):
            out["candidates"][cand.name] = {"skipped": f"{cand.needs} not installed", "licence": cand.licence}
            continue
        per_file: dict[str, Any] = {}
        kinds: dict[str, list[Score]] = {}
        seconds = 0.0
        for case in cases:
            path = GOLDEN / case["file"]
            started = time.perf_counter()
            try:
                read = cand.read(path, case["page"])
                error = ""
            except Exception as exc:  # noqa: BLE001 - a reader that fails on a page scores nothing there
                read, error = [], f"{type(exc).__name__}: {exc}"[:200]
            seconds += time.perf_counter() - started
            scores = score_page([t["rows"] for t in case["tables"]], read)
            kinds.setdefault(case["kind"], []).extend(scores)
            kinds.setdefault("all", []).extend(scores)
            per_file[case["file"]] = {"right": sum(s.right for s in scores),
                                      "expected": sum(s.expected for s in scores),
                                      "share": round(sum(s.right for s in scores) / sum(s.expected for s in scores), 3),
                                      "tables_read": len(read), **({"error": error} if error else {})}
        summary = {k: round(sum(s.right for s in v) / sum(s.expected for s in v), 4) for k, v in kinds.items()}
        out["candidates"][cand.name] = {"licence": cand.licence, "cells_right": summary,
                                        "pages_per_s": round(len(cases) / seconds, 2), "files": per_file}
    return out


SCAN = GOLDEN / "table-multi-row-column-cells.png"
SCAN_EXPECTED = GOLDEN / "table-multi-row-column-cells-actual.csv"


def _scan_briefing(path: Path) -> list[Grid]:
    from PIL import Image

    from assistant.ingest.scan_tables import grid_tables

    return [_grid(t.table.rows) for t in grid_tables(Image.open(path).convert("L"), "eng")]


def _scan_img2table(path: Path) -> list[Grid]:
    from img2table.document import Image as Img2TableImage
    from img2table.ocr import TesseractOCR

    found = Img2TableImage(str(path)).extract_tables(ocr=TesseractOCR(lang="eng"), implicit_rows=True)
    return [_grid(t.df.values.tolist()) for t in found]


def _scan_page_ocr(path: Path) -> list[Grid]:
    """Tesseract's page text, one line a row and one word a cell: what OCR alone gives."""
    import pytesseract
    from PIL import Image

    text = pytesseract.image_to_string(Image.open(path).convert("L"))
    return [[line.split() for line in text.splitlines() if line.strip()]]


def scanned() -> dict[str, Any]:
    """The scanned table (unstructured's example image) against its expected CSV."""
    import csv
    import shutil

    if shutil.which("tesseract") is None:
        return {"skipped": "tesseract not installed"}
    expected = [row for row in csv.reader(SCAN_EXPECTED.read_text(encoding="utf-8").splitlines())]
    out: dict[str, Any] = {"file": SCAN.name}
    for name, needs, read in (("briefing", "camelot", _scan_briefing), ("img2table", "img2table", _scan_img2table),
                              ("page-ocr", "pytesseract", _scan_page_ocr)):
        if not _available(needs):
            out[name] = {"skipped": f"{needs} not installed"}
            continue
        started = time.perf_counter()
        try:
            grids = read(SCAN)
        except Exception as exc:  # noqa: BLE001 - a reader that fails scores nothing
            out[name] = {"error": f"{type(exc).__name__}: {exc}"[:200]}
            continue
        score = score_page([expected], grids)[0]
        out[name] = {"cells_right": round(score.share, 4), "right": score.right, "expected": score.expected,
                     "seconds": round(time.perf_counter() - started, 2)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*", help="candidate names")
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument("--icdar", nargs="*", metavar="CANDIDATE",
                        help="also score these candidates (default: briefing, pdfplumber-lines, camelot-network, "
                             "camelot-hybrid) on ICDAR 2013's ground truth, read from the camelot mirror")
    args = parser.parse_args()
    result = run(args.only)
    result["scanned"] = scanned()
    if args.icdar is not None:
        result["icdar2013"] = icdar(args.icdar or ["briefing", "pdfplumber-lines", "camelot-network", "camelot-hybrid"])
    if not args.no_save:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "tables.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    brief = {name: c.get("cells_right", c.get("skipped")) for name, c in result["candidates"].items()}
    print(json.dumps({"cells_right": brief,
                      "pages_per_s": {n: c.get("pages_per_s") for n, c in result["candidates"].items()},
                      "scanned": {n: v.get("cells_right", v) if isinstance(v, dict) else v
                                  for n, v in result["scanned"].items()},
                      "icdar2013": {n: v.get("cells_right", v) if isinstance(v, dict) else v
                                    for n, v in result.get("icdar2013", {}).items()}}))


if __name__ == "__main__":
    main()
