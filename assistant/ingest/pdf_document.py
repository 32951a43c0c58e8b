"""A PDF's pages, read one by one (``pdf_layout``), given their roles as one document.

Long because each role (furniture, headings, notes, the title, paragraphs going on across a
page) is decided in one pass over the whole file's paragraphs, and each pass reads what the
passes before it marked.

What a paragraph is depends on the whole file: a line at the top of a page is a running head
when it comes back on other pages (digits folded: "Page 3", "Page 4"); a short paragraph is a
heading when its font is larger or bolder than the body's, or it is numbered as a section, or it
is a line in capitals over body text; the title is the metadata's when that is a real title,
else the first page's largest heading; a paragraph that stops without ending its sentence at
the foot of a column or page goes on in the next one. Page furniture (running heads and feet,
page numbers, typesetting codes, rotated or margin text) is written after its page's body, so it
never splits a paragraph, and marked uncitable with the headings (``structure``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.ingest.paragraphs import (
    Paragraph,
    Vocabulary,
    continues,
    ends_sentence,
    merged,
    starts_mid_sentence,
)
from assistant.ingest.pdf_layout import PageLayout
from assistant.ingest.structure import Block, Role, is_page_number
from assistant.text.dates import only_a_date_or_time

BAND = 0.09
"""Share of the page height at its top and bottom where running heads and feet stand."""
LARGER = 1.15
"""A paragraph whose font is this much larger than the body's is a heading (or the title)."""
MAX_HEADING_WORDS = 20
_NUMBERED = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2})+\.?|\d{1,2}\.?|[IVXLC]{1,6}\.|[A-Z]\.|§+\s*[\d.]+|(?:part|subpart|section|article|"
    r"chapter|title|annex|appendix|schedule)\s+[\dIVXLC]+[A-Z]?\.?)(?=\s|$)", re.I)
_NUMBER_DEPTH = re.compile(r"^\d{1,2}((?:\.\d{1,2})*)")
_DIGITS = re.compile(r"\d+")


@dataclass
class _Para:
    """A paragraph of the document with its page and the role it is given."""

    page: int
    order: int
    paragraph: Paragraph
    text: str
    role: Role = "body"
    level: int = 1
    merged: bool = False
    """Taken into the paragraph before it (the rest of a sentence over a column or page end)."""


@dataclass(frozen=True)
class PdfStructure:
    """The document's blocks, page by page, and the title its layout gives it ("" if none)."""

    pages: tuple[tuple[Block, ...], ...]
    title: str


def assemble(pages: Sequence[PageLayout], tables: Sequence[Sequence[list[str]]], metadata_title: str,
             known: Vocabulary) -> PdfStructure:
    """Roles for every paragraph of ``pages`` and the blocks of each page in reading order;
    ``tables[p][i]`` are the row lines of page ``p``'s table ``i``."""
    paras = [_Para(p, n, item.paragraph, item.paragraph.text)
             for p, page in enumerate(pages) for n, item in enumerate(page.items) if item.paragraph is not None]
    if not paras and not any(page.margin for page in pages):
        return PdfStructure(tuple(tuple(Block("\n".join(rows), "table") for rows in t) for t in tables), "")
    body = _body_font(paras)
    body_size = body.size
    _furniture(paras, pages)
    _headings(paras, body)
    _notes(paras, pages, body_size)
    title = _title(paras, body_size, metadata_title)
    _continue_across(paras, known)
    return PdfStructure(_blocks(pages, paras, tables), title)


@dataclass(frozen=True)
class _Body:
    """How the body text is printed: the size, weight and typeface most characters have."""

    size: float = 10.0
    bold: bool = False
    font: str = ""


def _body_font(paras: list[_Para]) -> _Body:
    sizes: Counter[float] = Counter()
    faces: Counter[str] = Counter()
    bold = 0
    for para in paras:
        for line in para.paragraph.lines:
            sizes[round(line.size * 2) / 2] += len(line.text)
            faces[line.font] += len(line.text)
            bold += len(line.text) if line.bold else 0
    if not sizes:
        return _Body()
    return _Body(sizes.most_common(1)[0][0], bold > 0.5 * sum(sizes.values()), faces.most_common(1)[0][0])


