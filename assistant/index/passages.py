"""What a passage is indexed as: its text, headed by its document's title where that title
speaks for every passage. A build embeds and BM25-indexes this; a reader's view restricted to a
clearance (``retrieval.cleared``) indexes the same texts of the passages it may see."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.settings import IndexShape
from assistant.types import Chunk

MAX_TITLE_SHARE = 0.5
"""A title longer than this share of its document's text is its text, not a title."""


def passage_text(heading: str, text: str) -> str:
    """What is embedded and BM25-indexed for a chunk: headed by its document's title when the
    title takes part in its passages (``passage_heading``), else its own text."""
    return f"{heading}\n{text}" if heading and not text.startswith(heading) else text


def passage_heading(title: str, chunks: Sequence[Chunk], shape: IndexShape) -> str:
    """The title that heads a document's passages, or "" (``IndexShape.title_heads``, on the
    document's length: where its last chunk ends). A "title" that is most of the text (a
    one-line note's first line) says nothing the passage does not."""
    if not chunks:
        return ""
    length = chunks[-1].end - chunks[0].start
    if not title or len(title) > MAX_TITLE_SHARE * length:
        return ""
    return title if shape.title_heads(chunks[-1].end) else ""
