"""Sentence spans with exact offsets.

A small rule-based splitter rather than a trained one: it must be fast enough to run on
every document at build time, deterministic, and must never alter the text, because each
span is later cited as ``text[start:end]``.

A line break is a hard boundary (a heading, a bullet, a paragraph written on one line) unless
it only wraps a sentence: hard-wrapped text (plain-text exports, e-mail, text taken out of a
PDF, Markdown wrapped at 80 columns) breaks lines mid-sentence, and a sentence cut at every
line cannot be found or cited whole. A break wraps (``soft_break``) when the line before it
stops without closing punctuation and the text goes on: the next line starts in lower case,
or the line is about as wide as its neighbour (a wrapped paragraph's lines are; a heading
above a paragraph is not). A line ending on an abbreviation ("et al.") may wrap too; lines
inside a Markdown code fence never do.
"""

from __future__ import annotations

import re

# Words that end with a period without ending the sentence.
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt vs etc e.g i.e cf al approx fig figs no nos vol eq
    inc ltd co corp dept est govt gen col lt sgt rep sen gov pres
    jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u p.m a.m""".split()
)
_BOUNDARY = re.compile(r"(?:[.!?…]+[\"'”’)\]]*|(?<=[a-z]{2})\.\d{1,3}(?:[,–-]\d{1,3})*(?=\s+[A-Z]))"
                       r"\s+(?=[\"'“‘(\[]?[A-Z0-9])")
"""A sentence's end: its closing punctuation, or a full stop and a footnote's number printed
after it ("…as an interim corrective action.6 The FAA sent…"), then the next sentence's start."""
_BULLET = re.compile(r"^\s*(?:[-*•▪◦‣–—]|\d{1,3}[.)]|#{1,6})\s+")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?…]+[\"'”’)\]]*\s+$")
_CLOSED = re.compile(r"[.!?…:][\"'”’)\]]*$")
_BLOCK_START = re.compile(r"^\s*(?:[|#>]|(?:[-*•▪◦‣–—]|\d{1,3}[.)])\s)")
_FENCE = re.compile(r"^[ \t]*(?:```|~~~)", re.M)
_RECORD = re.compile(r"^[^:;\n]{1,80}: [^;\n]*(?:; [^:;\n]{1,80}: [^;\n]*)+$")
"""A table row as ``ingest.tables`` writes it: "Header: value; Header: value"."""
WRAP_RATIO = 0.6
"""A line at least this share of its neighbour's width, ending mid-sentence, is a wrapped line."""


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return ``(start, end)`` spans of the sentences in ``text[start:end]``, whitespace trimmed."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    fenced = _fenced_blocks(text, start, end)
    pos = start
    while pos < end:
        line_end = pos
        while True:  # a run of lines that only wrap one another reads as one line
            nl = text.find("\n", line_end, end)
            if nl == -1:
                line_end = end
                break
            if any(a <= nl < b for a, b in fenced) or not soft_break(text, nl, start, end):
                line_end = nl
                break
            line_end = nl + 1
        _split_line(text, pos, line_end, spans)
        pos = line_end + 1
    return spans


def soft_break(text: str, nl: int, start: int = 0, end: int | None = None) -> bool:
    """Whether the line break at ``text[nl]`` only wraps a sentence (see the module's docstring)."""
    end = len(text) if end is None else end
    line_start = max(text.rfind("\n", start, nl) + 1, start)
    next_end = text.find("\n", nl + 1, end)
    raw_next = text[nl + 1 : end if next_end == -1 else next_end]
    line, following = text[line_start:nl].strip(), raw_next.strip()
    if not line or not following:
        return False
    if _CLOSED.search(line):  # a finished line, unless it stops on an abbreviation ("et al.") mid-sentence
        return (following[0].islower() or following[0] in "0123456789([") and _is_abbreviation(line + " ")
    if line.startswith(("#", "|", ">")) or _BLOCK_START.match(raw_next) or is_record(line) or is_record(following):
        return False  # a heading, a table row or a quote ends its line; a new bullet starts one
    if following[0].islower():
        return True
    bullet = _BULLET.match(text[line_start:nl])
    if bullet and not raw_next[:1].isspace():
        return False  # a bullet's own continuation lines are indented
    words = text[line_start:nl][bullet.end() if bullet else 0 :].split()
    if len(words) < 3 or _title_case(words):
        return False  # a heading
    return len(line) >= WRAP_RATIO * len(following)


