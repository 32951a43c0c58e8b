"""Extracted text normalised for the index, with offsets carried through.

A reader's text keeps whatever line endings and trailing spaces its library produced; the
index stores it tidied (no trailing spaces, at most one blank line in a row, no blank lines
at either end) so that every format reads alike. A reader's sections and uncitable spans point
into its own text, so the same tidying must move them: ``Tidied.position`` says where an
offset of the original text landed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


@dataclass(frozen=True)
class Tidied:
    """The tidied text and, per kept line, where it started in the original and in the new text."""

    text: str
    old_starts: tuple[int, ...]
    new_starts: tuple[int, ...]
    lengths: tuple[int, ...]

    def position(self, offset: int) -> int:
        """Where the original ``offset`` stands in the tidied text: inside a kept line, at the
        same character; in trimmed space or a dropped blank line, at the next kept text's edge."""
        i = bisect_right(self.old_starts, offset) - 1
        if i < 0:
            return 0
        inside = offset - self.old_starts[i]
        return min(self.new_starts[i] + min(inside, self.lengths[i]), len(self.text))


def tidy(text: str) -> Tidied:
    """No trailing spaces, at most one blank line in a row, none at the start or the end."""
    kept: list[tuple[int, str]] = []
    for m in _LINE.finditer(text):
        if m.start() == len(text) and m.group() == "":
            break
        line = m.group().rstrip("\r\n").rstrip()
        if line or (kept and kept[-1][1]):
            kept.append((m.start(), line))
    while kept and not kept[-1][1]:
        kept.pop()
    old, new, lengths, pos = [], [], [], 0
    for start, line in kept:
        old.append(start)
        new.append(pos)
        lengths.append(len(line))
        pos += len(line) + 1
    return Tidied("\n".join(line for _, line in kept), tuple(old), tuple(new), tuple(lengths))
