"""Multi-turn state: resolving a follow-up question against the turns before it, offline.

A follow-up ("How much is that company investing?") is detected by its reference words or
by having almost no content of its own; it is then retrieved together with the salient terms
of the previous question and the names in the previous answer. The carried terms are kept
apart so the answer still ranks sentences mainly by what was asked now.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Any, NotRequired

from pydantic import ConfigDict, Field, TypeAdapter, with_config
from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

from assistant.answer.tuning import ANSWER
from assistant.errors import QuestionError
from assistant.text.framing import POINTING_WORDS, QUESTION_WORDS, core
from assistant.text.names import capitalised_runs

_REFERENCE_WORDS = POINTING_WORDS | frozenset(
    "it's there then same former latter above aforementioned".split())
_QUESTION_WORDS = QUESTION_WORDS | POINTING_WORDS | frozenset(
    "the a an of in on to for by with about and or from at as be been being there".split())
_WORD = re.compile(r"[A-Za-z0-9][\w'’\-.]*[\w]|[A-Za-z0-9]")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")


@with_config(ConfigDict(extra="forbid", strict=True))
class _SpanJson(TypedDict):
    doc: str
    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=0)]


@with_config(ConfigDict(extra="forbid", strict=True))
class _TurnJson(TypedDict):
    question: str
    resolved_query: str
    answer: str
    abstained: bool
    citations: NotRequired[list[_SpanJson]]


@with_config(ConfigDict(extra="forbid", strict=True))
class _ConversationJson(TypedDict):
    version: NotRequired[int]
    turns: NotRequired[list[_TurnJson]]


_CONVERSATION = TypeAdapter(_ConversationJson)
"""What ``Conversation.to_json`` writes, as a schema: what ``from_json`` accepts."""


@dataclass
class Turn:
    question: str
    resolved_query: str
    answer: str
    abstained: bool
    citations: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Resolution:
    """The query to retrieve with; ``carried`` is empty for a standalone question."""

    question: str
    carried: tuple[str, ...] = ()
    seen: tuple[tuple[str, int, int], ...] = ()
    """For a follow-up: the spans the previous answer cited (the official has read them)."""

    @property
    def query(self) -> str:
        return f"{self.question} ({' '.join(self.carried)})" if self.carried else self.question

    @property
    def is_follow_up(self) -> bool:
        return bool(self.carried)


@dataclass
class Conversation:
    turns: list[Turn] = field(default_factory=list)

    def resolve(self, question: str) -> Resolution:
        if not self.turns or not is_follow_up(question):
            return Resolution(question)
        last = self.turns[-1]
        own = {w.lower() for w in content_words(question)}
        carried: list[str] = []
        previous = content_words(core(last.question))  # not "sources" from "According to the sources, …"
        # The previous question names the subject; when it names no entity ("Which chip was
        # introduced?"), the entities of the previous answer stand in for it.
        if not proper_nouns(last.question):
            previous += proper_nouns(last.answer)[:3]
        for word in previous:
            if word.lower() not in own and word.lower() not in {c.lower() for c in carried}:
                carried.append(word)
        seen = tuple((str(c["doc"]), int(c["start"]), int(c["end"])) for c in last.citations)
        return Resolution(question, tuple(carried[:ANSWER.max_carried]), seen)

    def add(self, question: str, resolved_query: str, answer: Any) -> None:
        """Record a turn; ``answer`` is an ``assistant.types.Answer``."""
        self.turns.append(
            Turn(
                question=question,
                resolved_query=resolved_query,
                answer=answer.text,
                abstained=answer.abstained,
                citations=[{"doc": c.doc_id, "start": c.start, "end": c.end} for c in answer.citations],
            )
        )

    def to_json(self) -> dict[str, Any]:
        return {"version": 1, "turns": [asdict(t) for t in self.turns]}

    @classmethod
    def from_json(cls, data: Any) -> Conversation:
        """A conversation as ``to_json`` wrote it, from a file or sent back by a client: anything
        else (a field missing, a number where text belongs) is a ``QuestionError`` naming the
        first thing wrong, here, rather than an error at some later turn."""
        from pydantic import ValidationError

        try:
            checked = _CONVERSATION.validate_python(data)
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in first.get("loc", ())) or "conversation"
            raise QuestionError(f"not a Briefing conversation ({where}: {first.get('msg', 'invalid')})") from None
        return cls([Turn(t["question"], t["resolved_query"], t["answer"], t["abstained"],
                         [dict(c) for c in t.get("citations", [])]) for t in checked.get("turns", [])])

    @classmethod
    def load(cls, path: Path) -> Conversation:
        if not path.exists() or path.stat().st_size == 0:
            return cls()
        try:
            return cls.from_json(json.loads(path.read_text(encoding="utf-8")))
        except OSError as exc:
            raise QuestionError(f"cannot read conversation file {path}: {exc.strerror}") from None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise QuestionError(f"conversation file {path} is not one Briefing wrote ({type(exc).__name__})") from None

    def save(self, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp")
        try:
            tmp.write_text(json.dumps(self.to_json(), indent=2, ensure_ascii=False), encoding="utf-8")
            tmp.replace(path)
        except OSError as exc:
            raise QuestionError(f"cannot write conversation file {path}: {exc.strerror}") from None


def content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if w.lower() not in _QUESTION_WORDS and len(w) > 1]


def proper_nouns(text: str) -> list[str]:
    """Capitalised words not opening a sentence (``text.names``): a cheap, language-agnostic
    entity guess."""
    words: list[str] = []
    for sentence in _SENTENCE_BREAK.split(re.sub(r"\[\d+\]", "", text)):
        for run in capitalised_runs(sentence, connectors=frozenset(), alphanumerics=True, descriptions=True):
            words += [w for w in run.words[1 if run.opens else 0:]
                      if len(w) > 1 and w.lower() not in _QUESTION_WORDS]
    return words


def is_follow_up(question: str) -> bool:
    words = [w.lower() for w in _WORD.findall(question)]
    if any(w in _REFERENCE_WORDS for w in words):
        return True
    return len(content_words(question)) <= 1
