"""Documents beyond plain text: OCR speed and accuracy, and a mixed 500-file build.

``python -m bench.formats`` (a step of ``make bench``) prints one JSON object and writes
``bench/results/formats.json``:

- **ocr**: pages of covidqa-dev article text rendered as a scanned PDF (Pillow's bundled
  font, 200 dpi page images, no text layer), read back through Briefing's reader: pages per
  second with one OCR worker and with one per core (the default), and the character error rate
  of the OCR text against the rendered text (Levenshtein distance over the source's length,
  whitespace folded).
- **mixed_build**: 500 files made from the same articles in every supported format (text,
  Markdown, HTML with a table, text PDFs, Word with a table, slides with notes, workbooks,
  CSV, e-mails each carrying a PDF attachment, scanned images), built with the default
  settings; beside it, in the same run, a build of the same folder with only the formats
  Briefing read before (txt, md, html, pdf, docx): what the new formats add.
- **mbox_10k**: one mbox of 10,000 short messages built from nothing, then again after one
  message is appended (only that message should be embedded).
- **mixed_build.baseline**: the same 500 files built, in the same run, by the code before PDFs
  were read by layout (``BASELINE``, a git worktree under ``bench/work``), and the ratio of this
  code's build time to it.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

from bench.common import RESULTS, ROOT, machine
from bench.qa import SETS

WORK = ROOT / "bench" / "work" / "formats"
BASELINE = "38ad3ae"
"""main before layout reading (issue 34): pypdf's text layer line by line."""
OLD_FORMATS = {".txt", ".md", ".html", ".pdf", ".docx"}
PLAN = {".txt": 150, ".md": 50, ".html": 40, ".pdf": 40, ".docx": 60, ".pptx": 40, ".xlsx": 40, ".csv": 20,
        ".eml": 40, ".png": 20}


def _paragraphs() -> list[str]:
    """Prose paragraphs of the covidqa-dev articles (at least 300 characters each)."""
    out = []
    for path in sorted((SETS["covidqa"] / "corpus").glob("*.txt")):
        out += [" ".join(p.split()) for p in path.read_text(encoding="utf-8").split("\n\n") if len(p) > 300]
    return out


def _page_lines(text: str, width: int = 70, lines: int = 24) -> list[str]:
    return textwrap.wrap(text, width)[:lines]


def ocr_step(paragraphs: list[str], pages: int = 12) -> dict[str, Any]:
    from rapidfuzz.distance import Levenshtein

    from assistant.ingest.corpus import CorpusFile
    from assistant.ingest.loaders import parse_source
    from assistant.ingest.ocr import OcrOptions
    from tests import docs

    sources = [_page_lines(paragraphs[i * 7]) for i in range(pages)]
    path = WORK / "scan.pdf"
    docs.write_scanned_pdf(path, sources)
    raw = path.read_bytes()
    result: dict[str, Any] = {"pages": pages, "page_pixels": "1700x2200 (about 200 dpi)"}
    text = ""
    for workers in (1, os.cpu_count() or 1):
        started = time.perf_counter()
        read = parse_source(CorpusFile("scan.pdf", path, len(raw)), raw, OcrOptions(workers=workers))
        seconds = time.perf_counter() - started
        result[f"pages_per_s_{workers}_workers"] = round(pages / seconds, 2)
        text = read.documents[0].text
    truth = " ".join(" ".join(lines) for lines in sources)
    got = " ".join(text.split())
    result["cer"] = round(Levenshtein.distance(got, truth) / len(truth), 4)
    result["mean_confidence"] = round(sum(c for _, c in read.documents[0].meta.ocr_pages) / pages, 1)
    return result


