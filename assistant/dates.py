"""Dates with their precision kept: "2026" is a year, not January 1st."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_ISO = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?\s*$")


@dataclass(frozen=True)
class DateRange:
    """A calendar interval: ``lower``..``upper`` inclusive, and how precise the source was."""

    lower: date
    upper: date
    precision: str  # day | month | season | year

    def iso(self) -> str:
        if self.precision == "day":
            return self.lower.isoformat()
        if self.precision in ("month", "season"):
            return self.lower.strftime("%Y-%m")
        return f"{self.lower.year:04d}"


def month_range(year: int, month: int, precision: str = "month") -> DateRange:
    return DateRange(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), precision)


def year_range(year: int) -> DateRange:
    return DateRange(date(year, 1, 1), date(year, 12, 31), "year")


def parse_loose_date(value: str) -> DateRange | None:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a time part is ignored)."""
    m = _ISO.match(str(value))
    if not m:
        return None
    try:
        year = int(m.group(1))
        if m.group(3):
            day = date(year, int(m.group(2)), int(m.group(3)))
            return DateRange(day, day, "day")
        if m.group(2):
            return month_range(year, int(m.group(2)))
        return year_range(year)
    except ValueError:
        return None
