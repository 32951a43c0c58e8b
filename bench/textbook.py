"""The textbook pipeline every benchmark compares Briefing with: LangChain's recursive splitter
at one chunk size (no overlap) + the bundled model + cosine similarity, written once.

Its vectors are cached beside the corpus copy (the corpus is read-only; the file name carries
the chunk size and count), so the answer and brief benchmarks share them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Piece:
    """One textbook chunk: where it lies in its document, and its text."""

    doc: str
    start: int
    end: int
    text: str


def splitter(size: int, overlap: int = 0) -> Any:
    """The textbook's chunker: LangChain's recursive splitter, which every textbook figure uses
    (the build-speed baseline with its customary overlap, the quality baselines without)."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(chunk_size=size, chunk_overlap=overlap, add_start_index=True)


class Textbook:
    def __init__(self, corpus: Path, embedder: Any, size: int, cache: Path) -> None:
        split = splitter(size)
        self.pieces: list[Piece] = []
        for path in sorted(corpus.glob("*.txt")):
            for piece in split.create_documents([path.read_text(encoding="utf-8")]):
                start = int(piece.metadata["start_index"])
                self.pieces.append(Piece(path.name, start, start + len(piece.page_content), piece.page_content))
        self.embedder = embedder
        stored = cache / f"textbook-{size}-{len(self.pieces)}.npy"
        if stored.exists():
            self.vectors = np.load(stored)
        else:
            self.vectors = embedder.embed([p.text for p in self.pieces])
            np.save(stored, self.vectors)

    def ranked(self, query: str, scope: tuple[str, ...] = ()) -> list[Piece]:
        """Every chunk, the most similar to ``query`` first (only ``scope``'s documents, if given)."""
        scores = self.vectors @ self.embedder.embed_one(query)
        if scope:
            scores = np.where(np.array([p.doc in scope for p in self.pieces]), scores, -np.inf)
        return [self.pieces[int(i)] for i in np.argsort(-scores)]

    def top(self, query: str, k: int, scope: tuple[str, ...] = ()) -> list[Piece]:
        """The ``k`` best chunks (an answer of top-k chunks)."""
        return self.ranked(query, scope)[:k]

    def top_chars(self, query: str, chars: int) -> list[Piece]:
        """The best chunks up to ``chars`` characters, the last one cut (a brief's length)."""
        out: list[Piece] = []
        left = chars
        for p in self.ranked(query):
            if left <= 0:
                break
            take = min(left, p.end - p.start)
            out.append(Piece(p.doc, p.start, p.start + take, p.text[:take]))
            left -= take
        return out
