"""The rules every golden score is judged by, written once: for answers (``eval.answers``),
briefs (``eval.briefs``) and the benchmarks alike.

Text is compared with white space folded and case ignored ("an annotated span inside a cited
span"), and a citation is verbatim when its source, as it is now, holds exactly its text at
its offsets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from assistant.types import Citation


def normalise(text: str) -> str:
    """White space folded to single spaces, case ignored."""
    return " ".join(text.split()).casefold()


def holds(text: str, wanted: str) -> bool:
    """Whether ``wanted`` occurs in ``text`` (both ``normalise``d)."""
    return normalise(wanted) in normalise(text)


def verbatim(citations: Iterable[Citation], source: Callable[[str], str | None]) -> list[bool]:
    """Per citation, whether its document's text now holds exactly its text at its offsets."""
    out = []
    for c in citations:
        text = source(c.doc_id)
        out.append(text is not None and text[c.start : c.end] == c.text)
    return out
