"""Questions that ask for several things of a kind ("Which rare earth elements were…?", "List
the…"), and sentences that enumerate things: the answer to such a question lists members of
the kind, where a sentence that only names the kind does not."""

from __future__ import annotations

import re

_LIST_QUESTION = re.compile(
    r"^\s*(?:(?:which|what)\s+(?:are|were)\s+(?:the\s+)?(?P<a>(?:[\w-]+\s+){0,4}[\w-]+s)\b"
    r"|(?:which|what)\s+(?P<b>(?:[\w-]+\s+){0,3}[\w-]+s)\s+(?:are|were|have|had|did|do|does|can|could|will|"
    r"would|may|might|should|must)\b"
    r"|(?:please\s+)?(?:list|name|enumerate|identify|itemi[sz]e)\s+(?:all\s+)?(?:the\s+)?(?P<c>[^.?!]+))", re.I)
_KIND_END = re.compile(r"\s+(?:that|which|who|whom|were|was|are|is|did|does|do|have|has|had|can|could|will|would|"
                       r"in|on|for|by|to|from|with|under|during|after|before|at|as|put|used|made|given)\b.*$", re.I)
_ITEM = r"[\w][\w'’/-]*(?:\s+[\w][\w'’/-]*){0,3}"
_ENUMERATION = re.compile(rf"{_ITEM},\s+(?:{_ITEM},\s+)*{_ITEM},?\s+(?:and|or)\s+{_ITEM}|"
                          rf"{_ITEM},\s+{_ITEM},\s+{_ITEM},\s+{_ITEM}")
_SEPARATOR = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
_TRAILING_WORDS = re.compile(r"\s+(?:to|in|on|are|is|were|was|for|as|from|with|by|that|which|have|has|had|"
                             r"can|could|will|would|may|might)\b.*$", re.I)
_LEADING_WORDS = re.compile(r"^(?:(?:[\w'’-]+\s+)*?(?:related\s+to|such\s+as|including|like|namely|of|to|from|"
                            r"the|a|an)\s+)+", re.I)


def list_kind(question: str) -> str | None:
    """The kind of thing a question asks several of ("rare earth elements" in "Which rare earth
    elements were put under controls?", "symptoms of COVID-19" in "What are the symptoms of
    COVID-19?", or from "List the…"), or None for a question that does not ask for a list."""
    m = _LIST_QUESTION.match(question)
    if m is None:
        return None
    kind = next(g for g in m.groups() if g)
    kind = _KIND_END.sub("", kind.strip()).strip(" ,;:")
    return kind or None


def enumerated_items(sentence: str) -> list[str]:
    """The things a sentence lists, three or more ("samarium", "gadolinium", … "yttrium"), or []."""
    m = _ENUMERATION.search(sentence)
    if m is None:
        return []
    items = [part.strip() for part in _SEPARATOR.split(m.group(0))]
    items[0] = _LEADING_WORDS.sub("", items[0])  # "…products related to samarium"
    items[-1] = _TRAILING_WORDS.sub("", items[-1])  # "yttrium to its export…"
    return [item for item in items if item]
