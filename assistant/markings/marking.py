"""A marking, a reader's clearance, and the two questions asked of them: may this reader see
it, and what is the highest of several (what an answer quoting them carries)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Marking:
    """A level (its rank in the scheme's order, 0 the lowest) and the caveats that restrict it
    further ("NOFORN"): held only by those granted each."""

    level: int
    caveats: frozenset[str] = frozenset()

    def above(self, other: Marking) -> bool:
        """Whether this marking restricts more than ``other`` in any way."""
        return self.level > other.level or not self.caveats <= other.caveats


@dataclass(frozen=True)
class Clearance:
    """What a reader may see: markings up to ``level`` carrying only caveats they hold."""

    level: int
    caveats: frozenset[str] = frozenset()

    def permits(self, marking: Marking) -> bool:
        return marking.level <= self.level and marking.caveats <= self.caveats


def highest(markings: Iterable[Marking], default: Marking) -> Marking:
    """The marking of what combines them all: the highest level and every caveat; ``default``
    (the scheme's unmarked marking) when there are none."""
    found = list(markings)
    if not found:
        return default
    return Marking(max(m.level for m in found), frozenset().union(*(m.caveats for m in found)))
