"""What parsing libraries complain about while reading a file, kept as that file's notes.

pypdf, pdfminer.six and their kin log a warning for every odd font or broken cross-reference
they meet, some with a whole font dictionary in it; a build over real PDFs printed pages of
them to the terminal. While a file is converted (``captured``), their log records and Python
warnings are counted instead, by library and kind, and summed up in one note per kind
("pypdf: 14× fontTools is required to fully parse the encoding of a CFF Type1 font …").

Builds convert files in several threads (and Ray workers, each its own process): a capture
belongs to the thread that opened it (``threading.local``), and a record from any other thread
goes where it went before (the root logger's handlers, or Python's last resort).
"""

from __future__ import annotations

import logging
import re
import threading
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

LIBRARIES = ("pypdf", "pdfminer", "pdfplumber", "pypdfium2", "PIL", "fontTools", "docx", "pptx", "openpyxl",
             "selectolax", "pytesseract", "charset_normalizer")
"""Loggers (and their children) whose records a capture takes."""
MAX_KINDS = 5
"""Kinds of warning noted per file; more are counted in one last note."""
SHOWN_CHARS = 120
_local = threading.local()
_installed = False
_install_lock = threading.Lock()
_fallback = warnings.showwarning
_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdrfxXeEgGci]|\{[^{}]*\}")
_NUMBER = re.compile(r"\d+")


class Caught:
    """The warnings counted during one capture, by (library, kind)."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()

    def add(self, library: str, message: str) -> None:
        kind = " ".join(_NUMBER.sub("N", _PLACEHOLDER.sub("…", message)).split())
        if len(kind) > SHOWN_CHARS:
            kind = kind[: SHOWN_CHARS - 1].rstrip() + "…"
        self.counts[(library, kind)] += 1

    def notes(self) -> list[str]:
        """One line per kind, the most frequent first."""
        ranked = self.counts.most_common()
        lines = [f"{library} warned {n}×: {kind}" if n > 1 else f"{library} warned: {kind}"
                 for (library, kind), n in ranked[:MAX_KINDS]]
        rest = ranked[MAX_KINDS:]
        if rest:
            lines.append(f"{sum(n for _, n in rest)} more library warnings of {len(rest)} other kinds")
        return lines


class _Router(logging.Handler):
    """Sends a library's log record to the capture open in its thread, or on as before."""

    def emit(self, record: logging.LogRecord) -> None:
        caught: Caught | None = getattr(_local, "caught", None)
        if caught is not None:
            template = record.msg if isinstance(record.msg, str) else str(record.msg)
            caught.add(record.name.split(".")[0], template)
            return
        logging.getLogger().handle(record)


def _showwarning(message: Any, category: type[Warning], filename: str, lineno: int, file: Any = None,
                 line: str | None = None) -> None:
    caught: Caught | None = getattr(_local, "caught", None)
    if caught is not None:
        library = filename.replace("\\", "/").split("site-packages/")[-1].split("/")[0] or category.__name__
        caught.add(library, f"{category.__name__}: {message}")
        return
    _fallback(message, category, filename, lineno, file, line)


def _install() -> None:
    """Route the libraries' loggers through ``_Router`` (once) and Python's warnings through
    ``_showwarning`` (again whenever something, a test runner's recorder, has replaced it; what
    was there stays where warnings from other threads go)."""
    global _installed, _fallback
    with _install_lock:
        if not _installed:
            router = _Router(level=logging.WARNING)
            for name in LIBRARIES:
                logger = logging.getLogger(name)
                logger.addHandler(router)
                logger.propagate = False
            _installed = True
        if warnings.showwarning is not _showwarning:
            _fallback = warnings.showwarning
            warnings.showwarning = _showwarning


@contextmanager
def captured() -> Iterator[Caught]:
    """Count the libraries' warnings raised in this thread until the block ends."""
    _install()
    outer = getattr(_local, "caught", None)
    caught = Caught()
    _local.caught = caught
    try:
        yield caught
    finally:
        _local.caught = outer
