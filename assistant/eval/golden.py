"""Golden-question files: the YAML format testers write and other tools feed.

Format (a list of cases)::

    - id: alibaba-chip                 # unique, required
      question: What AI chip ...?      # required
      evidence: ["Zhenwu M890"]        # any-of: a cited span must contain one
      must_include: ["Zhenwu"]         # all-of: the answer text must contain each
      sources: ["us-china"]            # any-of: a citation's doc path must contain one
      scope: ["file.txt"]              # ask with retrieval restricted to these documents
      answerable: true                 # false: the assistant must refuse
      follow_up_of: some-earlier-id    # asked right after that case, same conversation
      hard: true                       # reported apart; gated as a group (--min-hard-refusal)

    - id: rare-earths-brief            # a brief case: ``brief`` instead of ``question``
      brief: China's rare earth export controls
      facts: ["April 4, 2025"]         # all-of: each in a key point, a grouped sentence or a timeline statement
      dates: ["2025-04-04"]            # all-of: each a normalised date on the timeline
      excludes: ["Pilatus"]            # none-of: no line of the brief may carry one (another
                                       # notice printed in the same file, a neighbouring subject)
      covered: false                   # the corpus does not cover it: the brief must say so
                                       # (little: it touches it in a sentence or two; the brief
                                       # must say so, or that it does not cover it)
      actors: {IEA: organisation}      # labelled actor kinds: a shown actor must be of its kind
                                       # ("not an actor": must not be shown)
      length: standard                 # short | standard | long
      scope: ["file.txt"]              # as for questions

A file may hold questions, briefs or both.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.brief.actors import KINDS
from assistant.errors import GoldenFileError

_LISTS = ("evidence", "must_include", "sources", "scope")
_BOOLS = ("answerable", "hard")
ALLOWED_KEYS = frozenset({"id", "question", "follow_up_of", *_LISTS, *_BOOLS})
_BRIEF_LISTS = ("facts", "dates", "scope", "excludes")
ALLOWED_BRIEF_KEYS = frozenset({"id", "brief", "covered", "length", "actors", *_BRIEF_LISTS})
NOT_AN_ACTOR = "not an actor"
ACTOR_LABELS = (*KINDS, NOT_AN_ACTOR)
_LENGTHS = ("short", "standard", "long")


@dataclass(frozen=True)
class GoldenCase:
    id: str
    question: str
    evidence: tuple[str, ...] = ()
    must_include: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    scope: tuple[str, ...] = ()
    answerable: bool = True
    follow_up_of: str | None = None
    hard: bool = False


@dataclass(frozen=True)
class ActorLabel:
    """What an analyst says a name in the corpus is: one of ``actors.KINDS``, or not an actor."""

    name: str
    kind: str


@dataclass(frozen=True)
class GoldenBrief:
    id: str
    topic: str
    facts: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    covered: bool = True
    length: str = "standard"
    scope: tuple[str, ...] = ()
    actors: tuple[ActorLabel, ...] = ()
    little: bool = False
    """The corpus touches the topic in a sentence or two: the brief must say it has little on it
    (or that it does not cover it)."""
    excludes: tuple[str, ...] = ()
    """Phrases no line of the brief may carry: another notice's facts, printed in the same file."""

    @property
    def near(self) -> bool:
        """A near topic: not covered, or covered only in passing."""
        return not self.covered or self.little


@dataclass(frozen=True)
class GoldenSet:
    """What a golden file holds: questions (in file order) and brief cases."""

    questions: list[GoldenCase]
    briefs: list[GoldenBrief]


