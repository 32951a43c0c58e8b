"""Rules of the code's shape: packages import only the layers beneath them (``MAY_IMPORT``),
no import cycles, and the core never imports the UI."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

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


MAY_IMPORT: dict[str, set[str]] = {
    "root": set(),
    "text": {"root"},
    "markings": {"root"},
    "ingest": {"text", "markings"},
    "embedders": {"root"},
    "index": {"ingest", "embedders", "text"},
    "retrieval": {"index"},
    "answer": {"retrieval", "index", "embedders", "text"},
    "brief": {"answer"},
    "eval": {"brief", "answer"},
    "export": {"brief", "eval", "index"},
    "server": {"export", "brief", "answer", "index"},
}
"""Each package of ``assistant/`` and the packages it may import directly; what those may import,
it may import too. ``cli`` and ``tui`` sit on top of them all. docs/architecture.md's package map
is generated from this table (``scripts/docs.py``)."""


def _package(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "tui":
        return "tui"
    if len(parts) >= 2 and parts[1] in (*MAY_IMPORT, "cli"):
        return parts[1]
    return "root"  # assistant itself and its top-level modules: types, errors, settings, ...


def _allowed(package: str) -> set[str]:
    if package in ("cli", "tui"):
        return {*MAY_IMPORT, "cli", "tui"}
    seen, todo = {package}, [package]
    while todo:
        for below in MAY_IMPORT[todo.pop()] | {"root"}:
            if below not in seen:
                seen.add(below)
                todo.append(below)
    return seen


def _upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return sorted(f"{a} -> {b}" for a in graph for b in graph[a] if _package(b) not in _allowed(_package(a)))


def test_every_package_imports_only_the_layers_beneath_it():
    graph = _imports()
    assert {_package(m) for m in graph} == {*MAY_IMPORT, "cli", "tui"}  # no package left out of the table
    assert _upward_imports(graph) == []


def test_the_layer_check_sees_an_upward_import():
    assert _upward_imports({"assistant.text.dates": {"assistant.index.store"},
                            "assistant.index.store": {"assistant.text.dates"}}) == [
        "assistant.text.dates -> assistant.index.store"]
    assert _upward_imports({"assistant.retrieval.hybrid": {"assistant.answer.engine"}}) != []
    assert _upward_imports({"assistant.export.brief": {"assistant.text.printable", "assistant.types"}}) == []
    assert _upward_imports({"assistant.types": {"assistant.text.dates"}}) != []
    assert _upward_imports({"assistant.index.store": {"tui.app"}}) != []


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
    assert importers == {"assistant/index/cluster/ray_build.py"}


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


def _private_uses(paths: list[Path]) -> list[str]:
    """Where ``paths`` reach a private name of the product: ``from assistant… import _x`` or
    ``module._x`` on a module imported from ``assistant``."""
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("assistant"):
                for alias in node.names:
                    if alias.name.startswith("_"):
                        found.append(f"{path.name}:{node.lineno} imports {node.module}.{alias.name}")
                    modules.add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                modules |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name.startswith("assistant")}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                    and isinstance(node.value, ast.Name) and node.value.id in modules):
                found.append(f"{path.name}:{node.lineno} uses {node.value.id}.{node.attr}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "setattr":
                target, name = (node.args + [ast.Constant(None), ast.Constant(None)])[:2]
                dotted = target.value if isinstance(target, ast.Constant) and isinstance(target.value, str) else ""
                if dotted.startswith("assistant.") and "._" in dotted:
                    found.append(f"{path.name}:{node.lineno} patches {dotted}")
                elif (isinstance(target, ast.Name) and target.id in modules and isinstance(name, ast.Constant)
                        and str(name.value).startswith("_") and not str(name.value).startswith("__")):
                    found.append(f"{path.name}:{node.lineno} patches {target.id}.{str(name.value)}")
    return found


def test_tests_and_bench_use_only_public_names_of_the_product():
    """Issue 36: a test or a benchmark that reaches a private name breaks when the code is
    tidied; what they need is public."""
    paths = [p for p in (*ROOT.glob("tests/*.py"), *ROOT.glob("bench/*.py")) if p.name != "test_architecture.py"]
    assert _private_uses(paths) == []


def test_the_private_name_check_sees_one(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from assistant.brief.actors import _names\nfrom assistant.ingest import ocr\nocr._cache()\n"
                      "monkeypatch.setattr(ocr, '_tool', None)\nmonkeypatch.setattr('assistant.ingest.ocr._x', 1)\n")
    assert sorted(_private_uses([sample])) == ["sample.py:1 imports assistant.brief.actors._names",
                                               "sample.py:3 uses ocr._cache", "sample.py:4 patches ocr._tool",
                                               "sample.py:5 patches assistant.ingest.ocr._x"]


MODULE_LINE = re.compile(r"^- ``([\w/]+)``: (\S.*)$", re.M)
"""How a package docstring names one of its modules: ``- ``name``: its job.`` on a line of its
own (a subpackage as ``name/``), the convention docs/architecture.md states."""


def _package_list_mismatches(package: Path) -> list[str]:
    """What a package's docstring gets wrong about its modules: one it does not name, and a
    name there that is not one of its modules or subpackages."""
    doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8"))) or ""
    named = {name for name, _job in MODULE_LINE.findall(doc)}
    modules = {p.stem for p in package.glob("*.py") if p.name != "__init__.py"}
    modules |= {f"{p.name}/" for p in package.iterdir() if (p / "__init__.py").exists()}
    where = package.relative_to(ROOT).as_posix()
    return ([f"{where}: {m} is not named in the package docstring" for m in sorted(modules - named)]
            + [f"{where}: {n} is named but is not a module of it" for n in sorted(named - modules)])


def test_every_package_docstring_lists_its_modules():
    """Issue 36: a newcomer reads a package's ``__init__`` to find their way; a module it does
    not name, or a name it keeps after the module moved, sends them the wrong way."""
    packages = sorted(p.parent for p in (*ROOT.glob("assistant/**/__init__.py"), *ROOT.glob("tui/**/__init__.py")))
    assert [m for package in packages for m in _package_list_mismatches(package)] == []


def test_the_module_list_check_sees_a_missing_and_a_stale_name(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "sub" / "__init__.py").write_text("")
    (package / "kept.py").write_text("")
    (package / "unnamed.py").write_text("")
    (package / "__init__.py").write_text('"""A package.\n\n- ``kept``: named.\n- ``sub/``: a subpackage.\n'
                                         '- ``moved``: gone.\n"""\n')
    assert _package_list_mismatches(package) == ["pkg: unnamed is not named in the package docstring",
                                                  "pkg: moved is named but is not a module of it"]


