"""Reads confined to the corpus; what is shown is made inert (docs/architecture.md, Guarantees)."""


from __future__ import annotations

import pytest

from assistant.answer.engine import Engine
from assistant.errors import SkipFile
from assistant.index.status import corpus_status
from assistant.ingest.corpus import corpus_file
from tests.fakes import HashEmbedder
from tests.helpers import run_cli, write_doc


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
