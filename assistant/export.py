"""A conversation as a Markdown briefing note with numbered footnotes quoting each span."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from assistant.types import Answer


def _quote(text: str) -> str:
    return " ".join(text.split()).replace('"', '\\"')


def conversation_markdown(answers: Sequence[Answer], scope: str = "all documents",
                          title: str = "Briefing note", now: datetime | None = None) -> str:
    stamp = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    lines = [f"# {title}", "", f"_Prepared {stamp} by Briefing from the indexed sources ({scope})._", ""]
    footnotes: list[str] = []
    for answer in answers:
        lines += [f"## {answer.question}", ""]
        if answer.abstained:
            lines += [f"> {answer.text}", ""]
            continue
        parts = []
        for c in answer.citations:
            footnotes.append(
                f'[^{len(footnotes) + 1}]: {c.doc_id}, characters {c.start}–{c.end}'
                f'{f", page {c.page}" if c.page else ""}: "{_quote(c.text)}"'
            )
            parts.append(f"{' '.join(c.text.split())} [^{len(footnotes)}]")
        lines += [" ".join(parts), ""]
    if footnotes:
        lines += ["---", "", *footnotes, ""]
    return "\n".join(lines)
