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


TIME_OF_DAY = re.compile(r"\b\d{1,2}(?::\d{2})?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|\b\d{1,2}:\d{2}\b|\bnoon\b|"
                         r"\bmidnight\b", re.I)
"""A time of day as documents print it ("7:30 a.m.", "1:01 p.m.", "14:00", "noon")."""


def only_a_date_or_time(text: str) -> bool:
    """Whether ``text`` is nothing but dates and times of day ("April 6, 2016", "7:30 a.m.",
    "Tuesday, January 13, 2009"): a value printed on its own line, not a heading."""
    rest = TIME_OF_DAY.sub(" ", text)
    for mention in sorted(find_dates(rest), key=lambda d: -d.start):
        rest = rest[: mention.start] + " " + rest[mention.end :]
    weekdays = r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b"
    leftover = re.sub(weekdays, " ", rest, flags=re.I)
    return leftover != text and not any(ch.isalnum() for ch in leftover)


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


# --- dates mentioned in running text ---------------------------------------------------

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_YEAR = r"(?:19|20)\d{2}"
_QUAL = r"(?:early|mid|late|end of|the end of|beginning of|the beginning of)"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_SEASONS = (r"spring|summer|autumn|fall|winter|q[1-4]|(?:first|second|third|fourth) quarter(?: of)?|"
            r"(?:first|second) half(?: of)?")
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("day", re.compile(rf"\b(?P<month>{_MONTHS})\.?\s+{_DAY},?\s+(?P<year>{_YEAR})\b", re.I)),
    ("day", re.compile(rf"\b{_DAY}\s+(?P<month>{_MONTHS})\.?,?\s+(?P<year>{_YEAR})\b", re.I)),
    ("day", re.compile(rf"\b(?P<year>{_YEAR})-(?P<mnum>\d{{2}})-(?P<day>\d{{2}})\b")),
    ("month", re.compile(rf"\b(?:(?P<qual>{_QUAL})[\s-]+)?(?P<month>{_MONTHS})\.?,?\s+(?:of\s+)?(?P<year>{_YEAR})\b",
                         re.I)),
    ("season", re.compile(rf"\b(?P<season>{_SEASONS})\s+(?P<year>{_YEAR})\b", re.I)),
    ("year", re.compile(rf"\b(?P<qual>{_QUAL})[\s-]+(?P<year>{_YEAR})\b", re.I)),
    # not a year inside a code or number ("AD 2018–23–51", "2018-123"); a range of years stays
    ("year", re.compile(rf"\b(?P<year>{_YEAR})\b(?![-/]\d|[–—]\d{{1,3}}\b)")),
]
_SEASON_MONTHS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12, "q1": 1, "q2": 4, "q3": 7,
                  "q4": 10, "first quarter": 1, "second quarter": 4, "third quarter": 7, "fourth quarter": 10,
                  "first half": 1, "second half": 7}
_PART_OF_YEAR = {"early": (1, 4), "beginning of": (1, 3), "the beginning of": (1, 3), "mid": (5, 8),
                 "late": (9, 12)}
_WHOLE_YEAR = {"end of", "the end of"}  # "by the end of 2025" is a deadline within that year
# "by 2031", "by the end of 2025", "no later than May 2027": a deadline, not an event.
_TARGET_CUE = re.compile(r"\b(?:by|before|until|no later than)\s+$", re.I)
_EDITION_CUE = re.compile(r"\bdated\s+$", re.I)
_NAMING_YEAR = re.compile(r"\b(?:the|its|their|our|his|her|this|that|a|an)\s+$", re.I)
"""Before a year that opens a name ("the 2018 National Cyber Strategy")."""


@dataclass(frozen=True)
class DateMention:
    """A date found in text: where, its original wording, and its normalised range."""

    start: int
    end: int
    wording: str
    when: DateRange
    target: bool = False
    """A deadline or goal ("by 2031", "by the end of 2025") rather than an event."""
    edition: bool = False
    """The date of a document or a thing the text names ("Service Bulletin 737–31–1860, dated
    June 12, 2020", "the 2018 National Cyber Strategy"): which one is meant, not when what the
    text tells happened."""


def find_dates(text: str, offset: int = 0) -> list[DateMention]:
    """Every date expression in ``text``, most specific first where they overlap."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for precision, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            when = _normalise(precision, m)
            if when is None:
                continue
            cue = _TARGET_CUE.search(text[max(0, m.start() - 30) : m.start()])
            start = m.start() - len(cue.group(0)) if cue else m.start()
            taken.append((m.start(), m.end()))
            before = text[max(0, m.start() - 10) : m.start()]
            edition = bool(_EDITION_CUE.search(before)) or (
                precision == "year" and bool(_NAMING_YEAR.search(before)) and text[m.end():m.end() + 2][-1:].isupper()
                and text[m.end():m.end() + 1] == " ")
            found.append(DateMention(offset + start, offset + m.end(), text[start : m.end()], when, cue is not None,
                                     edition))
    return sorted(found, key=lambda d: d.start)


def _month_number(name: str) -> int:
    from datetime import datetime as _dt

    key = name.lower().rstrip(".")[:3]
    return _dt.strptime(key, "%b").month


def _normalise(precision: str, m: re.Match[str]) -> DateRange | None:
    groups = m.groupdict()
    year = int(groups["year"])
    try:
        if precision == "day":
            month = int(groups["mnum"]) if groups.get("mnum") else _month_number(groups["month"])
            day = date(year, month, int(groups["day"]))
            return DateRange(day, day, "day")
        if precision == "month":
            return month_range(year, _month_number(groups["month"]))
        if precision == "season":
            first = _SEASON_MONTHS[" ".join(groups["season"].lower().replace(" of", "").split())]
            last = first + (5 if "half" in groups["season"].lower() else 2)
            return DateRange(date(year, first, 1), month_range(year, min(last, 12)).upper, "season")
        qual = " ".join((groups.get("qual") or "").lower().split())
        if qual and qual not in _WHOLE_YEAR:
            a, b = _PART_OF_YEAR[qual]
            return DateRange(date(year, a, 1), month_range(year, b).upper, "season")
        return year_range(year)
    except (ValueError, KeyError):
        return None
