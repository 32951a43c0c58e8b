"""The kind of thing a question asks for (a person, a date, a time of day, a figure, the thing a
"which" question names), and whether a sentence holds one: a ranking signal, and what an answer
whose lead holds none completes with (``compose.select``), never a reason to refuse.

"Who signed the transmittal?" is answered by a line that shares no word with it ("Nancy
Sieger"), "On what day was the argument heard?" by a dateline ("Tuesday, January 13, 2009"):
forms, agendas, transcripts and signature blocks state their facts as bare values. Word overlap
and similarity alone rank such lines below sentences that repeat the question's words and say
something else; a sentence holding the kind asked for is moved up by ``ANSWER.w_kind``. The
checks are cheap patterns and word lists (no model), because they run on every sentence of the
passages found.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Literal

from assistant.answer import expected_type
from assistant.answer.coverage import identifiers
from assistant.answer.lists import list_kind
from assistant.text.analyser import analyze
from assistant.text.dates import TIME_OF_DAY, find_dates
from assistant.text.gazetteer import is_family_name, is_given_name
from assistant.text.names import capitalised_runs
from assistant.text.sentences import is_record

Kind = Literal["person", "date", "time", "figure", "label"]
BARE: frozenset[Kind] = frozenset({"person", "date", "time"})
"""Kinds a line may state with no verb and still answer ("Tuesday, January 13, 2009" under a
transcript's caption, "Nancy Sieger" under a transmittal): such lines are candidates for the
questions asking for them (``candidates.candidates_from``); a bare figure is not (a table's
figure is read with its header, as a labelled value, and is a statement already)."""

_PERSON = re.compile(r"\b(?:who|whom|whose)\b", re.I)
_TIME = re.compile(r"\b(?:what|which) time\b|\bhow late\b|\bhow early\b", re.I)
_DATE = re.compile(r"^\s*(?:and\s+)?when\b|\b(?:what|which) (?:date|day|year|month)\b|"
                   r"\bwhen (?:did|was|were|is|will)\b", re.I)
_FIGURE = re.compile(r"\bhow (?:many|much|old|long|far|large|big|high|tall|often)\b|"
                     r"\b(?:what|which) (?:(?:is|was|are|were) the )?(?:total )?"
                     r"(?:percentage|share|proportion|number|amount|total|rate)\b", re.I)

_WHICH = re.compile(r"\b(?:which|what)\s+((?:[a-z][\w-]*\s+){0,4}?[a-z]{3,})\s+"
                    r"(?=(?:is|was|are|were|does|did|do|has|had|have|will|would|can|could|should|may|might|must|"
                    r"of|on|in|for|to|from|by|with|at|[a-z]+(?:ed|es|s))\b)", re.I)
"""A "which"/"what" question's noun phrase, up to the verb or preposition after it: its last
word is what is asked for ("Which flight control computer software version must…" → version)."""
_NO_KIND = frozenset({"is", "was", "are", "were", "does", "did", "do", "has", "had", "have", "will", "would", "can",
                      "could", "should", "may", "might", "must", "kind", "kinds", "type", "types", "sort"})
"""Words that, opening a "which"/"what" phrase, name no kind of thing ("What is…", "What kind of…")."""
_LABELLED = re.compile(r"^\s*([^:;\n]{1,40}):\s*\S")
_FORM_LINE = 120
"""A form's labelled line is short; a longer one is a glossary's definition ("Rare Earth Elements:
Critical minerals and specialty metals used in…")."""
RARE_ZIPF = 2.5
"""A word rarer than this in English (wordfreq's Zipf scale) may be a surname."""
_INITIAL = re.compile(r"^[A-Z]\.?$")
_INITIAL_STOP = re.compile(r"\b([A-Z])\.(?=\s)")


def asked(question: str) -> Kind | None:
    """The kind of thing ``question`` asks for, if it asks for one of these."""
    if _TIME.search(question):
        return "time"
    if _DATE.search(question):
        return "date"
    if _FIGURE.search(question):
        return "figure"
    if _PERSON.search(question):
        return "person"
    if _asked_noun(question) is not None:
        return "label"
    return None


@lru_cache(maxsize=256)
def _asked_noun(question: str) -> str | None:
    """The noun a "which"/"what" question asks for ("Which agency is named…?" → "agency")."""
    m = _WHICH.search(question + " ")
    if m is None or list_kind(question) is not None:
        return None  # "Which elements…?" asks for a list (``lists``)
    words = m.group(1).split()
    if words[0].lower() in _NO_KIND:
        return None  # "What is the…?" names no kind
    return next(iter(analyze([words[-1]])[0]), None)


def holds(kind: Kind, text: str, question: str) -> bool:
    """Whether ``text`` holds a thing of ``kind``: for a label, a line labelled with the noun a
    "which" question asks for; for a count, a number counting what was asked
    ("73 airplanes", not "737 MAX airplanes"); for a person, a name sharing no word with the
    question (the question's own names are its subject, not its answer: "MICHAEL A. KNOWLES"
    for "…in Knowles v. Mirzayance?")."""
    if kind == "time":
        return bool(TIME_OF_DAY.search(text))
    if kind == "date":
        return bool(find_dates(text))
    if kind == "label":  # a form's line labelled with what was asked ("Agency: Bureau of …")
        noun, label = _asked_noun(question), _LABELLED.match(text)
        if noun is None:
            return False
        if label is not None and len(text) <= _FORM_LINE and noun in analyze([label.group(1)])[0]:
            return True
        return _names_one(noun, text)
    if kind == "figure":  # a count of what was asked ("73 airplanes"), else any figure but a year or date
        wanted = expected_type.wanted(question)
        if wanted is None:
            return bool(expected_type.counts(text))
        if wanted.kind == "money" or not wanted.units or is_record(text):  # a row's cells go by their headers
            return expected_type.satisfies(replace(wanted, subject=frozenset()), text)
        return any(s.unnamed or wanted.units & set(analyze([" ".join(s.counted)])[0])
                   for s in expected_type.stated(text))  # the number counts them, not merely beside them
    asked_words = set(analyze([question])[0])
    text = _INITIAL_STOP.sub(r"\1 ", text)  # an initial's full stop ends no name ("MICHAEL A. KNOWLES")
    return any(_personal(run.words) and not set(analyze([" ".join(run.words)])[0]) & asked_words
               for run in capitalised_runs(text))


def _names_one(noun: str, text: str) -> bool:
    """Whether ``text`` gives the asked noun with an identifier right after it ("software version
    P12.1.2", "code 670", "Docket No. FAA-2020-0686"), or says what it is ("describes the unsafe
    condition as seizing of…"): the thing asked for, named."""
    words = text.split()
    for word, following, then in zip(words, words[1:], [*words[2:], ""], strict=False):
        if analyze([word])[0] != [noun]:
            continue
        if identifiers(following) or (following == "as" and then.lower().strip(",") not in _NOT_NAMING):
            return True
    return False


_NOT_NAMING = frozenset({"", "well", "soon", "long", "much", "many", "far", "follows", "such", "if", "though",
                         "needed", "required", "necessary", "appropriate", "possible"})
"""Words after "<noun> as" that make it no naming ("the condition as well", "as soon as")."""


def _personal(words: tuple[str, ...]) -> bool:
    """A run that may be a person's name: two to four words, no connector ("Office of …"), no
    hyphenated word or acronym among words in lower case ("US-China AI Competition" is a title),
    and an initial before the last word ("Lance T. Gant", "CHARLES M. SEVILLA"; not "MAX B–737")
    or a given name the gazetteer knows followed by a family name it knows or a word English
    hardly uses ("Nancy Sieger", "Superintendent Wendy Gudalewicz"; not "Supreme Court" nor
    "Chief Information Officer")."""
    if words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]  # "The Trump administration": a sentence's article, no part of a name
    if not 2 <= len(words) <= 4 or any(w.islower() or "-" in w for w in words):
        return False
    capitals = all(w.isupper() for w in words)
    if not capitals and any(w.isupper() and len(w.rstrip(".")) > 1 for w in words):
        return False  # "AI", "US" beside "Competition": an acronym in a title, not a name
    if any(_INITIAL.match(w) for w in words[:-1]) and not _INITIAL.match(words[-1]):
        return True  # an initial before the family name ("Lance T. Gant"), not after a model ("MAX B–737")
    named = [w.title() if capitals else w for w in words]
    return any(is_given_name(given, opening_a_name=True) and (is_family_name(family) or _rare(family))
               for given, family in zip(named, named[1:], strict=False))


def _rare(word: str) -> bool:
    """A word English hardly uses ("Gudalewicz"): a surname the gazetteer lacks, not "Officer"."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en") < RARE_ZIPF
