"""Choosing a brief's key points: the most distinct information within a character budget.

Greedy coverage: each step takes the sentence with the best gain per character, where the
gain is its score times how much it adds beyond what is already chosen (one minus its
closest cosine to a chosen sentence). A sentence next to a chosen one in the same paragraph
gains a bonus, because facts cluster and two adjacent sentences often make one point; such
neighbours become one key point. A sentence that says what a chosen one says (cosine above
``BRIEF.same_point``) is not chosen but grouped under it, so a point made by several documents
cites them all. Key points are ordered by importance.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from assistant.answer.candidates import needs_previous, points_back
from assistant.brief.material import Sentence
from assistant.brief.statements import states_something
from assistant.brief.tuning import BRIEF
from assistant.text.analyser import analyze

Length = Literal["short", "standard", "long"]


@dataclass(frozen=True)
class Budget:
    chars: int
    """Characters of quoted text in the key points (grouped repeats not counted)."""
    max_points: int
    timeline: int
    """Most timeline rows."""


BUDGETS: dict[Length, Budget] = {
    "short": Budget(650, 5, 3),
    "standard": Budget(1300, 8, 6),
    "long": Budget(2600, 12, 12),
}


_GLOSSARY = re.compile(r"^[A-Z][\w’'&/()-]*(?:[ -](?:[A-Z][\w’'&/()-]*|of|and|for|the|in|on)){1,5}:\s+\S")
"""A glossary entry: a capitalised label of two words or more and a colon, then its meaning
("Advanced Chips: Specialized processors like…"). One word ("Results:", "Background:") heads a
section of a structured abstract, which is content."""
_ASKS_MEANING = re.compile(r"^\s*(?:what\s+(?:is|are|does|do)\b|define\b|definitions?\b|meaning\b|glossary\b)", re.I)


def is_glossary(text: str) -> bool:
    return bool(_GLOSSARY.match(text))


def asks_meaning(topic: str) -> bool:
    """Whether a topic asks what terms mean ("What is a PHEIC?", "definitions of…")."""
    return bool(_ASKS_MEANING.match(topic))


@dataclass
class Point:
    """A key point under construction: adjacent sentences of one document, and repeats elsewhere."""

    sentences: list[Sentence]
    also: list[Sentence] = field(default_factory=list)

    @property
    def importance(self) -> float:
        return max(s.score for s in self.sentences)


def choose_points(material: Sequence[Sentence], budget: Budget,
                  adjacent: Callable[[Sentence, Sentence], bool], glossary: bool = False,
                  topic: str = "") -> list[Point]:
    """Key points, most important first. ``adjacent(a, b)``: b directly follows a in a paragraph.
    Glossary entries are points only when ``glossary`` (the topic asks what terms mean); every
    point stands on its own (``_self_contained``): what it points at ("these elements") is in
    the sentence before it, the ``topic`` or another point."""
    if not material:
        return []
    everything = material
    if not glossary:
        material = [s for s in material if not is_glossary(s.text)] or list(material)
    floor = BRIEF.point_floor * material[0].score
    pool = [s for s in on_topic(material, adjacent) if s.score >= floor]
    chosen: list[Sentence] = []
    grouped: dict[int, list[Sentence]] = {}
    used = 0
    while pool:
        def gain(s: Sentence) -> float:
            closest = max((float(s.vector @ c.vector) for c in chosen), default=0.0)
            near = any(adjacent(c, s) or adjacent(s, c) for c in chosen)
            value = s.score * (1.0 - max(closest, 0.0)) + (BRIEF.adjacent_bonus if near else 0.0)
            if needs_previous(s.text) and not any(adjacent(c, s) for c in chosen):
                value *= BRIEF.leaning_penalty  # "This distinction…" alone points at nothing shown
            return value / (len(s.text) + 40) ** BRIEF.length_exponent

        best = max(pool, key=gain)
        pool.remove(best)
        if not states_something(best.text):
            continue  # a title, a heading, a reference line: it names, it does not state
        twins = [i for i, c in enumerate(chosen) if float(best.vector @ c.vector) > BRIEF.same_point]
        if twins:
            grouped.setdefault(twins[0], []).append(best)
            continue
        if used + len(best.text) > budget.chars and len(chosen) >= BRIEF.min_points:
            continue
        chosen.append(best)
        used += len(best.text)
        if _count_points(chosen, adjacent) > budget.max_points:
            chosen.pop()
            used -= len(best.text)
            break
    return _self_contained(_points(chosen, grouped, adjacent), everything, adjacent, topic)


def on_topic(material: Sequence[Sentence], adjacent: Callable[[Sentence, Sentence], bool]) -> list[Sentence]:
    """The sentences about the topic, each judged with its paragraph: one close to the topic
    (``BRIEF.topic_floor`` of the closest sentence's closeness), or
    one that carries on from such a sentence in the same paragraph (up to ``BRIEF.max_run`` sentences
    on). "China is using this pressure to strengthen its own semiconductor ecosystem" is about
    "semiconductor self-reliance"; so are the directive and the $53 billion plan that follow it,
    though their own words are far from the topic's. A sentence elsewhere that merely shares a
    word with the topic ("semiconductors" among the uses of rare earths) is judged alone."""
    if not material:
        return []
    least = BRIEF.topic_floor * max(s.topic for s in material)
    topical = [s for s in material if s.topic >= least]
    frontier = list(topical)
    for _ in range(BRIEF.max_run):
        frontier = [s for s in material if s not in topical and any(adjacent(t, s) for t in frontier)]
        topical += frontier
    return [s for s in material if s in topical]


def _self_contained(points: list[Point], material: Sequence[Sentence],
                    adjacent: Callable[[Sentence, Sentence], bool], topic: str = "") -> list[Point]:
    """A point that leans on the sentence before it ("This decision was seen as…", "However, …",
    "China is using this pressure…": ``points_back``) carries that sentence first, when the
    material holds it and it stands alone; otherwise it is no key point, since the reader would
    never learn which decision or which pressure."""
    kept = list(points)
    changed = True
    rounds = 2 * sum(len(p.sentences) for p in points) + 1  # each round adds or drops a sentence
    while changed and rounds:  # dropping a sentence may leave another point pointing at nothing
        changed, rounds = False, rounds - 1
        texts = [" ".join(s.text for s in p.sentences) for p in kept]
        for i, point in enumerate(kept):
            others = texts[:i] + texts[i + 1:]
            head = point.sentences[0]
            if ends_open(point.sentences[-1].text):
                point.sentences.pop()  # "…three strategic pillars:" announces what the point does not hold
                changed = True
                break
            if stands_alone(head.text, topic, others):
                continue
            before = next((s for s in material if adjacent(s, head)), None)
            owner = next((p for p in kept if p is not point and before is not None
                          and any(_same(x, before) for x in p.sentences)), None)
            if owner is not None and before is not None:  # it leans on another point's sentence
                if _same(owner.sentences[-1], before):
                    owner.sentences.extend(point.sentences)  # and carries that point on
                    owner.also.extend(point.also)
                point.sentences.clear()
            elif before is not None and stands_alone(before.text, topic, others):
                point.sentences.insert(0, before)
            else:
                point.sentences.pop(0)  # the sentences after it may still make the point alone
            changed = True
            break
        kept = [p for p in kept if p.sentences]
    return kept


def _same(a: Sentence, b: Sentence) -> bool:
    return a.doc_id == b.doc_id and a.start == b.start


def ends_open(sentence: str) -> bool:
    """A sentence that ends by announcing what follows ("…rests on three pillars:")."""
    return sentence.rstrip().endswith((":", "：", "as follows"))


def stands_alone(sentence: str, topic: str, shown: Sequence[str]) -> bool:
    """Whether a key point's first sentence can be read on its own in a brief on ``topic`` beside
    the ``shown`` points: it does not open by leaning on the sentence before it, and whatever it
    points at ("these elements", "this pressure") the topic or a shown point names. The one rule
    for choosing points and for counting dangling ones (``eval.briefs``)."""
    said = set().union(*analyze([topic, *shown]))
    return not points_back(sentence, lambda word: bool(set(analyze([word])[0]) & said))


def _count_points(chosen: Sequence[Sentence], adjacent: Callable[[Sentence, Sentence], bool]) -> int:
    return len(_points(list(chosen), {}, adjacent))


def _points(chosen: list[Sentence], grouped: dict[int, list[Sentence]],
            adjacent: Callable[[Sentence, Sentence], bool]) -> list[Point]:
    order = sorted(range(len(chosen)), key=lambda i: (chosen[i].doc_id, chosen[i].start))
    points: list[Point] = []
    for i in order:
        s = chosen[i]
        run = points[-1].sentences if points else []
        if run and adjacent(run[-1], s) and len(run) < BRIEF.max_run \
                and run[-1].end - run[0].start + len(s.text) <= BRIEF.max_run_chars:
            run.append(s)
        else:
            points.append(Point([s]))
        points[-1].also.extend(grouped.get(i, []))
    for p in points:  # a repeat that sits inside the point itself is no second source
        inside = {(s.doc_id, s.start) for s in p.sentences}
        p.also = [a for a in p.also if (a.doc_id, a.start) not in inside][:3]
    points.sort(key=lambda p: -p.importance)
    return points
