"""What Briefing promises at its edges, tried as a hostile tester would (README: Guarantees).

1. No network, ever; nothing written under $HOME.      5. Any index damage: exit 2, and a build repairs it.
2. Reads confined to the corpus; output made inert.    6. A changed file is seen, whatever its mtime says.
3. Data is never markup in the TUI.                     7. Exit codes are 0, 1 and 2 only.
4. One bad file never stops a build or a status.       Plus: killed builds, concurrent builds, bad questions.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from rich.text import Text
from textual.geometry import Region
from textual.widget import Widget

from assistant.engine import Engine
from assistant.errors import IndexCorrupt, IndexLocked, IndexMissing, SkipFile
from assistant.ingest.loaders import corpus_file, scan_corpus
from assistant.status import corpus_status
from assistant.store import IndexLayout, current_generation, load_index
from tests.fakes import HashEmbedder
from tests.helpers import ROOT, SEED, build, run_cli, user_environment, write_doc
from tests.tui_helpers import ask, settle

IS_ROOT = os.geteuid() == 0


@pytest.fixture
def three_docs(corpus: Path) -> Path:
    write_doc(corpus, "a.txt", "Gallium exports were restricted in 2023. Prices rose sharply afterwards.")
    write_doc(corpus, "b.md",
              "---\ntitle: Tungsten\ndate: 2025-02\n---\nTungsten stockpiles are being built by Europe.")
    write_doc(corpus, "c/d.txt", "Semiconductor fabs need ultra-pure water and stable power.")
    return corpus


def _briefing(*args: str, env: dict[str, str], cwd: Path = ROOT, prefix: tuple[str, ...] = (),
              timeout: float = 600) -> subprocess.CompletedProcess[str]:
    command = [*prefix, str(Path(sys.executable).parent / "briefing"), *args]
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)


# -- 1. No network ---------------------------------------------------------------------------


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
        done = _briefing(*args, env=env, prefix=(strace, "-f", "-qq", "-e", "trace=connect,sendto", "-o", str(log)))
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


# -- 2. Reads confined to the corpus ---------------------------------------------------------


def test_show_viewer_and_verification_refuse_a_link_out_of_the_corpus(capsys, fake_scale, corpus, settings, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:the secret password list\n")
    write_doc(corpus, "victim.txt", "Gallium exports were restricted in 2023 by the ministry.\n")
    assert run_cli(capsys, "index", "build")[0] == 0
    (corpus / "victim.txt").unlink()
    (corpus / "victim.txt").symlink_to(secret)
    code, out, err = run_cli(capsys, "show", "victim.txt")
    assert code == 2 and "secret" not in out and "outside the corpus" in err and err.count("\n") == 1
    engine = Engine(settings, HashEmbedder())
    assert engine.source_text("victim.txt") is None  # what the viewer, briefs and verification read
    answer = engine.ask("Which exports were restricted in 2023?")
    assert "secret" not in answer.text and all("secret" not in c.text for c in answer.citations)
    status = {d.doc_id: d for d in corpus_status(settings).documents}
    assert status["victim.txt"].state == "skipped" and "outside the corpus" in (status["victim.txt"].reason or "")


def test_document_ids_cannot_climb_out_of_the_corpus(corpus, tmp_path):
    (tmp_path / "outside.txt").write_text("outside")
    with pytest.raises(SkipFile, match="outside the corpus"):
        corpus_file(corpus, "../outside.txt")


def test_show_prints_control_characters_visibly(capsys, fake_scale, corpus):
    write_doc(corpus, "esc.txt", "Clear \x1b[2J and title \x1b]0;OWNED\x07 here.\n")
    run_cli(capsys, "index", "build")
    code, out, _ = run_cli(capsys, "show", "esc.txt")
    assert code == 0 and "\x1b" not in out and "\x07" not in out and "␛[2J" in out and "␛]0;OWNED␇" in out


# -- 3. Data is never markup in the TUI --------------------------------------------------------


def _strips(widget: Widget):  # type: ignore[no-untyped-def]
    """The lines the widget and everything inside it put on the screen."""
    for w in [widget, *widget.query("*")]:
        if w.size.width and w.size.height:
            yield from w.render_lines(Region(0, 0, w.size.width, w.size.height))


def _shown(widget: Widget) -> str:
    """What the widget puts on the screen, as plain text."""
    return "\n".join(strip.text for strip in _strips(widget))


MARKUP_NAMES = {
    "report [draft].txt": "The draft report says cobalt output rose in Congo during 2025.\n",
    "[bold red]HACKED memo.txt": "[reverse]Title of the memo\nThe memo says lithium prices fell in 2024.\n",
}


async def test_file_names_titles_and_text_are_literal_everywhere(settings, corpus):
    from textual.widgets import DataTable, SelectionList, Static

    from tui.app import BriefingApp
    from tui.screens.brief import BriefScreen
    from tui.screens.corpus import CorpusScreen
    from tui.screens.viewer import SourceViewer
    from tui.widgets.citations import CitationsPanel

    for name, text in MARKUP_NAMES.items():
        write_doc(corpus, name, text)
    build(settings, HashEmbedder())
    app = BriefingApp(settings.replace(refusal_threshold=0.1), engine_factory=lambda s: Engine(s, HashEmbedder()))
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await settle(pilot)
        await ask(pilot, "What does the memo say about lithium prices in 2024?")
        panel = _shown(app.query_one(CitationsPanel))
        assert "[bold red]HACKED memo.txt" in panel and "[reverse]Title of the memo" in panel
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SourceViewer)
        title = app.screen.query_one("#viewer-title", Static)
        assert "[bold red]HACKED memo.txt" in _shown(title)
        await pilot.press("escape", "ctrl+d")
        await settle(pilot)
        assert isinstance(app.screen, CorpusScreen)
        table = app.screen.query_one(DataTable)
        await pilot.pause(0.3)
        shown = _shown(table)
        assert "report [draft].txt" in shown and "[bold red]HACKED memo.txt" in shown
        assert "[reverse]Title of the memo" in shown
        await pilot.press("escape", "ctrl+s")
        await pilot.pause()
        picker = app.screen.query_one(SelectionList)
        prompts = [str(picker.get_option_at_index(i).prompt) for i in range(picker.option_count)]
        assert prompts == ["[bold red]HACKED memo.txt", "report [draft].txt"]
        assert "[bold red]HACKED memo.txt" in _shown(picker)
        await pilot.press("escape")
        app.notify("Cannot write [bold red]HACKED memo.txt")
        await pilot.pause()
        toasts = " ".join(str(t.render()) for t in app.query("Toast"))
        assert "[bold red]HACKED memo.txt" in toasts
        app.query_one("#question").focus()
        app.query_one("#question").value = "/brief lithium prices memo"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BriefScreen)
        await pilot.pause(0.3)
        note = " ".join(_shown(w) for w in app.screen.query("MarkdownBlock"))
        assert "[bold red]HACKED memo.txt" in note or "[reverse]Title of the memo" in note


def test_markdown_exports_escape_what_markdown_would_interpret() -> None:
    from assistant.export import md_literal

    assert md_literal("[bold]x[/] *y* <b>z</b> a|b") == r"\[bold\]x\[/\] \*y\* \<b\>z\</b\> a\|b"
    assert "\x1b" not in md_literal("\x1b[2J")


def test_rich_text_is_how_the_tui_receives_data() -> None:
    from tui.literal import literal

    shown = literal("[bold]x\x1b")
    assert isinstance(shown, Text) and shown.plain == "[bold]x␛" and not shown.spans


# -- 4. One bad file never stops a build ---------------------------------------------------------


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
    env = user_environment(BRIEFING_CORPUS=str(three_docs), BRIEFING_INDEX=str(settings.index_dir),
                           PYTHONPATH=str(ROOT))
    try:
        done = _briefing("index", "status", "--json", env=env, prefix=prefix)
        assert done.returncode == 0, done.stderr
        states = {d["doc"]: (d["state"], d["reason"]) for d in json.loads(done.stdout)["documents"]}
        assert states["locked.txt"] == ("skipped", "unreadable: Permission denied")
        assert states["a.txt"] == ("skipped", "unreadable: Permission denied")
        script = ("import json\nfrom assistant.build import IndexBuild\nfrom assistant.settings import Settings\n"
                  "from tests.fakes import HashEmbedder\njob = IndexBuild(Settings.from_env(), HashEmbedder())\n"
                  "for _ in job.run():\n    pass\nfrom assistant.json_output import build_report_json\n"
                  "print(json.dumps(build_report_json(job.report)))\n")
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
    generation = current_generation(settings.index_dir)
    write_doc(three_docs, "new.txt", "A new document about germanium.")
    env = user_environment(BRIEFING_CORPUS=str(three_docs), BRIEFING_INDEX=str(settings.index_dir))
    index = str(settings.index_dir)
    if IS_ROOT and shutil.which("unshare"):  # a real read-only file system, in a private mount namespace
        command = f"mount --bind -o ro '{index}' '{index}' && exec '{Path(sys.executable).parent}/briefing' index build"
        done = subprocess.run(["unshare", "-m", "sh", "-c", command], env=env, capture_output=True, text=True,
                              timeout=120, check=False)
        if "mount:" in done.stderr:
            pytest.skip(f"cannot mount read-only here: {done.stderr.strip()}")
    else:
        settings.index_dir.chmod(0o555)
        try:
            done = _briefing("index", "build", env=env, timeout=120)
        finally:
            settings.index_dir.chmod(0o755)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: cannot write the index") and done.stderr.count("\n") == 1
    assert current_generation(settings.index_dir) == generation


# -- 5. Index damage ------------------------------------------------------------------------------


def _damage(settings, how: str) -> None:  # type: ignore[no-untyped-def]
    index_dir = settings.index_dir
    gen = current_generation(index_dir)
    assert gen is not None
    manifest = gen / "manifest.json"
    if how == "current_bytes":
        (index_dir / "CURRENT").write_bytes(b"\xff\xfe\xfa")
    elif how == "current_escape":
        (index_dir / "CURRENT").write_text("../../etc\n")
    elif how == "current_missing_generation":
        (index_dir / "CURRENT").write_text("gen-19990101-000000-deadbeef\n")
    elif how == "documents_list":
        data = json.loads(manifest.read_text())
        data["documents"] = []
        manifest.write_text(json.dumps(data))
    elif how == "document_types":
        data = json.loads(manifest.read_text())
        next(iter(data["documents"].values()))["n_chunks"] = "many"
        manifest.write_text(json.dumps(data))
    elif how == "chunk_range":
        data = json.loads(manifest.read_text())
        next(iter(data["documents"].values()))["first_chunk"] = 10_000
        manifest.write_text(json.dumps(data))
    elif how == "manifest_json":
        manifest.write_text("{not json")
    elif how == "manifest_binary":
        manifest.write_bytes(b"\x00\xff\xfe" * 10)
    elif how == "truncate_faiss":
        data = (gen / "dense.faiss").read_bytes()
        (gen / "dense.faiss").write_bytes(data[: len(data) // 2])
    elif how == "drop_chunks":
        (gen / "chunks.jsonl").unlink()
    elif how == "garbage_chunks":
        (gen / "chunks.jsonl").write_text("garbage\n")
    elif how == "vectors_shape":
        import numpy as np

        np.save(gen / "vectors.npy", np.zeros((1, 3), dtype=np.float32))
    elif how == "edit_count":
        data = json.loads(manifest.read_text())
        data["n_chunks"] += 1
        manifest.write_text(json.dumps(data))
    else:
        raise AssertionError(how)


DAMAGE = ["current_bytes", "current_escape", "current_missing_generation", "documents_list", "document_types",
          "chunk_range", "manifest_json", "manifest_binary", "truncate_faiss", "drop_chunks", "garbage_chunks",
          "vectors_shape", "edit_count"]


@pytest.mark.parametrize("how", DAMAGE)
def test_damaged_index_is_exit_2_and_a_build_repairs_it(capsys, fake_scale, three_docs, settings, how):
    assert run_cli(capsys, "index", "build")[0] == 0
    _damage(settings, how)
    with pytest.raises(IndexCorrupt, match="briefing index build"):
        load_index(settings.index_dir)
    code, _, err = run_cli(capsys, "ask", "Which exports were restricted?")
    assert code == 2 and "briefing index build" in err and err.count("\n") == 1
    code, out, _ = run_cli(capsys, "index", "status", "--json")
    assert code == 0  # status reads the pointer and the manifest only (it must stay fast)
    assert bool(json.loads(out)["index_error"]) == (how.startswith(("current", "document", "chunk_range", "manifest")))
    code, out, err = run_cli(capsys, "index", "build")
    assert code == 0 and "Full rebuild" in out, err
    code, out, _ = run_cli(capsys, "ask", "Which exports were restricted in 2023?")
    assert code == 0 and "Gallium" in out


def test_missing_index_is_a_clear_error(settings):
    with pytest.raises(IndexMissing, match="briefing index build"):
        load_index(settings.index_dir)


# -- 6. A changed file is seen ----------------------------------------------------------------------


def test_edit_that_keeps_size_and_mtime_is_seen_by_status_build_and_answers(three_docs, settings):
    build(settings, HashEmbedder())
    path = three_docs / "a.txt"
    before = path.stat()
    text = path.read_text()
    path.write_text(text.replace("2023", "2019"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # what `touch -r` does
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert {d.doc_id: d.state for d in corpus_status(settings).documents}["a.txt"] == "changed"
    report = build(settings, HashEmbedder())
    assert report.updated == 1
    engine = Engine(settings.replace(refusal_threshold=0.1), HashEmbedder())
    answer = engine.ask("When were gallium exports restricted?")
    assert "2019" in answer.text and not answer.notes


def test_stale_citation_note_names_a_command_that_exists(three_docs, settings):
    build(settings, HashEmbedder())
    (three_docs / "a.txt").write_text("Entirely different words now about copper and zinc smelting works.")
    answer = Engine(settings.replace(refusal_threshold=0.1), HashEmbedder()).ask("Which exports were restricted?")
    assert answer.notes and "`briefing index build`" in answer.notes[0]


# -- 7. Exit codes ----------------------------------------------------------------------------------


def test_closed_stdout_is_a_quiet_exit_0(three_docs, settings):
    build(settings, HashEmbedder())
    env = user_environment(BRIEFING_CORPUS=str(three_docs), BRIEFING_INDEX=str(settings.index_dir))
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
    env = user_environment(BRIEFING_CORPUS=str(three_docs), BRIEFING_INDEX=str(settings.index_dir),
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


# -- Held before, kept held: killed and concurrent builds, bad questions ----------------------------


def test_a_build_that_fails_midway_leaves_the_old_index_answering(settings, three_docs):
    build(settings, HashEmbedder())
    gen = current_generation(settings.index_dir)
    for i in range(6):
        write_doc(three_docs, f"more/{i}.txt", f"Document number {i} talks about lithium supply {i}.")
    with pytest.raises(RuntimeError, match="injected"):
        build(settings, HashEmbedder(fail_after_batches=1, batch_size=1))
    assert current_generation(settings.index_dir) == gen
    assert not list(IndexLayout(settings.index_dir).temporaries())
    answer = Engine(settings, HashEmbedder()).ask("Which exports were restricted in 2023?")
    assert not answer.abstained and "Gallium" in answer.text


@pytest.mark.parametrize("when", ["embedding", "writing"])
def test_a_killed_build_process_leaves_the_old_index_loadable(settings, three_docs, when):
    build(settings, HashEmbedder())
    gen = current_generation(settings.index_dir)
    for i in range(40):
        write_doc(three_docs, f"bulk/{i}.txt", f"Bulk document {i} on cobalt refining capacity.")
    script = (
        "import sys, time\n"
        "import assistant.store as store\n"
        "from assistant.build import IndexBuild\n"
        "from assistant.settings import Settings\n"
        "from tests.fakes import HashEmbedder\n"
        "write = store.write_generation\n"
        "def slow_write(*a, **k):\n"
        "    write(*a, **k); print('writing', flush=True); time.sleep(30)\n"
        "store.publish_generation = lambda *a: (print('writing', flush=True), time.sleep(30))\n"
        "class Slow(HashEmbedder):\n"
        "    def embed_batch(self, texts):\n"
        "        print('embedding', flush=True); time.sleep(0.2); return super().embed_batch(texts)\n"
        "import assistant.build\n"
        "assistant.build.write_generation = slow_write\n"
        "for _ in IndexBuild(Settings.from_env(), Slow(batch_size=8)).run():\n"
        "    pass\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == when:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert current_generation(settings.index_dir) == gen
    assert len(load_index(settings.index_dir).manifest.documents) == 3
    report = build(settings, HashEmbedder())  # the next build cleans up after the killed one
    assert report.added == 40 and not list(IndexLayout(settings.index_dir).temporaries())


def test_a_second_concurrent_build_is_refused(capsys, fake_scale, settings, three_docs):
    from filelock import FileLock

    settings.index_dir.mkdir(parents=True)
    with FileLock(str(settings.index_dir / ".build.lock")):
        with pytest.raises(IndexLocked, match="another build"):
            build(settings, HashEmbedder())
        code, _, err = run_cli(capsys, "index", "build")
        assert code == 2 and "another build" in err


@pytest.mark.parametrize("question", ["", "   ", "???", "x" * 5000, "\x1b[2J\x1b]0;t\x07", "'; DROP TABLE chunks; --"])
def test_hostile_questions_are_one_line_or_a_refusal(capsys, fake_scale, three_docs, question):
    run_cli(capsys, "index", "build")
    code, out, err = run_cli(capsys, "ask", question)
    assert code in (0, 2) and "\x1b" not in out + err
    if code == 2:
        assert err.startswith("error: the question") and err.count("\n") == 1


def test_scan_never_raises_on_odd_entries(corpus):
    (corpus / "dangling.txt").symlink_to(corpus / "nowhere.txt")
    (corpus / "folder-link.txt").symlink_to(tempfile.gettempdir())
    os.mkfifo(corpus / "pipe.txt")
    files, skipped = scan_corpus(corpus, 10_000_000)
    assert files == [] and {s.doc_id for s in skipped} == {"dangling.txt", "folder-link.txt", "pipe.txt"}
