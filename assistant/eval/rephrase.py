"""Questions rephrased by rule, as officials who were not the tuners would ask them.

Three variants of each question, each one way of asking that once caused a refusal:

- ``british``: British spellings ("characterise", "travelled", "programme"), from breame's
  list of American and British pairs (plus the "-ize" → "-ise" rule for words it does not
  list). A question with no word to change keeps its wording and is counted as unchanged.
- ``instruction``: an instruction rather than a question, with a verb of asking that is rare in
  English ("Describe…", "Summarise…", "Characterise…", "List…", "Outline…"): "What is X?" →
  "Describe X."; "Which Xs were Y?" → "List the Xs that were Y."; any other → "Summarise: how…?".
- ``reordered``: the same question with its parts in another order: a closing time or place
  phrase moved to the front ("In April 2025, what did China add…?"), "X is what?"-free; or the
  question put after a framing clause ("According to the sources, what…?").

    python -m assistant.eval.rephrase tests/golden/seed.yaml > tests/golden/seed-variants.yaml

writes a golden file of the variants (ids ``<id>~<variant>``; a follow-up's variant follows the
variant of its question), which ``make test`` gates like the originals.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import yaml

from assistant.eval.golden import GoldenCase, load_golden

VARIANTS = ("british", "instruction", "reordered")

_WORD = re.compile(r"[A-Za-z]+")
_IZE = re.compile(r"^(?P<stem>[a-z]{4,})iz(?P<end>e|es|ed|ing|ation|ations)$")


def _british_word(word: str) -> str:
    from breame.spelling import AMERICAN_ENGLISH_SPELLINGS

    lower = word.lower()
    mapped = AMERICAN_ENGLISH_SPELLINGS.get(lower)
    if not mapped:
        m = _IZE.match(lower)
        mapped = f"{m['stem']}is{m['end']}" if m else lower
    if mapped == lower:
        return word
    return mapped.capitalize() if word[:1].isupper() else mapped


def british(question: str) -> str:
    """The question with British spellings."""
    return _WORD.sub(lambda m: _british_word(m.group(0)), question)


_INSTRUCTION_VERBS = ("Describe", "Summarise", "Characterise", "Outline", "Explain")
_WHAT_IS = re.compile(r"^(?:what|who)\s+(?:is|are|was|were)\s+(?P<rest>(?:the|a|an)\s+.+?)\s*\?\s*$", re.I)
_WHICH_PLURAL = re.compile(r"^(?:which|what)\s+(?P<kind>(?:[\w'-]+\s+){0,3}[\w'-]+s)\s+"
                           r"(?P<verb>are|were|have|had|did|do|does|can|could|will|would)\s+(?P<rest>.+?)\s*\?\s*$",
                           re.I)


_PROGRESSIVE = re.compile(r"\b\w{3,}ing\b")  # "is the European Union preparing…": not a noun phrase
_ENDS_IN_PREPOSITION = re.compile(r"\b(?:by|for|to|of|with|on|in|about|from|at)$", re.I)


def instruction(question: str, n: int = 0) -> str:
    """The question as an instruction; ``n`` picks the verb, so a set uses each of them."""
    verb = _INSTRUCTION_VERBS[n % len(_INSTRUCTION_VERBS)]
    m = _WHICH_PLURAL.match(question)
    if m and m["verb"].lower() in ("are", "were", "have", "had", "can", "could", "will", "would"):
        return f"List the {m['kind']} that {m['verb'].lower()} {m['rest']}."
    m = _WHAT_IS.match(question)
    if m and not _PROGRESSIVE.search(m["rest"]) and not _ENDS_IN_PREPOSITION.search(m["rest"]):
        return f"{'Name' if question.lower().startswith('who') else verb} {m['rest']}."
    return f"{verb}: {question[:1].lower() + question[1:] if _lower_ok(question) else question}"


def _lower_ok(question: str) -> bool:
    """Whether the question's first word may be lower-cased (it is not a name or an acronym)."""
    first = question.split()[0] if question.split() else ""
    return first.lower() in {"what", "which", "who", "whom", "whose", "when", "where", "why", "how", "is", "are",
                             "was", "were", "do", "does", "did", "can", "could", "should", "would", "will", "has",
                             "have", "had", "in", "on", "according", "to"}


_TRAILING = re.compile(r"^(?P<head>.+?)\s+(?P<tail>(?:in|during|after|before|since|at)\s+"
                       r"(?:[\w'’.,-]+\s+){0,4}[\w'’.-]+)\s*\?\s*$", re.I)
_ACCORDING = re.compile(r"^according to (?P<who>[^,]+),\s*(?P<rest>.+?)\s*\?\s*$", re.I)


_PASSIVE = re.compile(r"^(?P<wh>what|which(?:\s+[\w'-]+){1,3}|what(?:\s+[\w'-]+){1,3})\s+did\s+(?P<subj>.+?)\s+"
                      r"(?P<verb>[a-z]+)(?P<rest>\s+(?:about|in|on|for|to|during|after|before|at|with|from|as)\s+.+)?"
                      r"\s*\?\s*$", re.I)
_PASSIVE_LAST = re.compile(r"^(?P<wh>what|which(?:\s+[\w'-]+){1,3}|what(?:\s+[\w'-]+){1,3})\s+did\s+(?P<subj>.+)\s+"
                           r"(?P<verb>[a-z]+[^s\W])(?P<rest>)\s*\?\s*$", re.I)
