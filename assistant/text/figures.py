"""The dates and numbers a statement gives, normalised so that two statements can be compared:
a brief's sources differ when they give other figures (``brief.differences``), and two table
rows alike in their words are not one saying the same when they state other figures
(``answer.compose``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text.dates import DateRange, find_dates

_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])")


@dataclass(frozen=True)
class Figures:
    """The dates and numbers a statement gives."""

    dates: tuple[DateRange, ...]
    numbers: frozenset[float]


def figures(text: str) -> Figures:
    """The dates ``text`` gives and its other numbers ("1,200" is 1200; a date's day or year is
    part of the date)."""
    dates = find_dates(text)
    spans = [(d.start, d.end) for d in dates]
    numbers = set()
    for m in _NUMBER.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue  # a date's day or year, counted as a date
        raw = m.group(0).replace(",", "")
        try:
            numbers.add(float(raw))
        except ValueError:
            continue
    return Figures(tuple(d.when for d in dates), frozenset(numbers))
