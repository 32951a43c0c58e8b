"""Rules of the code's shape: no import cycles, and the core never imports the UI."""

from __future__ import annotations

import ast

from tests.helpers import ROOT


def _imports() -> dict[str, set[str]]:
    """Module -> project modules it imports (function-level imports included)."""
    modules = {}
    for path in [*ROOT.glob("assistant/**/*.py"), *ROOT.glob("tui/**/*.py")]:
        name = ".".join(path.with_suffix("").relative_to(ROOT).parts).removesuffix(".__init__")
        modules[name] = path
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                targets = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            graph[name] |= {t for t in targets if t in modules and t != name}
    return graph


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            todo.extend(graph[node])
    return False


def test_no_module_imports_one_that_imports_it_back():
    graph = _imports()
    cycles = sorted({tuple(sorted((a, b))) for a in graph for b in graph[a] if _reaches(graph, b, a)})
    assert cycles == []


def test_the_cycle_check_sees_a_cycle():
    assert _reaches({"a": {"b"}, "b": {"a"}}, "b", "a")


def test_the_core_never_imports_textual_or_the_tui():
    """``assistant/cli`` is an entry point like ``tui/`` (``briefing`` alone opens the TUI)."""
    for path in ROOT.glob("assistant/**/*.py"):
        if path.is_relative_to(ROOT / "assistant" / "cli"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] in ("textual", "tui") for n in names), path


def test_only_the_ray_build_imports_ray():
    """Ray is an optional extra: every other module works without it installed."""
    importers = set()
    for path in [*ROOT.glob("assistant/**/*.py"), *ROOT.glob("tui/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] == "ray" for n in names):
                importers.add(path.relative_to(ROOT).as_posix())
    assert importers == {"assistant/ray_build.py"}


def test_the_tui_sees_the_index_only_through_the_snapshot_view():
    """The TUI lists, scopes and counts documents through ``IndexSnapshot.documents`` and
    ``passage_count``; the index's manifest and chunk table are the core's business."""
    import re

    offenders = []
    for path in sorted((ROOT / "tui").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for pattern in (r"\.manifest\b", r"\bengine\.index\b", r"\bsnap\.index\b", r"\.index\.chunks\b"):
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in re.finditer(pattern, text)]
    assert offenders == []
