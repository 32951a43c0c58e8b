"""The child process of a ``--ray`` build (see ``cluster_job``): the Ray driver.

    python -m assistant.index.cluster.driver ADDRESS --report-fd FD [--full]

Settings come from the environment, as for any command. Progress, then the report or one
error line, are written to ``FD`` as JSON lines; everything Ray prints goes to this process's
stdout and stderr, which the parent sends to a log file.
"""

from __future__ import annotations

import argparse
import json
import os
from typing import Any


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.index.cluster.driver")
    parser.add_argument("address")
    parser.add_argument("--report-fd", type=int, required=True)
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args()
    with os.fdopen(args.report_fd, "w", encoding="utf-8", buffering=1) as channel:

        def send(message: dict[str, Any]) -> None:
            channel.write(json.dumps(message) + "\n")

        from assistant.errors import BriefingError

        try:
            from assistant.embedders import embedder_for
            from assistant.index.build import run_build
            from assistant.index.cluster.job import report_to_json
            from assistant.index.cluster.ray_build import cluster_build
            from assistant.settings import Settings

            settings = Settings.from_env()
            job = cluster_build(settings, embedder_for(settings), args.address, full=args.full)
            report = run_build(job, progress=lambda step: send({"progress": [step.stage, step.done, step.total]}))
            assert report is not None  # nothing stops it part-way
            send({"report": report_to_json(report)})
        except BriefingError as exc:
            send({"error": str(exc)})
            return exc.exit_code
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
