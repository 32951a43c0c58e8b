"""Whether the corpus covers a question or a brief's topic: the one decision both refusals are
made by, over the rules of ``coverage`` (names and words the corpus never uses, passages that
share only everyday words) and ``expected_type`` (an amount or a count none of the best
sentences states), on the request's one snapshot."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answer import coverage, expected_type
from assistant.answer.candidates import Candidate
from assistant.answer.conversation import Resolution
from assistant.answer.ranking import RankedSentences
from assistant.answer.request import Request
from assistant.answer.tuning import ANSWER
from assistant.text.sentences import is_record


@dataclass(frozen=True)
class Coverage:
    """Whether the corpus covers what was asked, and if not, why (when a reason can be named)."""

    covered: bool
    reason: str | None = None


def of(req: Request, resolution: Resolution, ranked: RankedSentences) -> Coverage:
    """Whether the corpus (as the request sees it) covers a question or a brief's topic: the one
    decision both refusals are made by. Not when nothing relevant enough is found (the relevance
    floor, ``refusal_threshold``: no reason is given, the nearest material speaks for itself),
    nor when ``not_covered`` finds a reason."""
    if not ranked.scored or ranked.confidence < req.settings.answers.refusal_threshold:
        return Coverage(False)
    why_not = not_covered(req, resolution, ranked)
    return Coverage(why_not is None, why_not)


def not_covered(req: Request, resolution: Resolution, ranked: RankedSentences) -> str | None:
    """Why relevant-looking sentences still cannot answer (a question, or a brief's topic): its
    subject or most of its words are nowhere in the corpus (unless a best sentence holds the
    identifier it asks about: ``coverage.identified``), or the passages found share only
    words the corpus uses in passing, or none of them states the kind of answer asked
    (``expected_type``)."""
    snap = req.snap
    vocabulary = snap.vocabulary
    passage_words = req.settings.shape.chunk_size / ANSWER.word_chars
    absent = coverage.absent_names(resolution.question, vocabulary, lambda: snap.initialisms)
    best = [x.candidate.text for x in ranked.scored[:ANSWER.confidence_sentences]]
    if absent and not coverage.identified(resolution.question, best):
        return f"the corpus never mentions {', '.join(absent)}"
    unknown, words = coverage.unknown_words(resolution.question, vocabulary)
    if words and len(unknown) / words >= ANSWER.unknown_share and ranked.confidence < ANSWER.unknown_confidence:
        return "most of the question's words never occur in the corpus"
    # a lower-case subject is an unknown word: most questions have none, and skip that check
    terms = coverage.absent_terms(resolution.question, vocabulary) if unknown else []
    if terms:
        return f"the corpus never mentions {', '.join(terms)}"
    # a follow-up's own words are few and plain: its subject is the conversation's
    if not resolution.is_follow_up and coverage.only_everyday_words(
            resolution.question, vocabulary, [h.chunk.chunk_id for h in ranked.hits], passage_words):
        return "the passages found share only everyday words with the question"
    kind = expected_type.wanted(resolution.question)
    if kind:
        window = [expected_type.Context(x.candidate.text, _around(req, x.candidate))
                  for x in ranked.scored[:ANSWER.type_window]]
        if not expected_type.any_satisfies(kind, window, req.embed):
            return f"no passage found states {kind.describe()}"
    return None


def _around(req: Request, candidate: Candidate) -> str:
    """What a reader sees around a sentence that may name the subject of its numbers: its
    document's title and its section's heading; for a table's row, a form's line or a listing's
    row (anything but a sentence of prose), the passage it stands in too: a row never names its
    table's subject, the caption or the rows above do, and a records search names its department
    in the page's header ("SAN JOSE POLICE DEPT"), not beside "NUMBER OF RECORDS RETURNED: 983"."""
    meta = req.snap.doc_info(candidate.doc_id).meta
    section = meta.section_at(candidate.start)
    parts = [meta.title, section.heading if section else ""]
    if is_record(candidate.text) or not candidate.text.rstrip().endswith((".", "!", "?", "…")):
        parts.append(candidate.hit.chunk.text)
    return "\n".join(p for p in parts if p)
