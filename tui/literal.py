"""Data is never markup: the one way document text, titles and file names reach a widget.

Rich/Textual parse ``[bold]`` in plain strings given to ``Static``, ``DataTable`` cells,
selection prompts and notifications; a ``rich.text.Text`` is shown as it is. Control
characters are made visible too (``printable``), so an ESC in a file name cannot drive the
terminal.
"""

from __future__ import annotations

from rich.text import Text

from assistant.text.printable import printable


def literal(text: str) -> Text:
    """``text`` exactly as written, for any widget."""
    return Text(printable(text))
