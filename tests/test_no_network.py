"""No network, ever; nothing written under $HOME (docs/architecture.md, Guarantees)."""


from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, SEED, briefing_process, user_environment


def _network_calls(trace: str) -> list[str]:
    """strace lines of connect/sendto to anything but a local socket."""
    calls = []
    for line in trace.splitlines():
        if ("connect(" in line or "sendto(" in line) and ("AF_INET" in line or "AF_INET6" in line):
            calls.append(line)
        elif "sendto(" in line and "sin_port=htons(53)" in line:
            calls.append(line)
    return calls


def _strace() -> str:
    path = shutil.which("strace")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("strace is required in CI (the Makefile installs it); this test must not be skipped there")
        pytest.skip("strace is not installed (`make test` installs it)")
    return path


@pytest.mark.slow
@pytest.mark.integration
def test_build_export_and_ask_send_nothing_and_write_only_their_cache_under_home(tmp_path: Path) -> None:
    """Under strace, as a user would run it (CI markers removed: onnxruntime goes quiet in CI)."""
    strace = _strace()
    home = tmp_path / "home"
    home.mkdir()
    corpus = tmp_path / "corpus"
    shutil.copy(SEED, corpus / SEED.name)
    env = user_environment(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"),
                           BRIEFING_CORPUS=str(corpus), BRIEFING_INDEX=str(tmp_path / "index"))
    for n, args in enumerate([("index", "build"), ("ask", "Which chip did Alibaba's T-Head unit introduce?")]):
        log = tmp_path / f"trace-{n}.log"
        done = briefing_process(*args, env=env,
                                prefix=(strace, "-f", "-qq", "-e", "trace=connect,sendto", "-o", str(log)))
        assert done.returncode == 0, done.stderr
        assert _network_calls(log.read_text()) == [], f"network calls during `briefing {' '.join(args)}`"
    assert "Zhenwu" in done.stdout
    # The first build exported the model into the user's cache, the only thing written under $HOME.
    written = sorted(str(p.relative_to(home)) for p in home.rglob("*") if p.is_file())
    assert [p for p in written if not p.startswith(".cache/briefing/models/")] == []
    assert any(p.endswith(".onnx") for p in written) and any(p.endswith(".onnx.sha256") for p in written)


def test_network_calls_are_recognised() -> None:
    """The trace reader above must see what onnxruntime's telemetry looked like."""
    dns = '2228 connect(12, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.0.0.53")}, 16) = 0'
    local = '2228 connect(3, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1'
    assert _network_calls(f"{dns}\n{local}\n") == [dns]


def test_offline_switches_are_set_before_any_library_loads() -> None:
    probe = ("import assistant, os; print(os.environ.get('ORT_DISABLE_TELEMETRY'), os.environ.get('HF_HUB_OFFLINE'), "
             "os.environ.get('RAY_USAGE_STATS_ENABLED'))")
    done = subprocess.run([sys.executable, "-c", probe],
                          env=user_environment(ORT_DISABLE_TELEMETRY="0", RAY_USAGE_STATS_ENABLED="1"),
                          cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["1", "1", "0"]  # a local Ray cluster (--ray local) reports no usage home
