"""Exit codes are 0, 1 and 2 only; errors are one line (docs/architecture.md, Guarantees)."""


from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes import HashEmbedder
from tests.helpers import ROOT, build, run_cli, user_environment


def test_closed_stdout_is_a_quiet_exit_0(three_docs, settings):
    build(settings, HashEmbedder())
    env = user_environment(BRIEFING_CORPUS=str(three_docs), BRIEFING_INDEX=str(settings.paths.index_dir))
    briefing = Path(sys.executable).parent / "briefing"
    for args in (["index", "status", "--json"], ["index", "status"], ["--help"]):
        reader = subprocess.Popen(["head", "-c", "1"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
        assert reader.stdin is not None
        # the reader is gone before Briefing writes: every write meets a closed pipe
        reader.stdin.close()
        reader.wait()
        read_end, write_end = os.pipe()
        os.close(read_end)
        done = subprocess.run([str(briefing), *args], env=env, stdout=write_end, stderr=subprocess.PIPE, text=True,
                              timeout=60, check=False)
        os.close(write_end)
        assert done.returncode == 0 and done.stderr == "", (args, done.stderr)


def test_closed_stdout_after_an_answer_is_exit_0(three_docs, settings):
    """`briefing ask … --json | head -c1`, with the fake model injected in a child process."""
    build(settings, HashEmbedder())
    script = ("import sys\nfrom tests.fakes import HashEmbedder\nfrom assistant.cli.main import main\n"
              "main(sys.argv[1:], embedder_factory=lambda _settings: HashEmbedder())\n")
    env = user_environment(BRIEFING_CORPUS=str(three_docs), BRIEFING_INDEX=str(settings.paths.index_dir),
                           BRIEFING_REFUSAL_THRESHOLD="0.1", PYTHONPATH=str(ROOT))
    shell = f"'{sys.executable}' -c \"$SCRIPT\" ask 'Which exports were restricted in 2023?' --json | head -c1"
    done = subprocess.run(["bash", "-c", f"{shell}; echo \" rc=${{PIPESTATUS[0]}}\""],
                          env={**env, "SCRIPT": script}, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout == "{ rc=0\n" and done.stderr == ""


@pytest.mark.parametrize(("variable", "value", "expected"), [
    ("BRIEFING_EMBED_BATCH_SIZE", "0", "BRIEFING_EMBED_BATCH_SIZE='0' is not allowed: input should be greater than or equal to 1"),  # noqa: E501
    ("BRIEFING_SENTENCE_POOL", "0", "BRIEFING_SENTENCE_POOL='0' is not allowed: input should be greater than or equal to 1"),  # noqa: E501
    ("BRIEFING_EMBEDDER", "gpu", "BRIEFING_EMBEDDER='gpu' is not allowed: input should be 'onnx', 'onnx-int8' or 'torch'"),  # noqa: E501
    ("BRIEFING_TOP_K", "many", "BRIEFING_TOP_K='many' is not allowed"),
    ("BRIEFING_CHUNK_OVERLAP", "5000", "BRIEFING_CHUNK_OVERLAP must be smaller than BRIEFING_CHUNK_SIZE"),
])
def test_bad_settings_are_one_line_and_exit_2(capsys, fake_scale, three_docs, monkeypatch, variable, value, expected):
    monkeypatch.setenv(variable, value)
    for args in (["ask", "Which exports?"], ["index", "status"], ["index", "build"]):
        code, _, err = run_cli(capsys, *args)
        assert code == 2 and err.count("\n") == 1 and expected in err, (args, err)


def test_usage_errors_are_one_line_and_exit_2(capsys, fake_scale, three_docs):
    for args in (["ask", "x", "--k", "0"], ["ask"], ["nosuch"], ["index", "build", "--bogus"]):
        code, _, err = run_cli(capsys, *args)
        assert code == 2 and err.startswith("error: ") and err.count("\n") == 1, (args, err)


def test_binary_golden_file_is_exit_2(capsys, fake_scale, three_docs, tmp_path):
    run_cli(capsys, "index", "build")
    golden = tmp_path / "golden.yaml"
    golden.write_bytes(os.urandom(2000) + b"\xff\xfe")
    code, _, err = run_cli(capsys, "eval", str(golden))
    assert code == 2 and "not a text file" in err and err.count("\n") == 1
