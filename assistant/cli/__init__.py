"""The ``briefing`` command line: typer commands over the library; every error becomes one
line and an exit code in ``main``.

- ``main``: the entry point and its error handling.
- ``app``: the typer application: the root options, every command registered.
- ``context``: what every command receives: the settings and how to get an embedder.
- ``options``: options shared by several commands, defined once.
- ``query_cmds``: ``briefing ask`` and ``briefing search``.
- ``brief_cmd``: ``briefing brief``.
- ``index_cmds``: ``briefing index build|status`` and ``briefing show``.
- ``status_shortcut``: ``briefing index status`` without typer, so it starts fast.
- ``watch_cmd``: ``briefing watch``: the index kept current in the foreground.
- ``serve_cmd``: ``briefing serve`` and ``briefing mcp``.
- ``eval_cmd``: ``briefing eval``: golden questions and briefs, gated on thresholds.
- ``eval_report``: an evaluation's tables and failed cases in the terminal.
- ``progress``: a progress bar for builds that last longer than a moment.
- ``render``: human-readable output: rich tables and styled answers.
"""
