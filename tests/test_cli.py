"""The command line, in process, with the fake embedder: schemas and exit codes."""

import json
import sys
from pathlib import Path

import pytest

from tests.helpers import run_cli as run

pytestmark = pytest.mark.usefixtures("fake_scale")


@pytest.fixture
def docs(corpus):
    (corpus / "plants.txt").write_text(
        "Acme opened a plant in Ohio in 2024. Acme invests $2 billion in batteries.\n"
        "Zebra Foods sells frozen dumplings across Europe.\n"
    )
    return corpus


def test_build_json_is_exactly_one_object(capsys, docs):
    (docs / "empty.txt").write_text("")
    code, out, _ = run(capsys, "index", "build", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"added", "updated", "removed", "unchanged", "chunks_embedded", "texts_embedded", "seconds",
                         "skipped", "dense_index", "dense_recall_at_10"}
    assert data["dense_index"] == "flat" and data["dense_recall_at_10"] is None  # exact: nothing to measure
    assert data["added"] == 1 and data["skipped"] == [{"doc": "empty.txt", "reason": "empty file"}]
    code, out, _ = run(capsys, "index", "build", "--json", "--strict")
    assert code == 1 and json.loads(out)["unchanged"] == 1


def test_ask_json_schema_and_verbatim_citations(capsys, docs):
    run(capsys, "index", "build")
    code, out, _ = run(capsys, "ask", "Where did Acme open a plant?", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"question", "answer", "abstained", "citations", "notes", "latency_ms"}
    assert data["notes"] == []  # why an answer was refused, or that cited passages changed on disk
    assert data["abstained"] is False and data["citations"]
    text = (docs / "plants.txt").read_text()
    for c in data["citations"]:
        assert set(c) == {"n", "doc", "start", "end", "text", "score"}
        assert text[c["start"] : c["end"]] == c["text"] and f"[{c['n']}]" in data["answer"]


def test_ask_conversation_file_is_continued(capsys, docs, tmp_path):
    run(capsys, "index", "build")
    convo = tmp_path / "convo.json"
    run(capsys, "ask", "Where did Acme open a plant?", "--conversation", str(convo))
    code, out, _ = run(capsys, "ask", "How much does it invest?", "--conversation", str(convo), "--json")
    assert code == 0 and "$2 billion" in json.loads(out)["answer"]
    assert len(json.loads(convo.read_text())["turns"]) == 2


@pytest.mark.parametrize("args", [("ask", "Anything?"), ("search", "x"), ("eval", "tests/golden/seed.yaml")])
def test_missing_index_is_one_line_and_exit_2(capsys, docs, args):
    code, _, err = run(capsys, *args)
    assert code == 2 and err.count("\n") == 1 and "briefing index build" in err


def test_corrupt_index_is_exit_2(capsys, docs, settings):
    run(capsys, "index", "build")
    from assistant.index.layout import current_generation

    (current_generation(settings.paths.index_dir) / "chunks.jsonl").write_text("garbage\n")
    code, _, err = run(capsys, "ask", "Where?")
    assert code == 2 and "damaged" in err and err.count("\n") == 1


def test_unreadable_corpus_is_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "--corpus", str(tmp_path / "nowhere"), "index", "build")
    assert code == 2 and "corpus folder not found" in err


def test_search_json_and_batch(capsys, docs, tmp_path):
    run(capsys, "index", "build")
    code, out, _ = run(capsys, "search", "Acme plant", "--json", "--k", "2")
    data = json.loads(out)
    assert code == 0 and data["question"] == "Acme plant"
    assert [h["rank"] for h in data["hits"]] == [1] and data["hits"][0]["doc"] == "plants.txt"
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"_id": "q1", "text": "Acme"}\n{"_id": "q2", "text": "dumplings"}\n')
    code, out, _ = run(capsys, "search", "--batch", str(batch))
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [row["id"] for row in lines] == ["q1", "q2"]
    batch.write_text("not json\n")
    code, _, err = run(capsys, "search", "--batch", str(batch))
    assert code == 2 and "q.jsonl:1" in err


def test_show_prints_the_cited_frame(capsys, docs):
    run(capsys, "index", "build")
    code, out, _ = run(capsys, "show", "plants.txt", "--start", "0", "--end", "4")
    assert code == 0 and out == "Acme\n"
    code, _, err = run(capsys, "show", "plants.txt", "--start", "5", "--end", "99999")
    assert code == 2 and "outside" in err


