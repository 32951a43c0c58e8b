"""The real-document set of issue 34 (tests/realdocs/): Briefing against the textbook pipeline, in
one run.

    python -m bench.realdocs                 (a step of ``make bench``; writes bench/results/realdocs.json)
    python -m bench.realdocs corpus DIR      (copy the set's documents into DIR)

- **Briefing**, default settings, as a user runs it: ``briefing index build`` and ``briefing eval
  tests/golden/realdocs.yaml --json`` over a copy of the set under ``bench/work/realdocs/``:
  evidence rate, false refusals, off-topic and near-topic questions refused, citations verbatim,
  and the characters a user reads per answered question (the cited spans). Beside the CLI's
  figures, from the same index and in this process: whether each evidence string survives
  extraction (the document's indexed text holds it) and whether it is among the ten passages
  retrieval ranks first, so each miss is put down to extraction, to refusing what retrieval
  found, to retrieval, or to citing other sentences.
- **The textbook pipeline** a user assembles in ten lines: pypdf's text for a PDF, python-docx
  paragraphs for Word, python-pptx text frames for slides, openpyxl cell values for workbooks,
  the body of an e-mail, the file as is for text, and **nothing for an image** (no OCR: a scan
  gives no text, so it can never answer a question on a scan); LangChain's
  ``RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)``; the bundled model
  (the embedder Briefing uses, loaded offline the same way); FAISS ``IndexFlatIP`` over the
  normalised vectors. Its answer is its top three passages (evidence in any of them) or its top
  passage; it refuses nothing. A question's ``scope`` restricts both pipelines to its documents.

Per question, the JSON holds both outcomes, so the lead sees which questions each one misses.
"""

from __future__ import annotations

import argparse
import email
import json
import logging
import os
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass
from email import policy
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import BRIEFING, RESULTS, ROOT, machine

REALDOCS = ROOT / "tests" / "realdocs" / "corpus"
GOLDEN = ROOT / "tests" / "golden" / "realdocs.yaml"
WORK = ROOT / "bench" / "work" / "realdocs"
CHUNK, OVERLAP, TOP = 1000, 200, 3
IMAGES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}


def documents() -> list[Path]:
    """The set's documents, in name order."""
    return sorted(p for p in REALDOCS.iterdir() if p.is_file())


def copy_corpus(dest: Path) -> Path:
    """A fresh copy of the set's documents (the benchmark's index never touches the committed folder)."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for path in documents():
        shutil.copy2(path, dest / path.name)
    return dest


@dataclass(frozen=True)
class Holding:
    """Which of a case's evidence and must-include strings a document's text holds."""

    case_id: str
    doc: str
    evidence_held: tuple[str, ...]
    evidence_lost: tuple[str, ...]
    must_lost: tuple[str, ...]

    @property
    def holds(self) -> bool:
        return bool(self.evidence_held) and not self.must_lost


def holdings(cases: list[Any], text_of: dict[str, str | None]) -> list[Holding]:
    """For each answerable case, whether its documents' extracted text holds its evidence (any
    document of ``sources``) and every must-include string. ``text_of`` maps a document to its
    extracted text (None: not indexed)."""
    from assistant.eval.scoring import holds

    out = []
    for case in cases:
        if not case.answerable:
            continue
        texts = [(name, text_of.get(name) or "") for name in case.sources]
        joined = "\n".join(t for _, t in texts)
        held = tuple(e for e in case.evidence if holds(joined, e))
        out.append(Holding(case.id, ", ".join(case.sources), held,
                           tuple(e for e in case.evidence if e not in held),
                           tuple(m for m in case.must_include if not holds(joined, m))))
    return out


# --- the textbook pipeline ---------------------------------------------------------------------


def textbook_text(path: Path) -> str:
    """The text a textbook user gets from a file, with the library the textbook names for it."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from pypdf import PdfReader

        logging.getLogger("pypdf").setLevel(logging.ERROR)
        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    if suffix == ".docx":
        import docx

        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    if suffix == ".pptx":
        from pptx import Presentation

        return "\n".join(shape.text_frame.text for slide in Presentation(str(path)).slides
                         for shape in slide.shapes if shape.has_text_frame)
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        return "\n".join(" ".join(str(v) for v in row if v is not None)
                         for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
    if suffix == ".eml":
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        body = message.get_body(("plain", "html"))  # type: ignore[attr-defined]
        return str(body.get_content()) if body is not None else ""
    if suffix in IMAGES:
        return ""
    return path.read_text(encoding="utf-8", errors="replace")


@dataclass(frozen=True)
class Passage:
    doc: str
    text: str


class TextbookIndex:
    """Splitter + bundled model + FAISS ``IndexFlatIP``, over every document of a folder."""

    def __init__(self, corpus: Path, embedder: Any) -> None:
        import faiss

        from bench.textbook import splitter

        split = splitter(CHUNK, OVERLAP)
        self.passages = [Passage(path.name, piece)
                         for path in sorted(corpus.iterdir()) for piece in split.split_text(textbook_text(path))]
        self.embedder = embedder
        vectors = np.ascontiguousarray(embedder.embed([p.text for p in self.passages]), dtype=np.float32)
        self.index = faiss.IndexFlatIP(vectors.shape[1])
        self.index.add(vectors)

    def top(self, question: str, k: int, scope: tuple[str, ...] = ()) -> list[Passage]:
        query = np.ascontiguousarray(self.embedder.embed_one(question), dtype=np.float32).reshape(1, -1)
        _, ids = self.index.search(query, self.index.ntotal)
        ranked = [self.passages[int(i)] for i in ids[0] if i >= 0]
        if scope:
            ranked = [p for p in ranked if p.doc in scope]
        return ranked[:k]


# --- the run -----------------------------------------------------------------------------------


def _briefing(*args: str, corpus: Path, index: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BRIEFING), "--corpus", str(corpus), "--index", str(index), *args],
                          capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"})


