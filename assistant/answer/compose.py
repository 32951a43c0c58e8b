"""Sentence-level answer composition with verified citations.

Candidate sentences come from the retrieved passages. Each is scored against the question
by dense similarity, idf-weighted word overlap (and the question's word pairs kept together)
and its passage's fused rank; the best few non-redundant ones (MMR) within a character budget
form the answer. Every span is re-read from its source before it is shown; one that no longer
matches is dropped, never shown.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.index.bm25 import SparseIndex
from assistant.text.abbreviations import asked_abbreviation, defines
from assistant.text.analyser import analyze
from assistant.text.framing import POINTING_WORDS
from assistant.text.sentences import is_statement
from assistant.types import Answer, Chunk, Citation, DocInfo, Hit

log = logging.getLogger(__name__)

REFUSAL = "The sources in the corpus do not cover this."

# Weights of the three signals in a sentence's score (they sum to 1).
W_DENSE, W_LEXICAL, W_PASSAGE = 0.55, 0.30, 0.15
SEEN_FACTOR = 0.8
"""A follow-up's sentence that the previous answer already cited scores this much."""
DANGLING_FACTOR = 0.85
"""A sentence leaning on a predecessor ("This…") that the passage does not hold scores this much."""
W_CAUSE = 0.08
"""Bonus, for a "why" question, to a sentence giving a cause or motive."""
_WHY = re.compile(r"^\s*why\b|\bwhat (?:is|was|are|were) the (?:reasons?|causes?|motives?)\b|\bfor what reason\b", re.I)
_CAUSE = re.compile(r"\b(?:because|due to|in response to|response to|aimed at|driven by|caused by|as a result|"
                    r"in order to|motivat\w*|owing to|seen as|reason|requires?|depends? on|relies on|needs)\b", re.I)
W_LIST = 0.2
"""Bonus, for a question that asks for several things of a kind ("Which elements were…?", "List
the…"), to a sentence that enumerates members of that kind (``membership``): it answers, where
a sentence that only names the kind does not."""
MEMBER_COSINE = 0.3
"""Mean similarity of a listed item to the kind asked for ("gadolinium" to "rare earth
elements") at which the full ``W_LIST`` is given; less earns a share of it."""
_LIST_QUESTION = re.compile(
    r"^\s*(?:(?:which|what)\s+(?:are|were)\s+(?:the\s+)?(?P<a>(?:[\w-]+\s+){0,4}[\w-]+s)\b"
    r"|(?:which|what)\s+(?P<b>(?:[\w-]+\s+){0,3}[\w-]+s)\s+(?:are|were|have|had|did|do|does|can|could|will|"
    r"would|may|might|should|must)\b"
    r"|(?:please\s+)?(?:list|name|enumerate|identify|itemi[sz]e)\s+(?:all\s+)?(?:the\s+)?(?P<c>[^.?!]+))", re.I)
_KIND_END = re.compile(r"\s+(?:that|which|who|whom|were|was|are|is|did|does|do|have|has|had|can|could|will|would|"
                       r"in|on|for|by|to|from|with|under|during|after|before|at|as|put|used|made|given)\b.*$", re.I)
_ITEM = r"[\w][\w'’/-]*(?:\s+[\w][\w'’/-]*){0,3}"
_ENUMERATION = re.compile(rf"{_ITEM},\s+(?:{_ITEM},\s+)*{_ITEM},?\s+(?:and|or)\s+{_ITEM}|"
                          rf"{_ITEM},\s+{_ITEM},\s+{_ITEM},\s+{_ITEM}")
_SEPARATOR = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
_TRAILING_WORDS = re.compile(r"\s+(?:to|in|on|are|is|were|was|for|as|from|with|by|that|which|have|has|had|"
                             r"can|could|will|would|may|might)\b.*$", re.I)
_LEADING_WORDS = re.compile(r"^(?:(?:[\w'’-]+\s+)*?(?:related\s+to|such\s+as|including|like|namely|of|to|from|"
                            r"the|a|an)\s+)+", re.I)


def merely_uses(sentence: str) -> bool:
    """Whether a sentence uses a figure rather than states it ("We set the same value (5.2 days)
    of the incubation period…", "…was assumed to be 5 days")."""
    return bool(_USES.search(sentence))


def list_kind(question: str) -> str | None:
    """The kind of thing a question asks several of ("rare earth elements" in "Which rare earth
    elements were put under controls?", "symptoms of COVID-19" in "What are the symptoms of
    COVID-19?", or from "List the…"), or None for a question that does not ask for a list."""
    m = _LIST_QUESTION.match(question)
    if m is None:
        return None
    kind = next(g for g in m.groups() if g)
    kind = _KIND_END.sub("", kind.strip()).strip(" ,;:")
    return kind or None


