"""Near-topic questions about something the corpus never mentions.

"What export controls has Japan imposed on chipmaking equipment?" shares many words with an
article on chips and export controls, so its best sentences look relevant; but if "Japan"
appears nowhere in the corpus, no sentence can answer it. The question's names (capitalised
words after the first, acronyms, model numbers such as "H200") are its subject: when one of
them is absent from the whole corpus (the BM25 vocabulary, stemmed), the answer is a refusal
that says which. Lower-case questions have no names to check; a question most of whose words
the corpus never uses is refused too, unless its best sentences are clearly relevant.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.sparse import SparseIndex, analyze

CLOSE_SPELLING = 0.8
"""difflib's similarity ratio at which a corpus word counts as the question's word misspelt."""
_WORD = re.compile(r"[A-Za-z][\w'’-]*|\w*\d\w*")


def question_names(question: str) -> list[str]:
    """Runs of capitalised words (not the question's first word), acronyms and alphanumerics."""
    names: list[str] = []
    run: list[str] = []
    for i, m in enumerate(_WORD.finditer(question)):
        word = m.group(0).removesuffix("'s").removesuffix("’s")
        name = (i > 0 and word[:1].isupper()) or (len(word) > 1 and word.isupper()) or (
            any(ch.isdigit() for ch in word) and any(ch.isalpha() for ch in word))
        if name:
            run.append(word)
        elif run:
            names.append(" ".join(run))
            run = []
    if run:
        names.append(" ".join(run))
    return names


def absent_names(question: str, sparse: SparseIndex) -> list[str]:
    """The question's names of which some word never occurs in the corpus, nor anything spelled
    close to it (a misspelt "Bacilius" is the corpus's "Bacillus", "HIN1" its "H1N1"): a typo is
    not an absent subject. Words with digits ("5th", "IL-1Beta") are not checked."""
    out = []
    for name in question_names(question):
        tokens = [t for t in analyze([name])[0] if not any(ch.isdigit() for ch in t)]
        if any(not sparse.knows(t) and not sparse.knows_close(t, CLOSE_SPELLING) for t in tokens):
            out.append(name)
    return out


UNKNOWN_SHARE = 0.5
"""A question most of whose words (this share or more) never occur in the corpus…"""
UNKNOWN_CONFIDENCE = 0.30
"""…is refused unless its best sentences are at least this relevant: "How should a sprained
ankle be treated?" asked of an article on chips. Unlike a relevance threshold, the share of
unknown words does not depend on how a corpus's scores run, so it carries over between corpora."""
_ASKING = ("what which who whom whose when where why how does do did is are was were can could would "
           "should will may might tell describe explain mean meaning type types kind kinds use used many "
           "much long often exactly yes please")


@lru_cache(maxsize=1)
def _asking_words() -> frozenset[str]:
    """Words every question uses, whatever its subject (analysed like the corpus)."""
    return frozenset(analyze([_ASKING])[0])


def unknown_words(question: str, sparse: SparseIndex) -> tuple[list[str], int]:
    """The question's content words (analysed) that the corpus never uses, nor any spelled close
    to them, and how many content words it has."""
    asking = _asking_words()
    words = [t for t in dict.fromkeys(analyze([question])[0]) if t not in asking]
    unknown = [t for t in words if not sparse.knows(t) and not sparse.knows_close(t, CLOSE_SPELLING)]
    return unknown, len(words)
