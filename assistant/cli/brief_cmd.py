"""``briefing brief``: key points, timeline and actors on a topic."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.cli.context import state
from assistant.cli.options import DocOpt, SinceOpt, UntilOpt, scope_of


def brief(
    ctx: typer.Context,
    topic: Annotated[str, typer.Argument(help="The topic, in quotes.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    markdown: Annotated[Optional[Path], typer.Option("--markdown", help="Also write a Markdown briefing note here.")] = None,  # noqa: UP045, E501
    doc: DocOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
) -> None:
    """A briefing on a topic: key points, a dated timeline and the actors, every line cited."""
    from assistant.brief import make_brief

    result = make_brief(state(ctx).engine(), topic, scope_of(doc, since, until))
    if markdown:
        markdown.parent.mkdir(parents=True, exist_ok=True)
        markdown.write_text(result.to_markdown(), encoding="utf-8")
    if as_json:
        from assistant.json_output import brief_json, dumps

        print(dumps(brief_json(result)))
    else:
        from assistant.cli.render import print_brief

        print_brief(result)
