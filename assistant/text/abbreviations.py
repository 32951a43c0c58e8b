"""Questions that ask what an abbreviation is, and the sentences that spell it out.

"What is PHEIC?" shares its one word with every sentence that uses PHEIC, and the most similar
of those say what a PHEIC does or when one was declared; the sentence that answers is the one
that spells it out: "…a 'Public Health Emergency of International Concern' (PHEIC)". Writers
define an abbreviation once, at its first use, often far from the passages that discuss it, so
the engine looks for that sentence among every passage holding the abbreviation
(``Engine.rank_sentences``). A definition is recognised as Schwartz and Hearst (2003) recognise
one: a short form in parentheses beside words whose letters, read backwards, spell it out, its
first letter beginning a word (or the long form in parentheses after the short form).
"""

from __future__ import annotations

import re

from assistant.text.names import capitalised_runs

_ASKED = re.compile(
    r"^\s*(?:what|who)\s+(?:is|are|was|were)\s+(?:an?\s+|the\s+)?(?P<a>\S+?)\s*\??\s*$"
    r"|^\s*what\s+(?:does|do|did)\s+(?:the\s+)?(?P<b>\S+?)\s+(?:stand\s+for|mean)\s*\??\s*$"
    r"|^\s*what\s+is\s+(?:meant\s+by|the\s+meaning\s+of)\s+(?:an?\s+|the\s+)?(?P<c>\S+?)\s*\??\s*$"
    r"|^\s*define\s+(?:an?\s+|the\s+)?(?P<d>\S+?)\s*[.?]?\s*$",
    re.I,
)
_SHORT_FORM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{1,9}$")
MAX_LONG_FORM_WORDS = 10


def asked_abbreviation(question: str) -> str | None:
    """The abbreviation a question asks to be explained ("What is PHEIC?", "What are RVPs?",
    "What does WHO stand for?"), or None: a question about anything else, or about a word that
    is not written as an abbreviation (at least two capitals, and capitals for half its letters)."""
    m = _ASKED.match(question)
    if m is None:
        return None
    word = next(g for g in m.groups() if g).strip("\"'“”‘’()[],;:")
    if not _SHORT_FORM.match(word):
        return None
    letters = [ch for ch in word if ch.isalpha()]
    capitals = sum(ch.isupper() for ch in letters)
    return word if capitals >= 2 and capitals * 2 >= len(letters) else None


def defines(short: str, text: str) -> bool:
    """Whether ``text`` spells out ``short``: "…screening (HTS)…" or "RSV (respiratory
    syncytial virus)…". A plural short form ("RVPs") is found as it is or without its "s"."""
    forms = {short, short[:-1]} if short.endswith("s") and len(short) > 2 else {short}
    for form in forms:
        pattern = re.escape(form)
        for m in re.finditer(rf"\(\s*{pattern}s?\s*[),;]", text):
            if _long_form_before(form, text[: m.start()]) is not None:
                return True
        for m in re.finditer(rf"(?<![\w-]){pattern}s?\s*\(([^()]{{3,160}})\)", text):
            if _long_form_before(form, m.group(1)) is not None:
                return True
    return False


_IN_PARENTHESES = re.compile(r"\(\s*([A-Z][A-Za-z0-9-]{1,9})\s*\)")


def spelled_out(text: str) -> list[tuple[str, str]]:
    """(short form, long form) for each abbreviation ``text`` defines in the usual way, "Long
    Form Words (LFW)", found as ``defines`` finds one: the one rule for answers (``defines``)
    and briefs' actors ("International Energy Agency (IEA)")."""
    out = []
    for m in _IN_PARENTHESES.finditer(text):
        short = m.group(1)
        long_form = _long_form_before(short, text[: m.start()])
        if long_form is not None:
            out.append((short, long_form.strip(" ,;:\"'“”‘’")))
    return out


def _long_form_before(short: str, before: str) -> str | None:
    """The words at the end of ``before`` that spell ``short`` out, found as Schwartz and Hearst
    find them: each letter or digit of the short form, from its last, matched right to left in
    the words, and its first matched at the start of a word."""
    letters = [ch for ch in short if ch.isalnum()]
    if not letters or not any(ch.isalpha() for ch in letters):
        return None
    window = min(len(letters) + 5, 2 * len(letters), MAX_LONG_FORM_WORDS)
    words = before.split()[-window:]
    candidate = " ".join(words)
    lf = candidate.lower()
    position = len(lf) - 1
    for i in range(len(letters) - 1, -1, -1):
        ch = letters[i].lower()
        while position >= 0 and (lf[position] != ch or (i == 0 and position > 0 and lf[position - 1].isalnum())):
            position -= 1
        if position < 0:
            return None
        position -= 1
    start = lf.rfind(" ", 0, position + 1) + 1
    long_form = candidate[start:]
    if len(long_form) <= len(short) or short.lower() in long_form.lower().split():
        return None
    return long_form


_CONNECTOR = frozenset("of for and on de du des la le van von".split())
MAX_INITIALISM = 8


def initialisms(text: str) -> tuple[str, ...]:
    """The initials (lower case) of the names in ``text``: of every stretch of two or more
    capitalised words, maybe joined by "of", "for", "and"… ("European Union" → "eu", "World
    Health Organization" → "who", "Organisation for Economic Co-operation and Development" →
    "oecd"). An abbreviation a question uses for a name the document spells out is then known
    to be that name. Connecting words count or not, either way; a hyphenated word may give an
    initial per part ("Co-operation")."""
    found: set[str] = set()
    for run in capitalised_runs(text, connectors=_CONNECTOR, alphanumerics=True, descriptions=True):
        words = list(run.words)
        if len(words) < 2:
            continue
        for i, first in enumerate(words):
            if first.lower() in _CONNECTOR:
                continue
            for j in range(i + 2, min(len(words), i + MAX_INITIALISM + 3) + 1):
                if words[j - 1].lower() in _CONNECTOR:
                    continue
                found.update(_initials(words[i:j]))
    return tuple(sorted(found))


def _initials(words: list[str]) -> set[str]:
    strict = "".join(w[0] for w in words if w.lower() not in _CONNECTOR)
    loose = "".join(w[0] for w in words)
    parts = "".join(p[0] for w in words if w.lower() not in _CONNECTOR for p in w.split("-") if p)
    return {form.lower() for form in (strict, loose, parts) if 2 <= len(form) <= MAX_INITIALISM}
