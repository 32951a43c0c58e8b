"""The ``briefing`` command line. Errors are turned into one line and an exit code here."""

from __future__ import annotations

import logging
import os
import sys

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70


def main() -> None:
    from assistant.errors import BriefingError

    logging.basicConfig(level=logging.WARNING, format="briefing: %(message)s")
    for noisy in ("bm25s", "sentence_transformers", "transformers", "faiss"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    from assistant.cli.fast import parse_status, run_status

    try:
        status_call = parse_status(sys.argv[1:])
        if status_call is not None:
            run_status(status_call)
            return
        from assistant.cli.app import app

        app(standalone_mode=True)
    except BriefingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        if os.environ.get("BRIEFING_DEBUG"):
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (set BRIEFING_DEBUG=1 for details)", file=sys.stderr)
        sys.exit(EXIT_INTERNAL)
