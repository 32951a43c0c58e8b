"""The documentation's generated parts, in modules by where their facts come from.

``markdown`` (tables and docstrings as Markdown), ``settings_ref`` (the settings model, and any
frozen dataclass of tuning values), ``cli_ref`` (the command tree), ``server_ref`` (routes and MCP
tools), ``tree_ref`` (the package map, constants, the Makefile's gates, the bench steps),
``figures`` (``bench/results``; ``figures_reading`` for how documents are read,
``figures_hostile`` for the server under hostile load), and ``drift`` (links, paths, names, variables and command
lines a page mentions, held to the tree). ``scripts/docs.py`` runs them.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"


def pages() -> list[Path]:
    """The pages the generator writes and checks: the README and everything under docs/."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
