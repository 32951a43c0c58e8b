"""Document text is data, never terminal instructions.

Control characters (including ESC, which starts ANSI sequences) are replaced by visible
symbols before any text reaches a terminal; the citation offsets are unaffected because
only the displayed copy changes, one character for one character.
"""

from __future__ import annotations

_REPLACEMENTS = {i: 0x2400 + i for i in range(0x20)}  # U+2400.. "Control Pictures": ␀ ␁ … ␛ …
_REPLACEMENTS[0x7F] = 0x2421  # ␡
for _keep in (0x09, 0x0A):  # tab and newline are layout, not control
    _REPLACEMENTS.pop(_keep)
for _c1 in range(0x80, 0xA0):  # C1 controls, e.g. the single-byte CSI
    _REPLACEMENTS[_c1] = 0xFFFD


def printable(text: str) -> str:
    """Same length as ``text``, with every control character made visible and inert."""
    return text.translate(_REPLACEMENTS)
