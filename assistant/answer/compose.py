"""Sentence-level answer composition with verified citations.

Candidate sentences (``candidates``), scored against the question (``sentence_scores``), are
chosen here: the best few non-redundant ones (MMR) within a character budget form the answer.
Every span is re-read from its source before it is shown; one that no longer matches is
dropped, never shown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from assistant.answer.candidates import Candidate, Scored, continuation, directly_follows, needs_previous
from assistant.answer.tuning import ANSWER
from assistant.text.figures import figures
from assistant.types import Answer, Citation, DocInfo, Hit, Section

log = logging.getLogger(__name__)

REFUSAL = "The sources in the corpus do not cover this."


def select(scored: Sequence[Scored], budget: int, max_sentences: int,
           support_floor: float = ANSWER.support_floor, wanted: Callable[[str], bool] | None = None) -> list[Scored]:
    """The sentences of the answer, the lead first. Best sentence first; then the sentence after it
    in its paragraph, if it is close enough to be chosen at all (an answer often goes on there:
    "…emerged between 50 and 310 y ago. Since then, CHIKV has come a long way…"); then MMR among
    those close enough, within the budget; last, that continuation even if it was not close
    enough, when the budget still has room for it (``carry_on``). Only sentences relevant in their
    own right (``support_floor``, relative to the lead) support it; a follow-up passes 0, since
    its own words are few ("Why did they do it?") and say little about a sentence.

    ``wanted`` tells whether a sentence holds the kind of thing asked for (a date for "when", a
    name for "who"; ``asked_kind``): when the lead does not, the best sentence scored that does
    comes second, judged by neither floor ("The above-entitled matter came on for oral
    argument…" leads, "Tuesday, January 13, 2009" is the day asked for)."""
    if not scored:
        return []
    chosen = [scored[0]]
    used = len(scored[0].candidate.text)
    lead = scored[0]
    pool = [s for s in scored[1:] if s.score >= ANSWER.further_floor * lead.score
            and s.relevance >= support_floor * lead.relevance]
    after = continuation(scored[0].candidate)
    follows = next((s for s in pool if after is not None and (s.candidate.doc_id, s.candidate.start, s.candidate.end)
                    == (after.doc_id, after.start, after.end)), None)
    room = budget * ANSWER.hard_cap_ratio
    if follows is not None and max_sentences > 1 and used + 1 + len(follows.candidate.text) <= room:
        chosen.append(follows)  # it carries the lead's thought on, so it is not judged by how new it is
        pool.remove(follows)
        used += 1 + len(follows.candidate.text)
    holder = _holder(scored, chosen, wanted)
    if holder is not None and len(chosen) < max_sentences and used + 1 + len(holder.candidate.text) <= room:
        chosen.append(holder)
        used += 1 + len(holder.candidate.text)
        if holder in pool:
            pool.remove(holder)
    while pool and len(chosen) < max_sentences:
        def mmr(s: Scored) -> float:
            novelty = max(float(s.vector @ c.vector) for c in chosen)
            return ANSWER.mmr_lambda * s.score - (1 - ANSWER.mmr_lambda) * novelty

        best = max(pool, key=mmr)
        pool.remove(best)
        if any(float(best.vector @ c.vector) > ANSWER.redundant_cosine and not _other_figures(best, c) for c in chosen):
            continue
        limit = budget * ANSWER.hard_cap_ratio if best.score >= ANSWER.tie_ratio * scored[0].score else budget
        if used + 1 + len(best.candidate.text) > limit:
            continue
        chosen.append(best)
        used += 1 + len(best.candidate.text)
    return [*chosen, *carry_on(chosen, budget)]


def within_lead_part(scored: Sequence[Scored], part_at: Callable[[str, int], int | None]) -> list[Scored]:
    """``scored`` without the sentences of another document printed in the lead's file (another
    notice of a register issue, another item of a bulletin: ``DocMeta.part_at`` gives the start
    of the part holding an offset, None for a file of one document). An answer about the Pilatus
    directive does not go on with the Boeing one printed beside it; other files stay."""
    if not scored:
        return []
    lead = scored[0].candidate
    part = part_at(lead.doc_id, lead.start)
    if part is None:
        return list(scored)
    return [scored[0], *(s for s in scored[1:] if s.candidate.doc_id != lead.doc_id
                         or part_at(s.candidate.doc_id, s.candidate.start) == part)]


def _holder(scored: Sequence[Scored], chosen: Sequence[Scored], wanted: Callable[[str], bool] | None) -> Scored | None:
    """The best sentence scored (the shortlist, ``sentence_pool``) holding what ``wanted`` asks
    for, if no chosen sentence holds it."""
    if wanted is None or any(wanted(s.candidate.text) for s in chosen):
        return None
    return next((s for s in scored if s not in chosen and wanted(s.candidate.text)), None)


def _other_figures(a: Scored, b: Scored) -> bool:
    """Whether two sentences state different figures: two rows of one table ("July 2015;
    Employees Affected: 8,574", "Total; Employees Affected: 53,454") are alike in their words
    and say different things."""
    return figures(a.candidate.text) != figures(b.candidate.text)


def compose(
    question: str,
    resolved_query: str,
    chosen: Sequence[Scored],
    confidence: float,
    read_source: Callable[[str], str | None],
    budget: int,
    titles: DocInfoLookup,
) -> Answer:
    """Order the chosen sentences (``select``), widen those that need their predecessor, verify,
    number.

    The best sentence leads (it is the answer); the supporting ones follow in reading order,
    unless one directly precedes the lead in its document or carries it on, so the passage still
    reads naturally.
    """
    ordered = reading_order(chosen)
    used = sum(len(s.candidate.text) for s in ordered)
    head = ordered[0].candidate if ordered else None
    if head is not None and head.prev and needs_previous(head.text):
        # The lead must be understood: its predecessor comes before any supporting sentence.
        while len(ordered) > 1 and used + (head.start - head.prev[0]) > budget:
            used -= len(ordered.pop().candidate.text)
    citations: list[Citation] = []
    parts: list[str] = []
    dropped = 0
    taken: list[tuple[str, int, int]] = []
    for s in ordered:
        c = s.candidate
        start, text = c.start, c.text
        if c.prev and needs_previous(text) and used + (c.start - c.prev[0]) <= budget:
            if not any(d == c.doc_id and a <= c.prev[0] < b for d, a, b in taken):
                chunk = c.hit.chunk
                start = c.prev[0]
                text = chunk.text[start - chunk.start : c.end - chunk.start]
                used += c.start - c.prev[0]
        if any(d == c.doc_id and a <= start and c.end <= b for d, a, b in taken):
            continue
        joined = _join_to_previous(citations, c, start, text, read_source, titles)
        if joined is not None:  # it continues the sentence cited just before: one span, one citation
            citations[-1] = joined
            taken[-1] = (c.doc_id, joined.start, joined.end)
            parts[-1] = f"{' '.join(joined.text.split())} [{joined.n}]"
            continue
        citation = cite(c, len(citations) + 1, s.score, read_source, titles, start, text)
        if citation is None:
            dropped += 1
            continue
        taken.append((c.doc_id, start, c.end))
        citations.append(citation)
        parts.append(f"{' '.join(text.split())} [{citation.n}]")
    if not citations:
        return refusal(question, resolved_query, (), confidence, dropped)
    return Answer(question=question, text=" ".join(parts), abstained=False, citations=tuple(citations),
                  confidence=confidence, resolved_query=resolved_query, dropped=dropped)


DocInfoLookup = Callable[[str], DocInfo]


def reading_order(chosen: Sequence[Scored]) -> list[Scored]:
    """The lead first, with what directly precedes it in its document or carries it on; then
    the supporting sentences, by document (in the order their documents were chosen) and
    position, so the answer reads as the sources do."""
    doc_rank: dict[str, int] = {}
    for s in chosen:
        doc_rank.setdefault(s.candidate.doc_id, len(doc_rank))
    lead = chosen[0].candidate if chosen else None

    def order(s: Scored) -> tuple[int, int, int]:
        c = s.candidate
        same_paragraph_before = lead is not None and c.doc_id == lead.doc_id and c.end <= lead.start \
            and lead.start - c.end < 400
        continues_lead = lead is not None and c.doc_id == lead.doc_id and c.prev == (lead.start, lead.end)
        first = c is lead or same_paragraph_before or continues_lead
        return (0 if first else 1, doc_rank[c.doc_id], c.start)

    return sorted(chosen, key=order)


def carry_on(chosen: Sequence[Scored], budget: int) -> list[Scored]:
    """The lead's continuation as one more sentence, if it is not chosen and fits beside the
    chosen ones and the predecessors that leaning ones will be widened to (those come first): an
    answer often goes on past the sentence that matched best ("…in two stages. The first stage
    is acute, …")."""
    if not chosen:
        return []
    lead = chosen[0]
    after = continuation(lead.candidate)
    if after is None:
        return []
    spans = [(s.candidate.doc_id, s.candidate.start, s.candidate.end) for s in chosen]
    if any(d == after.doc_id and a < after.end and after.start < b for d, a, b in spans):
        return []
    needed = sum(len(s.candidate.text) for s in chosen) + len(after.text)
    for s in chosen:
        c = s.candidate
        if c.prev and needs_previous(c.text) and not any(d == c.doc_id and a <= c.prev[0] < b
                                                               for d, a, b in spans):
            needed += c.start - c.prev[0]
    if needed > budget:
        return []
    return [Scored(after, lead.score, lead.relevance, lead.vector)]


def _join_to_previous(citations: list[Citation], c: Candidate, start: int, text: str,
                      read_source: Callable[[str], str | None], titles: DocInfoLookup) -> Citation | None:
    """The previous citation extended over ``c`` when ``c`` follows it in the same document with
    only white space between: two adjacent sentences read, and are cited, as one passage (an
    answer that spans a sentence boundary is then inside one cited span)."""
    if not citations:
        return None
    last = citations[-1]
    if last.doc_id != c.doc_id:
        return None
    source = read_source(c.doc_id)
    if source is None or not directly_follows(source, last.end, start):
        return None
    merged = cite(c, last.n, max(last.score, 0.0), read_source, titles, last.start,
                  last.text + source[last.end : start] + text)
    return merged


def cite(c: Candidate, n: int, score: float, read_source: Callable[[str], str | None], titles: DocInfoLookup,
         start: int | None = None, text: str | None = None, end: int | None = None) -> Citation | None:
    """A citation for the candidate's span (or one widened to ``start``..``end``: a predecessor
    brought along, a brief's run of sentences), or None if the source disagrees. The one place
    a ``Citation`` is made: answers and briefs alike."""
    start = c.start if start is None else start
    end = c.end if end is None else end
    text = c.text if text is None else text
    source = read_source(c.doc_id)
    if source is None or source[start:end] != text:
        log.warning("dropped citation %s[%d:%d]: source no longer matches the index", c.doc_id, start, end)
        return None
    info = titles(c.doc_id)
    chunk = c.hit.chunk
    return Citation(n=n, doc_id=c.doc_id, start=start, end=end, text=text, score=score,
                    context_start=chunk.start, context_end=chunk.end, context=chunk.text,
                    title=info.meta.title, date=info.meta.date, page=info.meta.page_at(start),
                    location=info.meta.location_at(start), section=_heading(info.meta.section_at(start)))


def _heading(section: Section | None) -> str | None:
    return section.heading if section is not None else None


STALE_NOTE = ("cited passages changed on disk since the index was built; "
              "run `briefing index build` (Ctrl+R in the TUI)")


def refusal(question: str, resolved_query: str, nearest: Sequence[Hit], confidence: float, dropped: int = 0) -> Answer:
    notes = (STALE_NOTE,) if dropped else ()
    return Answer(question=question, text=REFUSAL, abstained=True, nearest=tuple(nearest),
                  confidence=confidence, resolved_query=resolved_query, dropped=dropped, notes=notes)
