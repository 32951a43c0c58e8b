"""A document's apparatus: reference-list entries, figure and table labels, copyright lines.

"[1] Cereda, D. et al. The early phase of the COVID-19 outbreak in Lombardy, Italy." shares
words with a question on COVID-19 in Lombardy, but it states nothing: it names a paper. Such
sentences are recognised when a document is chunked (``chunking``, at build time, where the
whole document is at hand: what lies between a "References" heading and the next heading is
all entries)
and left out of the chunk's citable sentences. Their text stays in the passage, so BM25 still
finds a passage by an author's name or a paper's title; they are never an answer's sentence,
a brief's point, nor part of a passage's pooled vector.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_HEADING = re.compile(
    r"^[ \t]*(?:\d+\.?[ \t]*)?(?:references?|bibliography|literature cited|works cited|reference list|"
    r"references and notes|notes and references|cited literature)[ \t]*:?[ \t]*$",
    re.I | re.M,
)
_AUTHORS = re.compile(  # "Swerdlow DL, Finelli L," "Frost WH." "Cereda, D. et al." "[3] Smith J,"
    r"^\W{0,3}(?:\[\d{1,4}\]|\d{1,4}\.)?\s*(?:[A-Z][\w'’-]+(?:\s+[a-z]{1,3})?,?\s+(?:[A-Z]\.?\s?-?){1,3}[,.;]\s*)+")
_ET_AL = re.compile(r"\bet\s+al\b\.?", re.I)
_YEAR = re.compile(r"\b(?:19|20)\d{2}[a-z]?\b")
_JOURNAL = re.compile(r"\b(?:19|20)\d{2}\s*[;,.]\s*\d+\s*(?:\([\w-]+\))?\s*[:,]\s*[A-Za-z]?\d+"  # 2009;10(7):1258
                      r"|\b\d+\s*\(\d+\)\s*:\s*\d+")
_LINKED = re.compile(r"\bdoi\s*[:.]|\bdoi\.org\b|\bpubmed\b|google scholar|\barxiv\b|\bbiorxiv\b|\bmedrxiv\b|"
                     r"https?://|\bisbn\b|\bpmid\b|\bpmcid\b", re.I)
_IMPRINT = re.compile(r"\((?:[A-Z][\w.]*,?\s+){0,3}[A-Z][\w.]*:\s*[^()]{0,60}\b(?:19|20)\d{2}\)")
"""A publication's place and date in parentheses: "(Washington, D.C.: Sept. 22, 2020)"."""
_FOOTNOTE = re.compile(r"^\d{1,3}\s+(?=[A-Z])")
"""A footnote's number opening its text: "1 GAO, Cybersecurity: …"."""
_LABEL = re.compile(r"^\W{0,2}(?:supplementary\s+|extended\s+data\s+)?(?:fig(?:ure)?s?\.?|tables?|charts?|boxe?s?|"
                    r"schemes?|appendix|plates?)\s*[A-Z]?\d+[a-z]?(?:\s*[-–,]\s*[A-Z]?\d+[a-z]?)?\s*[.:|]", re.I)
_COPYRIGHT = re.compile(r"^\W{0,2}(?:©|\(c\)\s*(?:19|20)\d{2}|copyright\b)|creative commons|all rights reserved", re.I)


def is_reference_entry(sentence: str, in_references: bool = False) -> bool:
    """Whether ``sentence`` is an entry of a list of references: authors' names with initials
    opening it and a year (or "et al.", or a journal's volume and pages), or little but a
    journal's volume and pages, a DOI or a link, or a numbered footnote citing a publication by
    its imprint, a journal's marks or a link. Prose that cites a paper or a web page in
    passing ("…kit (http://…) per the instructions") is a statement. In a references section
    (``in_references``) every sentence is part of an entry."""
    authors = bool(_AUTHORS.match(sentence))
    marked = bool(_JOURNAL.search(sentence)) or bool(_LINKED.search(sentence))
    if in_references:
        return True  # an entry's title ("Origin and evolution of the … gene.") has no marks of its own
    if authors and (marked or _YEAR.search(sentence) or _ET_AL.search(sentence)):
        return True
    if _FOOTNOTE.match(sentence) and (marked or _IMPRINT.search(sentence)):
        return True  # a footnote that cites: "1 GAO, Cybersecurity: …, GAO-20-629 (Washington, D.C.: …, 2020)."
    return marked and _prose_words(sentence) < MIN_PROSE_WORDS


MIN_PROSE_WORDS = 3
"""A sentence with a DOI or a link and fewer words of its own than this is the reference."""
_ASIDE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|https?://\S+|\bdoi\s*[:.]?\s*\S+|\b\d[\d;:,.()-]*\d\b", re.I)


def _prose_words(sentence: str) -> int:
    """Words of ``sentence`` outside parentheses, links, DOIs and numbers."""
    return sum(1 for w in _ASIDE.sub(" ", sentence).split() if any(ch.isalpha() for ch in w))


def is_label(sentence: str) -> bool:
    """Whether ``sentence`` is a figure or table label ("Figure 2. Incidence by week", "Table 1:
    …") or a copyright or licence line."""
    return bool(_LABEL.match(sentence)) or bool(_COPYRIGHT.search(sentence))


_ANY_HEADING = re.compile(r"^[ \t]*[A-Z][^\n.;:]{0,60}[ \t]*$", re.M)
MAX_HEADING_WORDS = 8


def references_sections(text: str) -> list[tuple[int, int]]:
    """Where ``text``'s references sections lie: from a "References" heading to the next heading
    (a short line without a full stop: "Appendix", "Supplementary material"), or the end."""
    out = []
    for m in _HEADING.finditer(text):
        end = len(text)
        for h in _ANY_HEADING.finditer(text, m.end()):
            line = h.group(0).strip()
            if len(line.split()) <= MAX_HEADING_WORDS and not is_reference_entry(line) and not _YEAR.search(line):
                end = h.start()
                break
        out.append((m.end(), end))
    return out


def apparatus(text: str, sentences: Sequence[tuple[int, int]]) -> set[tuple[int, int]]:
    """The spans of ``sentences`` (offsets into ``text``) that are apparatus, not statements."""
    sections = references_sections(text)
    out: set[tuple[int, int]] = set()
    for a, b in sentences:
        sentence = text[a:b]
        in_references = any(start <= a < end for start, end in sections)
        if is_label(sentence) or is_reference_entry(sentence, in_references):
            out.add((a, b))
    return out