def load_golden(path: Path) -> GoldenSet:
    """Parse and validate; every problem is a ``GoldenFileError`` naming the case and key."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise GoldenFileError(f"cannot read golden file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise GoldenFileError(f"{path}: not a text file (expected UTF-8 YAML)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise GoldenFileError(f"{path}: not valid YAML{where}") from None
    if not isinstance(data, list) or not data:
        raise GoldenFileError(f"{path}: expected a non-empty YAML list of cases")
    briefs = [_brief(path, i, raw) for i, raw in enumerate(data, 1) if isinstance(raw, dict) and "brief" in raw]
    cases = [_case(path, i, raw) for i, raw in enumerate(data, 1) if not (isinstance(raw, dict) and "brief" in raw)]
    ids: set[str] = set()
    for case_id in [c.id for c in cases] + [b.id for b in briefs]:
        if case_id in ids:
            raise GoldenFileError(f"{path}: duplicate case id {case_id!r}")
        ids.add(case_id)
    question_ids = {c.id for c in cases}
    for case in cases:
        if case.follow_up_of is not None and case.follow_up_of not in question_ids:
            raise GoldenFileError(f"{path}: case {case.id!r}: follow_up_of names missing id {case.follow_up_of!r}")
        if case.follow_up_of == case.id:
            raise GoldenFileError(f"{path}: case {case.id!r} is a follow-up of itself")
    if sum(len(g) for g in conversation_order(cases)) != len(cases):
        raise GoldenFileError(f"{path}: follow_up_of links form a cycle")
    return GoldenSet(cases, briefs)


def _case(path: Path, number: int, raw: Any) -> GoldenCase:
    if not isinstance(raw, dict):
        raise GoldenFileError(f"{path}: case #{number} is not a mapping")
    name = raw.get("id", f"#{number}")
    for key in raw:
        if key not in ALLOWED_KEYS:
            raise GoldenFileError(f"{path}: case {name!r}: unknown key {key!r}")
    for key in ("id", "question"):
        if not isinstance(raw.get(key), (str, int)) or not str(raw[key]).strip():
            raise GoldenFileError(f"{path}: case {name!r}: {key!r} is required")
    values: dict[str, Any] = {"id": str(raw["id"]), "question": str(raw["question"]).strip()}
    for key in _LISTS:
        if key in raw:
            value = raw[key]
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
                raise GoldenFileError(f"{path}: case {name!r}: {key!r} must be a list of strings")
            values[key] = tuple(str(v) for v in value)
    for key in _BOOLS:
        if key in raw:
            if not isinstance(raw[key], bool):
                raise GoldenFileError(f"{path}: case {name!r}: {key!r} must be true or false")
            values[key] = raw[key]
    if "follow_up_of" in raw and raw["follow_up_of"] is not None:
        values["follow_up_of"] = str(raw["follow_up_of"])
    return GoldenCase(**values)


def _brief(path: Path, number: int, raw: dict[str, Any]) -> GoldenBrief:
    name = raw.get("id", f"#{number}")
    for key in raw:
        if key not in ALLOWED_BRIEF_KEYS:
            raise GoldenFileError(f"{path}: brief case {name!r}: unknown key {key!r}")
    for key in ("id", "brief"):
        if not isinstance(raw.get(key), (str, int)) or not str(raw[key]).strip():
            raise GoldenFileError(f"{path}: brief case {name!r}: {key!r} is required")
    values: dict[str, Any] = {"id": str(raw["id"]), "topic": str(raw["brief"]).strip()}
    for key in _BRIEF_LISTS:
        if key in raw:
            value = [raw[key]] if isinstance(raw[key], (str, int)) else raw[key]
            if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
                raise GoldenFileError(f"{path}: brief case {name!r}: {key!r} must be a list of strings")
            values[key] = tuple(str(v) for v in value)
    if "covered" in raw:
        if raw["covered"] == "little":
            values["little"] = True
        elif isinstance(raw["covered"], bool):
            values["covered"] = raw["covered"]
        else:
            raise GoldenFileError(f"{path}: brief case {name!r}: 'covered' must be true, false or little")
    if "actors" in raw:
        labels = raw["actors"]
        if not isinstance(labels, dict) or not all(isinstance(k, str) and v in ACTOR_LABELS for k, v in labels.items()):
            raise GoldenFileError(f"{path}: brief case {name!r}: 'actors' must map names to one of: "
                                  f"{', '.join(ACTOR_LABELS)}")
        values["actors"] = tuple(ActorLabel(k, v) for k, v in labels.items())
    if "length" in raw:
        if raw["length"] not in _LENGTHS:
            raise GoldenFileError(f"{path}: brief case {name!r}: 'length' must be one of {', '.join(_LENGTHS)}")
        values["length"] = raw["length"]
    return GoldenBrief(**values)


def conversation_order(cases: list[GoldenCase]) -> list[list[GoldenCase]]:
    """Group cases into conversations: a base case followed by its chain of follow-ups."""
    children: dict[str, list[GoldenCase]] = {}
    for case in cases:
        if case.follow_up_of:
            children.setdefault(case.follow_up_of, []).append(case)
    groups: list[list[GoldenCase]] = []
    for case in cases:
        if case.follow_up_of:
            continue
        group = [case]
        frontier = [case]
        while frontier:
            nxt = children.get(frontier.pop(0).id, [])
            group.extend(nxt)
            frontier.extend(nxt)
        groups.append(group)
    return groups
