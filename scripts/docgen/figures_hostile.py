"""Figures of the server under hostile load (issue 35): asks beside idle and slow-header
connections (``step-hostile.json``) and the fuzzed server (``step-fuzz.json``), each from its
``bench/results`` file with the CPU that measured it, as ``figures`` does."""

from __future__ import annotations

from typing import Any

from docgen.figures import Results, num
from docgen.markdown import table


def _row(label: str, run: dict[str, Any]) -> tuple[str, ...]:
    return (label, num(run["requests_per_s"], 1), f"{num(run['p50_ms'], 0)} ms", f"{num(run['p95_ms'], 0)} ms",
            num(run["errors"]), f"{run['server_rss_mb_max']} MB", num(run["server_open_files_max"]))


def hostile_block() -> str:
    r = Results("step-hostile.json")
    res = r.get("result")
    low = res["cap_256"]
    attack = f"{res['idle_connections']} idle and {res['slow_header_clients']} slow-header connections"
    rows = [_row(f"connection cap {num(res['max_connections'])} (the default), alone", res["quiet"]),
            _row(f"the same, under {attack}", res["under_attack"]),
            _row(f"connection cap {num(low['max_connections'])}, alone", low["quiet"]),
            _row("the same, under the same attack", low["under_attack"])]
    clients = res["quiet"]["clients"]
    fuzz = Results("step-fuzz.json").get("result")
    return (table([f"{clients} clients asking, {res['quiet']['requests']} asks each run", "asks/s", "p50", "p95",
                   "failed", "server memory at most", "server's open files at most"], rows)
            + f"\n\nUnder the default cap the attack opened {num(res['attack']['opened'])} connections "
              f"({num(res['attack']['timeouts_408'])} slow ones got `408`); with the cap below it, "
              f"{num(low['attack']['opened'])}, each closed to make room as it was reopened, and the log said so "
              f"in {len(low['server_log_conditions'])} lines. Tracebacks in the server's log: "
              f"{res['tracebacks_in_log'] + low['tracebacks_in_log']}.\n\n"
            + r.source(command="python -m bench run hostile") + "\n\n"
            + f"Fuzzing: {num(fuzz['examples'])} generated requests (seed {fuzz['seed']}), "
              f"{'passed' if fuzz['passed'] else 'failed'}: no 5xx, every error in the JSON shape, the server "
              "alive after.\n\n"
            + Results("step-fuzz.json").source(command="python -m bench run fuzz") + "\n")
