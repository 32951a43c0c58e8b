"""Output carries the markings of what it quotes: each citation its paragraph's portion mark (or
its document's marking), an answer the highest of its sources'. Done once, on the finished
answer or brief, from the snapshot it was made from; without a scheme nothing changes."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from assistant.markings.marking import Marking, highest
from assistant.retrieval.snapshot import IndexSnapshot
from assistant.types import Answer, Citation, Hit


def marked_citation(snap: IndexSnapshot, c: Citation) -> Citation:
    """``c`` with the marking of the span it quotes."""
    found = snap.marking(c.doc_id)
    scheme = snap.scheme
    if found is None or scheme is None:
        return c
    at = found.at(c.start, c.end)
    return dataclasses.replace(c, marking=scheme.label(at), portion=scheme.portion(at))


def overall(snap: IndexSnapshot, citations: Iterable[Citation], doc_ids: Iterable[str] = ()) -> str:
    """The highest marking of these (marked) citations and of these whole documents: "" without
    a scheme, the unmarked level when there is nothing."""
    scheme = snap.scheme
    if scheme is None:
        return ""
    markings: list[Marking] = [m for c in citations if c.marking and (m := scheme.parse(c.marking)) is not None]
    markings += [d.marking for doc_id in doc_ids if (d := snap.marking(doc_id)) is not None]
    return scheme.label(highest(markings, scheme.unmarked_marking))


def answers_marking(snap: IndexSnapshot, answers: Iterable[Answer]) -> str:
    """The highest marking of several answers (a conversation's export): "" without a scheme."""
    return highest_label(snap, (a.marking for a in answers))


def highest_label(snap: IndexSnapshot, labels: Iterable[str]) -> str:
    """The highest of markings as written ("" without a scheme; the unmarked level for none)."""
    scheme = snap.scheme
    if scheme is None:
        return ""
    found = [m for label in labels if label and (m := scheme.parse(label)) is not None]
    return scheme.label(highest(found, scheme.unmarked_marking))


def marked_hits(snap: IndexSnapshot, hits: list[Hit]) -> list[Hit]:
    """Search results with the markings of their passages."""
    scheme = snap.scheme
    if scheme is None:
        return hits
    out = []
    for h in hits:
        found = snap.marking(h.chunk.doc_id)
        out.append(h if found is None else dataclasses.replace(h, marking=scheme.label(found.at(h.chunk.start,
                                                                                              h.chunk.end))))
    return out


def marked_answer(snap: IndexSnapshot, answer: Answer) -> Answer:
    if snap.scheme is None:
        return answer
    citations = tuple(marked_citation(snap, c) for c in answer.citations)
    nearest = (h.chunk.doc_id for h in answer.nearest)
    return dataclasses.replace(answer, citations=citations, marking=overall(snap, citations, nearest))
