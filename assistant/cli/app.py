"""The typer application: the root options, then every command registered from its module.

Command modules define plain functions and never import this one, so there is no cycle;
heavy libraries are imported inside commands, so ``--help`` starts fast and never loads
the model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

import assistant.cli.brief_cmd as brief_cmd
import assistant.cli.eval_cmd as eval_cmd
import assistant.cli.index_cmds as index_cmds
import assistant.cli.query_cmds as query_cmds
import assistant.cli.serve_cmd as serve_cmd
import assistant.cli.watch_cmd as watch_cmd
from assistant.cli.context import CliState, Injected
from assistant.cli.options import a_value
from assistant.markings.scheme import check_clearance
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


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    corpus: Annotated[Optional[Path], typer.Option("--corpus", callback=a_value, help="Corpus folder (env BRIEFING_CORPUS; default ./corpus).")] = None,  # noqa: UP045, E501
    index: Annotated[Optional[Path], typer.Option("--index", callback=a_value, help="Index folder (env BRIEFING_INDEX; default ./index).")] = None,  # noqa: UP045, E501
    clearance: Annotated[Optional[str], typer.Option("--clearance", callback=a_value, metavar="LEVEL[/CAVEAT…]", help="Your clearance under the marking scheme: a level, then caveats held (env BRIEFING_CLEARANCE; default: the level of unmarked documents).")] = None,  # noqa: UP045, E501
    watch: Annotated[bool, typer.Option("--watch/--no-watch", help="The terminal UI: update the index when the corpus changes (default: on).")] = True,  # noqa: E501
) -> None:
    """With no command, open the terminal UI."""
    injected = ctx.obj if isinstance(ctx.obj, Injected) else Injected()
    settings = Settings.from_env(corpus_dir=corpus, index_dir=index, clearance=clearance)
    check_clearance(settings)
    ctx.obj = CliState(settings, injected.embedder_factory)
    if ctx.invoked_subcommand is None:
        from tui.app import run_app

        run_app(ctx.obj.settings, watch=watch)


index_app.command("build")(index_cmds.build)
index_app.command("status")(index_cmds.status)
app.command("show")(index_cmds.show)
app.command("ask")(query_cmds.ask)
app.command("search")(query_cmds.search)
app.command("brief")(brief_cmd.brief)
app.command("eval")(eval_cmd.evaluate)
app.command("watch")(watch_cmd.watch)
app.command("serve")(serve_cmd.serve)
app.command("mcp")(serve_cmd.mcp)
