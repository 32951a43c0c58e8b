"""Figures of how documents are read (issue 34): PDF reading order, paragraphs and headings
beside other readers (``layout.json``), tables beside other table readers (``tables.json``), and
the mixed build beside the reader before (``formats-mixed.json``). Each from its
``bench/results`` file with the CPU that measured it, as ``figures`` does."""

from __future__ import annotations

from statistics import median

from docgen.figures import Results, num
from docgen.markdown import table

READERS = {
    "briefing": "**Briefing** (pdfplumber's words, cut into blocks, joined into paragraphs)",
    "briefing-before": "Briefing before issue 34 (pypdf's lines, pdfplumber's tables)",
    "pypdf": "pypdf's text layer",
    "pypdfium2": "pypdfium2's text",
    "pdfminer-layout": "pdfminer.six's layout analysis",
    "docling-parse": "docling-parse's text lines",
    "pymupdf": "PyMuPDF's blocks, sorted",
    "pymupdf4llm": "pymupdf4llm's Markdown",
}
"""How the PDF readers compared are named on the page, in the results file's order otherwise."""


def layout_block() -> str:
    r = Results("layout.json")
    summary = r.get("summary")
    rows = []
    for key, s in summary.items():
        rows.append((READERS.get(key, key), num(s["order"]), num(s["whole"]), num(s["in_order"]),
                     num(s["headings"]) if "headings" in s else "—", num(s["pages_per_s"], 1), s["licence"]))
    real = r.get("realdocs")
    before, after = real["before"], real["after"]
    docs = r.get("documents")
    fragments = table(["real PDFs of `tests/realdocs/`, OCR off", "citable sentences", "start mid-sentence",
                       "page furniture"],
                      [(f"before (commit {real['baseline_commit']})", num(before["sentences"]),
                        num(before["mid_sentence_starts"]), num(before["furniture"])),
                       ("now", num(after["sentences"]), num(after["mid_sentence_starts"]), num(after["furniture"]))])
    return (table(["reader", "order", "paragraphs whole", "in order", "headings", "pages/s", "licence"], rows)
            + f"\n\n{len(docs)} documents: docling's test PDFs with their ground truth and two generated ones "
              "whose columns are written across the page.\n\n" + fragments + "\n\n"
            + r.source(command="python -m bench run layout") + "\n")


def tables_block() -> str:
    r = Results("tables.json")
    rows = []
    for name, c in r.get("candidates").items():
        cells = c["cells_right"]
        rows.append((f"**{name}**" if name == "briefing" else name, num(cells["all"]), num(cells["ruled"]),
                     num(cells["unruled"]), num(c["pages_per_s"], 2), c["licence"]))
    icdar = r.get("icdar2013")
    icdar_rows = [(name, num(v["cells_right"]), num(v["pages_per_s"], 2))
                  for name, v in icdar.items() if isinstance(v, dict)]
    scanned = r.get("scanned")
    scan = ", ".join(f"{name} {num(v['cells_right'])} ({v['right']}/{v['expected']})"
                     for name, v in scanned.items() if isinstance(v, dict))
    return (table(["reader", "cells right", "ruled", "unruled", "pages/s", "licence"], rows)
            + f"\n\nICDAR 2013 (its human-made ground truth; {icdar['pages']} pages, {icdar['tables']} tables):\n\n"
            + table(["reader", "cells right", "pages/s"], icdar_rows)
            + f"\n\nA scanned table (`{scanned['file']}`, cells right): {scan}.\n\n"
            + r.source(command="python -m bench run tables") + "\n")


def mixed_build_block() -> str:
    r = Results("formats-mixed.json")
    now, before = r.get("this_code"), r.get("baseline")

    def runs(rows: list[dict[str, float]], key: str) -> str:
        return ", ".join(num(x[key], 1) for x in rows) + f" (median {num(median(x[key] for x in rows), 1)})"

    rows = [(f"before (commit {r.get('baseline_commit')})", runs(before, "cpu_seconds"), runs(before, "seconds")),
            ("now", runs(now, "cpu_seconds"), runs(now, "seconds")),
            ("now / before, medians", num(r.get("ratio_cpu_seconds"), 2), num(r.get("ratio_seconds"), 2))]
    first = now[0]
    return (table([f"the same {first['files']} mixed files ({first['documents']} documents), "
                   f"{r.get('runs')} builds each, taking turns", "CPU seconds", "wall seconds"], rows)
            + "\n\n" + r.source(command="BRIEFING_BENCHMARKS=../shared/benchmarks python -m bench.formats mixed")
            + "\n")
