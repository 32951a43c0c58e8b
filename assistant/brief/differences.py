"""Sources side by side: when documents making the same point state different figures or dates.

A key point groups the sentences of other documents that say the same thing (``key_points``:
their meaning is nearly the same). When such a sentence gives a date or a figure the point does
not ("suspended on March 5" beside "suspended on March 3"; "$50 billion" beside "$53 billion"),
the sources disagree: the brief must not quietly cite both as one. So the sentence is taken out
of the point's citations and shown with it under "Sources differ", each cited. A sentence that
agrees (the same figures, or a date the point states more or less precisely: "March 2025"
beside "March 3, 2025") stays grouped under the point, which cites all of them.
"""

from __future__ import annotations

from assistant.text.dates import DateRange
from assistant.text.figures import figures


def _same_date(a: DateRange, b: DateRange) -> bool:
    """The same date, or one inside the other ("March 2025" and "March 3, 2025")."""
    return (a.lower <= b.lower and b.upper <= a.upper) or (b.lower <= a.lower and a.upper <= b.upper)


def disagrees(point: str, other: str) -> bool:
    """Whether ``other`` (said to make the same point) gives a date or a number ``point`` does not,
    where ``point`` gives one of that kind too."""
    mine, theirs = figures(point), figures(other)
    if mine.dates and theirs.dates and any(not any(_same_date(t, m) for m in mine.dates) for t in theirs.dates):
        return True
    return bool(mine.numbers and theirs.numbers and not theirs.numbers <= mine.numbers)
