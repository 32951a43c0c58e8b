"""``briefing brief``: key points, timeline and actors on a topic."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.cli.context import state
from assistant.cli.options import BriefLength, DocOpt, SinceOpt, UntilOpt, a_value, scope_of


def brief(
    ctx: typer.Context,
    topic: Annotated[str, typer.Argument(help="The topic, in quotes.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    markdown: Annotated[Optional[Path], typer.Option("--markdown", callback=a_value, help="Also write a Markdown briefing note here.")] = None,  # noqa: UP045, E501
    docx: Annotated[Optional[Path], typer.Option("--docx", callback=a_value, help="Also write a Word document here.")] = None,  # noqa: UP045, E501
    length: Annotated[BriefLength, typer.Option("--length", help="short (~650 characters of key points), standard (~1,300) or long (~2,600).")] = BriefLength.standard,  # noqa: E501
    doc: DocOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    new_since: Annotated[Optional[str], typer.Option("--new-since", callback=a_value, help="Mark the key points and timeline rows from documents added or dated after this date (YYYY[-MM[-DD]]), or after the last brief on this topic ('last').")] = None,  # noqa: UP045, E501
) -> None:
    """A briefing on a topic: key points, a dated timeline and the actors, every line cited."""
    from assistant.brief.new_since import follow
    from assistant.errors import QuestionError
    from assistant.export.brief import brief_markdown, write_docx

    result = follow(state(ctx).engine(), topic, scope_of(doc, since, until), length.value, new_since).brief
    try:
        if markdown:
            markdown.parent.mkdir(parents=True, exist_ok=True)
            markdown.write_text(brief_markdown(result), encoding="utf-8")
        if docx:
            write_docx(result, docx)
    except OSError as exc:
        raise QuestionError(f"cannot write {exc.filename or 'the export'}: {exc.strerror}") from None
    if as_json:
        from assistant.export.json_output import brief_json, dumps

        print(dumps(brief_json(result)))
    else:
        from assistant.cli.render import print_brief

        print_brief(result)
