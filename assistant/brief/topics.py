"""What a new user sees first: the corpus at a glance and brief topics drawn from it.

Topics come from the corpus itself: document titles (newest first) and, when there are only a
few documents, their section headings (short lines that do not end a sentence, such as "How Are
Chip Restrictions Reshaping the Competition?"). Titles come from the manifest (no file is read
for a large corpus); headings are read from at most ``BRIEF.heading_documents`` documents. A corpus of
many documents is offered themes instead (``brief.themes``), found after the index loads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from assistant.brief.themes import Theme
from assistant.brief.tuning import BRIEF
from assistant.index.manifest import DocEntry

_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s")


@dataclass(frozen=True)
class CorpusOverview:
    documents: int
    first_date: str | None
    last_date: str | None
    topics: tuple[str, ...]
    themes: tuple[Theme, ...] = ()
    """Themes spanning the documents, for a corpus of many (``brief.themes``): offered instead of
    ``topics`` once found."""

    def describe(self) -> str:
        dated = ""
        if self.first_date and self.last_date:
            until = f" to {self.last_date}" if self.last_date != self.first_date else ""
            dated = f", dated {self.first_date}{until}"
        return f"{self.documents} document{'s' if self.documents != 1 else ''}{dated}"


def headings(text: str, title: str) -> list[str]:
    """Section headings of a plain or Markdown document, in order."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        heading = line.lstrip("#").strip() if line.startswith("#") else line
        words = heading.split()
        if (3 <= len(words) <= 14 and len(heading) <= 100 and heading[:1].isupper() and heading != title
                and not heading.endswith((".", ",", ";", ":")) and not _LIST_ITEM.match(line)
                and not heading.startswith("---")):
            out.append(heading)
    return out


def corpus_overview(documents: Mapping[str, DocEntry], read_text: Callable[[str], str | None]) -> CorpusOverview:
    dates = sorted(e.meta.date for e in documents.values() if e.meta.date)
    newest = sorted(documents.items(), key=lambda item: (item[1].meta.date or "", item[0]), reverse=True)
    topics: list[str] = []
    if len(documents) <= BRIEF.heading_documents:
        for doc_id, entry in newest:
            text = read_text(doc_id) or ""
            topics += headings(text[entry.meta.body_start:], entry.meta.title)
    topics += [entry.meta.title for _doc_id, entry in newest]
    unique = list(dict.fromkeys(t for t in topics if t.strip()))
    return CorpusOverview(len(documents), dates[0] if dates else None, dates[-1] if dates else None,
                          tuple(unique[:BRIEF.max_topics]))
