"""``briefing ask`` and ``briefing search``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.cli.context import state
from assistant.cli.options import DocOpt, KOpt, SinceOpt, UntilOpt, a_value, scope_of
from assistant.export.json_output import answer_json, dumps, hit_json


def ask(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="The question, in quotes.")],
    k: KOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    conversation: Annotated[Optional[Path], typer.Option("--conversation", callback=a_value, help="JSON file holding the conversation so far (read and updated).")] = None,  # noqa: UP045, E501
    doc: DocOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
) -> None:
    """Answer a question with cited sentences, or say the sources do not cover it."""
    from assistant.answer.conversation import Conversation

    convo = Conversation.load(conversation) if conversation else None
    engine = state(ctx).engine()
    engine.warm(prefetch=False)  # one question: reading the whole index ahead would only cost
    answer = engine.ask(question, convo, scope_of(doc, since, until), k)
    if convo is not None and conversation is not None:
        convo.save(conversation)
    if as_json:
        print(dumps(answer_json(answer)))
    else:
        from assistant.cli.render import print_answer

        print_answer(answer)


def search(
    ctx: typer.Context,
    question: Annotated[Optional[str], typer.Argument(help="The query (omit with --batch).")] = None,  # noqa: UP045
    k: KOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    batch: Annotated[Optional[Path], typer.Option("--batch", callback=a_value, help="JSON lines of {\"_id\", \"text\"}; one JSON line out per query.")] = None,  # noqa: UP045, E501
    doc: DocOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
) -> None:
    """Show the ranked passages (hybrid order) behind an answer."""
    from assistant.errors import QuestionError

    if (question is None) == (batch is None):
        raise QuestionError("give either a QUESTION or --batch FILE")
    engine = state(ctx).engine()
    scope = scope_of(doc, since, until)
    if batch is not None:
        for qid, text in _read_batch(batch):
            hits = engine.search(text, k, scope)
            sys.stdout.write(dumps({"id": qid, "hits": [hit_json(h) for h in hits]}) + "\n")
        return
    assert question is not None
    hits = engine.search(question, k, scope)
    if as_json:
        print(dumps({"question": question, "hits": [hit_json(h) for h in hits]}))
    else:
        from assistant.cli.render import print_hits

        print_hits(hits)


def _read_batch(path: Path) -> list[tuple[str, str]]:
    from assistant.errors import QuestionError

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise QuestionError(f"cannot read {path}: {exc.strerror}") from None
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            out.append((str(row["_id"]), str(row["text"])))
        except (ValueError, KeyError, TypeError):
            raise QuestionError(f"{path}:{n}: expected a JSON object with \"_id\" and \"text\"") from None
    return out