def test_eval_exit_codes(capsys, docs, tmp_path):
    run(capsys, "index", "build")
    golden = tmp_path / "g.yaml"
    golden.write_text("- id: a\n  question: Where did Acme open a plant?\n  evidence: [Ohio]\n"
                      "- id: off\n  question: Best sourdough starter recipe?\n  answerable: false\n")
    report = tmp_path / "r.json"
    md = tmp_path / "r.md"
    code, out, _ = run(capsys, "eval", str(golden), "--json", str(report), "--markdown", str(md),
                       "--min-evidence", "1.0", "--max-false-refusals", "0")
    assert code == 0 and "evidence hit rate" in out
    assert json.loads(report.read_text())["summary"]["evidence_hit_rate"] == 1.0 and md.read_text().startswith("#")
    golden.write_text("- id: a\n  question: Where did Acme open a plant?\n  evidence: [Mars]\n")
    code, _, err = run(capsys, "eval", str(golden), "--min-evidence", "0.95")
    assert code == 1 and "FAILED: evidence hit rate" in err
    golden.write_text("- id: a\n  question: Q\n  bogus: 1\n")
    code, _, err = run(capsys, "eval", str(golden))
    assert code == 2 and "unknown key 'bogus'" in err and err.count("\n") == 1


def test_status_json(capsys, docs):
    code, out, _ = run(capsys, "index", "status", "--json")
    assert code == 0 and json.loads(out)["documents"][0]["state"] == "new"
    run(capsys, "index", "build")
    code, out, _ = run(capsys, "index", "status", "--json")
    assert json.loads(out)["documents"][0]["state"] == "indexed"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["index", "status"], (None, None, False)),
        (["--corpus", "c", "index", "status", "--json"], ("c", None, True)),
        (["--index=i", "--corpus", "c", "index", "status"], ("c", "i", False)),
        (["index", "status", "--help"], None),
        (["index", "build"], None),
        (["--corpus"], None),
        (["--corpus", "a", "--corpus", "b", "index", "status"], None),
        (["status", "index"], None),
    ],
)
def test_status_fast_path_recognises_only_the_status_command(argv, expected):
    from pathlib import Path

    from assistant.cli.status_shortcut import parse_status

    call = parse_status(argv)
    if expected is None:
        assert call is None
    else:
        corpus, index, as_json = expected
        assert call is not None
        assert (call.corpus, call.index, call.as_json) == (
            Path(corpus) if corpus else None, Path(index) if index else None, as_json)


def test_status_fast_path_prints_what_typer_prints(capsys, docs, monkeypatch):
    run(capsys, "index", "build")
    (docs / "new.txt").write_text("A new document about tariffs.\n")
    fast = run(capsys, "index", "status", "--json")
    monkeypatch.setattr("assistant.cli.status_shortcut.parse_status", lambda argv: None)
    slow = run(capsys, "index", "status", "--json")
    assert fast == slow
    states = {d["doc"]: d["state"] for d in json.loads(fast[1])["documents"]}
    assert states == {"new.txt": "new", "plants.txt": "indexed"}


def test_status_imports_neither_typer_nor_numpy(tmp_path, corpus):
    import subprocess

    (corpus / "a.txt").write_text("Some text.\n")
    probe = ("import sys\nfrom assistant.cli.main import main\nsys.argv = ['briefing', 'index', 'status', '--json']\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print('typer' in sys.modules, 'numpy' in sys.modules, file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert json.loads(done.stdout)["documents"][0]["state"] == "new"
    assert done.stderr.strip().splitlines()[-1] == "False False"


@pytest.mark.parametrize(("args", "named"), [
    (["index", "build", "--ray", "--json"], "--ray"),  # was taken as a cluster named "--json"
    (["index", "build", "--ray", "nowhere"], "--ray"),  # cannot be an address: not tried for minutes
    (["eval", "tests/golden/seed.yaml", "--json", "--markdown", "x.md"], "--json"),
    (["ask", "What?", "--doc", "--json"], "--doc"),
])
def test_an_option_given_an_option_or_a_bad_address_is_a_usage_error_naming_it(args, named, capsys):
    from assistant.cli.main import main

    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and named in err, err


def test_a_ray_address_is_checked_wherever_it_is_set():
    from assistant.errors import ConfigError
    from assistant.settings import Settings, check_ray_address

    for good in ("local", "auto", "10.0.0.5:6379", "ray://head.example:10001", "[::1]:6379"):
        assert check_ray_address(good) == good
    for bad in ("--json", "nowhere", "host:99999", ":6379"):
        with pytest.raises(ValueError, match="not a Ray address"):
            check_ray_address(bad)
    with pytest.raises(ConfigError, match="BRIEFING_RAY_ADDRESS"):
        Settings.from_env({"BRIEFING_RAY_ADDRESS": "--json"})


def test_paths_are_read_by_their_short_names_only():
    """``BRIEFING_CORPUS`` sets the corpus folder; ``BRIEFING_CORPUS_DIR`` (the field's own name) does not."""
    from assistant.settings import Settings

    assert Settings.from_env({"BRIEFING_CORPUS": "/a", "BRIEFING_CORPUS_DIR": "/b"}).paths.corpus_dir == Path("/a")
    assert Settings.from_env({"BRIEFING_INDEX_DIR": "/b"}).paths.index_dir == Path("index")