def _fenced_blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of Markdown code fences (``` or ~~~ … the same): their lines are never joined."""
    if "```" not in text[start:end] and "~~~" not in text[start:end]:
        return []
    blocks: list[tuple[int, int]] = []
    opened: int | None = None
    for m in _FENCE.finditer(text, start, end):
        if opened is None:
            opened = m.start()
        else:
            blocks.append((opened, m.end()))
            opened = None
    if opened is not None:
        blocks.append((opened, end))
    return blocks


def _title_case(words: list[str]) -> bool:
    return sum(w[:1].isupper() for w in words) >= 0.6 * len(words)


def _split_line(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    line = text[start:end]
    row = is_record(line)
    bullet = _BULLET.match(line)
    offset = bullet.end() if bullet else 0
    cursor = offset
    for m in _BOUNDARY.finditer(line, offset):
        if _is_abbreviation(line[cursor : m.end()]):
            continue
        if row and line[m.end() : m.end() + 1].isdigit():
            continue  # a table row's cell holding two figures: "Up to $6,715. 40 work-hours…" ends nothing
        _emit(text, start + cursor, start + m.end(), out)
        cursor = m.end()
    _emit(text, start + cursor, end, out)


def _is_abbreviation(piece: str) -> bool:
    m = _WORD_BEFORE.search(piece)
    if not m:
        return False
    word = m.group(1).lower()
    if word in _ABBREVIATIONS:
        return True
    # An initial such as "J. Smith", or a dotted acronym such as "U.S."
    return len(word.replace(".", "")) == 1 or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))


def _emit(text: str, a: int, b: int, out: list[tuple[int, int]]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a and any(ch.isalnum() for ch in text[a:b]):
        out.append((a, b))


def is_record(line: str) -> bool:
    """True for a table row written as "Header: value; Header: value" (one row, one sentence)."""
    return bool(_RECORD.match(line.strip()))


def is_statement(sentence: str) -> bool:
    """True for a sentence worth citing as an answer: not a heading, not a question.

    A table row is one: it states a fact ("Country: Japan; 2025: 3.4") without prose punctuation;
    so is a form's labelled value ("Date of incident: 01/09/2015", "RECORDS RETURNED: 983"). A
    line printed in capitals is judged by its words, since its capitals say nothing of a heading.
    """
    s = sentence.rstrip()
    if is_record(s) or is_labelled_value(s):
        return True
    if s.endswith("?") or len(s) < 20:
        return False
    words = s.split()
    if len(words) < 4:
        return False
    ends_like_prose = s[-1] in ".!…\"'”’)]:;"
    if ends_like_prose:
        return True
    if not any(ch.islower() for ch in s):
        return len(words) >= CAPITALS_PROSE_WORDS
    if len(words) >= LISTING_WORDS and sum(any(ch.isdigit() for ch in w) for w in words) >= LISTING_FIGURES:
        return True  # a listing's row ("PISTOL SEMI-AUTOMATIC CARL WALTHER PPK 7.65 FOUND … 832229 …")
    # Without closing punctuation, only a long line that is not in Title Case (a heading) reads as prose.
    capitalised = sum(1 for w in words if w[:1].isupper())
    return len(words) >= 12 and capitalised < 0.6 * len(words)


CAPITALS_PROSE_WORDS = 6
"""A line in capitals without closing punctuation states something from this many words ("327
BALLOTS CAST IN PRECINCT ACTON GROUP 13"); a shorter one ("GENERAL PROVISIONS") heads a section."""
LISTING_WORDS = 8
LISTING_FIGURES = 2
"""A line of at least ``LISTING_WORDS`` words holding at least this many figures is a row of a
printed listing (a records search, a ledger), not a heading, whatever its case or punctuation."""
_LABELLED = re.compile(r"^(?P<label>[^:;\n]{2,60}):[ \t]+(?P<value>[^;\n]*\w[^;\n]*)$")
LABEL_WORDS = 6


def is_labelled_value(line: str) -> bool:
    """A form's printed label and its value on one line ("Agency: Department of Children and
    Families", "NUMBER OF RECORDS RETURNED: 983"): the label short, the value present."""
    m = _LABELLED.match(line.strip())
    return m is not None and len(m.group("label").split()) <= LABEL_WORDS
