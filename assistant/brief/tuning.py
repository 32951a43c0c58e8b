"""The values briefs are tuned by, in one typed place, one name per meaning.

Each was chosen by measurement (``python -m bench run briefs``: covidqa-dev's brief topics
beside the textbook pipeline, the seed's brief gate, the real-document briefs); the table of
values in ``docs/briefs.md`` is generated from this class.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BriefTuning:
    """How briefs gather material, choose key points and offer topics (``BRIEF``)."""

    # -- the material (``make``, ``material``) --
    material_passages: int = 24
    """Passages retrieved for a brief's material."""
    best_sentence: float = 1.0
    """A brief's passages are ranked (dense side) by their best sentence's closeness to the topic,
    not their pooled vector's: a passage with a sentence squarely on the topic is material, one
    near it on average (a neighbouring article) is not."""
    passage_floor: float = 0.70
    """Passages count as material while their fused score is at least this share of the best."""
    min_passages: int = 4
    """Passages taken even below ``passage_floor``, while they pass ``padding_floor``."""
    padding_floor: float = 0.5
    """…while their meaning (the dense cosine) stays within this share of the best passage's:
    another section of the same article on something else is not material."""
    max_passages: int = 24
    """Passages read for material at most."""
    max_sentences: int = 96
    """Sentences embedded per brief (the rest are ranked out first by passage relevance)."""
    w_passage: float = 0.45
    """Weight of a sentence's passage relevance in its material score (the three weights sum to 1)."""
    w_topic: float = 0.30
    """Weight of its own closeness to the topic."""
    w_specific: float = 0.25
    """Weight of its specificity: numbers, names and words the topic does not already say."""
    part_floor: float = 0.95
    """A file's other part (another notice of a register issue) gives a brief material only when
    its best passage scores this share of the best part's (``material.parts_on_topic``)."""
    document_passages: int = 200
    """Passages of the one document part a brief is about read as its material (``material.sole_part``)."""
    document_sentences: int = 400
    """Sentences of it embedded at most."""
    opening_chars: int = 1000
    """Characters of its opening (caption, title, summary) whose names it is about, however seldom
    its body repeats them (``thin.says_little``)."""
    few_passages: int = 8
    """Below this many retrieved passages (a tiny corpus), fused scores are not compared."""

    # -- key points (``key_points``, ``statements``) --
    min_points: int = 3
    """Key points a brief has however short its budget, when the material allows."""
    same_point: float = 0.82
    """Cosine above which two sentences make the same point (the second is grouped under the first)."""
    adjacent_bonus: float = 0.15
    """Gain for a sentence next to a chosen one in its paragraph: facts cluster."""
    length_exponent: float = 0.5
    """Gain is divided by (characters + 40) ** this: long sentences must carry more to be chosen."""
    max_run: int = 3
    """Adjacent sentences one key point holds at most…"""
    max_run_chars: int = 500
    """…and characters: a point, not a page."""
    leaning_penalty: float = 0.5
    """A sentence that leans on the one before it counts this much unless that one is chosen."""
    point_floor: float = 0.5
    """A sentence scoring below this share of the best one is not material for a key point."""
    topic_floor: float = 0.4
    """Nor is one whose own closeness to the topic is below this share of the closest sentence's,
    unless it carries on from a topical sentence in its paragraph."""
    prose_words: int = 15
    """A sentence this long ending as prose does is a statement unparsed (titles, headings, reference
    lines, a signature's title and a rule's list of subjects end otherwise, or are shorter)."""

    # -- timeline, actors, topics a corpus offers --
    timeline_floor: float = 0.8
    """A dated statement is on the timeline when its score is at least this share of the best
    sentence's: the timeline is the topic's, not every date the passages mention."""
    same_event: float = 0.75
    """Cosine above which two sentences with the same date tell the same event."""
    max_actors: int = 15
    """Actors a brief lists at most."""
    opener_zipf: float = 4.0
    """A word opening a sentence this common in English is the sentence's, not a name's."""
    few_mentions: int = 2
    """A topic's name mentioned in this many sentences or fewer gets a short brief that says so."""
    description_words: int = 8
    """A topic of more words is a description (a title, a question), each of whose names is a
    detail of it, not what it is about."""
    everyday_zipf: float = 3.5
    """A topic word at least this common in English names nothing particular."""
    max_topics: int = 6
    """Brief topics the start panel offers."""
    heading_documents: int = 3
    """A corpus of this many documents or fewer offers their headings as topics."""

    # -- themes (``themes``) --
    min_documents: int = 8
    """Below this many documents, titles and headings are the topics; from it, themes."""
    max_themes: int = 6
    """Themes offered at most."""
    name_phrases: int = 2
    """Noun phrases a theme is named by; the first is what a brief on it is asked about."""
    max_phrase_words: int = 4
    """Words of a naming phrase at most."""
    naming_documents: int = 60
    """Documents of a group, nearest its centre, whose titles are parsed for naming phrases."""
    opening_passages: int = 3
    """Passages of each document read for its words: the title and the opening say what it is about."""
    naming_chars: int = 300
    """Characters of a document's opening searched for naming phrases when its title has none."""
    theme_common_zipf: float = 4.5
    """A phrase of words all at least this common in English ("results", "new study") names no theme."""
    min_members: int = 2
    """A theme spans documents: a group of one is left out, and a phrase names a group only when
    this many of its documents use it."""
    longer_phrase: float = 0.5
    """A naming phrase's score grows by this share per word past the first."""


BRIEF = BriefTuning()
"""The values in force."""