LONG_MODULE = 400
"""Lines past which a module says why it is long (issue 36: small modules with one job)."""
LONG_BECAUSE = "Long because "
"""How a long module's docstring gives its reason: a paragraph of its own opening with these
words, the convention docs/architecture.md states."""


def _long_without_reason(paths: list[Path]) -> list[str]:
    """Modules over ``LONG_MODULE`` lines whose docstring has no "Long because" paragraph, and
    modules no longer long that still give one."""
    found = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        doc = ast.get_docstring(ast.parse(text)) or ""
        says = any(block.strip().startswith(LONG_BECAUSE) for block in doc.split("\n\n"))
        lines = len(text.splitlines())
        if lines > LONG_MODULE and not says:
            found.append(f"{path.name}: {lines} lines and no paragraph saying why")
        elif lines <= LONG_MODULE and says:
            found.append(f"{path.name}: {lines} lines, yet it says why it is long")
    return found


def test_every_long_module_says_why_it_is_long():
    """The product's and its tools' modules (tests aside: a test module is a list of cases)."""
    paths = [p for folder in ("assistant", "tui", "bench", "scripts") for p in (ROOT / folder).rglob("*.py")
             if "work" not in p.relative_to(ROOT).parts]
    assert _long_without_reason(paths) == []


def test_the_long_module_check_sees_one_without_a_reason_and_a_stale_one(tmp_path):
    long_body = "x = 1\n" * LONG_MODULE
    (tmp_path / "silent.py").write_text('"""A module.\n\nIt does one thing."""\n' + long_body)
    (tmp_path / "said.py").write_text('"""A module.\n\nLong because it must be."""\n' + long_body)
    (tmp_path / "stale.py").write_text('"""A module.\n\nLong because it was."""\nx = 1\n')
    assert _long_without_reason(sorted(tmp_path.glob("*.py"))) == [
        f"silent.py: {LONG_MODULE + 3} lines and no paragraph saying why",
        "stale.py: 4 lines, yet it says why it is long"]
