"""Document text is data, never terminal instructions.

Control characters (including ESC, which starts ANSI sequences) are replaced by visible
symbols before any text reaches a terminal; the citation offsets are unaffected because
only the displayed copy changes, one character for one character.
"""

from __future__ import annotations

import re

_REPLACEMENTS = {i: 0x2400 + i for i in range(0x20)}  # U+2400.. "Control Pictures": ␀ ␁ … ␛ …
_REPLACEMENTS[0x7F] = 0x2421  # ␡
for _keep in (0x09, 0x0A):  # tab and newline are layout, not control
    _REPLACEMENTS.pop(_keep)
for _c1 in range(0x80, 0xA0):  # C1 controls, e.g. the single-byte CSI
    _REPLACEMENTS[_c1] = 0xFFFD


def printable(text: str) -> str:
    """Same length as ``text``, with every control character made visible and inert."""
    return text.translate(_REPLACEMENTS)


_LOG_UNSAFE = re.compile("[\\\\\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff"
                         "\ud800-\udfff]")


def escaped(text: str) -> str:
    """``text`` for a log line: every control character (newline included), line separator,
    bidirectional override and lone surrogate written as a backslash escape (``\\n``,
    ``\\x1b``, ``\\u202e``), and a backslash as two. One log line stays one line, and what a
    client sent can neither forge another line nor drive the terminal reading the log."""
    return _LOG_UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\\":
        return "\\\\"
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
    if named:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
