"""Options shared by several commands, defined once."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:  # retrieval imports numpy: only commands that answer pay for it
    from assistant.retrieval import Scope

DocOpt = Annotated[Optional[list[str]], typer.Option("--doc", help="Restrict to this document (repeatable; path, folder or glob).")]  # noqa: UP045, E501
SinceOpt = Annotated[Optional[str], typer.Option("--since", help="Only documents dated on/after (YYYY[-MM[-DD]]).")]  # noqa: UP045, E501
UntilOpt = Annotated[Optional[str], typer.Option("--until", help="Only documents dated on/before (YYYY[-MM[-DD]]).")]  # noqa: UP045, E501
KOpt = Annotated[Optional[int], typer.Option("--k", min=1, max=1000, help="Passages to retrieve.")]  # noqa: UP045
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


def scope_of(doc: list[str] | None, since: str | None, until: str | None) -> Scope:
    from assistant.retrieval import Scope

    return Scope(tuple(doc or ()), since, until)


class BriefLength(StrEnum):
    """How long a brief is (its character budget and most key points: ``brief_select.BUDGETS``)."""

    short = "short"
    standard = "standard"
    long = "long"
