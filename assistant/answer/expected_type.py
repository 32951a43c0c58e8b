"""The kind of answer a question asks for, and whether a sentence could be one.

"What is the price of one Nvidia H200 chip?" shares its words with every sentence about the
H200, so those sentences look relevant; but an answer to it has to state an amount of money,
and if none of the best sentences does, the corpus does not answer it. The same holds for
"How many tonnes…" (a number and the unit) and "How many chips…" (a number and the thing
counted). Only these measurable kinds are checked: they are cheap to recognise and a wrong
guess costs little, because the check looks at several candidate sentences, not one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.text.analyser import analyze

_MONEY_WORDS = r"price|prices|cost|costs|costing|worth|value|spend|spent|spending|invest|investing|invested|" \
               r"investment|pay|paid|budget|revenue|revenues|fee|fees|salary|fund|funding"
_HOW_MUCH_MONEY = re.compile(rf"\bhow much\b.*\b(?:{_MONEY_WORDS})\b|\b(?:what|which) (?:is|was|are|were) the "
                             rf"(?:{_MONEY_WORDS})\b", re.I)
_HOW_MANY = re.compile(r"\bhow many\s+([a-z][\w-]*(?:\s+[a-z][\w-]*){0,3})", re.I)
_PHRASE_END = re.compile(r"\s+(?:of|do|does|did|are|is|were|was|have|has|had|will|would|can|could|in|for|on|at|"
                         r"to|from|with|by|per|does|did)\b.*$", re.I)
_MONEY = re.compile(r"[$€£¥]\s?\d|\b\d[\d,.]*\s?(?:(?:thousand|million|billion|trillion|bn)\s)?"
                    r"(?:dollars?|euros?|yuan|renminbi|pounds?|yen|usd|eur|gbp|cents?)\b|"
                    r"\b(?:usd|eur|gbp|us\$|rmb)\s?\d", re.I)
_NUMBER = re.compile(r"\b(?!(?:19|20)\d\d\b)\d[\d,.]*\b|"  # a year is no count
                     r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|twenty|"
                     r"thirty|forty|fifty|hundreds?|thousands?|millions?|billions?)\b", re.I)
_NOT_UNITS = {"time", "way", "kind", "type", "part", "one"}


@dataclass(frozen=True)
class AnswerType:
    """What an answer must state: ``money``, or a ``number`` of one of ``units`` (stemmed:
    "surgical masks or respirators" is any of them)."""

    kind: str
    units: frozenset[str] = frozenset()
    noun: str | None = field(default=None, compare=False)
    """The units as the question wrote them, for messages."""
    subject: frozenset[str] = field(default=frozenset(), compare=False)
    """The question's names (analysed): a sentence stating the amount must name one of them,
    or it gives the amount of something else ("Alibaba will invest $53 billion" does not
    price an Nvidia chip)."""

    def describe(self) -> str:
        if self.kind == "money":
            return "an amount of money"
        return f"a number of {self.noun}" if self.units and self.noun else "a number"


def wanted(question: str) -> AnswerType | None:
    """The measurable kind of answer ``question`` asks for, if it asks for one."""
    from assistant.answer.coverage import question_names

    subject = frozenset(t for name in question_names(question) for t in analyze([name])[0])
    found = _wanted(question)
    return None if found is None else AnswerType(found.kind, found.units, found.noun, subject)


def _wanted(question: str) -> AnswerType | None:
    if _HOW_MUCH_MONEY.search(question):
        return AnswerType("money")
    m = _HOW_MANY.search(question)
    if m:
        phrase = _PHRASE_END.sub("", m.group(1))  # "tonnes of rare" -> "tonnes"
        words = frozenset(w for w in analyze([phrase])[0] if w not in _NOT_UNITS)
        return AnswerType("number", words, phrase.lower()) if words else AnswerType("number")
    return None


def satisfies(answer: AnswerType, text: str) -> bool:
    """Whether ``text`` states the kind of thing ``answer`` asks for (a year is not a count)."""
    words = analyze([text])[0]
    if answer.subject and not answer.subject & set(words):
        return False
    if answer.kind == "money":
        return bool(_MONEY.search(text))
    if not _NUMBER.search(text):
        return False
    return not answer.units or bool(answer.units & set(words))
