"""What a reader's citable sentences look like on real PDFs: fragments and page furniture.

``python bench/layout_realdocs.py [--tree DIR] FOLDER`` reads every PDF in FOLDER with the
Briefing found in DIR (this checkout by default; a worktree of another commit for a
before/after) and prints one JSON object: per file, how many citable sentences its chunks hold,
how many of them start mid-sentence, and how many are page furniture, with examples. It imports
nothing from ``bench``, so it runs against any commit's ``assistant`` package.

What is counted (fragments, furniture) is defined once, in ``assistant/eval/reading.py``'s docstring.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _rules() -> Any:
    """The counting rules (``assistant/eval/reading.py``), loaded from this checkout as a file of
    their own, so that the tree measured may be another commit's."""
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "assistant" / "eval" / "reading.py"
    spec = importlib.util.spec_from_file_location("briefing_reading_rules", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main() -> None:
    args = sys.argv[1:]
    tree = Path(__file__).resolve().parent.parent
    if args[:1] == ["--tree"]:
        tree, args = Path(args[1]), args[2:]
    sys.path.insert(0, str(tree))
    import logging

    logging.disable(logging.CRITICAL)
    from assistant.ingest.corpus import CorpusFile
    from assistant.ingest.loaders import parse_source
    from assistant.ingest.ocr import OcrOptions

    rules = _rules()
    out: dict[str, Any] = {}
    for path in sorted(Path(args[0]).glob("*.pdf")):
        raw = path.read_bytes()
        try:
            read = parse_source(CorpusFile(path.name, path, len(raw)), raw, OcrOptions(enabled=False))
        except Exception as exc:  # noqa: BLE001 - a file the reader skips is reported, not counted
            out[path.name] = {"skipped": f"{type(exc).__name__}: {exc}"[:160]}
            continue
        out[path.name] = rules.check(read.documents[0])
    totals = {k: sum(v.get(k, 0) for v in out.values()) for k in ("sentences", "mid_sentence_starts", "furniture")}
    print(json.dumps({"tree": str(tree), "totals": totals, "files": out}))


if __name__ == "__main__":
    main()
