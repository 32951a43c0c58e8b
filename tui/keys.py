"""The help screen's key table, made from the bindings themselves so it cannot drift.

Each section is a widget or screen's ``BINDINGS``; a binding's ``tooltip`` is its longer
explanation (the footer shows the short ``description``). Bindings that share a description
(``1``…``9``: open that citation) become one row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from textual.binding import Binding, BindingType

KeyDisplay = Callable[[Binding], str]


def _keys(binding: Binding, display: KeyDisplay) -> list[str]:
    return [display(Binding(key.strip(), binding.action)) for key in binding.key.split(",")]


def _joined(keys: list[str]) -> str:
    if len(keys) > 2 and all(k.isdigit() and len(k) == 1 for k in keys):
        return f"{keys[0]}–{keys[-1]}"
    return " or ".join(dict.fromkeys(keys))


def key_rows(bindings: Iterable[BindingType], display: KeyDisplay) -> list[tuple[str, str]]:
    """(keys, what they do) for every binding that has a description, merged by description."""
    rows: dict[str, list[str]] = {}
    for binding in bindings:
        if not isinstance(binding, Binding) or not binding.description:
            continue
        text = binding.tooltip or binding.description
        rows.setdefault(text, []).extend(_keys(binding, display))
    return [(_joined(keys), text) for text, keys in rows.items()]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def help_markdown(sections: Sequence[tuple[str, Iterable[BindingType]]], display: KeyDisplay, intro: str) -> str:
    lines = [intro, ""]
    for title, bindings in sections:
        rows = key_rows(bindings, display)
        if not rows:
            continue
        lines += [f"## {title}", "", "| Key | Action |", "|---|---|"]
        lines += [f"| {_cell(keys)} | {_cell(text)} |" for keys, text in rows]
        lines.append("")
    return "\n".join(lines)
