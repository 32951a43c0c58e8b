"""One bad file never stops a build or a status (docs/architecture.md, Guarantees)."""


from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.answer.engine import Engine
from assistant.index.layout import current_generation
from assistant.index.status import corpus_status
from tests.fakes import HashEmbedder
from tests.helpers import IS_ROOT, ROOT, briefing_process, build, run_cli, user_environment, write_doc


def test_symlink_loop_is_skipped_by_build_and_status(capsys, fake_scale, three_docs, settings):
    (three_docs / "loop-a.txt").symlink_to("loop-b.txt")
    (three_docs / "loop-b.txt").symlink_to("loop-a.txt")
    code, out, _ = run_cli(capsys, "index", "build", "--json")
    assert code == 0
    assert {s["doc"]: s["reason"] for s in json.loads(out)["skipped"]} == {
        "loop-a.txt": "symlink loop", "loop-b.txt": "symlink loop"}
    assert run_cli(capsys, "index", "status")[0] == 0
    assert {d.doc_id: d.state for d in corpus_status(settings).documents}["loop-a.txt"] == "skipped"


def test_utf16_file_with_a_byte_order_mark_is_decoded(three_docs, settings):
    (three_docs / "memo16.txt").write_bytes("The UTF-16 memo says the budget is forty units.\n".encode("utf-16"))
    report = build(settings, HashEmbedder())
    assert [w.reason for w in report.warnings] == ["not UTF-8: decoded as utf-16"] and not report.skipped
    answer = Engine(settings.replace(refusal_threshold=0.1), HashEmbedder()).ask("What budget does the memo say?")
    assert "forty units" in answer.text


def _without_file_access_override() -> tuple[str, ...]:
    """As root, permissions are not checked; drop that power so a mode-000 file is unreadable."""
    if not IS_ROOT:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root and setpriv (util-linux) is missing: cannot make a file unreadable")
    return (setpriv, "--bounding-set=-dac_override,-dac_read_search")


def test_unreadable_file_is_skipped_by_status_and_build(three_docs, settings, tmp_path):
    prefix = _without_file_access_override()
    build(settings, HashEmbedder())
    write_doc(three_docs, "locked.txt", "Nobody may read this file.")
    (three_docs / "a.txt").chmod(0)  # indexed before, unreadable now
    (three_docs / "locked.txt").chmod(0)
    env = user_environment(BRIEFING_CORPUS=str(three_docs), BRIEFING_INDEX=str(settings.paths.index_dir),
                           PYTHONPATH=str(ROOT))
    try:
        done = briefing_process("index", "status", "--json", env=env, prefix=prefix)
        assert done.returncode == 0, done.stderr
        states = {d["doc"]: (d["state"], d["reason"]) for d in json.loads(done.stdout)["documents"]}
        assert states["locked.txt"] == ("skipped", "unreadable: Permission denied")
        assert states["a.txt"] == ("skipped", "unreadable: Permission denied")
        script = ("import json\nfrom assistant.index.build import build_index\n"
                  "from assistant.settings import Settings\n"
                  "from tests.fakes import HashEmbedder\nreport = build_index(Settings.from_env(), HashEmbedder())\n"
                  "from assistant.export.json_output import build_report_json\n"
                  "print(json.dumps(build_report_json(report)))\n")
        done = subprocess.run([*prefix, sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True,
                              text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        assert {s["doc"] for s in report["skipped"]} == {"a.txt", "locked.txt"} and report["unchanged"] == 2
    finally:
        (three_docs / "a.txt").chmod(0o644)
        (three_docs / "locked.txt").chmod(0o644)


def test_read_only_index_folder_is_exit_2_and_keeps_the_index(three_docs, settings):
    build(settings, HashEmbedder())
    generation = current_generation(settings.paths.index_dir)
    write_doc(three_docs, "new.txt", "A new document about germanium.")
    env = user_environment(BRIEFING_CORPUS=str(three_docs), BRIEFING_INDEX=str(settings.paths.index_dir))
    index = str(settings.paths.index_dir)
    if IS_ROOT and shutil.which("unshare"):  # a real read-only file system, in a private mount namespace
        command = f"mount --bind -o ro '{index}' '{index}' && exec '{Path(sys.executable).parent}/briefing' index build"
        done = subprocess.run(["unshare", "-m", "sh", "-c", command], env=env, capture_output=True, text=True,
                              timeout=120, check=False)
        if "mount:" in done.stderr:
            pytest.skip(f"cannot mount read-only here: {done.stderr.strip()}")
    else:
        settings.paths.index_dir.chmod(0o555)
        try:
            done = briefing_process("index", "build", env=env, timeout=120)
        finally:
            settings.paths.index_dir.chmod(0o755)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: cannot write the index") and done.stderr.count("\n") == 1
    assert current_generation(settings.paths.index_dir) == generation
