"""The documentation's generated parts, written from the code and from ``bench/results``.

    python scripts/docs.py           rewrite every generated block of README.md and docs/*.md
    python scripts/docs.py --check   exit 1 when a block is stale, a link is broken, a name has
                                     drifted from the code, or the README is over its length

A page is hand-written prose with generated blocks between markers::

    <!-- generated:NAME · scripts/docs.py writes this block; edit the code, not the text -->
    ...
    <!-- /generated:NAME -->

``GENERATORS`` names every block. What a block holds comes from where the fact lives: settings
from the settings model, commands from the typer app's command tree, routes from the server's
Starlette app and OpenAPI schema, MCP tools from the MCP server, the package map from the tree
and ``tests/test_architecture.MAY_IMPORT``, and every measured figure from its
``bench/results`` file with the CPU that measured it. Nothing here is typed twice.

This is a script, not a ``bench`` module: it reads results but runs no benchmark, and it imports
the product the way a user's tool would (public names only). Its parts are in ``scripts/docgen/``;
this file holds the registries a maintainer edits (which block comes from where, which files are
copied, which tuning classes and limits are listed) and the writing and checking.
``tests/test_docs.py`` runs the same checks in memory.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
for where in (HERE, HERE.parent):  # docgen/, and the tree (assistant, bench, tests)
    if str(where) not in sys.path:
        sys.path.insert(0, str(where))

from docgen import ROOT, figures, figures_hostile, figures_reading, pages  # noqa: E402
from docgen.cli_ref import commands_block, commands_summary_block  # noqa: E402
from docgen.drift import drift  # noqa: E402
from docgen.server_ref import mcp_tools_block, routes_block  # noqa: E402
from docgen.settings_ref import settings_block, tuning_block  # noqa: E402
from docgen.tree_ref import (  # noqa: E402
    architecture_block,
    bench_steps_block,
    constants_table,
    gates_block,
    limits_table,
)

README_MAX_LINES = 200
MARKER_NOTE = " · scripts/docs.py writes this block; edit the code, not the text "
BLOCK = re.compile(
    r"<!-- generated:(?P<name>[\w:.-]+)(?P<note>[^>]*)-->\n(?P<body>.*?)<!-- /generated:(?P=name) -->", re.S)

# Files copied into docs/ so that pages can show them: the TUI as its snapshot tests draw it.
SNAPSHOTS = ROOT / "tests" / "__snapshots__" / "test_tui_snapshots"
COPIES: dict[str, Path] = {
    "docs/images/tui-answer.svg": SNAPSHOTS / "test_snapshot_answer_with_sources.svg",
    "docs/images/tui-refusal.svg": SNAPSHOTS / "test_snapshot_refusal.svg",
    "docs/images/tui-brief.svg": SNAPSHOTS / "test_snapshot_brief.svg",
    "docs/images/tui-start.svg": SNAPSHOTS / "test_snapshot_start_panel.svg",
}


TUNING_CLASSES: list[str] = ["assistant.answer.tuning.AnswerTuning", "assistant.brief.tuning.BriefTuning",
                             "assistant.retrieval.tuning.RetrievalTuning"]
"""Frozen dataclasses of tuning values listed in docs/answers.md (issue 36, part 5), by dotted name."""

# Limits a reader applies to what a file may hold: the constant that sets each, and what it bounds.
# The value is read from the code.
INPUT_LIMITS: list[tuple[str, str]] = [
    ("assistant.ingest.tables.MAX_COLUMNS", "columns of a table indexed; a wider table is cut, with a note"),
    ("assistant.ingest.tables.MAX_ROWS", "rows of a table indexed; the rest are cut, with a note in the text"),
    ("assistant.ingest.archives.MAX_EXPANDED_BYTES", "what an Office file's zip may expand to, checked from its "
                                                     "directory before any parser opens it"),
    ("assistant.ingest.archives.MAX_RATIO", "how many times its compressed size a large zip member may expand "
                                            "(a decompression bomb)"),
    ("assistant.ingest.archives.MAX_MEMBERS", "members an Office file's zip may hold"),
    ("assistant.ingest.ocr.MAX_PIXELS", "pixels of an image decoded for OCR (refused before decoding)"),
    ("assistant.ingest.pdf.MAX_TABLE_PAGES", "pages of a PDF searched for tables"),
    ("assistant.ingest.pdf_tables.MAX_DRAWINGS", "lines and rectangles on a PDF page past which it is not searched "
                                                 "for ruled tables (a note names the page)"),
    ("assistant.ingest.scan_tables.MAX_TABLES", "ruled tables read from one scanned page (the largest first)"),
    ("assistant.ingest.scan_tables.MAX_CELLS", "cells of one ruled table on a scanned page"),
    ("assistant.ingest.pdf.MIN_TEXT_CHARS", "letters and digits below which a PDF page counts as scanned and is read "
                                            "by OCR"),
    ("assistant.ingest.archives.MAX_XML_PART_BYTES", "the XML of one part of an Office file parsed whole (a Word "
                                                     "file's body, a slide); over it, the file is skipped, the part "
                                                     "named"),
    ("assistant.ingest.archives.MAX_XML_BYTES", "the XML parsed whole from one Office file, all parts together (a "
                                                "workbook's sheets are streamed and not counted)"),
    ("assistant.ingest.sheets.MAX_SHEET_COLUMNS", "cells read per row of a sheet, from the left (A to AMJ): a cell "
                                                  "typed in column XFD costs no more than the filled ones"),
    ("assistant.ingest.loaders.MAX_ATTACHMENT_DEPTH", "how deep messages attached to messages are opened"),
]

# Limits at Briefing's edges (issue 35): a setting's variable or a constant, what it bounds, what a
# user sees when it is reached, and the test that holds it. Values are read from the code.
EDGE_LIMITS: list[tuple[str, str, str, str]] = [
    ("BRIEFING_SERVE_IDLE_TIMEOUT_S", "how long a connection to `briefing serve` may stay open without a request",
     "the server closes it; an HTTP client opens another by itself", "tests/test_server_hostile.py"),
    ("BRIEFING_SERVE_READ_TIMEOUT_S", "how long a client may take to send a whole request, headers and body, "
     "however slowly it sends", "`408` `timeout`, and the connection is closed", "tests/test_server_hostile.py"),
    ("BRIEFING_SERVE_MAX_CONNECTIONS", "connections open at once, lowered to fit the open-files limit "
     "(`ulimit -n`; the start-up line says so)", "the connection waiting longest for a request is closed to make "
     "room; when every one has a request running, `503` `busy`. The log says so once when the limit is reached "
     "and once when it is no longer, with a count, never a line per connection", "tests/test_server_hostile.py"),
    ("assistant.server.connections.MAX_HEADER_BYTES", "a request's line and headers together",
     "`400` `malformed_http`", "tests/test_server_hostile.py"),
    ("BRIEFING_SERVE_MAX_BODY_KB", "a request's body", "`413` `too_large`", "tests/test_server.py"),
    ("BRIEFING_SERVE_MAX_QUESTION_CHARS", "a question or a topic", "`400` `too_long`", "tests/test_server.py"),
    ("assistant.server.service.MAX_K", "passages a search returns (`k`), over HTTP and MCP alike",
     "`400` `invalid_request` naming `k`; over MCP, a tool error saying the same", "tests/test_server_hostile.py"),
    ("BRIEFING_SERVE_WORKERS", "questions answered at once", "past these and the queue, `503` `busy` at once",
     "tests/test_server.py"),
    ("BRIEFING_SERVE_QUEUE", "requests waiting for a worker", "`503` `busy` at once", "tests/test_server.py"),
    ("BRIEFING_SERVE_TIMEOUT_S", "how long a request may take, waiting included", "`504` `timeout`",
     "tests/test_server.py"),
    ("assistant.brief.new_since.MAX_TOPICS", "topics the brief history (`brief-history.json`) remembers per index",
     "the topic briefed longest ago is forgotten: its next `--new-since last` says there is no earlier brief",
     "tests/test_new_since.py"),
]


GENERATORS: dict[str, Callable[[], str]] = {
    "settings": settings_block,
    "commands": commands_block,
    "commands-summary": commands_summary_block,
    "routes": routes_block,
    "mcp-tools": mcp_tools_block,
    "architecture": architecture_block,
    "tuning": lambda: tuning_block(TUNING_CLASSES),
    "limits": lambda: constants_table(INPUT_LIMITS),
    "edge-limits": lambda: limits_table(EDGE_LIMITS),
    "gates": gates_block,
    "bench-steps": bench_steps_block,
    "figures:qa-dev": figures.qa_dev_block,
    "figures:eval-seed": figures.eval_seed_block,
    "figures:eval-briefs": figures.eval_briefs_block,
    "figures:robustness": figures.robustness_block,
    "figures:scifact": figures.scifact_block,
    "figures:fusion": figures.fusion_block,
    "figures:realdocs": figures.realdocs_block,
    "figures:briefs": figures.briefs_block,
    "figures:formats": figures.formats_block,
    "figures:serve": figures.serve_block,
    "figures:performance": figures.performance_block,
    "figures:candidates": figures.candidates_block,
    "figures:learned": figures.learned_block,
    "figures:ivfpq": figures.ivfpq_block,
    "figures:layout": figures_reading.layout_block,
    "figures:tables": figures_reading.tables_block,
    "figures:mixed-build": figures_reading.mixed_build_block,
    "figures:hostile": figures_hostile.hostile_block,
}
"""Every generated block, by the name its markers carry."""


def render(text: str, cache: dict[str, str]) -> str:
    """``text`` with every generated block rewritten (``cache`` keeps each block made once)."""

    def block(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in GENERATORS:
            raise KeyError(f"no generator for block {name!r} (scripts/docs.py GENERATORS)")
        if name not in cache:
            cache[name] = GENERATORS[name]()
        return f"<!-- generated:{name}{MARKER_NOTE}-->\n{cache[name]}<!-- /generated:{name} -->"

    return BLOCK.sub(block, text)


def stale() -> list[str]:
    """What ``python scripts/docs.py`` would change: pages and copied files, by path."""
    cache: dict[str, str] = {}
    changed = []
    used: set[str] = set()
    for page in pages():
        text = page.read_text(encoding="utf-8")
        used |= {m["name"] for m in BLOCK.finditer(text)}
        if render(text, cache) != text:
            changed.append(page.relative_to(ROOT).as_posix())
    for target, source in COPIES.items():
        out = ROOT / target
        if not out.exists() or out.read_bytes() != source.read_bytes():
            changed.append(target)
    unused = sorted(set(GENERATORS) - used)
    return changed + [f"generator {name!r} has no block in any page" for name in unused]


def write() -> list[str]:
    cache: dict[str, str] = {}
    written = []
    for page in pages():
        text = page.read_text(encoding="utf-8")
        new = render(text, cache)
        if new != text:
            page.write_text(new, encoding="utf-8")
            written.append(page.relative_to(ROOT).as_posix())
    for target, source in COPIES.items():
        out = ROOT / target
        if not out.exists() or out.read_bytes() != source.read_bytes():
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(source.read_bytes())
            written.append(target)
    return written


def readme_too_long() -> list[str]:
    lines = len((ROOT / "README.md").read_text(encoding="utf-8").splitlines())
    return [f"README.md: {lines} lines (at most {README_MAX_LINES})"] if lines > README_MAX_LINES else []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 when anything is stale")
    args = parser.parse_args(argv)
    try:
        return _run(args.check)
    except (KeyError, OSError, ValueError) as exc:  # a block without a generator, a missing results file
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _run(check: bool) -> int:
    if check:
        problems = [f"stale: {p} (run python scripts/docs.py)" for p in stale()] + drift() + readme_too_long()
        for p in problems:
            print(p, file=sys.stderr)
        return 1 if problems else 0
    for path in write():
        print(f"wrote {path}")
    problems = drift() + readme_too_long()
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
