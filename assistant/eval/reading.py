"""Whether a document's citable sentences read as a reader expects: none the rest of a sentence
cut at a line, column or page end, none a running head, a page stamp or a page number (issue 34).

- **starts mid-sentence**: the sentence opens in lower case (quotes, brackets and a list
  marker such as "(c)" aside) and the citable sentence before it does not end a sentence
  (. ! ? … or a closing quote or bracket after one): the rest of a sentence cut at a line,
  column or page end.
- **furniture**: one of the first or last three citable sentences of its page that is a page
  number ("12", "Page 3 of 10", "- 4 -"), or whose text (case and spacing folded, two of its
  numbers at most allowed to differ: a page number, a frame number) is also among the first or
  last three of at least two other pages: a running head or foot, a page stamp.

It imports nothing at module level but the standard library: ``bench/layout_realdocs.py`` loads
this file on its own to count another commit's reading the same way (its ``assistant`` package
on the path), a before and after in one run.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—(\[]?\s*(?:\d{1,6}|[ivxlcdm]{1,7})\s*[-–—)\]]?(?:\s*(?:of|/)\s*\d{1,6})?\.?$", re.I)
MARKER = re.compile(r"^\s*\(?(?:[a-z]|[ivx]{1,4}|\d{1,3})[.)]\s+")
ENDS = re.compile(r"[.!?…:;][\"'”’)\]]*$")
MIN_PAGES = 3
EDGE = 3


def citable_sentences(doc: Any, size: int = 1000, overlap: int = 200) -> list[tuple[int, int]]:
    """The document's citable sentences in order (every chunk's ``sentences``, once)."""
    from assistant.ingest.chunking import chunk_document

    spans = {s for chunk in chunk_document(doc, size, overlap) for s in chunk.sentences}
    return sorted(spans)


def _fold(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def check(doc: Any) -> dict[str, Any]:
    """Counts (and a few examples) of mid-sentence starts and furniture among ``doc``'s citable sentences."""
    spans = citable_sentences(doc)
    text = doc.text
    starts = list(getattr(doc, "meta", doc).page_starts) or [0]  # a commit before DocMeta: flat
    by_page: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for a, b in spans:
        by_page[sum(1 for s in starts if s <= a)].append((a, b))
    edges = {span for own in by_page.values() for span in own[:EDGE] + own[-EDGE:]}
    pages_of: dict[str, list[tuple[int, list[str]]]] = defaultdict(list)
    for page, own in by_page.items():
        for a, b in own[:EDGE] + own[-EDGE:]:
            pages_of[_fold(text[a:b])].append((page, re.findall(r"\d+", text[a:b])))

    def repeated(sentence: str) -> bool:
        numbers = re.findall(r"\d+", sentence)
        pages = {page for page, other in pages_of[_fold(sentence)]
                 if sum(1 for x, y in zip(numbers, other, strict=False) if x != y) <= 2}
        return len(pages) >= MIN_PAGES
    mid, furniture = [], []
    previous = ""
    for a, b in spans:
        sentence = text[a:b]
        opening = MARKER.sub("", sentence).lstrip("\"'“‘([ ")
        if opening[:1].islower() and previous and not ENDS.search(previous.rstrip()):
            mid.append(sentence[:80])
        if (a, b) in edges and (PAGE_NUMBER.match(sentence.strip()) or repeated(sentence)):
            furniture.append(sentence[:80])
        previous = sentence
    return {"sentences": len(spans), "mid_sentence_starts": len(mid), "furniture": len(furniture),
            "mid_examples": mid[:5], "furniture_examples": sorted(set(furniture))[:5]}
