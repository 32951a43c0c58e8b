"""Facts the tree holds outside any one class: the packages and their modules (with the layers
``tests/test_architecture.MAY_IMPORT`` allows), module constants, the gates the Makefile runs,
and the bench harness's steps."""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from pathlib import Path

from docgen import ROOT
from docgen.markdown import first_paragraph, resolve, table


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


def constants_table(entries: Sequence[tuple[str, str]]) -> str:
    """Module constants with their values, read from the code, beside what each one bounds."""
    rows = []
    for dotted, what in entries:
        value = resolve(dotted)
        shown = f"{value / 2**20:,.0f} MB" if dotted.endswith("_BYTES") else f"{value:,}"
        rows.append((shown, what, f"`{dotted}`"))
    return table(["Limit", "What it bounds", "Set by"], rows) + "\n"


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
