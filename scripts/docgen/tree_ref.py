"""Facts the tree holds outside any one class: the packages and their modules (with the layers
``tests/test_architecture.MAY_IMPORT`` allows), module constants and the limits at Briefing's
edges, the gates the Makefile runs, and the bench harness's steps."""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docgen import ROOT
from docgen.markdown import first_paragraph, resolve, table
from docgen.settings_ref import settings_sections


def _module_doc(path: Path) -> str:
    return first_paragraph(ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))))


def architecture_block() -> str:
    from tests.test_architecture import MAY_IMPORT

    out: list[str] = []
    base = ROOT / "assistant"
    packages = {"root": sorted(p for p in base.glob("*.py") if p.name != "__init__.py")}
    for package in sorted(p for p in base.iterdir() if (p / "__init__.py").exists()):
        packages[package.name] = sorted(p for p in package.rglob("*.py")
                                        if p.name != "__init__.py" or p.parent != package)
    order = [*MAY_IMPORT, *sorted(set(packages) - set(MAY_IMPORT))]
    for name in order:
        if name not in packages:
            continue
        where = "assistant/" if name == "root" else f"assistant/{name}/"
        allowed = MAY_IMPORT.get(name)
        imports = ("may import " + (", ".join(f"`{p}`" for p in sorted(allowed)) if allowed else "nothing of the "
                                    "project") if allowed is not None else "sits on top (not layered)")
        doc = "" if name == "root" else _module_doc(base / name / "__init__.py")
        out += [f"#### `{where}`", "", f"{doc} *It {imports}.*".strip(), ""]
        rows = []
        for path in packages[name]:
            rel = path.relative_to(ROOT).as_posix()
            rows.append((f"`{rel}`", _module_doc(path) or "—"))
        out += [table(["Module", "What it is"], rows), ""]
    return "\n".join(out).rstrip() + "\n"


def _shown(dotted: str, value: Any) -> str:
    """A constant's value as a reader says it: sizes in KB or MB (binary when the code counts in
    powers of two, decimal when it counts in millions, as its messages then do)."""
    if not dotted.endswith("_BYTES"):
        return f"{value:,}"
    if value < 2**20:
        return f"{value / 1024:,.0f} KB"
    return f"{value / 2**20:,.0f} MB" if value % 2**20 == 0 else f"{value / 1e6:,.0f} MB"


def constants_table(entries: Sequence[tuple[str, str]]) -> str:
    """Module constants with their values, read from the code, beside what each one bounds."""
    rows = [(_shown(dotted, resolve(dotted)), what, f"`{dotted}`") for dotted, what in entries]
    return table(["Limit", "What it bounds", "Set by"], rows) + "\n"


def _number(text: str) -> str:
    """A setting's default as the pages write numbers: "1,024", "5 s" (not "5.0")."""
    try:
        value = float(text)
    except ValueError:
        return text
    return f"{value:,.0f}" if value.is_integer() else f"{value:,}"


_UNITS = {"_S": " s", "_KB": " KB", "_MB": " MB", "_CHARS": " characters"}


def limits_table(entries: Sequence[tuple[str, str, str, str]]) -> str:
    """Limits at Briefing's edges: each one's value (a setting's default, read from the settings
    model, or a constant, read from the code), what it bounds, what a user sees when it is
    reached, where it is set and the test that holds it. ``entries`` are (a setting's variable
    or a constant's dotted name, what it bounds, what is seen, the test module)."""
    from assistant.settings import Settings

    defaults = {s.env: s.default for section in settings_sections(Settings) for s in section.settings}
    rows = []
    for source, bounds, reached, held in entries:
        if source in defaults:
            unit = next((u for suffix, u in _UNITS.items() if source.endswith(suffix)), "")
            rows.append((_number(defaults[source].strip("`")) + unit, bounds, reached,
                         f"[`{source}`](settings.md#{source.lower()})", f"`{held}`"))
        else:
            rows.append((_shown(source, resolve(source)), bounds, reached, f"`{source}`", f"`{held}`"))
    return table(["Limit", "What it bounds", "What a user sees when it is reached", "Set by", "Held by"], rows) + "\n"


def make_gates(target: str = "test") -> list[tuple[str, list[str]]]:
    """(golden file, its threshold flags) for each ``briefing eval`` the Makefile's ``target`` runs."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    variables = dict(re.findall(r"^(\w+)\s*[:?]?=\s*(\S+)", text, re.M))
    recipe = re.search(rf"^{target}:.*?\n((?:\t.*\n|#.*\n)*)", text, re.M)
    gates = []
    for line in (recipe[1] if recipe else "").splitlines():
        if not line.startswith("\t") or " eval " not in line:
            continue
        words = re.sub(r"\$\((\w+)\)", lambda m: variables.get(m[1], m[0]), line).split()
        golden = words[words.index("eval") + 1]
        flags = [f"{w} {words[i + 1]}" for i, w in enumerate(words) if w.startswith(("--min-", "--max-"))]
        gates.append((golden, flags))
    return gates


def gates_block() -> str:
    rows = [(f"`{golden}`", ", ".join(f"`{f}`" for f in flags)) for golden, flags in make_gates()]
    return table(["golden file", "gates (`make test` fails when one is not met)"], rows) + "\n"


def bench_steps_block() -> str:
    from bench.run import steps

    rows = [(f"`{step.name}`", step.cost, step.what) for step in steps().values()]
    return table(["step", "cost", "what it measures"], rows) + "\n"
