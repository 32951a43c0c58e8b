"""Helpers shared by test modules (fixtures live in conftest.py; tests never import each other)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.embedders import Embedder
from assistant.index.build import BuildReport, build_index
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "us-china-ai-power-struggle.txt"
# Variables by which onnxruntime (and other libraries) recognise CI and go quiet: a test that
# checks what a user's run does must not inherit them.
CI_VARIABLES = ("CI", "TF_BUILD", "GITHUB_ACTIONS", "GITLAB_CI", "CIRCLECI", "TRAVIS", "JENKINS_URL",
                "CODEBUILD_BUILD_ID", "BUILDKITE", "TEAMCITY_VERSION", "SYSTEM_TEAMFOUNDATIONCOLLECTIONURI")


def build(settings: Settings, embedder: Embedder, full: bool = False) -> BuildReport:
    """Run a build to the end and return its report."""
    report = build_index(settings, embedder, full=full)
    assert report is not None
    return report


def write_doc(corpus: Path, name: str, text: str) -> Path:
    path = corpus / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``briefing ARGS`` in process with the fake model, handed to ``main`` the way the
    configured one is: (exit code, stdout, stderr); never a traceback."""
    from assistant.cli.main import main
    from tests.fakes import HashEmbedder

    code = 0
    try:
        main(list(args), embedder_factory=lambda _settings: HashEmbedder())
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def user_environment(**extra: str) -> dict[str, str]:
    """This environment as a user's shell would have it: no CI markers, no offline switches
    that Briefing itself must set (so a test proves the program sets them)."""
    from assistant.offline import OFFLINE_ENVIRONMENT

    env = {k: v for k, v in os.environ.items() if k not in CI_VARIABLES and k not in OFFLINE_ENVIRONMENT}
    env["PATH"] = f"{Path(sys.executable).parent}:{env.get('PATH', '')}"
    env.update(extra)
    return env


def briefing_process(*args: str, env: dict[str, str], cwd: Path = ROOT, prefix: tuple[str, ...] = (),
              timeout: float = 600) -> subprocess.CompletedProcess[str]:
    command = [*prefix, str(Path(sys.executable).parent / "briefing"), *args]
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)


IS_ROOT = os.geteuid() == 0
"""Root ignores file permissions: some tests need another way to make a file unreadable."""


FAKE_MODEL_MAIN = ("import sys\nfrom assistant.cli.main import main\nfrom tests.fakes import HashEmbedder\n"
                   "main(sys.argv[1:], embedder_factory=lambda _settings: HashEmbedder())\n")


def fake_briefing(*args: str) -> list[str]:
    """The command line of ``briefing ARGS`` with the fake model: the real command (its server,
    its watcher, its exit codes) in a process of its own, started in a second rather than the
    real model's several. Run it with ``cwd=ROOT``."""
    return [sys.executable, "-c", FAKE_MODEL_MAIN, *args]


def vocabulary_of(texts: list[str]):  # type: ignore[no-untyped-def]
    """The answer side's view of a BM25 index built over ``texts`` (``retrieval.vocabulary``)."""
    from assistant.index.bm25 import SparseIndex
    from assistant.retrieval.vocabulary import IndexVocabulary

    return IndexVocabulary(SparseIndex.build(texts))