def _contains(texts: list[str], wanted: tuple[str, ...]) -> bool:
    from assistant.eval.scoring import holds

    return any(holds(t, w) for t in texts for w in wanted)


def _rate(hits: list[bool]) -> float | None:
    return round(sum(hits) / len(hits), 4) if hits else None


def _count(rows: list[dict[str, Any]], key: str) -> str:
    return f"{sum(r['briefing'][key] for r in rows)}/{len(rows)}"


def _mean(values: list[int]) -> float | None:
    return round(statistics.mean(values), 1) if values else None


def run() -> dict[str, Any]:
    from assistant.answer.engine import Engine
    from assistant.eval.golden import load_golden
    from assistant.retrieval.hybrid import Scope
    from assistant.settings import Settings

    cases = load_golden(GOLDEN).questions
    corpus, index = copy_corpus(WORK / "corpus"), WORK / "index"
    shutil.rmtree(index, ignore_errors=True)
    started = time.perf_counter()
    built = _briefing("index", "build", "--json", corpus=corpus, index=index)
    build_s = time.perf_counter() - started
    if built.returncode != 0:
        raise SystemExit(f"briefing index build failed:\n{built.stderr[-2000:]}")
    report_path = WORK / "eval.json"
    started = time.perf_counter()
    evaluated = _briefing("eval", str(GOLDEN), "--json", str(report_path), corpus=corpus, index=index)
    eval_s = time.perf_counter() - started
    if evaluated.returncode not in (0, 1):
        raise SystemExit(f"briefing eval failed:\n{evaluated.stderr[-2000:]}")
    report = json.loads(report_path.read_text(encoding="utf-8"))
    by_id = {c["id"]: c for c in report["cases"]}

    settings = Settings.from_env({}, corpus_dir=corpus, index_dir=index)
    engine = Engine(settings)
    engine.warm()
    extracted = {p.name: engine.source_text(p.name) for p in documents()}
    held = {h.case_id: h for h in holdings(cases, extracted)}
    engine.snapshot()  # load the index before the timed loop
    textbook = TextbookIndex(corpus, engine.embedder)

    rows: list[dict[str, Any]] = []
    for case in cases:
        got = by_id[case.id]
        cited = [c["text"] for c in got["citations"]]
        row: dict[str, Any] = {"id": case.id, "answerable": case.answerable, "hard": case.hard,
                               "scope": list(case.scope), "sources": list(case.sources),
                               "briefing": {"passed": got["passed"], "abstained": got["abstained"],
                                            "why": got["why"], "chars_read": sum(len(t) for t in cited)}}
        if case.answerable:
            ranked = engine.ranked(case.question, Scope(case.scope), 10)
            evidence_cited = _contains(cited, case.evidence)
            retrieved = _contains([h.chunk.text for h in ranked.hits[:10]], case.evidence)
            row["briefing"].update(evidence_cited=evidence_cited, extracted=held[case.id].holds,
                                   retrieved_at_10=retrieved, lost=_lost(got, evidence_cited,
                                                                         held[case.id].holds, retrieved))
            top = textbook.top(case.question, TOP, case.scope)
            texts = [p.text for p in top]
            row["textbook"] = {"top1": _contains(texts[:1], case.evidence),
                               f"top{TOP}": _contains(texts, case.evidence),
                               f"must_include_top{TOP}": all(_contains(texts, (m,)) for m in case.must_include),
                               "chars_read": sum(len(t) for t in texts)}
        rows.append(row)
    return _summary(rows, report, build_s, eval_s, built.stdout, textbook)


