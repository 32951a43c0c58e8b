"""Reading order of PDF text layers: candidate readers against ground truth, side by side.

``python -m bench.layout`` (step ``layout``) prints one JSON object and writes
``bench/results/layout.json``. Each candidate reads the same PDFs:

- docling's test PDFs with their ground-truth Markdown (``tests/data/pdf/sources/*.pdf`` and
  ``tests/data/pdf/groundtruth/*.md`` of the docling repository, read from the mirror named by
  ``BENCH_DOCLING_REPO``; right-to-left scripts left out), and
- generated two- and three-column documents (``tests.docs.write_columns_pdf``: running heads,
  folios, a rotated stamp, hyphenated line ends, a paragraph going on over columns and pages),
  whose paragraphs and headings are known exactly.

Scores, per candidate, over all documents:

- **order**: the longest common subsequence of the ground truth's words and the candidate's,
  over the ground truth's words (1.0: every word, in the right order);
- **whole**: the share of ground-truth paragraphs (6 words or more) found unbroken inside one
  of the candidate's paragraphs (a sentence cut at a line, column or page end fails it);
- **in_order**: the same, with the candidate's paragraph breaks ignored (reading order alone);
- **headings**: the share of ground-truth headings the candidate marks as headings (only for
  candidates that mark any);
- **pages_per_s**: pages over the seconds the candidate took (documents read one at a time).

With the real-document set (``tests/realdocs/*.pdf``) in the checkout, it also counts, with this
code and with ``BASELINE`` (the reader before issue 34's layout work, a git worktree), the
citable sentences that start mid-sentence and those that are page furniture
(``bench/layout_realdocs.py``).

Candidates: Briefing's PDF reader before this work (``BASELINE``: pypdf's text layer line by
line, pdfplumber's ruled tables, in a process of its own), pypdf's text layer alone, pypdfium2's
text, pdfminer.six's own layout analysis (LAParams, boxes_flow 0.5: its text boxes as
paragraphs), and Briefing's reader (pdfplumber words, XY-cut, ``ingest.pdf``). docling-parse,
PyMuPDF and pymupdf4llm run in the Python named by ``BENCH_LAYOUT_PYTHON`` when it is set
(``bench/layout_extra.py``): they are not Briefing's dependencies (PyMuPDF is AGPL).
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import RESULTS, ROOT, baseline_tree, machine

BASELINE = "38ad3ae"
"""main before layout reading: pypdf's text layer line by line, tables from pdfplumber."""
REALDOCS = Path(os.environ.get("BENCH_REALDOCS", str(ROOT / "tests" / "realdocs")))
DOCLING = Path(os.environ.get("BENCH_DOCLING_REPO", "/work/.mirror/docling-project+docling/repo"))
SKIP = ("right_to_left",)
LICENCES = {"briefing-before": "BSD-3-Clause (pypdf) + MIT (pdfplumber)",
            "pypdf": "BSD-3-Clause", "pypdfium2": "Apache-2.0 / BSD-3-Clause (PDFium)",
            "pdfminer-layout": "MIT", "briefing": "MIT (pdfplumber MIT, pdfminer.six MIT)",
            "docling-parse": "MIT", "pymupdf": "AGPL-3.0 (must not ship)", "pymupdf4llm": "AGPL-3.0 (must not ship)"}
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Truth:
    name: str
    pdf: Path
    paragraphs: list[str]
    headings: list[str]


@dataclass(frozen=True)
class Read:
    paragraphs: list[str]
    headings: list[str] | None
    pages: int
    seconds: float


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _markdown_text(line: str) -> str:
    line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)
    line = line.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    return re.sub(r"\\(.)", r"\1", line).replace("**", "").replace("`", "").strip()


def docling_truths(folder: Path) -> list[Truth]:
    """The docling test PDFs that have ground truth, copied out of the mirror into ``folder``."""
    if not DOCLING.exists():
        return []
    listed = subprocess.run(["git", "-C", str(DOCLING), "ls-tree", "-r", "--name-only", "HEAD"],
                            capture_output=True, text=True).stdout.split()
    out = []
    for path in listed:
        m = re.fullmatch(r"tests/data/pdf/sources/(.+)\.pdf", path)
        if not m or any(m.group(1).startswith(s) for s in SKIP):
            continue
        truth = f"tests/data/pdf/groundtruth/{m.group(1)}.md"
        if truth not in listed:
            continue
        raw = subprocess.run(["git", "-C", str(DOCLING), "show", f"HEAD:{path}"], capture_output=True).stdout
        md = subprocess.run(["git", "-C", str(DOCLING), "show", f"HEAD:{truth}"], capture_output=True,
                            text=True).stdout
        if not raw.startswith(b"%PDF"):
            continue  # kept out of the mirror (a large file)
        pdf = folder / f"{m.group(1)}.pdf"
        pdf.write_bytes(raw)
        paragraphs, headings = [], []
        for block in md.split("\n\n"):
            block = block.strip()
            if not block or block.startswith(("<!--", "|")):
                continue
            for line in block.split("\n") if block.startswith("- ") else [block]:
                text = _markdown_text(line.removeprefix("- "))
                if text.startswith("#"):
                    text = text.lstrip("#").strip()
                    headings.append(text)
                if text:
                    paragraphs.append(" ".join(text.split()))
        out.append(Truth(m.group(1), pdf, paragraphs, headings))
    return out


