"""The ``briefing`` command line: ``main`` (the entry point and its error handling), ``app``
(typer, the commands), one module per group of commands, and the fast ``index status`` path."""
