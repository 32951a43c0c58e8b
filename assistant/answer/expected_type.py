"""The kind of answer a question asks for, and whether a sentence could be one.

"What is the price of one Nvidia H200 chip?" shares its words with every sentence about the
H200, so those sentences look relevant; but an answer to it has to state an amount of money,
and if none of the best sentences does, the corpus does not answer it. The same holds for
"How many tonnes…" (a number and the unit) and "How many chips…" (a number and the thing
counted). Only these measurable kinds are checked: they are cheap to recognise, and the check
looks at several candidate sentences, not one.

Real documents state a count in their own words and layouts, and the check must read them so:
"157 fatalities" answers "how many people died" (the thing counted is matched by meaning, with
the embedding model, when no word is shared); a table row's number counts what its column header
names ("No. Of Employees: 213" answers "how many workers"); an amount column makes its numbers
money ("Amount: 31,111.08"); a count printed in capitals is a count. A number's subject may be
named by the document's title or the section it stands in rather than by its own sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from assistant.answer.tuning import ANSWER
from assistant.text.analyser import analyze
from assistant.text.sentences import is_record

_MONEY_WORDS = r"price|prices|cost|costs|costing|worth|value|spend|spent|spending|invest|investing|invested|" \
               r"investment|pay|paid|budget|revenue|revenues|fee|fees|salary|fund|funding"
_HOW_MUCH_MONEY = re.compile(rf"\bhow much\b.*\b(?:{_MONEY_WORDS})\b|\b(?:what|which) (?:is|was|are|were) the "
                             rf"(?:{_MONEY_WORDS})\b|\bhow much did\b.*\bcost\b", re.I)
_HOW_MANY = re.compile(r"\bhow many\s+([a-z][\w.-]*(?:\s+[a-z][\w-]*){0,3})", re.I)
""""How many" and what it counts ("U.S.-registered airplanes": a first word may hold dots)."""
_PHRASE_END = re.compile(r"\s+(?:of|do|does|did|are|is|were|was|have|has|had|will|would|can|could|in|for|on|at|"
                         r"to|from|with|by|per|does|did)\b.*$", re.I)
_MONEY = re.compile(r"[$€£¥]\s?\d|\b\d[\d,.]*\s?(?:(?:thousand|million|billion|trillion|bn)\s)?"
                    r"(?:dollars?|euros?|yuan|renminbi|pounds?|yen|usd|eur|gbp|cents?)\b|"
                    r"\b(?:usd|eur|gbp|us\$|rmb)\s?\d", re.I)
_NUMBER = re.compile(r"\b(?!(?:19|20)\d\d\b)\d[\d,.]*\b|"  # a year is no count
                     r"(?<![-‐])\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|twenty|"
                     r"thirty|forty|fifty|hundreds?|thousands?|millions?|billions?)\b(?![-‐])", re.I)
"""A number: digits (not a year), or a number word standing alone ("four design changes"; not
the "one" of "one-to-one")."""
_AMOUNT = re.compile(r"^\(?-?[$€£¥]?\s?\d{1,3}(?:,\d{3})*\.\d{2}\)?$")
"""A cell printed as an amount: thousands separated, two decimals ("31,111.08", "618.00")."""
_MONEY_HEADER = re.compile(r"\b(?:amount|amounts|cost|costs|price|prices|paid|payment|payments|salary|salaries|"
                           r"wages?|fees?|fare|spent|spending|expenditures?|expenses?|outlays?|receipts?|revenues?|"
                           r"budget|dollars|usd|eur|gbp|\$|€|£|value|obligations?|compensation|funding)\b", re.I)
"""Words of a column header whose numbers are money ("Amount", "Gross pay", "Outlays ($ millions)")."""
_SCALE = frozenset({"thousand", "thousands", "million", "millions", "billion", "billions", "trillion", "bn", "m",
                    "per", "cent", "percent", "%"})
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b|\b\d{4}-\d{2}-\d{2}\b")
_CLAUSE_END = re.compile(r"[.,;:()\[\]!?\n]")
_NOT_UNITS = {"time", "way", "kind", "type", "part", "one"}
_LABEL_WORDS = frozenset({"no", "nr", "num", "number", "numbers", "total", "totals", "count", "counts"})
"""Words of a label that say a number follows, not what it counts ("No. Of Employees")."""


@dataclass(frozen=True)
class AnswerType:
    """What an answer must state: ``money``, or a ``number`` of one of ``units`` (stemmed:
    "surgical masks or respirators" is any of them)."""

    kind: str
    units: frozenset[str] = frozenset()
    noun: str | None = field(default=None, compare=False)
    """The units as the question wrote them, for messages and for matching by meaning."""
    subject: frozenset[str] = field(default=frozenset(), compare=False)
    """The question's names (analysed): a sentence stating the amount must name one of them
    (or stand under a title or heading that does), or it gives the amount of something else
    ("Alibaba will invest $53 billion" does not price an Nvidia chip)."""

    def describe(self) -> str:
        if self.kind == "money":
            return "an amount of money"
        return f"a number of {self.noun}" if self.units and self.noun else "a number"


@dataclass(frozen=True)
class Stated:
    """A number a sentence states and what it counts, as the sentence or its table says."""

    counted: tuple[str, ...]
    """Phrases naming what it counts: its column header, or the words after (or leading into) it."""
    money: bool
    unnamed: bool = False
    """Its column header says a number follows without naming what it counts ("No. Of",
    "Total"): it may be a count of what the question asks for, and is not ruled out."""


@dataclass(frozen=True)
class Context:
    """A candidate sentence with what a reader sees around it: its document's title and the
    heading of its section, which may name the subject its numbers belong to."""

    text: str
    around: str = ""


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


def stated(text: str) -> list[Stated]:
    """The numbers ``text`` states (a year is none), each with what it counts: a table row's
    cells by their headers, prose by the words after a number or leading into it."""
    if is_record(text):
        out = []
        for cell in text.split("; "):
            header, _, value = cell.partition(": ")
            if counts(value):
                money = bool(_MONEY.search(value) or _MONEY_HEADER.search(header) or _AMOUNT.match(value.strip()))
                # a header that only says a number follows ("No. Of", "Total") may count anything
                out.append(Stated((header,), money, unnamed=bool(header) and not _what_is_counted(header)))
        return out
    found = []
    for m in counts(text):
        after = _words_after(text[m.end():])
        before = _leading_into(text[: m.start()])
        money = bool(_MONEY.search(text[max(0, m.start() - 2): m.end() + 24]))
        found.append(Stated(tuple(p for p in (after, before) if p), money))
    return found


def counts(text: str) -> list[re.Match[str]]:
    """The numbers of ``text`` that may be counts: not a year, nor part of a date ("March 10,
    2019", "06/30/2015")."""
    from assistant.text.dates import find_dates

    dated = [(d.start, d.end) for d in find_dates(text)] + [m.span() for m in _NUMERIC_DATE.finditer(text)]
    return [m for m in _NUMBER.finditer(text) if not any(a <= m.start() < b for a, b in dated)]


def _words_after(rest: str) -> str:
    """Up to ``ANSWER.counted_words`` words right after a number, before any punctuation, scale words
    ("billion", "%") skipped, ending at a stop word: "157 fatalities." → "fatalities". A number
    followed by a word in capitals names a model ("737 MAX airplanes"): it counts nothing."""
    from assistant.text.analyser import is_stopword

    words: list[str] = []
    for word in _CLAUSE_END.split(rest, maxsplit=1)[0].split():
        if not words and word.lower() in _SCALE:
            continue
        if not words and len(word) > 1 and word.isalpha() and word.isupper():
            break  # a designation ("737 MAX airplanes"), not a count of them
        if is_stopword(word.lower()) or not word[:1].isalpha():
            break
        words.append(word)
        if len(words) == ANSWER.counted_words:
            break
    return " ".join(words)


def _leading_into(before: str) -> str:
    """The label a number follows ("Number of records returned: 983", "Deaths = 157"): up to
    ``ANSWER.label_words`` words before a colon or an equals sign right before it."""
    tail = before.rstrip()
    if not tail.endswith((":", "=")):
        return ""
    return " ".join(_WORD.findall(_CLAUSE_END.split(tail[:-1])[-1])[-ANSWER.label_words:])


def _what_is_counted(phrase: str) -> str:
    """A counted phrase without its label words and stop words: "No. Of Employees" → "Employees"."""
    from assistant.text.analyser import is_stopword

    return " ".join(w for w in _WORD.findall(phrase) if w.lower() not in _LABEL_WORDS and not is_stopword(w.lower()))


def satisfies(answer: AnswerType, text: str, around: str = "",
              similar: Callable[[str, Sequence[str]], Sequence[float]] | None = None) -> bool:
    """Whether ``text`` states the kind of thing ``answer`` asks for (a year is not a count), of
    the question's subject (named by the sentence, or ``around`` it: its title and heading).
    ``similar(noun, phrases)`` gives cosines for matching what a number counts by meaning;
    without it only shared words count."""
    words = set(analyze([text])[0])
    if answer.subject and not answer.subject & (words | set(analyze([around])[0])):
        return False
    numbers = stated(text)
    if answer.kind == "money":
        return bool(_MONEY.search(text)) or any(s.money for s in numbers)
    if not numbers:
        return False
    if not answer.units or answer.units & words or any(s.unnamed for s in numbers):
        return True
    phrases = [p for s in numbers for p in s.counted]
    if similar is None or not phrases or not answer.noun:
        return False
    return max(similar(answer.noun, phrases), default=0.0) >= ANSWER.unit_similarity


def any_satisfies(answer: AnswerType, candidates: Sequence[Context],
                  embed: Callable[[Sequence[str]], NDArray[np.float32]] | None = None) -> bool:
    """Whether one of ``candidates`` states what ``answer`` asks for. Shared words are tried
    first; what the numbers count is compared by meaning (``embed``, one call for all of them)
    only when no candidate shares the unit's words."""
    if any(satisfies(answer, c.text, c.around) for c in candidates):
        return True
    if embed is None or answer.kind != "number" or not answer.units or not answer.noun:
        return False
    phrases = sorted({p for c in candidates for s in stated(c.text) for p in s.counted})
    named = {p: _what_is_counted(p) for p in phrases}
    texts = sorted({t for t in named.values() if t})
    if not texts:
        return False
    vectors = embed([answer.noun, *texts])
    near = dict(zip(texts, (vectors[1:] @ vectors[0]).tolist(), strict=True))

    def similar(_noun: str, counted: Sequence[str]) -> list[float]:
        return [near.get(named.get(p, ""), 0.0) for p in counted]

    return any(satisfies(answer, c.text, c.around, similar) for c in candidates)