def fold(text: str) -> str:
    """A line as running heads repeat it: case, spacing and numbers folded, a page number at
    either end dropped ("Weekly Bulletin 12", "13 Weekly Bulletin" and "Page 14 Weekly
    Bulletin" are one running head)."""
    words = _DIGITS.sub("#", " ".join(text.lower().split())).split()
    while len(words) > 1 and words[-1].strip("-–—|.()[]") in _FOLIO:
        words.pop()
    while len(words) > 1 and words[0].strip("-–—|.()[]") in _FOLIO:
        words.pop(0)
    return " ".join(words)


_FOLIO = {"#", "", "page", "p", "pg", "of"}


def _furniture(paras: list[_Para], pages: Sequence[PageLayout]) -> None:
    """Running heads and feet, page numbers and typesetting codes become furniture."""
    in_band: dict[int, bool] = {}
    seen: dict[str, set[int]] = {}
    for i, para in enumerate(paras):
        page = pages[para.page]
        p = para.paragraph
        band = p.bottom <= BAND * page.height or p.top >= (1 - BAND) * page.height
        in_band[i] = band and len(p.text.split()) <= 30
        if in_band[i]:
            seen.setdefault(fold(p.text), set()).add(para.page)
    for i, para in enumerate(paras):
        text = para.text.strip()
        if is_page_number(text) or in_band[i] and len(seen.get(fold(text), ())) >= 2:
            para.role = "furniture"  # a number standing alone (a folio, a chapter's big numeral) states nothing


