"""What a page mentions, held to the tree: relative links and their anchors, paths such as
``assistant/answer/engine.py``, dotted names such as ``assistant.answer.coverage.absent_terms``
(or ``coverage.absent_terms``, by a module's own name), ``BRIEFING_*`` variables, ``briefing``
command lines and their options, ``make`` targets and ``python -m`` modules.

The tree is read with ``ast`` (nothing imported but the CLI's command tree and the settings).
"""

from __future__ import annotations

import ast
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen import ROOT, pages
from docgen.cli_ref import command_tree
from docgen.markdown import slug


def anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    in_fence = False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
        m = re.match(r"^(#{1,6})\s+(.*)$", line)
        if m and not in_fence:
            anchor = slug(m[2])
            n = seen.get(anchor, 0)
            seen[anchor] = n + 1
            out.add(anchor if n == 0 else f"{anchor}-{n}")
    return out


LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)|<img [^>]*src=\"([^\"]+)\"")


def broken_links(page: Path, text: str) -> list[str]:
    """Relative links of ``text`` (written in ``page``) to a missing file or heading."""
    problems = []
    for m in LINK.finditer(text):
        target = m[1] or m[2]
        if re.match(r"^[a-z]+:", target):
            continue
        file_part, _, anchor = target.partition("#")
        where = (page.parent / file_part).resolve() if file_part else page
        if not where.exists():
            problems.append(f"link to {target}: no such file")
        elif anchor and where.suffix == ".md" and anchor not in anchors(where):
            problems.append(f"link to {target}: no heading #{anchor}")
    return problems


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def code_spans(text: str) -> Iterator[str]:
    """Inline code and the lines of fenced blocks: where names and commands are written."""
    fence = False
    for line in text.replace("\\|", "|").splitlines():  # a table cell escapes "|"
        if line.lstrip().startswith("```"):
            fence = not fence
            continue
        if fence:
            yield line
        else:
            yield from re.findall(r"`([^`]+)`", line)


TREE_PATH = re.compile(r"(?<![\w/.:-])((?:assistant|tui|tests|bench|scripts|docs)/[\w./-]*[\w/])(?![<{*\w.-])")

# Folders a checkout makes when it runs (git-ignored), which a page may name.
MADE_BY_RUNS = ("bench/work",)


FILE_SUFFIXES = {"json", "jsonl", "npy", "faiss", "md", "py", "txt", "yaml", "yml", "pdf", "csv", "eml", "mbox",
                 "svg", "log", "docx", "pptx", "xlsx", "html", "htm", "png", "jpg", "tif", "tiff", "markdown", "part",
                 "damaged", "tmp", "sh", "toml", "cfg", "jpeg", "crdownload"}


class CodeIndex:
    """What the tree defines, read with ``ast`` (nothing imported): modules, their top-level
    names, classes and their members."""

    def __init__(self) -> None:
        self.modules: dict[str, Path] = {}
        for top in ("assistant", "tui", "bench", "tests", "scripts"):
            for path in (ROOT / top).rglob("*.py"):
                if "work" in path.relative_to(ROOT).parts[:2]:
                    continue
                dotted = ".".join(path.with_suffix("").relative_to(ROOT).parts).removesuffix(".__init__")
                self.modules[dotted] = path
        self._names: dict[str, dict[str, ast.AST]] = {}
        self.classes: dict[str, list[ast.ClassDef]] = {}
        for dotted in self.modules:
            if dotted.startswith("assistant"):
                for node in self.top_level(dotted).values():
                    if isinstance(node, ast.ClassDef):
                        self.classes.setdefault(node.name, []).append(node)

    def top_level(self, module: str) -> dict[str, ast.AST]:
        if module not in self._names:
            tree = ast.parse(self.modules[module].read_text(encoding="utf-8"))
            names: dict[str, ast.AST] = {}
            for node in tree.body:
                for name in _defined(node):
                    names[name] = node
                if isinstance(node, (ast.If, ast.Try)):
                    for inner in ast.walk(node):
                        for name in _defined(inner):
                            names.setdefault(name, inner)
            self._names[module] = names
        return self._names[module]

    def resolves(self, dotted: str) -> bool:
        """Whether ``a.b.c`` names a module, or a name defined in one (a class's member too)."""
        parts = dotted.split(".")
        for cut in range(len(parts), 0, -1):
            module = ".".join(parts[:cut])
            if module in self.modules:
                rest = parts[cut:]
                if not rest:
                    return True
                node = self.top_level(module).get(rest[0])
                if node is None:
                    sub = f"{module}.{rest[0]}"
                    return sub in self.modules and self.resolves(".".join([sub, *rest[1:]]))
                if len(rest) == 1:
                    return True
                return isinstance(node, ast.ClassDef) and self.has_member(node, rest[1]) and len(rest) == 2
        return False

    def has_member(self, cls: ast.ClassDef, name: str) -> bool:
        for node in cls.body:
            if name in _defined(node):
                return True
        bases = [b.id for b in cls.bases if isinstance(b, ast.Name)]
        known = [c for b in bases for c in self.classes.get(b, [])]
        if len(known) < len(bases):  # a base from a library: cannot tell, so accept
            return True
        return any(self.has_member(c, name) for c in known)

    def short_candidates(self, first: str) -> list[str]:
        """``coverage`` for ``assistant.answer.coverage``: every module or package of that name."""
        return [m for m in self.modules if m.split(".")[-1] == first and m.split(".")[0] in ("assistant", "tui")]


