"""The ``briefing`` command line. Errors are turned into one line and an exit code here.

Exit codes are 0 (success), 1 (a gate failed: ``eval`` thresholds, ``index build --strict``)
and 2 (bad input, or anything else that stopped the command), never another: usage errors
are one line, not click's usage block, and a reader that closes the pipe early
(``briefing index status --json | head -c 10``) ends the command quietly with 0.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from assistant.cli.context import EmbedderFactory

EXIT_GATE_FAILED = 1
EXIT_BAD_INPUT = 2


class _QuietPipe:
    """Stands in for ``sys.stdout``: once the reader has gone, output is dropped, not an error.

    The descriptor is pointed at /dev/null as Python's documentation advises, so the buffered
    rest is flushed there at exit instead of raising again.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.reader_gone = False

    def write(self, text: str) -> int:
        if not self.reader_gone:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._silence()
        return len(text)

    def flush(self) -> None:
        if not self.reader_gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._silence()

    def _silence(self) -> None:
        self.reader_gone = True
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self._stream.fileno())
        os.close(devnull)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def main(argv: list[str] | None = None, embedder_factory: EmbedderFactory | None = None) -> None:
    """The ``briefing`` entry point; ``embedder_factory`` replaces the configured model (tests)."""
    from assistant.errors import BriefingError

    args = sys.argv[1:] if argv is None else argv
    logging.basicConfig(level=logging.WARNING, format="briefing: %(message)s")
    for noisy in ("bm25s", "sentence_transformers", "transformers", "faiss"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    if not isinstance(sys.stdout, _QuietPipe):
        sys.stdout = _QuietPipe(sys.stdout)  # type: ignore[assignment]
    try:
        code = _dispatch(args, embedder_factory)
    except BriefingError as exc:
        _fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted (an index build in progress leaves the previous index live)", EXIT_BAD_INPUT)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        import typer

        if isinstance(exc, typer.TyperException):  # usage: bad option, missing argument, --k 0 ...
            _fail(exc.format_message(), EXIT_BAD_INPUT)
        if isinstance(exc, typer.Abort):
            _fail("interrupted", EXIT_BAD_INPUT)
        if os.environ.get("BRIEFING_DEBUG"):
            raise
        _fail(f"internal error: {type(exc).__name__}: {exc} (set BRIEFING_DEBUG=1 for details)", EXIT_BAD_INPUT)
    sys.exit(code if code in (0, EXIT_GATE_FAILED, EXIT_BAD_INPUT) else EXIT_BAD_INPUT)


def _dispatch(args: list[str], embedder_factory: EmbedderFactory | None) -> int:
    from assistant.cli.status_shortcut import parse_status, run_status

    status_call = parse_status(args)
    if status_call is not None:
        run_status(status_call)
        return 0
    from assistant.cli.app import app
    from assistant.cli.context import Injected

    # standalone_mode=False: click hands usage errors back instead of printing its usage block.
    result = app(args=args, prog_name="briefing", standalone_mode=False, obj=Injected(embedder_factory))
    return result if isinstance(result, int) else 0


def _fail(message: str, code: int) -> None:
    print(f"error: {' '.join(message.split())}", file=sys.stderr)
    sys.exit(code)