def enumerated_items(sentence: str) -> list[str]:
    """The things a sentence lists, three or more ("samarium", "gadolinium", … "yttrium"), or []."""
    m = _ENUMERATION.search(sentence)
    if m is None:
        return []
    items = [part.strip() for part in _SEPARATOR.split(m.group(0))]
    items[0] = _LEADING_WORDS.sub("", items[0])  # "…products related to samarium"
    items[-1] = _TRAILING_WORDS.sub("", items[-1])  # "yttrium to its export…"
    return [item for item in items if item]


W_PHRASE = 0.06
"""Bonus, scaled by ``_phrase``, to a sentence that keeps the question's words together."""
W_DEFINITION = 0.2
"""Bonus, for "What is PHEIC?", to the sentence that spells the abbreviation out (``abbreviations``)."""
# Carried-over follow-up terms count this much relative to the words actually asked.
CARRIED_WEIGHT = 0.2
# A further sentence must score this close to the best one, and not repeat a chosen one.
RELATIVE_FLOOR = 0.70
SUPPORT_FLOOR = 0.6
"""…and be this relevant, relative to the lead's relevance, in its own right (its similarity and
word overlap, not its passage's rank or a bonus): a sentence that shares one word with the
question ("CDC also is developing a serology test for COVID-19.") is filler, not support, and
an answer may be one sentence."""
USES_FACTOR = 0.9
"""A sentence that uses a figure rather than states it ("We set the same value (5.2 days) of the
incubation period…", "…was assumed to be…") scores this much: the statement is the answer."""
_USES = re.compile(r"\b(?:we|they|the authors)\s+(?:then\s+)?(?:set|assumed?|used|adopted|took|fixed|chose)\b"
                   r"|\b(?:was|were|is|are|been)\s+(?:set|assumed|fixed|taken)\s+(?:to|at|as|equal)\b"
                   r"|\bassuming\b", re.I)
REDUNDANT_COSINE = 0.86
MMR_LAMBDA = 0.7
# A near-tie with the best sentence means the question is ambiguous between them: show both,
# even past the budget, up to a hard cap.
TIE_RATIO = 0.95
HARD_CAP_RATIO = 1.4
_NEEDS_PREVIOUS = re.compile(
    rf"^(?:{'|'.join(sorted(POINTING_WORDS))}|the latter|the former|"
    r"however|but|also|meanwhile|therefore|thus|instead)\b",
    re.I,
)


@dataclass(frozen=True)
class Candidate:
    doc_id: str
    start: int
    end: int
    text: str
    hit: Hit
    prev: tuple[int, int] | None
    """The sentence just before this one in the same paragraph, if the passage holds it."""
    position: int = 0
    """Index of this sentence in its chunk's ``sentences`` (where a precomputed vector is found)."""


VectorLookup = Callable[[Sequence[Candidate]], np.ndarray]
"""Unit vectors for candidate sentences (precomputed, cached or embedded now)."""


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    score: float
    relevance: float
    vector: np.ndarray


@dataclass(frozen=True)
class Query:
    """A question as the composer needs it: its vector and its weighted analysed terms."""

    text: str
    vector: np.ndarray
    """The embedding of what is retrieved with (the question plus any carried-over terms)."""
    terms: dict[str, float]
    question_vector: np.ndarray | None = None
    """For a follow-up, the embedding of the question alone: sentences are judged against both."""
    seen: frozenset[tuple[str, int, int]] = frozenset()
    """For a follow-up, the spans the previous answer cited (one span may hold several sentences)."""
    abbreviation: str | None = None
    """The abbreviation the question asks to be explained ("What is PHEIC?"), if it asks that."""
    phrases: frozenset[tuple[str, str]] = frozenset()
    """The question's adjacent analysed words ("anal swab", "peak infection"): a sentence that
    keeps them together says what was asked more nearly than one that has them apart."""

    @classmethod
    def build(cls, question: str, carried: Sequence[str], vector: np.ndarray,
              question_vector: np.ndarray | None = None, seen: Sequence[tuple[str, int, int]] = ()) -> Query:
        terms: dict[str, float] = {}
        asked = analyze([question])[0]
        for token in asked:
            terms[token] = 1.0
        if carried:
            for token in analyze([" ".join(carried)])[0]:
                terms.setdefault(token, CARRIED_WEIGHT)
        return cls(question, vector, terms, question_vector, frozenset(seen), asked_abbreviation(question),
                   frozenset(zip(asked, asked[1:], strict=False)))

    def has_seen(self, candidate: Candidate) -> bool:
        """Whether the previous answer cited this sentence (alone, or inside a longer span)."""
        return any(d == candidate.doc_id and a <= candidate.start and candidate.end <= b for d, a, b in self.seen)

    @property
    def tokens(self) -> list[str]:
        return list(self.terms)


