"""Where a document's marking comes from, in the order the scheme's users expect: a rule for its
folder, its own metadata (an Office or PDF property, an e-mail header), a banner printed at the
top or bottom of its pages, and the portion marks that open its paragraphs ("(S)", "(OS)").
Each source is recorded with what it said; where they disagree, the highest marking wins.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from assistant.markings.marking import Marking, highest
from assistant.markings.scheme import Scheme

BANNER_CHARS = 120
"""A banner is a short line: one longer than this is a sentence that mentions a level."""
METADATA_KEYS = re.compile(r"classif|marking|sensitivity|security|caveat|category|msip_label.*_name", re.I)
"""Metadata fields that may hold a marking: "Classification", "Protective Marking",
"Sensitivity" (an e-mail header), "X-Classification", an Office document's "category" or the
name of its sensitivity label."""


@dataclass(frozen=True)
class Source:
    """One place a marking was found, and what it said."""

    kind: str
    """"rule", "metadata", "banner" or "portion marks"."""
    detail: str
    """Which rule, field, page or paragraphs."""
    marking: Marking


@dataclass(frozen=True)
class Portion:
    """A paragraph that opens with a portion mark: its span of the text, and its marking."""

    start: int
    end: int
    marking: Marking


@dataclass(frozen=True)
class DocumentMarking:
    marking: Marking
    """The highest of every source's (the scheme's unmarked level when none marks it)."""
    sources: tuple[Source, ...] = ()
    portions: tuple[Portion, ...] = ()

    def at(self, start: int, end: int) -> Marking:
        """The marking of a span: the portion mark of the paragraph it stands in, if that paragraph
        carries one, else the document's marking."""
        for p in self.portions:
            if p.start <= start < p.end:
                return p.marking if end <= p.end else self.marking
        return self.marking


def mark(scheme: Scheme, doc_id: str, text: str, page_starts: Sequence[int] = (),
         metadata: Mapping[str, str] | None = None) -> DocumentMarking:
    """Everything that marks one document, and the marking that results."""
    sources = [Source("rule", glob, m) for glob, m in scheme.ruled(doc_id)]
    sources += from_metadata(scheme, metadata or {})
    sources += banners(scheme, text, page_starts)
    portions = portion_marks(scheme, text)
    if portions:
        top = highest((p.marking for p in portions), scheme.unmarked_marking)
        sources.append(Source("portion marks", f"{len(portions)} paragraph{'s' * (len(portions) != 1)}", top))
    return DocumentMarking(highest((s.marking for s in sources), scheme.unmarked_marking), tuple(sources),
                           tuple(portions))


def marking_fields(metadata: Mapping[str, object]) -> dict[str, str]:
    """The fields of a document's metadata that may hold a marking (``METADATA_KEYS``), with
    text values: what a converter keeps for ``from_metadata``, whatever the scheme."""
    return {str(k): " ".join(v.split())[:BANNER_CHARS] for k, v in metadata.items()
            if isinstance(v, str) and v.strip() and METADATA_KEYS.search(str(k))}


def from_metadata(scheme: Scheme, metadata: Mapping[str, str]) -> list[Source]:
    """The markings a document's metadata fields state."""
    out = []
    for key, value in metadata.items():
        if not METADATA_KEYS.search(key) or not isinstance(value, str):
            continue
        found = scheme.parse(value) or _banner(scheme, value)
        if found is not None:
            out.append(Source("metadata", key, found))
    return out


def banners(scheme: Scheme, text: str, page_starts: Sequence[int] = ()) -> list[Source]:
    """The markings printed as banners: a page's first or last line holding nothing but a
    marking ("SECRET//NOFORN", "- OFFICIAL-SENSITIVE -")."""
    starts = list(page_starts) or [0]
    out = []
    for n, start in enumerate(starts, 1):
        end = starts[n] if n < len(starts) else len(text)
        lines = [line.strip() for line in text[start:end].splitlines() if line.strip()]
        for where, line in (("top", lines[0] if lines else ""), ("bottom", lines[-1] if lines else "")):
            found = _banner(scheme, line)
            if found is not None:
                page = f"page {n} " if len(starts) > 1 else ""
                out.append(Source("banner", f"{page}{where}", found))
    return _distinct(out)


def _banner(scheme: Scheme, line: str) -> Marking | None:
    if not line or len(line) > BANNER_CHARS:
        return None
    return scheme.parse(line.strip(" \t-–—=*_|[]()<>:"))


def portion_marks(scheme: Scheme, text: str) -> list[Portion]:
    """The paragraphs that open with one of the scheme's portion marks, each to the next blank
    line (or the next portion-marked line)."""
    pattern = _portion_pattern(scheme)
    if pattern is None:
        return []
    codes = {(lv.portion or lv.name): i for i, lv in enumerate(scheme.levels)}
    caveat_codes = {(c.portion or c.name): c.name for c in scheme.caveats}
    opens = list(pattern.finditer(text))
    out = []
    for i, m in enumerate(opens):
        caveats = frozenset(caveat_codes[c] for c in re.split(r"\s*/+\s*", m.group("caveats") or "") if c)
        next_open = opens[i + 1].start() if i + 1 < len(opens) else len(text)
        blank = text.find("\n\n", m.end())
        end = min(next_open, blank if blank >= 0 else len(text))
        out.append(Portion(m.start(), end, Marking(codes[m.group("level")], caveats)))
    return out


@lru_cache(maxsize=8)
def _portion_pattern(scheme: Scheme) -> re.Pattern[str] | None:
    levels = [lv.portion or lv.name for lv in scheme.levels if lv.portion]
    if not levels:
        return None
    caveats = [c.portion or c.name for c in scheme.caveats]
    level = "|".join(re.escape(c) for c in sorted(levels, key=len, reverse=True))
    caveat = "|".join(re.escape(c) for c in sorted(caveats, key=len, reverse=True)) or r"(?!)"
    caveats_group = rf"(?P<caveats>(?:{caveat})(?:\s*/+\s*(?:{caveat}))*)"
    return re.compile(rf"(?m)^[ \t]*\((?P<level>{level})(?:\s*//\s*{caveats_group})?\)(?=\s)")


def _distinct(sources: list[Source]) -> list[Source]:
    """One source per marking a banner states (every page prints it): the first page that does."""
    seen: set[Marking] = set()
    out = []
    for s in sources:
        if s.marking not in seen:
            seen.add(s.marking)
            out.append(s)
    return out
