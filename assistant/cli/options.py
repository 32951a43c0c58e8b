"""Options shared by several commands, defined once."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

if TYPE_CHECKING:  # retrieval imports numpy: only commands that answer pay for it
    from assistant.retrieval.hybrid import Scope



def a_value(value: Any) -> Any:
    """An option's value, refused when it is another option: ``--ray --json`` would otherwise
    build on a cluster named "--json" (click takes whatever follows as the value)."""
    for item in value if isinstance(value, list) else [value]:
        if item is not None and str(item).startswith("--"):
            raise typer.BadParameter(f"needs a value, got the option {item}")
    return value


def ray_address(value: str | None) -> str | None:
    """``--ray``'s value: an option is refused (``a_value``), and so is what cannot be an address."""
    from assistant.settings import check_ray_address

    a_value(value)
    if value is None:
        return None
    try:
        return check_ray_address(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


DocOpt = Annotated[Optional[list[str]], typer.Option("--doc", callback=a_value, help="Restrict to this document (repeatable; path, folder or glob).")]  # noqa: UP045, E501
SinceOpt = Annotated[Optional[str], typer.Option("--since", callback=a_value, help="Only documents dated on/after (YYYY[-MM[-DD]]).")]  # noqa: UP045, E501
UntilOpt = Annotated[Optional[str], typer.Option("--until", callback=a_value, help="Only documents dated on/before (YYYY[-MM[-DD]]).")]  # noqa: UP045, E501
KOpt = Annotated[Optional[int], typer.Option("--k", min=1, max=1000, help="Passages to retrieve.")]  # noqa: UP045
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


def scope_of(doc: list[str] | None, since: str | None, until: str | None) -> Scope:
    from assistant.retrieval.hybrid import Scope

    return Scope(tuple(doc or ()), since, until)


class BriefLength(StrEnum):
    """How long a brief is (its character budget and most key points: ``key_points.BUDGETS``)."""

    short = "short"
    standard = "standard"
    long = "long"
