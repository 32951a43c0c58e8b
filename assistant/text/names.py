"""Names in text: runs of capitalised words, the one rule every stage finds them by.

A question's subjects (``answer.coverage``), the names a follow-up carries over from the
previous answer (``answer.conversation``), a brief's actors (``brief.actors``) and the
initials a corpus spells out (``abbreviations.initialisms``) are all runs of capitalised
words. What differs between them is stated as an option here, not written again.

A run is broken by punctuation, by a possessive ("Nvidia's chips" names Nvidia) and by any
word that is not capitalised, except a connector between two capitalised words ("Ministry of
Commerce"); connectors never end a run. A hyphenated word whose last part is lower case
("Chinese-made", "Biden-era") describes something and names nothing, unless asked to keep
it ("Co-operation" in an organisation's name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD = re.compile(r"[A-Za-z0-9][\w\-'’&.]*[\w]|[A-Za-z0-9]")
"""A word of running text: letters and digits, with inner hyphens, apostrophes, "&" and dots
("U.S", "AT&T", "co-operation")."""

CONNECTORS = frozenset({"of", "for", "&"})
"""Lower-case words that may join capitalised ones into one name."""


@dataclass(frozen=True)
class NameRun:
    """One run of capitalised words, as written (possessives dropped)."""

    words: tuple[str, ...]
    start: int
    """Offset of its first word in the text."""
    end: int
    """Offset just past its last word (a trailing connector included: "Ministry of:")."""
    opens: bool
    """Whether it is the first thing in its text, or follows only a colon: its first word may be
    capitalised only because it opens the sentence."""

    @property
    def text(self) -> str:
        return " ".join(self.words)


def capitalised_runs(text: str, *, connectors: frozenset[str] = CONNECTORS, alphanumerics: bool = False,
                     descriptions: bool = False) -> list[NameRun]:
    """The runs of capitalised words in ``text``, in order.

    ``alphanumerics``: words holding digits and letters ("H200", "h5n1") belong to a run, as
    model names do in questions; otherwise a digit ends a name ("Nvidia H200" is Nvidia).
    ``descriptions``: keep hyphenated words whose last part is lower case."""
    out: list[NameRun] = []
    run: list[str] = []
    run_start = run_end = 0
    last_end = 0

    def flush() -> None:
        while run and run[-1].lower() in connectors:
            run.pop()
        if run:
            before = text[:run_start].rstrip()
            out.append(NameRun(tuple(run), run_start, run_end, before == "" or before.endswith(":")))
        run.clear()

    for m in WORD.finditer(text):
        word = m.group(0).replace("’", "'")
        possessive = word.endswith("'s")
        word = word.removesuffix("'s")
        gap = text[last_end : m.start()]
        if _is_name_word(word, alphanumerics, descriptions):
            if run and gap.strip():
                flush()
            if not run:
                run_start = m.start()
            run.append(word)
            run_end = m.end()
        elif run and not gap.strip() and word.lower() in connectors:
            run.append(word)
            run_end = m.end()
        elif run:
            flush()
        last_end = m.end()
        if possessive and run:
            flush()
    flush()
    return out


def _is_name_word(word: str, alphanumerics: bool, descriptions: bool) -> bool:
    has_digit = any(ch.isdigit() for ch in word)
    if has_digit:
        return alphanumerics and any(ch.isalpha() for ch in word)
    if not descriptions and "-" in word and word.rsplit("-", 1)[1][:1].islower():
        return False
    return word[:1].isupper()
