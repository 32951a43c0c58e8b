"""Markdown from code: tables, docstrings (reStructuredText's ``code`` as Markdown's `code`),
and the anchors GitHub gives headings."""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Iterable, Sequence
from typing import Any


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    def cell(value: object) -> str:
        return " ".join(str(value).split()).replace("|", "\\|")

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def rst_to_md(text: str) -> str:
    """Docstrings write code as ``x`` (reStructuredText); Markdown writes `x`."""
    return re.sub(r"``(.+?)``", r"`\1`", text)


def paragraphs(text: str) -> str:
    """A docstring's paragraphs, each on one line (Markdown joins them anyway)."""
    blocks = [" ".join(block.split()) for block in inspect.cleandoc(text).split("\n\n")]
    return "\n\n".join(rst_to_md(b) for b in blocks if b)


def first_paragraph(text: str | None) -> str:
    return paragraphs(text or "").split("\n\n")[0] if text else ""


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"<[^>]+>", "", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def resolve(dotted: str) -> Any:
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)
