"""Whether a sentence of the material states something a brief can quote or date.

A title ("Etiology of respiratory tract infections in the community and clinic in Ilorin,
Nigeria"), a heading or a reference line ("…, Acta Pharmaceutica Sinica B, 2020") shares the
topic's words and so scores like a key point, but it states nothing: it has no verb. A table
row ("Country: Japan; 2025: 3.4") has none either and does state a fact. Only the sentences a
brief is about to use are parsed (``text.phrases.have_verbs``), a few dozen per brief, each once.
"""

from __future__ import annotations

from functools import lru_cache

from assistant.brief.tuning import BRIEF
from assistant.text.sentences import is_labelled_value, is_record

MAX_REMEMBERED = 20_000
"""Sentences whose answer is kept per process: one quoted by many briefs is parsed once."""




def states_something(text: str) -> bool:
    """Whether ``text`` is a statement: a table row, or a sentence with a verb. A form's label
    and its value ("AGENCY: Federal Aviation Administration (FAA).", "ACTION: Notice of proposed
    rulemaking.") states what the form asks for, not news: a statement only when the value has
    a verb ("SUMMARY: The FAA proposes to supersede…")."""
    text = " ".join(text.split())
    if is_labelled_value(text) and not is_record(text):
        return _has_verb(text.split(":", 1)[1].strip())
    if is_record(text) or (text.endswith((".", "!", "?", ".”", '."', ".)")) and len(text.split()) >= BRIEF.prose_words):
        return True
    return _has_verb(text)


@lru_cache(maxsize=MAX_REMEMBERED)
def _has_verb(text: str) -> bool:
    from assistant.text.phrases import have_verbs

    return have_verbs([text])[0]