def _lost(got: dict[str, Any], cited: bool, extracted: bool, retrieved: bool) -> str | None:
    """Where an answerable question was lost: the first stage that dropped its evidence."""
    if cited:
        return None
    if not extracted:
        return "extraction lost it"
    if got["abstained"]:
        return "retrieved but refused" if retrieved else "not retrieved, refused"
    return "cited other sentences" if retrieved else "not retrieved, answered from elsewhere"


def _summary(rows: list[dict[str, Any]], report: dict[str, Any], build_s: float, eval_s: float,
             build_json: str, textbook: TextbookIndex) -> dict[str, Any]:
    answerable = [r for r in rows if r["answerable"]]
    off = [r for r in rows if not r["answerable"] and r["id"].startswith("off-")]
    near = [r for r in rows if not r["answerable"] and r["id"].startswith("near-")]
    answered = [r for r in answerable if not r["briefing"]["abstained"]]
    lost: dict[str, list[str]] = {}
    for r in answerable:
        if r["briefing"]["lost"]:
            lost.setdefault(r["briefing"]["lost"], []).append(r["id"])
    gated = report["summary"]
    try:
        build = json.loads(build_json.strip().splitlines()[-1])
    except (ValueError, IndexError):
        build = {}
    return {
        "machine": machine(),
        "documents": len(documents()),
        "questions": {"answerable": len(answerable), "off_topic": len(off), "near_topic": len(near),
                      "scoped": sum(bool(r["scope"]) for r in rows)},
        "briefing": {
            "evidence_rate": gated["evidence_hit_rate"],
            "evidence_cited": _count(answerable, "evidence_cited"),
            "false_refusals": sum(r["briefing"]["abstained"] for r in answerable),
            "off_topic_refused": f"{sum(r['briefing']['abstained'] for r in off)}/{len(off)}",
            "near_topic_refused": f"{sum(r['briefing']['abstained'] for r in near)}/{len(near)}",
            "citations_verbatim": gated["citations_verbatim"],
            "mean_chars_read_answered": _mean([r["briefing"]["chars_read"] for r in answered]),
            "evidence_extracted": _count(answerable, "extracted"),
            "evidence_retrieved_at_10": _count(answerable, "retrieved_at_10"),
            "lost": {why: ids for why, ids in sorted(lost.items())},
            "build_s": round(build_s, 1), "eval_s": round(eval_s, 1),
            "build": {k: build.get(k) for k in ("added", "chunks_embedded", "skipped", "seconds") if k in build},
            "eval_summary": gated,
        },
        "textbook": {
            "pipeline": f"pypdf / python-docx / python-pptx / openpyxl / e-mail body, nothing for images; "
                        f"RecursiveCharacterTextSplitter({CHUNK}, {OVERLAP}); bundled model; faiss IndexFlatIP",
            "passages": len(textbook.passages),
            "evidence_top1": _rate([r["textbook"]["top1"] for r in answerable]),
            f"evidence_top{TOP}": _rate([r["textbook"][f"top{TOP}"] for r in answerable]),
            "mean_chars_read_top3": _mean([r["textbook"]["chars_read"] for r in answerable]),
            "refuses": "nothing (off-topic questions get three passages too)",
        },
        "per_question": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.realdocs", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", choices=["run", "corpus"], default="run")
    parser.add_argument("dest", nargs="?", type=Path, help="for `corpus`: the folder to fill (emptied first)")
    args = parser.parse_args()
    if args.command == "corpus":
        if args.dest is None:
            parser.error("corpus needs a destination folder")
        copy_corpus(args.dest)
        return
    result = run()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "realdocs.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "per_question"}))


if __name__ == "__main__":
    main()