def needs_previous(text: str) -> bool:
    """Whether a sentence leans on the one before it ("This distinction…", "It…", "However…")."""
    return bool(_NEEDS_PREVIOUS.match(text.lstrip()))


MAX_ADJACENT_GAP = 3
"""At most this much white space between two sentences that directly follow each other."""


def directly_follows(text: str, end: int, start: int) -> bool:
    """Whether the sentence starting at ``start`` directly follows the one ending at ``end`` in
    ``text`` (a document's text): only a little white space between, and no paragraph break.
    The one adjacency rule: two such sentences are cited as one span, in answers and briefs."""
    gap = text[end:start]
    return 0 <= start - end <= MAX_ADJACENT_GAP and not gap.strip() and "\n\n" not in gap


def same_paragraph(chunk: Chunk, end: int, start: int) -> bool:
    """Whether the sentence ending at ``end`` and the one starting at ``start`` share a paragraph:
    no line break between them. (Breaks that only wrap a line lie inside sentences; a break
    between two sentences is taken as a paragraph's end, even in hard-wrapped text.)"""
    return "\n" not in chunk.text[end - chunk.start : start - chunk.start]


def candidates_from(hits: Sequence[Hit]) -> list[Candidate]:
    seen: set[tuple[str, int, int]] = set()
    out: list[Candidate] = []
    for hit in hits:
        chunk = hit.chunk
        previous: tuple[int, int] | None = None
        for position, (a, b) in enumerate(chunk.sentences):
            text = chunk.text[a - chunk.start : b - chunk.start]
            prev = previous if previous and same_paragraph(chunk, previous[1], a) else None
            previous = (a, b)
            key = (chunk.doc_id, a, b)
            if key in seen or not is_statement(text):
                continue
            seen.add(key)
            out.append(Candidate(chunk.doc_id, a, b, text, hit, prev, position))
    return out


def _lexical(query: Query, tokens: Sequence[str], sparse: SparseIndex, total: float) -> float:
    present = set(tokens)
    return sum(sparse.idf(t) * w for t, w in query.terms.items() if t in present) / total


def _phrase(pairs: dict[tuple[str, str], float], tokens: Sequence[str]) -> float:
    """The share of the question's word pairs (``pairs``: each with its weight, the weights summing
    to 1) that the sentence has side by side."""
    if not pairs:
        return 0.0
    return sum(pairs.get(pair, 0.0) for pair in set(zip(tokens, tokens[1:], strict=False)))


def shortlist(query: Query, candidates: Sequence[Candidate], sparse: SparseIndex, limit: int) -> list[Candidate]:
    """The ``limit`` most promising sentences by signals that need no embedding (their passage's
    similarity and rank, their word overlap), so only those are embedded at query time."""
    if len(candidates) <= limit:
        return list(candidates)
    total = sum(sparse.idf(t) * w for t, w in query.terms.items()) or 1.0
    top_fused = max(c.hit.score for c in candidates) or 1.0
    cheap = [
        W_DENSE * c.hit.dense_score + W_LEXICAL * _lexical(query, toks, sparse, total)
        + W_PASSAGE * c.hit.score / top_fused
        for c, toks in zip(candidates, analyze([c.text for c in candidates]), strict=True)
    ]
    keep = sorted(range(len(candidates)), key=lambda i: -cheap[i])[:limit]
    return [candidates[i] for i in sorted(keep)]


def score_candidates(
    query: Query,
    candidates: Sequence[Candidate],
    vectors: np.ndarray,
    sparse: SparseIndex,
    membership: dict[int, float] | None = None,
) -> list[Scored]:
    """Each candidate's score, best first. ``membership``: for a question asking for a list, how
    near the items each enumerating candidate lists are to the kind asked for (``list_kind``)."""
    if not candidates:
        return []
    dense = vectors @ query.vector
    if query.question_vector is not None:
        dense = (dense + vectors @ query.question_vector) / 2
    top_fused = max(c.hit.score for c in candidates) or 1.0
    total = sum(sparse.idf(t) * w for t, w in query.terms.items()) or 1.0
    why = bool(_WHY.search(query.text))
    pair_idf = {pair: sparse.idf(pair[0]) + sparse.idf(pair[1]) for pair in query.phrases}
    pairs = {pair: weight / (sum(pair_idf.values()) or 1.0) for pair, weight in pair_idf.items()}
    scored = []
    for i, (cand, toks) in enumerate(zip(candidates, analyze([c.text for c in candidates]), strict=True)):
        cos = float(dense[i])
        lexical = _lexical(query, toks, sparse, total)
        passage = cand.hit.score / top_fused
        relevance = 0.6 * float(cos) + 0.4 * lexical
        score = W_DENSE * float(cos) + W_LEXICAL * lexical + W_PASSAGE * passage
        score += W_PHRASE * _phrase(pairs, toks)
        if query.has_seen(cand):
            score *= SEEN_FACTOR  # a follow-up wants what the last answer did not say
        if cand.prev is None and needs_previous(cand.text):
            score *= DANGLING_FACTOR  # "This distinction…" with nothing before it to point at
        if merely_uses(cand.text):
            score *= USES_FACTOR
        if why and _CAUSE.search(cand.text):
            score += W_CAUSE
        if membership:
            score += W_LIST * min(max(membership.get(i, 0.0), 0.0) / MEMBER_COSINE, 1.0)
        if query.abbreviation and defines(query.abbreviation, cand.text):
            score += W_DEFINITION  # it spells out what was asked: the answer, however it scores
        scored.append(Scored(cand, score, relevance, vectors[i]))
    scored.sort(key=lambda s: -s.score)
    return scored