def make_corpus(folder: Path, paragraphs: list[str]) -> None:
    from tests import docs

    folder.mkdir(parents=True)
    it = iter(range(10**6))

    def para() -> str:
        return paragraphs[next(it) % len(paragraphs)]

    rows = [["Region", "Cases", "Deaths"], ["North", "1,204", "31"], ["South", "877", "12"]]
    for suffix, count in PLAN.items():
        for n in range(count):
            name = folder / f"doc-{n:03d}{suffix}"
            if suffix in (".txt", ".md"):
                name.write_text(f"Report {n}\n\n{para()}\n\n{para()}\n", encoding="utf-8")
            elif suffix == ".html":
                cells = "".join(f"<tr><td>{r[0]}</td><td>{r[1]}</td><td>{r[2]}</td></tr>" for r in rows[1:])
                name.write_text(f"<html><head><title>Page {n}</title></head><body><p>{para()}</p><table><tr>"
                                f"<th>Region</th><th>Cases</th><th>Deaths</th></tr>{cells}</table><p>{para()}</p>"
                                "</body></html>", encoding="utf-8")
            elif suffix == ".pdf":
                docs.write_pdf(name, [para()[:400], para()[:400]], title=f"PDF {n}")
            elif suffix == ".docx":
                docs.write_docx_with_table(name, para(), rows, para())
            elif suffix == ".pptx":
                docs.write_pptx(name, [{"title": f"Briefing {n}", "bullets": [para()[:200]], "notes": para()},
                                       {"title": "Figures", "table": rows}])
            elif suffix == ".xlsx":
                docs.write_xlsx(name, {"Cases": [r if i == 0 else [r[0], int(r[1].replace(",", "")), int(r[2])]
                                                 for i, r in enumerate(rows)], "Notes": [["Note", "Text"],
                                                                                         ["1", para()[:300]]]})
            elif suffix == ".csv":
                lines = [",".join(f'"{c}"' for c in r) for r in rows] + [f'"District {n}","{n * 37}","{n % 9}"']
                name.write_text("\n".join(lines) + "\n", encoding="utf-8")
            elif suffix == ".eml":
                attachment = WORK / "attachment.pdf"
                docs.write_pdf(attachment, [para()[:400]])
                name.write_bytes(docs.email_bytes(f"Update {n}", para(), attachments=[
                    ("report.pdf", attachment.read_bytes(), "application/pdf")]))
            elif suffix == ".png":
                docs.text_image(_page_lines(para(), lines=12)).save(name)


def build_once(corpus: Path, index: Path) -> dict[str, Any]:
    from assistant.embedders import embedder_for
    from assistant.index.build import build_index
    from assistant.settings import Settings

    settings = Settings.from_env({}, corpus_dir=corpus, index_dir=index)
    started = time.perf_counter()
    r = build_index(settings, embedder_for(settings))
    seconds = time.perf_counter() - started
    assert r is not None
    return {"files": sum(1 for p in corpus.iterdir() if p.is_file()), "documents": r.added, "chunks": r.total_chunks,
            "skipped": len(r.skipped), "seconds": round(seconds, 1), "chunks_per_s": round(r.total_chunks / seconds, 1)}


def _tree(commit: str) -> Path | None:
    """A git worktree of ``commit`` under ``bench/work`` (made once)."""
    import subprocess

    tree = ROOT / "bench" / "work" / f"baseline-{commit}"
    if not tree.exists():
        made = subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), commit],
                              capture_output=True, text=True)
        if made.returncode != 0:
            print(f"baseline {commit} unavailable: {made.stderr.strip()}", file=sys.stderr)
            return None
    return tree


def build_in(code: Path, corpus: Path, index: Path) -> dict[str, Any] | None:
    """``build_once`` with the code in ``code`` (this checkout or a worktree), in a process of its
    own; besides the wall time, the CPU seconds that process used (its threads included), which
    other work on a shared machine disturbs far less."""
    import subprocess

    script = ("import json, sys; from pathlib import Path; from bench.formats import build_once; "
              "print(json.dumps(build_once(Path(sys.argv[1]), Path(sys.argv[2]))))")
    env = {**os.environ, "PYTHONPATH": str(code), "HF_HUB_OFFLINE": "1"}
    child = subprocess.Popen([sys.executable, "-c", script, str(corpus), str(index)], cwd=code, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(child.pid, 0)
    out, err = child.communicate()
    if status != 0:
        print(f"build with {code} failed: {err[-500:]}", file=sys.stderr)
        return None
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 1)
    return result