def _defined(node: ast.AST) -> list[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(a.asname or a.name).split(".")[0] for a in node.names]
    return []


DOTTED = re.compile(r"^(?P<name>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?:\(\))?$")


def drifted_names(text: str, code: CodeIndex) -> list[str]:
    """Dotted names, tree paths, ``python -m`` modules and ``make`` targets in ``text`` that the
    tree does not hold."""
    problems: list[str] = []
    for path in sorted(set(TREE_PATH.findall(text))):
        if not (ROOT / path).exists() and not path.startswith(MADE_BY_RUNS):
            problems.append(f"path {path} does not exist")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for span in code_spans(text):
        for module in re.findall(r"python -m ([\w.]+)", span):
            if module not in code.modules:
                problems.append(f"python -m {module}: no such module")
        for target in re.findall(r"(?:^|\s)make ([\w.-]+)", span):
            if not re.search(rf"^{re.escape(target)}\s*:", makefile, re.M):
                problems.append(f"make {target}: no such target")
        m = DOTTED.match(span.strip())
        if not m:
            continue
        name = m["name"]
        parts = name.split(".")
        if parts[-1].lower() in FILE_SUFFIXES:
            continue
        if parts[0] in ("assistant", "tui", "bench", "tests"):
            if not code.resolves(name):
                problems.append(f"`{name}` is not defined in the tree")
        elif parts[0][0].isupper():
            classes = code.classes.get(parts[0])
            if classes and len(parts) == 2 and not any(code.has_member(c, parts[1]) for c in classes):
                problems.append(f"`{name}`: {parts[0]} has no {parts[1]}")
        else:
            candidates = [] if _library(parts[0]) else code.short_candidates(parts[0])
            if candidates and not any(code.resolves(".".join([c, *parts[1:]])) for c in candidates):
                problems.append(f"`{name}` is not defined in the tree")
    return problems


def _library(name: str) -> bool:
    """``torch.onnx.export`` names the library, not ``assistant/embedders/torch.py``."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return False
    tree = tuple(str(ROOT / top) for top in ("assistant", "tui", "bench", "tests", "scripts"))
    return spec is not None and spec.origin is not None and not spec.origin.startswith(tree)


ENV = re.compile(r"\bBRIEFING_[A-Z0-9_]*[A-Z0-9]\b")


def unknown_variables(text: str, known: set[str], source: str) -> list[str]:
    return [f"{v} is neither a setting nor read by the code" for v in sorted(set(ENV.findall(text)))
            if v not in known and v not in source]


def bad_command_lines(text: str, group: Any) -> list[str]:
    """``briefing …`` command lines whose commands or options the CLI does not have."""
    problems = []
    for span in code_spans(text):
        for m in re.finditer(r"(?:^|[\s$/(])briefing((?:[ \t]+[^\s`|;&)]+)*)", span):
            line = m[1].rstrip().removesuffix("\\")
            try:
                tokens = shlex.split(line)
            except ValueError:
                tokens = line.split()
            problem = _check_command(tokens, group)
            if problem:
                problems.append(f"`briefing{m[1]}`: {problem}")
    return problems


def _check_command(tokens: list[str], group: Any) -> str:
    command = group
    path = ["briefing"]
    root_options = {o for p in group.params for o in [*p.opts, *p.secondary_opts]}
    takes_value = {o for p in group.params if not getattr(p, "is_flag", False) for o in p.opts}
    skip = False
    for raw in tokens:
        token = raw.strip("[]")
        if skip:
            skip = False
            continue
        if not token or token in ("...", "…") or token.startswith(("#", "<", "\\")):
            if token.startswith("#"):
                break
            continue
        if token.startswith("--"):
            option = token.split("=")[0]
            options = {o for p in command.params for o in [*p.opts, *p.secondary_opts]} | root_options
            if option not in options:
                return f"{' '.join(path)} has no option {option}"
            skip = command is group and option in takes_value and "=" not in token
            continue
        if token.startswith("-") or token.isupper():  # a short flag, or a placeholder (COMMAND, QUESTION)
            continue
        if hasattr(command, "commands"):
            if token in command.commands:
                command = command.commands[token]
                path.append(token)
                continue
            if command is group:
                return ""  # prose such as "briefing answers…", not a command line
            return f"{' '.join(path)} has no command {token}"
    return ""


@dataclass(frozen=True)
class Known:
    """What the tree holds, gathered once for every page."""

    code: CodeIndex
    commands: Any
    variables: frozenset[str]
    source: str


def known() -> Known:
    from docgen.settings_ref import settings_variables

    code = CodeIndex()
    readers = [p for m, p in code.modules.items() if m.split(".")[0] in ("assistant", "tui", "bench")]
    source = "\n".join(p.read_text(encoding="utf-8") for p in readers)  # what reads a variable
    return Known(code, command_tree(), frozenset(settings_variables()), source)


def page_problems(page: Path, text: str, tree: Known) -> list[str]:
    """Every broken link, missing path, undefined name, unknown variable and bad command line
    in one page's ``text``."""
    found = (broken_links(page, text) + drifted_names(text, tree.code)
             + unknown_variables(text, set(tree.variables), tree.source) + bad_command_lines(text, tree.commands))
    return [f"{_rel(page)}: {p}" for p in found]


def drift() -> list[str]:
    """``page_problems`` of README.md and every page under docs/."""
    tree = known()
    return [p for page in pages() for p in page_problems(page, page.read_text(encoding="utf-8"), tree)]
