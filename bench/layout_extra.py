"""Layout candidates that Briefing does not install, run by another Python (``bench.layout``).

``python bench/layout_extra.py NAME FILE.pdf`` prints one JSON object: the file's paragraphs in
the candidate's reading order, the headings it marks (if it marks any), its page count and the
seconds it took. It imports nothing of Briefing, so it runs in a virtual environment that holds
only the candidate (docling-parse is MIT; PyMuPDF and pymupdf4llm are AGPL and must never ship:
they are measured here only to weigh them).
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any


def docling_parse(path: str) -> dict[str, Any]:
    """docling-parse's text lines, page by page, in the order it gives them (no layout model:
    docling orders them with its layout model, which is not part of docling-parse)."""
    from docling_parse.pdf_parser import DoclingPdfParser

    parser = DoclingPdfParser()
    doc = parser.load(path_or_stream=path)
    paragraphs: list[str] = []
    pages = 0
    for _, page in doc.iterate_pages():
        pages += 1
        for cell in page.textline_cells:
            paragraphs.append(cell.text)
    return {"paragraphs": paragraphs, "headings": None, "pages": pages}


def pymupdf_blocks(path: str) -> dict[str, Any]:
    """PyMuPDF's text blocks sorted top-left to bottom-right (``sort=True``)."""
    import pymupdf

    paragraphs: list[str] = []
    with pymupdf.open(path) as doc:
        pages = len(doc)
        for page in doc:
            for block in page.get_text("blocks", sort=True):
                if block[6] == 0:
                    paragraphs.append(" ".join(block[4].split()))
    return {"paragraphs": paragraphs, "headings": None, "pages": pages}


def pymupdf4llm_markdown(path: str) -> dict[str, Any]:
    """pymupdf4llm's Markdown (its own column and heading detection)."""
    import pymupdf
    import pymupdf4llm

    with pymupdf.open(path) as doc:
        pages = len(doc)
    text = pymupdf4llm.to_markdown(path, show_progress=False)
    paragraphs, headings = [], []
    for block in text.split("\n\n"):
        block = block.strip()
        if block.startswith("#"):
            headings.append(block.lstrip("#").strip().strip("*_ "))
        if block:
            paragraphs.append(" ".join(block.split()))
    return {"paragraphs": paragraphs, "headings": headings, "pages": pages}


CANDIDATES = {"docling-parse": docling_parse, "pymupdf": pymupdf_blocks, "pymupdf4llm": pymupdf4llm_markdown}


def main() -> None:
    name, path = sys.argv[1], sys.argv[2]
    started = time.perf_counter()
    try:
        out = CANDIDATES[name](path)
    except Exception as exc:  # noqa: BLE001 - a candidate failing on a file is a result
        out = {"paragraphs": [], "headings": None, "pages": 0, "error": f"{type(exc).__name__}: {exc}"[:200]}
    out["seconds"] = time.perf_counter() - started
    print(json.dumps(out))


if __name__ == "__main__":
    main()