_IRREGULAR = {"make": "made", "take": "taken", "give": "given", "see": "seen", "find": "found", "say": "said",
              "buy": "bought", "sell": "sold", "put": "put", "set": "set", "lead": "led", "bring": "brought",
              "build": "built", "hold": "held", "keep": "kept", "win": "won", "write": "written", "choose": "chosen",
              "tell": "told", "begin": "begun", "show": "shown", "know": "known", "get": "got", "send": "sent",
              "spend": "spent", "pay": "paid", "lay": "laid", "mean": "meant", "cut": "cut", "do": "done",
              "leave": "left", "think": "thought", "teach": "taught", "catch": "caught", "seek": "sought"}
_IS_WHAT = re.compile(r"^what\s+(?P<be>is|are|was|were)\s+(?P<rest>(?:the|a|an)\s+[^?]+?)\s*\?\s*$", re.I)


def participle(verb: str) -> str:
    """The past participle of a regular or common irregular English verb."""
    if verb in _IRREGULAR:
        return _IRREGULAR[verb]
    if verb.endswith("e"):
        return verb + "d"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ied"
    if len(verb) <= 4 and re.search(r"[^aeiou][aeiou][bdgmnprt]$", verb):
        return verb + verb[-1] + "ed"
    return verb + "ed"


def _passive(question: str) -> str | None:
    """"What did China's directive encourage?" → "What was encouraged by China's directive?";
    "Which elements did it cover?" → "Which elements were covered by it?"."""
    m = _PASSIVE_LAST.match(question) or _PASSIVE.match(question)  # the verb last, if it can be one
    if m is None or m["verb"].lower() in ("do", "does", "did", "not") or len(m["subj"].split()) > 8:
        return None
    wh = m["wh"]
    plural = wh.lower().startswith("which") and wh.split()[-1].lower().endswith("s")
    rest = m["rest"] or ""
    return f"{wh} {'were' if plural else 'was'} {participle(m['verb'].lower())}{rest} by {m['subj']}?"


def reordered(question: str) -> str:
    """The question in another order: made passive ("What was encouraged by…?"), a closing time or
    place phrase (one with a name or a number: "in the US", "at the end of 2025") moved to the
    front, its "According to X" moved to the end, its subject put first ("The aim of X: what
    was it?"), or, failing all, put after a framing clause."""
    passive = _passive(question)
    if passive:
        return passive
    m = _ACCORDING.match(question)
    if m:
        return f"{m['rest'][:1].upper()}{m['rest'][1:]}, according to {m['who']}?"
    m = _TRAILING.match(question)
    if m and len(m["head"].split()) >= 3 and any(w[:1].isupper() or w[:1].isdigit() for w in m["tail"].split()[1:]):
        head = m["head"]
        head = head[:1].lower() + head[1:] if _lower_ok(head) else head
        return f"{m['tail'][:1].upper()}{m['tail'][1:]}, {head}?"
    m = _IS_WHAT.match(question)
    if m and not _PROGRESSIVE.search(m["rest"]) and not _ENDS_IN_PREPOSITION.search(m["rest"]):
        pronoun = "they" if m["be"].lower() in ("are", "were") else "it"
        return f"{m['rest'][:1].upper()}{m['rest'][1:]}: what {m['be'].lower()} {pronoun}?"
    lowered = question[:1].lower() + question[1:] if _lower_ok(question) else question
    return f"According to the sources, {lowered}"


def rephrase(question: str, variant: str, n: int = 0) -> str:
    if variant == "british":
        return british(question)
    if variant == "instruction":
        return instruction(question, n)
    if variant == "reordered":
        return reordered(question)
    raise ValueError(f"unknown variant {variant!r}")


def variants_of(cases: Iterable[GoldenCase], variant: str) -> list[GoldenCase]:
    """Each case with its question rephrased; ids ``<id>~<variant>``."""
    return [replace(c, id=f"{c.id}~{variant}", question=rephrase(c.question, variant, i),
                    follow_up_of=f"{c.follow_up_of}~{variant}" if c.follow_up_of else None)
            for i, c in enumerate(cases)]


def _as_yaml(case: GoldenCase) -> dict[str, object]:
    out: dict[str, object] = {"id": case.id, "question": case.question}
    for key in ("evidence", "must_include", "sources", "scope"):
        value = getattr(case, key)
        if value:
            out[key] = list(value)
    if not case.answerable:
        out["answerable"] = False
    if case.follow_up_of:
        out["follow_up_of"] = case.follow_up_of
    if case.hard:
        out["hard"] = True
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m assistant.eval.rephrase", description=__doc__,
                                     usage="python -m assistant.eval.rephrase GOLDEN.yaml > VARIANTS.yaml")
    parser.add_argument("golden", type=Path)
    source = parser.parse_args().golden
    cases = [c for c in load_golden(source).questions if not c.hard]
    rows = [_as_yaml(c) for variant in VARIANTS for c in variants_of(cases, variant)]
    print(f"# Generated by `python -m assistant.eval.rephrase {source}`: every gated case of {source.name},\n"
          f"# rephrased three ways ({', '.join(VARIANTS)}); see assistant/eval/rephrase.py.")
    print(yaml.safe_dump(rows, sort_keys=False, allow_unicode=True, width=120), end="")


if __name__ == "__main__":
    main()