def _capitals(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and sum(ch.isupper() for ch in letters) >= 0.9 * len(letters)


_CAPTION = re.compile(r"^(?:(?:figures?|fig\.|tables?|charts?|exhibits?|maps?|photos?|plates?)\s*[A-Z]?[-\d.]*\d"
                      r"|(?:sources?|notes?)\s*:)", re.I)
"""A caption or a source line ("Figure 7-26.", "Table 2", "Source:"), never a heading."""


def _headings(paras: list[_Para], body: _Body) -> None:
    """Short paragraphs set apart by font (larger, bolder, another typeface), numbering or
    capitals, over body text, become headings, ranked by style; a caption never does."""
    body_size, body_bold = body.size, body.bold
    styles: dict[int, tuple[float, bool, bool, str]] = {}
    for i, para in enumerate(paras):
        if para.role != "body":
            continue
        p = para.paragraph
        text = para.text.strip()
        words = text.split()
        if len(p.lines) > 3 or not 1 <= len(words) <= MAX_HEADING_WORDS or sum(ch.isalpha() for ch in text) < 2:
            continue
        sentence = text[-1] in ".!?;," and len(words) > 8
        under = _text_under(paras, i)
        followed = under is not None and under.paragraph.size <= p.size + 0.1
        # larger than the body, and than the text it stands over (an agenda's items in 10 pt over
        # 10 pt notes are not headings because the boilerplate above them is in 8 pt)
        larger = p.size >= LARGER * body_size and (under is None and i == _first_on_page(paras, i)
                                                   or under is not None and p.size >= LARGER * under.paragraph.size)
        bold = p.bold and not body_bold
        caps = _capitals(text) and len(words) <= 12
        numbered = bool(_NUMBERED.match(text)) and len(words) <= 12 and text[-1] not in ".;,:" and len(words) >= 2
        if sentence or _CAPTION.match(text) or not _heading_shaped(text, paras, i, larger):
            continue
        typeface = bool(p.font) and bool(body.font) and p.font != body.font and text[-1] not in ".;,"
        if larger or ((bold or typeface) and followed) or (caps and followed) or \
                (numbered and followed and (bold or caps or larger or "." in words[0][:-1])):
            para.role = "heading"
            styles[i] = (round(p.size), bold or p.bold, caps, p.font if typeface else "")
    _not_runs(paras, styles, body_size)
    ranked = sorted(set(styles.values()), key=lambda s: (-s[0], not s[1], not s[2], s[3]))
    for i, style in styles.items():
        depth = _NUMBER_DEPTH.match(paras[i].text.strip())
        extra = depth.group(1).count(".") if depth else 0
        paras[i].level = ranked.index(style) + 1 + extra


MAX_HEADING_RUN = 3
"""Headings of one style in a row beyond which they are a bold block (code, a list), not headings."""


def _not_runs(paras: list[_Para], styles: dict[int, tuple[float, bool, bool, str]], body_size: float) -> None:
    """Runs of three or more same-style short lines are body text, unless they are in bold
    capitals or bold and larger than the body (a title block): headings head text, they do
    not follow one another by the dozen (a program listing in bold, an address block, a list)."""
    def plain(style: tuple[float, bool, bool, str] | None, k: int) -> bool:
        return style is not None and not (style[1] and (style[2] or paras[k].paragraph.size >= LARGER * body_size))

    i = 0
    while i < len(paras):
        j = i
        while j < len(paras) and j in styles and styles[j] == styles.get(i) and plain(styles[j], j):
            j += 1
        if j - i >= MAX_HEADING_RUN:
            for k in range(i, j):
                paras[k].role = "body"
                del styles[k]
        i = max(j, i + 1)


HEADING_BLOCK = 6
"""Lines a heading block may stack (agency, sub-agency, part, docket, title) over its text."""
_LABELLED = re.compile(r":\s+\S")
_SENTENCE_INSIDE = re.compile(r"[a-z)][.!?]\s+[A-Z]")
_OPEN_END = re.compile(r"\b(?:and|or|but|nor|the|a|an|of|to|in|on|at|by|for|from|with|as|into|than|that|which|"
                       r"pursuant|per|via)$", re.I)


def _heading_shaped(text: str, paras: list[_Para], i: int, larger: bool) -> bool:
    """A heading does not hold a sentence's end and the next one's start, nor stop on "and" or
    "of" or a comma, nor have its sentence go on in the next paragraph (which then opens in lower case).
    Nor is it a row of figures (a table's row in bold: "Deficit …… 1,087 901") or, unless it is
    printed larger, a label with its value ("Agency: Bureau of Child Welfare", "2.1: Integrate
    federal disruption activities"): those are facts, and must stay citable."""
    if _SENTENCE_INSIDE.search(text) or _OPEN_END.search(text.rstrip(" ,;–—-")) or text.rstrip().endswith(","):
        return False  # "Lance T. Gant," runs on into "Director, …": a signature, not a heading
    tokens = text.split()
    figures = sum(1 for t in tokens[1:] if any(ch.isdigit() for ch in t))
    if figures >= 2 and figures > 0.3 * len(tokens):
        return False
    if not larger and _LABELLED.search(text) or only_a_date_or_time(text):
        return False  # a date or time printed large ("7:30 a.m." under a meeting's date) is a value
    after = next((p for p in paras[i + 1 : i + 3] if p.role not in ("furniture", "note")), None)
    return after is None or not starts_mid_sentence(after.text)


def _first_on_page(paras: list[_Para], i: int) -> int:
    return next(n for n, p in enumerate(paras) if p.page == paras[i].page)


def _text_under(paras: list[_Para], i: int) -> _Para | None:
    """The running text (a paragraph of two lines or more, or of a dozen words) that follows
    ``paras[i]`` within a heading block's reach, if any."""
    for para in paras[i + 1 : i + 1 + HEADING_BLOCK]:
        if para.role in ("furniture", "note"):
            continue
        if _is_text(para):
            return para
    return None


def _is_text(para: _Para) -> bool:
    """Running text: two lines or more, or a dozen words, not all in bold (a docket line in bold
    over two lines belongs to the heading block)."""
    return (len(para.paragraph.lines) >= 2 or len(para.text.split()) >= 12) and not para.paragraph.bold


def _notes(paras: list[_Para], pages: Sequence[PageLayout], body_size: float) -> None:
    """Footnotes (smaller print at the foot of the page, below all of its body text) are kept
    out of the flow, so a paragraph that goes on over the page is not split by them."""
    by_page: dict[int, list[_Para]] = {}
    for para in paras:
        by_page.setdefault(para.page, []).append(para)
    for page, own in by_page.items():
        body = [p.paragraph for p in own if p.role == "body" and p.paragraph.size > 0.9 * body_size]
        for para in own:
            p = para.paragraph
            if para.role != "body" or p.size > 0.9 * body_size or p.top < 0.5 * pages[page].height:
                continue
            above = [b for b in body if b.x0 < p.x1 and p.x0 < b.x1]  # the body text of its column
            if above and all(b.bottom <= p.top + 1 for b in above):
                para.role = "note"  # small print under its column's text: a footnote


_NOT_A_TITLE = re.compile(
    r"^(?:untitled|title|document\d*|doc\d*|slide \d+|powerpoint presentation|microsoft word|"
    r"presentation\d*|new document|none|null|unknown|template)$"
    r"|^(?:microsoft (?:word|powerpoint|excel)|word|acrobat|adobe|untitled)\s*[-–—:]"
    r"|\.(?:docx?|pdf|indd|tex|dvi|ps|qxd|qxp|rtf|odt|pptx?|xlsx?|html?|txt|wpd|pub|eps|ai|fm|sgm|xml)\b"
    r"|^\S+\.[A-Za-z0-9]{2,4}$"
    r"|^[\w-]+_[\w-]+$|^[\w-]*\d[\w-]*$|^[a-z]:\\|^/",
    re.I)


def real_title(title: str) -> str:
    """The metadata title when it names the document: not empty or a placeholder ("untitled",
    "Microsoft Word - report.docx"), not a file name or a path, not a code."""
    title = " ".join((title or "").split())
    if len(title) < 3 or sum(ch.isalpha() for ch in title) < 3 or _NOT_A_TITLE.search(title):
        return ""
    return title


def _title(paras: list[_Para], body_size: float, metadata_title: str) -> str:
    """The metadata title when it is real, else the first page's title block: its largest
    heading when one is printed larger than the body (that heading is then the title block,
    uncitable and no section of its own), or else the heading that stands last over the first
    body text after the page's first heading ("Airworthiness Directives; The Boeing Company
    Airplanes" under "DEPARTMENT OF TRANSPORTATION", "14 CFR Part 39" and the docket line).
    A numbered section's heading is never the title."""
    own = real_title(metadata_title)
    first_page = min((q.page for q in paras if q.role in ("heading", "body")), default=0)
    page = [p for p in paras if p.page == first_page and p.role in ("heading", "body")]
    headings = [p for p in page if p.role == "heading" and not _NUMBERED.match(p.text)]
    larger = [p for p in headings if p.paragraph.size >= LARGER * body_size]
    if larger:
        biggest = max(larger, key=lambda p: (round(p.paragraph.size * 2), p.paragraph.bold))
        style = (round(biggest.paragraph.size * 2), biggest.paragraph.bold)
        if not any(p is not biggest and p.role == "heading" and (round(p.paragraph.size * 2), p.paragraph.bold) == style
                   for p in paras):
            biggest.role = "title"  # printed once, larger than all else: the title block
        # else it heads the first of several sections printed alike (the first notice of a register)
        return own or " ".join(biggest.text.split())[:160]
    if own or not headings:
        return own
    started = False
    last: _Para | None = None
    for para in page:
        if para.role == "heading":
            started = True
            if not _NUMBERED.match(para.text) and para.paragraph.size >= body_size - 0.25:
                last = para
        elif started and last is not None and _is_text(para):
            break  # the text under the title block
    return " ".join(last.text.split())[:160] if last is not None else ""


def _continue_across(paras: list[_Para], known: Vocabulary) -> None:
    """A body paragraph that the next body paragraph (next column, next page) continues takes it
    in; the joined one stays on the page where it started. Footnotes go on in the next footnote
    the same way (a long note runs from the foot of one column into the next)."""
    flow = [p for p in paras if p.role == "body"]
    starts = [b for a, b in zip(flow, flow[1:], strict=False)  # paragraphs after a finished one
              if len(b.paragraph.lines) >= 2 and ends_sentence(a.text)]
    indents = len(starts) >= MIN_INDENTED and sum(p.paragraph.indented for p in starts) >= INDENTED_SHARE * len(starts)
    _continue_flow([p for p in paras if p.role not in ("furniture", "note")], "body", known, indents)
    _continue_flow([p for p in paras if p.role == "note"], "note", known, False)


MIN_INDENTED = 6
INDENTED_SHARE = 0.6
"""A document whose paragraphs of two lines or more mostly start indented marks a new
paragraph by its indent; one that starts a column flush left goes on from the column before."""


MAX_ASIDES = 40
"""Short lines (a figure's labels, a sidebar's items, a date at a column's head) that may stand
between the halves of a sentence that goes on in lower case after them."""


def _continue_flow(flow: list[_Para], role: str, known: Vocabulary, indents: bool) -> None:
    previous: _Para | None = None
    for n, para in enumerate(flow):
        if para.merged:
            continue
        if previous is not None and para.role == role and continues(previous.paragraph, para.paragraph, indents):
            _take(previous, para, known)
            continue
        if previous is not None and _aside(para.paragraph, previous.paragraph):
            later = _rest_after_asides(flow, n, role, previous.paragraph)
            if later is not None and continues(previous.paragraph, later.paragraph):
                _take(previous, later, known)  # the asides stay where they are, after it
                continue
        previous = para if para.role == role else None


def _rest_after_asides(flow: list[_Para], n: int, role: str, before: Paragraph) -> _Para | None:
    """The first paragraph of ``role`` after the asides from ``flow[n]`` on, when it opens in
    lower case (the rest of a sentence) and no more than ``MAX_ASIDES`` asides come first."""
    for para in flow[n : n + MAX_ASIDES + 1]:
        if para.merged:
            continue
        if para.role == role and not _aside(para.paragraph, before):
            return para if starts_mid_sentence(para.text) else None
        if not _aside(para.paragraph, before):
            return None
    return None


def _aside(paragraph: Paragraph, before: Paragraph) -> bool:
    """A line or two set between a paragraph's halves (a figure's labels, a sidebar's items, a
    date at a column's head), not their continuation: a single line, or two narrower than the
    paragraph or in smaller print, not opening in lower case itself."""
    if len(paragraph.lines) > 2 or starts_mid_sentence(paragraph.text):
        return False
    narrow = paragraph.x1 - paragraph.x0 < 0.7 * (before.x1 - before.x0)
    return len(paragraph.lines) == 1 or narrow or paragraph.size < 0.9 * before.size or not paragraph.full_last_line


def _take(into: _Para, other: _Para, known: Vocabulary) -> None:
    into.paragraph = merged(into.paragraph, other.paragraph, known)
    into.text = into.paragraph.text
    other.merged = True


def _blocks(pages: Sequence[PageLayout], paras: list[_Para], tables: Sequence[Sequence[list[str]]]) -> \
        tuple[tuple[Block, ...], ...]:
    by_place = {(p.page, p.order): p for p in paras}
    out = []
    for n, page in enumerate(pages):
        body: list[Block] = []
        notes: list[Block] = []
        furniture: list[Block] = []
        for order, item in enumerate(page.items):
            if item.paragraph is None:
                rows = tables[n][item.table] if n < len(tables) and item.table < len(tables[n]) else []
                if rows:
                    body.append(Block("\n".join(rows), "table"))
                continue
            para = by_place[(n, order)]
            if para.merged:
                continue
            block = Block(para.text, para.role, para.level)
            (furniture if para.role == "furniture" else notes if para.role == "note" else body).append(block)
        furniture.extend(Block(text, "furniture") for text in page.margin)
        out.append(tuple(body + notes + furniture))
    return tuple(out)
