"""A conversation as a Markdown briefing note with numbered footnotes quoting each span."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from assistant.text.printable import printable
from assistant.types import Answer

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]<>|~&])")


def md_literal(text: str) -> str:
    """Document text, titles and names as Markdown that renders exactly as written.

    Every mark that could open inline syntax mid-line (emphasis, code, links and images via
    ``[``, HTML and autolinks, table cells, strikethrough, entities) is backslash-escaped, so a
    sentence holding ``[link](x)``, ``**`` or ``<b>`` is shown, not interpreted, in the TUI and
    in any viewer of an exported note. Data never starts a line, so block syntax cannot arise.
    Whitespace runs are folded to one space, control characters made visible.
    """
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", printable(" ".join(text.split())))


def _quote(text: str) -> str:
    return md_literal(text).replace('"', '\\"')


def conversation_markdown(answers: Sequence[Answer], scope: str = "all documents",
                          title: str = "Briefing note", now: datetime | None = None, marking: str = "") -> str:
    """The note; ``marking`` (the highest of the answers', ``answer.marked.overall``) is its
    banner at the top and bottom, and each quoted sentence opens with its portion mark."""
    stamp = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    banner = [f"**{md_literal(marking)}**", ""] if marking else []
    lines = [*banner, f"# {title}", "",
             f"_Prepared {stamp} by Briefing from the indexed sources ({md_literal(scope)})._", ""]
    footnotes: list[str] = []
    for answer in answers:
        lines += [f"## {md_literal(answer.question)}", ""]
        if answer.abstained:
            lines += [f"> {md_literal(answer.text)}", ""]
            continue
        parts = []
        for c in answer.citations:
            footnotes.append(
                f'[^{len(footnotes) + 1}]: {md_literal(c.doc_id)}, characters {c.start}–{c.end}'
                f'{f", {md_literal(c.where)}" if c.where else ""}: "{_quote(c.text)}"'
            )
            portion = f"{md_literal(c.portion)} " if c.portion else ""
            parts.append(f"{portion}{md_literal(c.text)} [^{len(footnotes)}]")
        lines += [" ".join(parts), ""]
    if footnotes:
        lines += ["---", "", *footnotes, ""]
    return "\n".join(lines + banner)