def generated_truths(folder: Path) -> list[Truth]:
    """Two- and three-column documents made from covidqa-dev paragraphs (none without the set)."""
    from tests import docs

    source = _source_paragraphs()
    out: list[Truth] = []
    if len(source) < 30:
        print("covidqa-dev not found (BRIEFING_BENCHMARKS): no generated documents", file=sys.stderr)
        return out
    for columns in (2, 3):
        blocks: list[tuple[str, str]] = []
        headings: list[str] = []
        paragraphs: list[str] = []
        for i, text in enumerate(source[columns * 5 : columns * 5 + 12]):
            if i % 4 == 0:
                heading = f"{i // 4 + 1}. Findings on {' '.join(text.split()[2:5])}"
                blocks.append(("h", heading))
                headings.append(heading)
                paragraphs.append(heading)
            blocks.append(("p", text))
            paragraphs.append(text)
        pdf = folder / f"generated-{columns}-columns.pdf"
        docs.write_columns_pdf(pdf, blocks, columns=columns, title=f"Generated {columns}-column report",
                               head="Weekly Bulletin / Vol. 3, No. 12 / Proposed Rules",
                               stamp="VerDate Sep 11 2014 16:54 Jan 17, 2024 Jkt 262001 PO 00000 Frm 00012")
        out.append(Truth(f"generated-{columns}-columns", pdf, [f"Generated {columns}-column report", *paragraphs],
                         [f"Generated {columns}-column report", *headings]))
    return out


def _source_paragraphs() -> list[str]:
    from bench.qa import SETS

    corpus = SETS["covidqa"] / "corpus"
    out: list[str] = []
    for path in sorted(corpus.glob("*.txt"))[:6]:
        out += [" ".join(p.split()) for p in path.read_text(encoding="utf-8").split("\n\n")
                if len(p) > 300 and p.isascii()]
    return out


# --- candidates in this Python -----------------------------------------------------------


def read_pypdf(path: Path) -> tuple[list[str], list[str] | None, int]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    lines = [line for page in reader.pages for line in (page.extract_text() or "").split("\n")]
    return lines, None, len(reader.pages)


def read_pdfium(path: Path) -> tuple[list[str], list[str] | None, int]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path.read_bytes())
    lines: list[str] = []
    for i in range(len(doc)):
        page = doc[i]
        text = page.get_textpage().get_text_range()
        lines += text.replace("\r\n", "\n").split("\n")
    n = len(doc)
    doc.close()
    return lines, None, n


def read_pdfminer(path: Path) -> tuple[list[str], list[str] | None, int]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer

    paragraphs: list[str] = []
    pages = 0
    for page in extract_pages(str(path), laparams=LAParams(boxes_flow=0.5)):
        pages += 1
        for element in page:
            if isinstance(element, LTTextContainer):
                paragraphs.append(" ".join(element.get_text().split()))
    return paragraphs, None, pages


def read_briefing(path: Path) -> tuple[list[str], list[str] | None, int]:
    from assistant.ingest.ocr import OcrOptions
    from assistant.ingest.pdf import convert_pdf

    converted = convert_pdf(path.read_bytes(), "bench", OcrOptions(enabled=False))
    headings = [s.heading for s in converted.sections]
    text = converted.text
    headings += [text[a:b] for a, b in converted.uncitable if not any(s.start == a for s in converted.sections)]
    return converted.text.split("\n\n"), headings, len(converted.pages)


_BEFORE = """
import json, logging, sys, time
logging.disable(logging.CRITICAL)
from assistant.ingest.ocr import OcrOptions
from assistant.ingest.pdf import convert_pdf
raw = open(sys.argv[1], "rb").read()
started = time.perf_counter()
converted = convert_pdf(raw, "bench", OcrOptions(enabled=False))
seconds = time.perf_counter() - started
print(json.dumps({"paragraphs": converted.text.split("\\n"), "headings": None, "pages": len(converted.pages),
                  "seconds": seconds}))
"""
"""Briefing's PDF reader at ``BASELINE`` (pypdf's text layer, pdfplumber's ruled tables), in a
process of its own: its lines, as the sentence splitter met them."""


def read_before(path: Path) -> Read:
    tree = baseline_tree(BASELINE)
    if tree is None:
        return Read([], None, 0, 0.0)
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", _BEFORE, str(path)], cwd=tree, env=env, capture_output=True,
                          text=True)
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return Read(data["paragraphs"], None, data["pages"], data["seconds"])


LOCAL: dict[str, Callable[[Path], tuple[list[str], list[str] | None, int]]] = {
    "pypdf": read_pypdf, "pypdfium2": read_pdfium, "pdfminer-layout": read_pdfminer, "briefing": read_briefing}
EXTRA = ("docling-parse", "pymupdf", "pymupdf4llm")