def baseline_build(corpus: Path, index: Path) -> dict[str, Any] | None:
    """``build_once`` with ``BASELINE``'s code (a git worktree), in a process of its own."""
    tree = _tree(BASELINE)
    return build_in(tree, corpus, index) if tree is not None else None


def mbox_step(messages: int = 10_000) -> dict[str, Any]:
    """A 10,000-message mbox built from nothing, then again after one message is appended."""
    from assistant.embedders import embedder_for
    from assistant.index.build import build_index
    from assistant.settings import Settings
    from tests import docs

    corpus = WORK / "mail"
    corpus.mkdir()
    bodies = [docs.email_bytes(f"Port log {i}", f"Vessel number {i} berthed at quay {i % 40} and unloaded "
                               f"{i * 7 % 900} containers.") for i in range(messages + 1)]
    settings = Settings.from_env({}, corpus_dir=corpus, index_dir=WORK / "index-mail")
    embedder = embedder_for(settings)
    out: dict[str, Any] = {"messages": messages, "mbox_mb": 0.0}
    for label, count in (("first_build", messages), ("one_appended", messages + 1)):
        docs.write_mbox(corpus / "inbox.mbox", bodies[:count])
        out["mbox_mb"] = round((corpus / "inbox.mbox").stat().st_size / 1e6, 1)
        started = time.perf_counter()
        r = build_index(settings, embedder)
        assert r is not None
        out[label] = {"seconds": round(time.perf_counter() - started, 1), "added": r.added, "unchanged": r.unchanged,
                      "texts_embedded": r.texts_embedded}
    return out


def mixed_side_by_side(runs: int = 3) -> dict[str, Any]:
    """``python -m bench.formats mixed``: only the mixed 500-file build, this code and
    ``BASELINE``'s taking turns ``runs`` times, each in a process of its own, written to
    ``bench/results/formats-mixed.json``; the ratios compare the medians of wall and of CPU time."""
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    mixed = WORK / "mixed"
    make_corpus(mixed, _paragraphs())
    ours: list[dict[str, Any]] = []
    before: list[dict[str, Any]] = []
    for n in range(runs):
        done = baseline_build(mixed, WORK / f"index-baseline-{n}")
        if done is not None:
            before.append(done)
        mine = build_in(ROOT, mixed, WORK / f"index-mixed-{n}")
        if mine is not None:
            ours.append(mine)
    out: dict[str, Any] = {"machine": machine(), "baseline_commit": BASELINE, "runs": runs,
                           "this_code": ours, "baseline": before}
    if before and ours:
        for key in ("seconds", "cpu_seconds"):
            out[f"ratio_{key}"] = round(_median([r[key] for r in ours]) / _median([r[key] for r in before]), 3)
    (RESULTS / "formats-mixed.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(WORK, ignore_errors=True)
    return out


def _median(values: list[float]) -> float:
    from statistics import median

    return float(median(values))


def main() -> None:
    if sys.argv[1:] == ["mixed"]:
        print(json.dumps(mixed_side_by_side()))
        return
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    paragraphs = _paragraphs()
    results: dict[str, Any] = {"machine": machine(), "ocr": ocr_step(paragraphs)}
    mixed = WORK / "mixed"
    make_corpus(mixed, paragraphs)
    old = WORK / "old-formats"
    old.mkdir()
    for path in mixed.iterdir():
        if path.suffix in OLD_FORMATS:
            shutil.copy(path, old / path.name)
    # Side by side in one run, the earlier formats first; each builds a fresh index (no OCR cache).
    results["mixed_build"] = {"old_formats_only": build_once(old, WORK / "index-old"),
                              "all_formats": build_once(mixed, WORK / "index-mixed")}
    baseline = baseline_build(mixed, WORK / "index-baseline")
    if baseline is not None:
        results["mixed_build"]["baseline"] = baseline
        results["mixed_build"]["ratio_to_baseline"] = round(
            results["mixed_build"]["all_formats"]["seconds"] / baseline["seconds"], 3)
    results["mbox_10k"] = mbox_step()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "formats.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(WORK, ignore_errors=True)
    print(json.dumps(results))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
