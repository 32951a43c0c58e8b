"""Settings and tuning values as users and newcomers read them, from the classes themselves.

``settings_sections`` reads a pydantic settings model: each field's variable, type, default,
bounds and docstring; a nested model (issue 36 part 6 splits ``Settings`` into sections) becomes
a section of its own. ``dataclass_table`` reads any frozen dataclass of tuning values (issue 36
part 5): each field's value and the docstring under it.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import textwrap
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.markdown import first_paragraph, paragraphs, resolve, table


@dataclass(frozen=True)
class SettingDoc:
    """One setting as a user sets it."""

    env: str
    field: str
    type: str
    default: str
    allowed: str
    doc: str


@dataclass(frozen=True)
class SettingsSection:
    title: str
    doc: str
    settings: tuple[SettingDoc, ...]


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Literal:
        return "one of " + ", ".join(f'"{a}"' for a in args)
    if args and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return " or ".join(_type_name(a) for a in rest) + " (optional)"
    names = {int: "integer", float: "number", bool: "boolean (1/0, true/false, yes/no, on/off)", str: "text",
             Path: "path"}
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _allowed(field: Any) -> str:
    bounds: dict[str, Any] = {}
    pattern = None
    min_length = None
    for item in field.metadata:
        for name in ("ge", "gt", "le", "lt"):
            if getattr(item, name, None) is not None:
                bounds[name] = getattr(item, name)
        pattern = getattr(item, "pattern", None) or pattern
        min_length = getattr(item, "min_length", None) or min_length
    low = f"≥ {bounds['ge']:,}" if "ge" in bounds else (f"> {bounds['gt']:,}" if "gt" in bounds else "")
    high = f"≤ {bounds['le']:,}" if "le" in bounds else (f"< {bounds['lt']:,}" if "lt" in bounds else "")
    parts = [p for p in (low, high) if p]
    if min_length:
        parts.append(f"at least {min_length} characters")
    if pattern:
        parts.append(f"matching `{pattern}`")
    return ", ".join(parts) or "—"


def _default(field: Any) -> str:
    if field.default_factory is not None:
        return "(computed)"
    value = field.default
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, Path):
        return f"`{value}`"
    if isinstance(value, str):
        return f'`"{value}"`' if value else '`""`'
    return f"`{value}`"


def _env_name(model: type, name: str, field: Any, prefix: str) -> str:
    """The variable a user sets: an explicit alias, else the model's own rule, else the prefix."""
    for alias in (getattr(field, "validation_alias", None), getattr(field, "alias", None)):
        if isinstance(alias, str):
            return alias
        for choice in getattr(alias, "choices", ()):  # AliasChoices: the variable among them
            if isinstance(choice, str) and choice.upper().startswith(prefix):
                return choice
    env_name = getattr(model, "env_name", None)
    if callable(env_name):
        return str(env_name(name))
    config = getattr(model, "model_config", {}) or {}
    return str(config.get("env_prefix", prefix)) + name.upper()


def settings_sections(model: type, title: str = "Settings", prefix: str = "BRIEFING_") -> list[SettingsSection]:
    """Every setting of a pydantic model, a nested model as a section of its own (its title the
    field's docstring's first sentence, or the model's name)."""
    from pydantic import BaseModel

    own: list[SettingDoc] = []
    nested: list[SettingsSection] = []
    for name, field in model.model_fields.items():  # type: ignore[attr-defined]
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            heading = first_paragraph(field.description).split(". ")[0].rstrip(".") or f"Section `{name}`"
            nested += settings_sections(annotation, heading, prefix)
            continue
        own.append(SettingDoc(env=_env_name(model, name, field, prefix), field=name, type=_type_name(annotation),
                              default=_default(field), allowed=_allowed(field),
                              doc=paragraphs(field.description or "(no description)")))
    sections = [SettingsSection(title, first_paragraph(model.__doc__), tuple(own))] if own else []
    return sections + nested


def settings_block() -> str:
    from assistant.settings import Settings

    out: list[str] = []
    for section in settings_sections(Settings):
        out += [f"## {section.title}", ""]
        out += [table(["Variable", "Type", "Default", "Allowed"],
                      [(f"[`{s.env}`](#{s.env.lower()})", s.type, s.default, s.allowed) for s in section.settings]),
                ""]
        for s in section.settings:
            allowed = "" if s.allowed == "—" else f" · allowed: {s.allowed}"
            out += [f"### {s.env}", "", f"`{s.field}` · {s.type} · default {s.default}{allowed}", "", s.doc, ""]
    return "\n".join(out).rstrip() + "\n"


def settings_variables() -> set[str]:
    from assistant.settings import Settings

    return {s.env for section in settings_sections(Settings) for s in section.settings}


def attribute_docstrings(cls: type) -> dict[str, str]:
    """The string literal under each annotated attribute of a class body, by attribute name
    (what pydantic's ``use_attribute_docstrings`` reads, for plain dataclasses)."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return {}
    body = ast.parse(source).body[0]
    assert isinstance(body, ast.ClassDef)
    docs: dict[str, str] = {}
    for node, following in zip(body.body, [*body.body[1:], None], strict=True):
        if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                and isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)):
            docs[node.target.id] = following.value.value
    return docs


def dataclass_table(cls: type) -> str:
    """A frozen dataclass's values: name, value, and the docstring that says why."""
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__name__} is not a dataclass")
    docs = attribute_docstrings(cls)
    instance = cls()
    rows = [(f"`{f.name}`", f"`{getattr(instance, f.name)!r}`", paragraphs(docs.get(f.name, "")) or "—")
            for f in dataclasses.fields(cls)]
    return table(["Value", "Default", "What it does"], rows)


def tuning_block(classes: typing.Sequence[str]) -> str:
    """The tuning tables of ``classes`` (dotted names), or a placeholder while there are none."""
    if not classes:
        return ("*Placeholder.* The tuning values (frozen `AnswerTuning`, `BriefTuning` and retrieval's, issue 36 "
                "part 5) will be listed here, each with its docstring, once they exist: add their dotted names to "
                "`TUNING_CLASSES` in `scripts/docs.py` and run `python scripts/docs.py`.\n")
    out: list[str] = []
    for dotted in classes:
        cls = resolve(dotted)
        out += [f"### `{cls.__name__}`", "", first_paragraph(cls.__doc__), "", dataclass_table(cls), ""]
    return "\n".join(out).rstrip() + "\n"
