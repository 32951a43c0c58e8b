"""``briefing index status`` without typer.

Status is what scripts and shell prompts poll, so it must start in well under half a second;
importing typer alone is a large share of that (it builds adapters for every parameter). The
exact status command line is recognised here and run directly; anything else, including
``--help`` and typos, goes to typer as usual.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.settings import Settings

_GLOBAL_OPTIONS = ("--corpus", "--index", "--clearance")


@dataclass(frozen=True)
class StatusCall:
    corpus: Path | None
    index: Path | None
    as_json: bool
    clearance: str | None = None


def parse_status(argv: list[str]) -> StatusCall | None:
    """``[--corpus P] [--index P] index status [--json]``, or None for anything else."""
    paths: dict[str, str] = {}
    rest = list(argv)
    while rest and rest[0].split("=", 1)[0] in _GLOBAL_OPTIONS:
        name, _, value = rest.pop(0).partition("=")
        if not value:
            if not rest:
                return None
            value = rest.pop(0)
        if name in paths:
            return None
        paths[name] = value
    if rest not in (["index", "status"], ["index", "status", "--json"]):
        return None
    corpus, index = paths.get("--corpus"), paths.get("--index")
    return StatusCall(Path(corpus) if corpus else None, Path(index) if index else None, rest[-1] == "--json",
                      paths.get("--clearance"))


def show_status(settings: Settings, as_json: bool) -> None:
    from assistant.index.status import corpus_status

    report = corpus_status(settings)
    if as_json:
        from assistant.export.json_output import dumps, status_json

        print(dumps(status_json(report)))
    else:
        from assistant.cli.render import print_status

        print_status(report)


def run_status(call: StatusCall) -> None:
    from assistant.markings.scheme import check_clearance

    settings = Settings.from_env(corpus_dir=call.corpus, index_dir=call.index, clearance=call.clearance)
    check_clearance(settings)
    show_status(settings, call.as_json)
