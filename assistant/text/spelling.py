"""British and American spellings are one word.

Officials write British, Indian and Australian English as often as American, and a corpus may
be written in either. "How did the IEA characterise…" asked of an article that says
"characterized" must find it, and must not be refused because "the corpus never mentions
characterise". Every word the BM25 analyser sees (``text.analyser.analyze``, the corpus's and the
question's alike) is first written the American way, so both spellings become one token.

The mapping is breame's list of British and American pairs (with their inflections:
"summarised" is "summarized"); a word it does not list and that ends in "-ise", "-ised",
"-ises", "-ising" or "-isation(s)" is written with "z", the one rule common enough to matter
and safe to apply blindly: both sides of every comparison go through it, so a word it
changes wrongly ("exercise") is changed the same way everywhere.
"""

from __future__ import annotations

import re
from functools import lru_cache

_ISE = re.compile(r"^(?P<stem>[a-z]{4,})is(?P<end>e|es|ed|ing|ation|ations|er|ers)$")


@lru_cache(maxsize=65536)
def american(word: str) -> str:
    """``word`` (lower case) as American English writes it; unchanged when it is already, or is
    not a word with two spellings."""
    from breame.spelling import BRITISH_ENGLISH_SPELLINGS

    mapped = BRITISH_ENGLISH_SPELLINGS.get(word)
    if mapped:
        return str(mapped)
    m = _ISE.match(word)
    if m:
        return f"{m['stem']}iz{m['end']}"
    return word


def variants(word: str) -> tuple[str, ...]:
    """The word as written and, if it differs, as American English writes it (either may be
    the one an English word list knows best)."""
    lower = word.lower()
    us = american(lower)
    return (lower,) if us == lower else (lower, us)
