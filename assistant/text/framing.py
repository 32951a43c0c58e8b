"""What a question asks, without the words that frame it.

"Summarise: why can chips and rare earths not be separated?", "According to the sources, when
did Trump visit Beijing?" and "Could you please tell me who supports it?" ask what their last
clause asks; the frame ("Summarise:", "According to the sources,", "Could you please tell me")
says how to answer, or where to look, which every question implies. The engine answers the
core (``core``): a "why" is still a why-question, "it" still a follow-up, and the frame's words
neither steer retrieval nor count as the question's subject. The answer still shows the
question as it was asked.
"""

from __future__ import annotations

import re

_FRAMES = [
    re.compile(r"^(?:please|kindly)[\s,]+", re.I),
    re.compile(r"^(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:tell\s+me|let\s+me\s+know|say)\s*[,:]?\s*", re.I),
    re.compile(r"^(?:tell\s+me|let\s+me\s+know|i(?:'d|’d|\s+would)\s+like\s+to\s+know|i\s+want\s+to\s+know)\s*[,:]?\s*",
               re.I),
    re.compile(r"^(?:according\s+to|based\s+on|from|in|going\s+by)\s+(?:the|these|those|our|my|your)?\s*"
               r"(?:sources?|documents?|corpus|files?|texts?|materials?|records?|reports?|articles?|papers?|"
               r"briefings?|notes?)\s*[,:]\s*", re.I),
    re.compile(r"^(?:briefly\s+)?(?:describe|summari[sz]e|characteri[sz]e|outline|explain|list|detail|"
               r"elaborate(?:\s+on)?|discuss|clarify|state|specify|enumerate|identify|give|provide|name|"
               r"answer|question)\s*(?:briefly\s*)?:\s*", re.I),
]


def core(question: str) -> str:
    """``question`` without its leading frames (all of them, in any order), first letter
    capitalised; the question itself when nothing would be left."""
    text = question.strip()
    changed = True
    while changed:
        changed = False
        for frame in _FRAMES:
            m = frame.match(text)
            if m and text[m.end():].strip():
                text = text[m.end():].lstrip()
                changed = True
    if text == question.strip():
        return question
    return text[:1].upper() + text[1:]


POINTING_WORDS = frozenset("this that these those it its they them their theirs he him his she her hers such".split())
"""Words that point back at something said before: a question with one ("Why did they do it?")
follows up the last; a sentence opening with one leans on its predecessor ("This distinction…")."""

QUESTION_WORDS = frozenset(
    """what which who whom whose when where why how does do did is are was were will would can could
    should may might has have had tell me please explain describe mean meaning type types kind kinds use
    used many much more most long often exactly also any some yes you your""".split())
"""Words any question may use, whatever it is about: neither its subject (``coverage``) nor the
content a follow-up carries over (``conversation``)."""
