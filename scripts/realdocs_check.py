"""What today's extraction keeps of the real-document set: for each evidence string of
tests/golden/realdocs.yaml (and each fact of realdocs-briefs.yaml), whether the text Briefing
indexed for its document holds it.

    python scripts/realdocs_check.py [--work DIR] [--json PATH]

Builds a temporary index over a copy of tests/realdocs/corpus/ with
``briefing index build``, reads each document back with ``briefing show`` and folds white space
and case as the scorer does (``assistant.eval.scoring.holds``). It asserts nothing: the PDF
reading is being rewritten, and this report says what extraction loses, document by document.
With ``--work DIR`` the corpus and index are kept there (and an index already built there is
refreshed, not rebuilt).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.eval.golden import load_golden  # noqa: E402
from assistant.eval.scoring import holds  # noqa: E402
from bench.common import BRIEFING  # noqa: E402
from bench.realdocs import GOLDEN, copy_corpus, documents, holdings  # noqa: E402

BRIEFS = ROOT / "tests" / "golden" / "realdocs-briefs.yaml"


def briefing(*args: str, work: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BRIEFING), "--corpus", str(work / "corpus"), "--index", str(work / "index"), *args],
                          capture_output=True, text=True)


def check(work: Path) -> dict[str, object]:
    if not (work / "corpus").exists() or sorted(p.name for p in (work / "corpus").iterdir()) != [
            p.name for p in documents()]:
        copy_corpus(work / "corpus")
    built = briefing("index", "build", work=work)
    if built.returncode != 0:
        raise SystemExit(f"briefing index build failed:\n{built.stderr[-2000:]}")
    texts: dict[str, str | None] = {}
    for path in documents():
        shown = briefing("show", path.name, work=work)
        texts[path.name] = shown.stdout if shown.returncode == 0 else None
    cases = load_golden(GOLDEN).questions
    rows = holdings(cases, texts)
    facts = [(b.id, ", ".join(b.scope), fact, any(holds(texts.get(name) or "", fact) for name in b.scope))
             for b in load_golden(BRIEFS).briefs for fact in b.facts]
    return {
        "documents": {name: (len(text) if text is not None else None) for name, text in texts.items()},
        "evidence_held": f"{sum(r.holds for r in rows)}/{len(rows)}",
        "questions": [{"id": r.case_id, "doc": r.doc, "held": r.holds, "evidence_lost": list(r.evidence_lost),
                       "must_include_lost": list(r.must_lost)} for r in rows],
        "brief_facts_held": f"{sum(f[3] for f in facts)}/{len(facts)}",
        "brief_facts": [{"brief": b, "doc": d, "fact": f, "held": h} for b, d, f, h in facts],
    }


def print_report(result: dict[str, object]) -> None:
    docs = result["documents"]
    assert isinstance(docs, dict)
    questions = result["questions"]
    assert isinstance(questions, list)
    print(f"Evidence held by the extracted text: {result['evidence_held']} answerable questions; "
          f"brief facts: {result['brief_facts_held']}\n")
    for name, chars in docs.items():
        mine = [q for q in questions if name in q["doc"].split(", ")]
        kept = sum(q["held"] for q in mine)
        print(f"{name}: {chars if chars is not None else 'not indexed'} characters extracted; "
              f"evidence held for {kept}/{len(mine)}")
        for q in mine:
            if not q["held"]:
                lost = q["evidence_lost"] + [f"(must include) {m}" for m in q["must_include_lost"]]
                print(f"    LOST {q['id']}: {' | '.join(lost)}")
    missing = [f for f in result["brief_facts"] if not f["held"]]  # type: ignore[union-attr]
    for f in missing:
        print(f"brief {f['brief']}: fact not in {f['doc']}'s text: {f['fact']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, help="keep the corpus copy and index here (default: a temporary folder)")
    parser.add_argument("--json", type=Path, help="also write the report as JSON here")
    args = parser.parse_args()
    if args.work:
        result = check(args.work)
    else:
        with tempfile.TemporaryDirectory(prefix="realdocs-check-") as tmp:
            result = check(Path(tmp))
    print_report(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
