"""Honest about thin coverage: a topic the corpus touches in a sentence or two.

"Goldman Sachs's view of Chinese chips", asked of an article that names Goldman Sachs once in a
list, passes the coverage check (every name occurs), yet the material is mostly about other
things. A brief padded from it would read as confident. So each name of the topic (the names
the refusal rule checks, ``answer.coverage.question_names``) is looked for in the material:
when one is mentioned in at most ``BRIEF.few_mentions`` sentences, the brief says the corpus says
little about it and keeps only those sentences. Only a topic phrase has names that define it:
in a title written in title case, or a long description, the capitals mark no such names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer.coverage import question_names
from assistant.brief.material import Sentence
from assistant.brief.tuning import BRIEF
from assistant.text.analyser import analyze
from assistant.text.gazetteer import country_of


@dataclass(frozen=True)
class Little:
    """What the corpus says little about, and the only sentences that say it."""

    name: str
    sentences: tuple[Sentence, ...]

    def note(self, topic: str) -> str:
        n = len(self.sentences)
        said = f"{n} sentence{'s' if n != 1 else ''} mention{'s' if n == 1 else ''} it" if n else \
            "no sentence found on the topic mentions it"
        return f"The corpus says little about {self.name} (“{topic}”): {said}."




def title_case(topic: str) -> bool:
    """Most of the topic's everyday words of four letters or more are capitalised ("Evidence for
    the Convergence Model: The Emergence of…"): a title, whose capitals mark no names. In
    "Goldman Sachs's view of Chinese chips" the everyday words are lower case."""
    from wordfreq import zipf_frequency

    words = [w.strip(".,:;()?!'’\"") for w in topic.split()]
    everyday = [w for w in words if len(w) >= 4 and w.isalpha() and not country_of(w)
                and zipf_frequency(w.lower(), "en") >= BRIEF.everyday_zipf]
    return len(everyday) >= 2 and sum(w[:1].isupper() for w in everyday) > 0.5 * len(everyday)


def says_little(topic: str, material: Sequence[Sentence], opening: str = "") -> Little | None:
    """The topic's least-mentioned name, when the material mentions it in ``BRIEF.few_mentions``
    sentences or fewer; ``None`` when every name is well covered (or the topic is a title). A
    brief on one document passes its ``opening`` (the caption, title and summary a document
    opens with): a name the opening holds is what the document is about, however seldom its
    body repeats it ("ALEXANDRE MIRZAYANCE" in a transcript's caption, then "the respondent")."""
    if title_case(topic) or len(topic.split()) > BRIEF.description_words:
        return None
    first = topic.split()[0]
    words = [set(tokens) for tokens in analyze([s.text for s in material])] if material else []
    opened = set(analyze([opening])[0]) if opening else set()
    least: Little | None = None
    for name in question_names(topic):
        if len(name) > 1 and name.isupper():
            continue  # initials: the material may spell them out ("EU", "European Union")
        if name == first and not (country_of(name) or first.endswith(("'s", "’s"))) and \
                (lower_case(name, material) or _everyday(name)):
            continue  # "Etiology of…", "Agricultural energy news": capitalised because it opens the topic
        tokens = set(analyze([name])[0])
        if not tokens or tokens <= opened:
            continue
        mentions = tuple(s for s, seen in zip(material, words, strict=True) if tokens <= seen)
        if len(mentions) <= BRIEF.few_mentions and (least is None or len(mentions) < len(least.sentences)):
            least = Little(name, mentions)
    return least


def _everyday(word: str) -> bool:
    """A word English uses every day (``BRIEF.everyday_zipf``): no name, whatever its capital."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "en") >= BRIEF.everyday_zipf


def lower_case(word: str, material: Sequence[Sentence]) -> bool:
    """Whether the material writes ``word`` in lower case somewhere: a word, not a name."""
    pattern = re.compile(rf"\b{re.escape(word.lower())}\b")
    return any(pattern.search(s.text) for s in material)
