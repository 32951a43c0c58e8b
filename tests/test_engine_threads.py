"""The engine is shared by TUI workers while a rebuild swaps the index under them."""

from __future__ import annotations

import json
import threading

from assistant.answer.engine import Engine
from assistant.index.layout import GenerationFiles
from assistant.index.manifest import Manifest
from assistant.types import Answer
from tests.fakes import HashEmbedder
from tests.helpers import build, write_doc

QUESTIONS = ["Which exports were restricted in 2023?", "Who builds tungsten stockpiles?",
             "What do fabs need?", "Where is the new germanium refinery?", "What did the ministry say?"]


def test_two_askers_and_a_reloading_rebuild_never_mix_generations(settings, corpus):
    write_doc(corpus, "a.txt", "Gallium exports were restricted in 2023. Prices rose sharply afterwards.")
    write_doc(corpus, "b.txt", "Tungsten stockpiles are being built by Europe. Fabs need ultra-pure water.")
    build(settings, HashEmbedder())
    engine = Engine(settings.replace(refusal_threshold=0.05), HashEmbedder())
    answers: list[Answer] = []
    errors: list[BaseException] = []
    done = threading.Event()
    reloaded = [0]
    progress = threading.Condition()

    def ask(offset: int) -> None:
        try:
            for i in range(50):
                with progress:  # interleave: question i waits for reload i // 10
                    progress.wait_for(lambda i=i: reloaded[0] >= i // 10 or done.is_set(), timeout=30)
                answers.append(engine.ask(QUESTIONS[(i + offset) % len(QUESTIONS)]))
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    def rebuild() -> None:
        try:
            n = 0
            while not done.is_set() and n < 40:
                write_doc(corpus, f"new/{n}.txt", f"A new germanium refinery number {n} opened in region {n}.")
                build(settings, HashEmbedder())
                engine.reload()
                n += 1
                with progress:
                    reloaded[0] = n
                    progress.notify_all()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    askers = [threading.Thread(target=ask, args=(k,)) for k in (0, 2)]
    builder = threading.Thread(target=rebuild)
    builder.start()
    for t in askers:
        t.start()
    for t in askers:
        t.join(timeout=300)
    done.set()
    builder.join(timeout=300)
    assert errors == []
    assert len(answers) == 100
    generations = {a.generation for a in answers}
    assert len(generations) > 1, "the rebuild should have swapped the index while questions ran"
    for answer in answers:
        folder = settings.paths.index_dir / answer.generation
        if not folder.exists():  # old generations are pruned; the live ones can be checked
            continue
        documents = Manifest.from_json(json.loads(GenerationFiles(folder).manifest.read_text())).documents
        for c in answer.citations:
            assert c.doc_id in documents, f"{c.doc_id} is not in {answer.generation}"
            assert (corpus / c.doc_id).read_text()[c.start : c.end] == c.text
