"""What the index keeper is doing, as one value, and every way it can change.

A rebuild can be asked for (Ctrl+R) or started by the watcher (files changed in the corpus);
at most one runs at a time, and a change seen while one runs must not be lost, nor start a
second build beside it. Three booleans set by six methods used to carry that; here it is one
frozen value, and each event returns the next one, so every transition is in this module and
can be read (and tested) without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from assistant.index.plan import BuildProgress


class Reason(Enum):
    """Why a build began: its end is announced differently."""

    ASKED = "asked"
    """The official asked (Ctrl+R, ``/rebuild``, ``r`` on the Documents screen): always told the outcome."""
    CHANGED = "changed"
    """The watcher saw files added, changed or removed: told only what the build changed."""


@dataclass(frozen=True)
class BuildState:
    """Idle, or one build running (why, how far, and whether another must follow it)."""

    running: Reason | None = None
    """Why the build that is running began; ``None`` when none is."""
    again: bool = False
    """The corpus changed while this build ran: one more build, for that change, when it ends."""
    step: BuildProgress | None = None
    """How far the running build has got (its latest progress), for the progress bars."""
    serial: int = 0
    """Builds begun in this session: a new number is a new build (a build that follows another
    directly still counts as an end and a beginning)."""

    def __post_init__(self) -> None:
        if self.running is None and (self.again or self.step is not None):
            raise ValueError("an idle keeper has no build to follow and no progress")

    @property
    def building(self) -> bool:
        return self.running is not None

    def asked(self) -> BuildState:
        """The official asked for a rebuild: one begins, unless one is running (it is not queued)."""
        return self if self.building else self._begin(Reason.ASKED)

    def changed(self) -> BuildState:
        """The corpus changed: a build begins, or the running one is followed by one more."""
        return replace(self, again=True) if self.building else self._begin(Reason.CHANGED)

    def progressed(self, step: BuildProgress) -> BuildState:
        return replace(self, step=step) if self.building else self

    def ended(self) -> BuildState:
        """The build finished, failed or was cancelled: idle, or the build for a change it missed."""
        return self._begin(Reason.CHANGED) if self.again else BuildState(serial=self.serial)

    def began_after(self, before: BuildState) -> bool:
        """This state starts a build that ``before`` did not have running."""
        return self.building and self.serial != before.serial

    def _begin(self, reason: Reason) -> BuildState:
        return BuildState(running=reason, serial=self.serial + 1)


IDLE = BuildState()