def read(name: str, path: Path) -> Read:
    if name == "briefing-before":
        return read_before(path)
    if name in LOCAL:
        import contextlib
        import logging

        logging.disable(logging.WARNING)
        with contextlib.redirect_stderr(io.StringIO()):
            started = time.perf_counter()
            paragraphs, headings, pages = LOCAL[name](path)
            seconds = time.perf_counter() - started
        logging.disable(logging.NOTSET)
        return Read(paragraphs, headings, pages, seconds)
    python = os.environ["BENCH_LAYOUT_PYTHON"]
    done = subprocess.run([python, str(ROOT / "bench" / "layout_extra.py"), name, str(path)], capture_output=True,
                          text=True)
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return Read(data["paragraphs"], data["headings"], data["pages"], data["seconds"])


# --- scores ---------------------------------------------------------------------------------


def lcs_share(truth: list[str], got: list[str]) -> float:
    from rapidfuzz.distance import Indel

    if not truth:
        return 1.0
    common = (len(truth) + len(got) - Indel.distance(truth, got)) / 2
    return common / len(truth)


def score(truth: Truth, got: Read) -> dict[str, Any]:
    """Scores of one candidate's reading of one document. Ground-truth words the candidate
    never writes anywhere (a bullet glyph docling maps to "SM590000") are left out of its truth:
    they measure glyph mapping, not reading order."""
    got_words = [[w for w in words(p)] for p in got.paragraphs]
    vocabulary = {w for p in got_words for w in p}

    def own(text: str) -> list[str]:
        return [w for w in words(text) if w in vocabulary]

    truth_words = [w for p in truth.paragraphs for w in own(p)]
    got_paragraphs = [" " + " ".join(p) + " " for p in got_words]
    stream = " " + " ".join(w for p in got_words for w in p) + " "
    long = [" " + " ".join(own(p)) + " " for p in truth.paragraphs if len(own(p)) >= 6]
    whole = sum(1 for p in long if any(p in q for q in got_paragraphs))
    in_order = sum(1 for p in long if p in stream)
    out: dict[str, Any] = {"order": round(lcs_share(truth_words, [w for p in got_words for w in p]), 4),
                           "whole": whole, "in_order": in_order, "paragraphs": len(long), "pages": got.pages,
                           "seconds": round(got.seconds, 3)}
    if got.headings is not None and truth.headings:
        marked = {" ".join(words(h)) for h in got.headings}
        out["headings_found"] = sum(1 for h in truth.headings if " ".join(words(h)) in marked)
        out["headings"] = len(truth.headings)
    return out


def realdocs_counts() -> dict[str, Any]:
    """Mid-sentence starts and furniture among citable sentences of the real-document PDFs,
    with this code and with ``BASELINE``'s, on the same files (OCR off: text layers only)."""
    if not any(REALDOCS.glob("*.pdf")):
        return {"skipped": "tests/realdocs has no PDFs in this checkout"}
    out: dict[str, Any] = {"baseline_commit": BASELINE}
    trees = {"after": ROOT, "before": baseline_tree(BASELINE)}
    for label, tree in trees.items():
        if tree is None:
            continue
        done = subprocess.run([sys.executable, str(ROOT / "bench" / "layout_realdocs.py"), "--tree", str(tree),
                               str(REALDOCS)], capture_output=True, text=True)
        data = json.loads(done.stdout.strip().splitlines()[-1])
        out[label] = data["totals"] | {"files": {name: {k: v for k, v in row.items() if not k.endswith("examples")}
                                                 for name, row in data["files"].items()}}
    return out


def main() -> None:
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        truths = docling_truths(folder) + generated_truths(folder)
        names = ["briefing-before", *LOCAL] + (list(EXTRA) if os.environ.get("BENCH_LAYOUT_PYTHON") else [])
        names = [n for n in names if n in sys.argv[1:]] or names
        per: dict[str, dict[str, Any]] = {}
        for name in names:
            per[name] = {t.name: score(t, read(name, t.pdf)) for t in truths}
    summary: dict[str, Any] = {}
    for name, docs_scores in per.items():
        pages = sum(s["pages"] for s in docs_scores.values())
        seconds = sum(s["seconds"] for s in docs_scores.values())
        paragraphs = sum(s["paragraphs"] for s in docs_scores.values())
        row: dict[str, Any] = {
            "order": round(sum(s["order"] for s in docs_scores.values()) / len(docs_scores), 4),
            "whole": round(sum(s["whole"] for s in docs_scores.values()) / max(paragraphs, 1), 4),
            "in_order": round(sum(s["in_order"] for s in docs_scores.values()) / max(paragraphs, 1), 4),
            "pages_per_s": round(pages / seconds, 2) if seconds else None,
            "licence": LICENCES[name],
        }
        if any("headings" in s for s in docs_scores.values()):
            found = sum(s.get("headings_found", 0) for s in docs_scores.values())
            row["headings"] = round(found / max(sum(s.get("headings", 0) for s in docs_scores.values()), 1), 4)
        summary[name] = row
    results = {"machine": machine(), "documents": [t.name for t in truths], "summary": summary,
               "realdocs": realdocs_counts(), "per_document": per}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "layout.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
