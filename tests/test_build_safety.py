"""Killed and concurrent builds leave the old index answering; hostile questions are one line or a refusal."""


from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile

import pytest

from assistant.answer.engine import Engine
from assistant.errors import IndexLocked
from assistant.index.layout import IndexLayout, current_generation
from assistant.index.store import load_index
from assistant.ingest.corpus import scan_corpus
from tests.fakes import HashEmbedder
from tests.helpers import ROOT, build, run_cli, write_doc


def test_a_build_that_fails_midway_leaves_the_old_index_answering(settings, three_docs):
    build(settings, HashEmbedder())
    gen = current_generation(settings.paths.index_dir)
    for i in range(6):
        write_doc(three_docs, f"more/{i}.txt", f"Document number {i} talks about lithium supply {i}.")
    with pytest.raises(RuntimeError, match="injected"):
        build(settings, HashEmbedder(fail_after_batches=1, batch_size=1))
    assert current_generation(settings.paths.index_dir) == gen
    assert not list(IndexLayout(settings.paths.index_dir).temporaries())
    answer = Engine(settings, HashEmbedder()).ask("Which exports were restricted in 2023?")
    assert not answer.abstained and "Gallium" in answer.text


@pytest.mark.parametrize("when", ["embedding", "writing"])
def test_a_killed_build_process_leaves_the_old_index_loadable(settings, three_docs, when):
    build(settings, HashEmbedder())
    gen = current_generation(settings.paths.index_dir)
    for i in range(40):
        write_doc(three_docs, f"bulk/{i}.txt", f"Bulk document {i} on cobalt refining capacity.")
    script = (
        "import sys, time\n"
        "import assistant.index.store as store\n"
        "from assistant.index.build import build_index\n"
        "from assistant.settings import Settings\n"
        "from tests.fakes import HashEmbedder\n"
        "write = store.write_generation\n"
        "def slow_write(*a, **k):\n"
        "    write(*a, **k); print('writing', flush=True); time.sleep(30)\n"
        "store.publish_generation = lambda *a: (print('writing', flush=True), time.sleep(30))\n"
        "class Slow(HashEmbedder):\n"
        "    def embed_batch(self, texts):\n"
        "        print('embedding', flush=True); time.sleep(0.2); return super().embed_batch(texts)\n"
        "import assistant.index.build\n"
        "assistant.index.build.write_generation = slow_write\n"
        "build_index(Settings.from_env(), Slow(batch_size=8))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == when:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert current_generation(settings.paths.index_dir) == gen
    assert len(load_index(settings.paths.index_dir).manifest.documents) == 3
    report = build(settings, HashEmbedder())  # the next build cleans up after the killed one
    assert report.added == 40 and not list(IndexLayout(settings.paths.index_dir).temporaries())


def test_a_second_concurrent_build_is_refused(capsys, fake_scale, settings, three_docs):
    from filelock import FileLock

    settings.paths.index_dir.mkdir(parents=True)
    with FileLock(str(settings.paths.index_dir / ".build.lock")):
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