def continuation(lead: Candidate) -> Candidate | None:
    """The sentence after ``lead`` in its passage and paragraph, if it is one worth citing."""
    chunk = lead.hit.chunk
    following = lead.position + 1
    if following >= len(chunk.sentences):
        return None
    a, b = chunk.sentences[following]
    text = chunk.text[a - chunk.start : b - chunk.start]
    if not same_paragraph(chunk, lead.end, a) or not is_statement(text):
        return None
    return Candidate(lead.doc_id, a, b, text, lead.hit, (lead.start, lead.end), following)


def select(scored: Sequence[Scored], budget: int, max_sentences: int,
           support_floor: float = SUPPORT_FLOOR) -> list[Scored]:
    """The sentences of the answer, the lead first. Best sentence first; then the sentence after it
    in its paragraph, if it is close enough to be chosen at all (an answer often goes on there:
    "…emerged between 50 and 310 y ago. Since then, CHIKV has come a long way…"); then MMR among
    those close enough, within the budget; last, that continuation even if it was not close
    enough, when the budget still has room for it (``carry_on``). Only sentences relevant in their
    own right (``support_floor``, relative to the lead) support it; a follow-up passes 0, since
    its own words are few ("Why did they do it?") and say little about a sentence."""
    if not scored:
        return []
    chosen = [scored[0]]
    used = len(scored[0].candidate.text)
    lead = scored[0]
    pool = [s for s in scored[1:] if s.score >= RELATIVE_FLOOR * lead.score
            and s.relevance >= support_floor * lead.relevance]
    after = continuation(scored[0].candidate)
    follows = next((s for s in pool if after is not None and (s.candidate.doc_id, s.candidate.start, s.candidate.end)
                    == (after.doc_id, after.start, after.end)), None)
    if follows is not None and max_sentences > 1 and used + 1 + len(follows.candidate.text) <= budget * HARD_CAP_RATIO:
        chosen.append(follows)  # it carries the lead's thought on, so it is not judged by how new it is
        pool.remove(follows)
        used += 1 + len(follows.candidate.text)
    while pool and len(chosen) < max_sentences:
        def mmr(s: Scored) -> float:
            return MMR_LAMBDA * s.score - (1 - MMR_LAMBDA) * max(float(s.vector @ c.vector) for c in chosen)

        best = max(pool, key=mmr)
        pool.remove(best)
        if max(float(best.vector @ c.vector) for c in chosen) > REDUNDANT_COSINE:
            continue
        limit = budget * HARD_CAP_RATIO if best.score >= TIE_RATIO * scored[0].score else budget
        if used + 1 + len(best.candidate.text) > limit:
            continue
        chosen.append(best)
        used += 1 + len(best.candidate.text)
    return [*chosen, *carry_on(chosen, budget)]


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
    if head is not None and head.prev and _NEEDS_PREVIOUS.match(head.text):
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
        if c.prev and _NEEDS_PREVIOUS.match(text) and used + (c.start - c.prev[0]) <= budget:
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
        if c.prev and _NEEDS_PREVIOUS.match(c.text) and not any(d == c.doc_id and a <= c.prev[0] < b
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
                    title=info.title, date=info.date, page=info.page_at(start),
                    location=info.location_at(start))


STALE_NOTE = ("cited passages changed on disk since the index was built; "
              "run `briefing index build` (Ctrl+R in the TUI)")


def refusal(question: str, resolved_query: str, nearest: Sequence[Hit], confidence: float, dropped: int = 0) -> Answer:
    notes = (STALE_NOTE,) if dropped else ()
    return Answer(question=question, text=REFUSAL, abstained=True, nearest=tuple(nearest),
                  confidence=confidence, resolved_query=resolved_query, dropped=dropped, notes=notes)
