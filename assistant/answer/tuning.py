"""The values answers are tuned by, in one typed place, one name per meaning.

Each was chosen by measurement on the dev sets (covidqa-dev, policyqa-dev), the seed's gates and
the real-document set; ``docs/answers.md`` tells what was tried and the table of values there is
generated from this class. A value changed here changes answers: measure before and after in one
run (``python -m bench run qa_dev realdocs golden``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AnswerTuning:
    """How answers score, choose and refuse: weights, floors and windows (``ANSWER``)."""

    # -- a sentence's score (``sentence_scores``) --
    w_dense: float = 0.55
    """Weight of a sentence's similarity to the question in its score (the three weights sum to 1)."""
    w_lexical: float = 0.30
    """Weight of its idf-weighted overlap with the question's words."""
    w_passage: float = 0.15
    """Weight of its passage's fused score, relative to the best passage's."""
    seen_factor: float = 0.8
    """A follow-up's sentence that the previous answer already cited scores this much."""
    dangling_factor: float = 0.85
    """A sentence leaning on a predecessor ("This…") that the passage does not hold scores this much."""
    w_cause: float = 0.08
    """Bonus, for a "why" question, to a sentence giving a cause or motive."""
    w_kind: float = 0.06
    """Bonus to a sentence holding the kind of thing the question asks for (a person's name for
    "who", a date for "when", a time of day, a figure for "how many"; ``asked_kind``)."""
    w_phrase: float = 0.06
    """Bonus, scaled by the idf-weighted share of the question's word pairs a sentence keeps
    together ("anal swab"), to that sentence."""
    w_definition: float = 0.2
    """Bonus, for "What is PHEIC?", to the sentence that spells the abbreviation out."""
    uses_factor: float = 0.9
    """A sentence that uses a figure rather than states it ("We set the same value (5.2 days)…")
    scores this much: the statement is the answer."""
    w_list: float = 0.2
    """Bonus, for a question asking for several things of a kind, to a sentence enumerating members
    of that kind (scaled by ``member_cosine``)."""
    member_cosine: float = 0.3
    """Mean similarity of a listed item to the kind asked for at which the full ``w_list`` is given."""
    carried_weight: float = 0.2
    """A follow-up's carried-over terms count this much relative to the words actually asked."""
    max_carried: int = 8
    """Names and terms a follow-up carries over from the conversation."""

    # -- ranking (``ranking``) --
    max_items: int = 8
    """Items of one enumeration compared with the kind a list question asks for."""
    definition_passages: int = 64
    """Passages holding an asked abbreviation searched for its definition, the most similar first."""
    confidence_sentences: int = 5
    """A question's confidence is the relevance of the best of its first this-many sentences."""

    # -- choosing the answer's sentences (``compose``) --
    further_floor: float = 0.70
    """A sentence after the lead must score at least this share of the lead's score."""
    support_floor: float = 0.6
    """…and be at least this relevant, relative to the lead's relevance, in its own right (its
    similarity and word overlap, not its passage's rank or a bonus): a sentence sharing one word
    with the question is filler, and an answer may be one sentence."""
    redundant_cosine: float = 0.86
    """A sentence this similar to a chosen one says the same and is not chosen."""
    mmr_lambda: float = 0.7
    """Maximal marginal relevance: the weight of relevance against novelty when adding sentences."""
    tie_ratio: float = 0.95
    """A sentence scoring this share of the best is a near-tie: the question is ambiguous between
    them, and both are shown, even past the budget…"""
    hard_cap_ratio: float = 1.4
    """…up to this multiple of the budget."""
    adjacent_gap: int = 3
    """At most this much white space between two sentences that directly follow each other."""

    # -- the coverage verdict (``verdict``, ``coverage``, ``expected_type``) --
    opener_common_zipf: float = 4.5
    """A question's capitalised first word at least this common in English (wordfreq's Zipf scale)
    opens it ("Tell", "Please"); a rarer one is a name."""
    specific_zipf: float = 3.0
    """A lower-case word rarer in English than this names a particular thing ("ivermectin"): absent
    from the corpus, it is an absent subject."""
    compound_zipf: float = 3.5
    """A compound of a corpus word and a word at least this common ("chipmakers") is the corpus's
    own subject, not a new one."""
    word_chars: int = 6
    """Characters per English word with its space: a passage of ``chunk_size`` characters holds
    about ``chunk_size / word_chars`` words (``only_everyday_words``)."""
    unknown_share: float = 0.5
    """A question this share or more of whose words the corpus never uses…"""
    unknown_confidence: float = 0.30
    """…is refused unless its best sentences are at least this relevant."""
    type_window: int = 8
    """Best sentences searched for the kind of answer a question asks for (an amount, a count)."""
    counted_words: int = 3
    """Words after a number read as what it counts ("157 fatalities")."""
    label_words: int = 5
    """Words of the label a number follows read as what it counts ("Records returned: 983")."""
    unit_similarity: float = 0.55
    """Cosine (bundled model) at which what a number counts is the unit asked for ("fatalities"
    for "people died", "Employees" for "workers"; not "units" for "tonnes")."""


ANSWER = AnswerTuning()
"""The values in force."""
