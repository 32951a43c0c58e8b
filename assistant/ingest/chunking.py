"""Split a document into retrievable chunks that keep exact character offsets."""

from __future__ import annotations

import sys
from bisect import bisect_right
from functools import lru_cache

from assistant.ingest.apparatus import apparatus
from assistant.text.sentences import split_sentences
from assistant.types import Chunk, Document

_SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ", ""]


@lru_cache(maxsize=8)
def _splitter(size: int, overlap: int):  # type: ignore[no-untyped-def]
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(
        chunk_size=size,
        chunk_overlap=overlap,
        separators=_SEPARATORS,
        keep_separator="end",
        strip_whitespace=True,
    )


def _uncitable(sentence: tuple[int, int], spans: tuple[tuple[int, int], ...]) -> bool:
    """Whether ``sentence`` lies inside one of ``spans`` (sorted, not overlapping)."""
    i = bisect_right(spans, (sentence[0], sys.maxsize)) - 1
    return i >= 0 and spans[i][0] <= sentence[0] and sentence[1] <= spans[i][1]


def chunk_document(doc: Document, size: int, overlap: int) -> list[Chunk]:
    """Chunk ``doc``'s body; every chunk satisfies ``doc.text[c.start:c.end] == c.text``.

    Each chunk also lists the sentences it holds whole (or, for a sentence longer than
    a chunk, the part of it the chunk holds), so answers can cite single sentences; the
    document's apparatus (``apparatus``: reference entries, figure labels) and its uncitable
    spans (``DocMeta.uncitable``: headings, running heads, page numbers) are not among them.
    Their text stays in the chunk, so search still finds it.
    """
    body = doc.text[doc.meta.body_start :]
    pieces = _splitter(size, overlap).split_text(body)
    sentences = split_sentences(doc.text, doc.meta.body_start)
    skipped = apparatus(doc.text, sentences)  # reference entries, figure labels: never cited
    sentences = [s for s in sentences if s not in skipped and not _uncitable(s, doc.meta.uncitable)]
    chunks: list[Chunk] = []
    search_from = 0
    for piece in pieces:
        at = body.find(piece, search_from)
        if at < 0:  # pragma: no cover - the splitter only returns substrings
            at = body.find(piece)
        if at < 0:
            raise AssertionError(f"splitter produced text not found in {doc.doc_id}")
        start = doc.meta.body_start + at
        end = start + len(piece)
        inside = tuple((a, b) for a, b in sentences if a >= start and b <= end)
        if not inside:
            inside = tuple((max(a, start), min(b, end)) for a, b in sentences if a < end and b > start)
        chunks.append(Chunk(len(chunks), doc.doc_id, start, end, piece, inside))
        # The next chunk starts no earlier than the overlap allows (as LangChain's own start_index).
        search_from = at + max(1, len(piece) - overlap)
    return chunks
