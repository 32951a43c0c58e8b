"""The command line as ``--help`` describes it, read from the typer app's command tree."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from docgen.markdown import first_paragraph, paragraphs, slug, table


def command_tree() -> Any:
    import typer.main

    from assistant.cli.app import app

    return typer.main.get_command(app)


def walk_commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(path, command) for every command under ``group``, in the order they were registered."""
    for name, command in group.commands.items():
        if getattr(command, "hidden", False):
            continue
        yield (*path, name), command
        if hasattr(command, "commands"):
            yield from walk_commands(command, (*path, name))


def _param_value(param: Any, context: Any) -> str:
    if getattr(param, "is_flag", False):
        return ""
    shown = str(param.display_type(context)).strip("<>")
    shown = shown.removeprefix("list[").removesuffix("]")
    return {"str": "text", "int": "integer", "int range": "integer", "float": "number",
            "float range": "number"}.get(shown, shown)


def _param_default(param: Any) -> str:
    default = param.default
    if default is None or default is False or (isinstance(default, (list, tuple)) and not default):
        return ""
    if default is True and param.secondary_opts:
        return f"`{param.opts[0]}`"
    return f"`{getattr(default, 'value', default)}`"


def _param_help(param: Any) -> str:
    text = param.help or ""
    if param.multiple:
        text += " Repeatable." if "repeatable" not in text.lower() else ""
    if getattr(param, "min", None) is not None or getattr(param, "max", None) is not None:
        text += f" From {param.min} to {param.max}."
    return text.strip()


def _usage(path: tuple[str, ...], command: Any) -> str:
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    pieces = ["briefing", *path]
    if hasattr(command, "commands"):
        pieces.append("COMMAND")
    else:
        pieces.append("[OPTIONS]")
    for a in arguments:
        pieces.append(a.name.upper() if a.required else f"[{a.name.upper()}]")
    return " ".join(pieces)


def command_summary(group: Any) -> list[tuple[str, str]]:
    """(usage, first line of help) for the TUI and every command that does something."""
    rows = [("briefing", first_paragraph(group.help) + " " + first_paragraph(group.callback.__doc__))]
    for path, command in walk_commands(group):
        if not hasattr(command, "commands"):
            rows.append((_usage(path, command), first_paragraph(command.help)))
    return rows


def commands_summary_block() -> str:
    return "\n".join(f"- `{usage}`: {text}" for usage, text in command_summary(command_tree())) + "\n"


def _options_table(command: Any, context: Any) -> str:
    rows = []
    for p in command.params:
        if p.param_type_name == "argument":
            name = p.name.upper() + ("" if p.required else " (optional)")
        else:
            name = " / ".join(f"`{o}`" for o in [*p.opts, *p.secondary_opts])
        rows.append((name, _param_value(p, context), _param_default(p), _param_help(p)))
    return table(["Argument or option", "Value", "Default", "Description"], rows)


def commands_block() -> str:
    import typer._click.core as click_core

    group = command_tree()
    context = click_core.Context(group, info_name="briefing")
    out = ["### briefing", "", "`briefing [OPTIONS] [COMMAND]`", "", paragraphs(group.callback.__doc__ or ""), "",
           "Global options (before the command):", "", _options_table(group, context), ""]
    for path, command in walk_commands(group):
        context = click_core.Context(command, info_name=path[-1])
        title = "briefing " + " ".join(path)
        out += [f"### {title}", "", f"`{_usage(path, command)}`", "", paragraphs(command.help or ""), ""]
        if hasattr(command, "commands"):
            out += ["Commands: " + ", ".join(f"[`{title} {n}`](#{slug(title + ' ' + n)})"
                                               for n in command.commands), ""]
        elif command.params:
            out += [_options_table(command, context), ""]
    return "\n".join(out).rstrip() + "\n"
