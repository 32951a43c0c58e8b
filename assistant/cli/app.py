"""Command definitions. Heavy libraries are imported inside commands, so ``--help`` and
``index status`` start fast and never load the model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.settings import Settings

app = typer.Typer(
    help="Briefing: cited, extractive answers from your documents.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
index_app = typer.Typer(help="Build and inspect the index.", no_args_is_help=True)
app.add_typer(index_app, name="index")


class State:
    settings: Settings


state = State()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    corpus: Annotated[Optional[Path], typer.Option("--corpus", help="Corpus folder (env BRIEFING_CORPUS; default ./corpus).")] = None,  # noqa: UP045, E501
    index: Annotated[Optional[Path], typer.Option("--index", help="Index folder (env BRIEFING_INDEX; default ./index).")] = None,  # noqa: UP045, E501
) -> None:
    """With no command, open the terminal UI."""
    state.settings = Settings.from_env(corpus_dir=corpus, index_dir=index)
    if ctx.invoked_subcommand is None:
        from tui.app import run_app

        run_app(state.settings)


def settings() -> Settings:
    return state.settings


from assistant.cli import brief_cmd, eval_cmd, index_cmds, query_cmds  # noqa: E402, F401  (registers commands)
