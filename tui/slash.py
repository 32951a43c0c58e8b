"""Slash commands typed in the question box: each runs the app action its key runs.

``/brief TOPIC`` briefs on the topic at once; ``/brief`` alone asks for one, as Ctrl+B does.
"""

from __future__ import annotations

from dataclasses import dataclass

COMMANDS = {"/new": "new_conversation", "/help": "help", "/export": "export", "/scope": "scope",
            "/docs": "corpus", "/rebuild": "rebuild", "/brief": "brief"}
"""Command -> the name of the app action (``BriefingApp.action_<name>``) it runs."""


@dataclass(frozen=True)
class Slash:
    """What a line starting with ``/`` asks for: an action, a brief on a topic, or nothing known."""

    action: str | None = None
    topic: str | None = None
    unknown: str | None = None
    """The message for a command that does not exist."""


def slash(line: str) -> Slash:
    name, _, rest = line.strip().partition(" ")
    name = name.lower()
    if name == "/brief" and rest.strip():
        return Slash(topic=rest.strip())
    if name in COMMANDS:
        return Slash(action=COMMANDS[name])
    return Slash(unknown=f"Unknown command {line.split()[0]}; try {', '.join(COMMANDS)}")
