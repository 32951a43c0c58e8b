"""What an answer's sentences are, beyond whether the evidence is among them (issue 25).

- ``cited_reference_entries``: cited spans that are entries of a reference list, judged by a
  test of this module's own (authors with initials and a year, "et al." with a year, a
  journal's volume and pages, a DOI): not the product's recogniser, so a miss of the product's
  shows here.
- ``off_subject_support``: the share of answers of two or more citations in which a supporting
  citation shares none of the lead's subject words (the question's content words the lead
  holds): filler such as "CDC also is developing a serology test for COVID-19."
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

_AUTHORS_FIRST = re.compile(  # "Frost WH." "Cereda, D. et al. The…" "[3] Smith J, Doe A." with a year after
    r"^\W{0,3}(?:\[\d+\]|\d{1,3}\.)?\s*[A-Z][a-z'-]+,?\s+(?:(?:[A-Z]\.?\s?){1,3}[,.]|(?:[A-Z]\.?\s?){0,3}et al\b\.?)"
    r"(?=.*\b(?:19|20)\d{2}\b)")
_PROSE_AFTER = re.compile(r"\bet al\b\.?,?\s*(?:\(\s*(?:19|20)\d{2}\s*\))?\s+[a-z]")  # "Wang et al. developed…"
_BIBLIOGRAPHIC = re.compile(r"\b(?:19|20)\d{2}\s*;\s*\d+|\bdoi\s*[:.]\s*10\.|\b\d+\s*\(\d+\)\s*:\s*\d+")
_ASIDE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")  # "(Schountz et al., 2017)": prose citing, not an entry


def looks_like_reference_entry(text: str) -> bool:
    if _AUTHORS_FIRST.search(text) and not _PROSE_AFTER.search(text):
        return True
    return bool(_BIBLIOGRAPHIC.search(_ASIDE.sub(" ", text)))


def _content(text: str, asking: frozenset[str]) -> set[str]:
    from assistant.text.analyser import analyze

    return {t for t in analyze([text])[0] if t not in asking}


def quality(results: Sequence[Any]) -> dict[str, Any]:
    """``results``: ``evaluation.CaseResult``s."""
    from assistant.answer.coverage import asking_words

    asking = asking_words()
    answered = [r for r in results if not r.answer.abstained]
    citations = [c for r in answered for c in r.answer.citations]
    entries = [c.text for c in citations if looks_like_reference_entry(c.text)]
    multi = [r for r in answered if len(r.answer.citations) >= 2]
    off = 0
    for r in multi:
        lead = r.answer.citations[0]
        subject = _content(r.case.question, asking) & _content(lead.text, asking)
        if subject and any(not (_content(c.text, asking) & subject) for c in r.answer.citations[1:]):
            off += 1
    return {
        "answers": len(answered),
        "citations": len(citations),
        "cited_reference_entries": len(entries),
        "cited_reference_entry_examples": [" ".join(t.split())[:160] for t in entries[:3]],
        "answers_with_support": len(multi),
        "off_subject_support": round(off / len(answered), 4) if answered else None,
        "one_sentence_answers": round(sum(len(r.answer.citations) == 1 for r in answered) / len(answered), 4)
        if answered else None,
    }
