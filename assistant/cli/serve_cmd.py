"""``briefing serve`` (HTTP API and MCP at /mcp) and ``briefing mcp`` (MCP over stdio)."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.cli.context import state

WatchOpt = Annotated[bool, typer.Option("--watch/--no-watch", help="Keep the index current while serving (default: on).")]  # noqa: E501


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on; anything but loopback needs BRIEFING_API_TOKEN.")] = "127.0.0.1",  # noqa: E501
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8765,
    watch: WatchOpt = True,
    log_questions: Annotated[bool, typer.Option("--log-questions", help="Write question and topic text to the access log (off: questions can be sensitive).")] = False,  # noqa: E501
) -> None:
    """Serve the JSON API (/v1) and MCP (/mcp) on this machine, with verified citations."""
    from assistant.server.app import run_server

    cli = state(ctx)
    engine = cli.engine()
    run_server(engine, engine.embedder, cli.settings, host, port, watch, log_questions)


def mcp(ctx: typer.Context, watch: WatchOpt = True) -> None:
    """Serve MCP over standard input and output, for an assistant that starts Briefing itself."""
    from assistant.server.app import serve_stdio

    cli = state(ctx)
    engine = cli.engine()
    serve_stdio(engine, engine.embedder, cli.settings, watch)
