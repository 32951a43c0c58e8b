"""A rebuild beside questions: its own model session, one thread, a lower priority."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from assistant.background import BACKGROUND_NICE, lower_current_thread_priority
from assistant.embedders.onnx import OnnxEmbedder
from tests.fakes import HashEmbedder
from tests.helpers import build
from tests.tui_helpers import make_app, settle


def _own_priority() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def test_the_background_session_is_separate_and_single_threaded(tmp_path: Path) -> None:
    main = OnnxEmbedder(tmp_path / "models", batch_size=8, threads=2, int8=True)
    background = main.for_background()
    assert background is not main and background.threads == 1
    assert (background.cache_dir, background.batch_size, background.int8, background.model_id) == (
        main.cache_dir, 8, True, main.model_id)
    fake = HashEmbedder()
    assert fake.for_background() is fake  # nothing to separate: the default is the embedder itself


def test_lowering_priority_touches_only_the_calling_thread() -> None:
    before = _own_priority()
    seen: list[int] = []

    def worker() -> None:
        assert lower_current_thread_priority()
        seen.append(_own_priority())
        inner = threading.Thread(target=lambda: seen.append(_own_priority()))
        inner.start()
        inner.join()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == [before + BACKGROUND_NICE] * 2  # the worker and a thread it starts
    assert _own_priority() == before


class Recording(HashEmbedder):
    """Records the priority of the thread embedding each batch."""

    def __init__(self) -> None:
        super().__init__()
        self.priorities: list[int] = []
        self.texts: list[str] = []
        self.background: Recording | None = None

    def for_background(self) -> HashEmbedder:
        self.background = Recording()
        return self.background

    def embed_batch(self, texts):  # type: ignore[no-untyped-def]
        self.priorities.append(_own_priority())
        self.texts.extend(texts)
        return super().embed_batch(texts)


async def test_a_tui_rebuild_embeds_on_the_background_session_at_lower_priority(settings, corpus) -> None:
    (corpus / "a.txt").write_text("Acme Robotics opened a factory in Ohio in March 2024.\n")
    build(settings, HashEmbedder())
    (corpus / "b.txt").write_text("Zinc smelting rose in the northern region. Output doubled.\n")
    embedder = Recording()
    app = make_app(settings, embedder)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "b.txt" in app.engine.index.manifest.documents
    assert embedder.background is not None and embedder.background.texts_embedded == 2
    assert set(embedder.background.priorities) == {_own_priority() + BACKGROUND_NICE}
    assert not any("Zinc" in t for t in embedder.texts)  # the question session embedded nothing of the build
    assert set(embedder.priorities) == {_own_priority()}


def test_in_background_yields_raises_and_closes_in_its_own_thread() -> None:
    from assistant.background import in_background

    log: list[str] = []

    def steps():  # type: ignore[no-untyped-def]
        log.append(f"priority {_own_priority()}")
        try:
            yield from range(1000)
        finally:
            log.append(f"closed in {threading.current_thread().name}")

    outer = in_background(steps)
    assert [next(outer) for _ in range(3)] == [0, 1, 2]
    outer.close()  # like a cancelled rebuild: the generator's clean-up runs, in its thread
    assert log == [f"priority {_own_priority() + BACKGROUND_NICE}", "closed in briefing-background"]
    assert list(in_background(lambda: iter(range(3)))) == [0, 1, 2]

    def failing():  # type: ignore[no-untyped-def]
        yield 1
        raise ValueError("bad file")

    import pytest

    with pytest.raises(ValueError, match="bad file"):
        list(in_background(failing))


def test_in_background_never_runs_ahead_of_its_reader() -> None:
    """A cancelled rebuild must not take the step after the one it was cancelled at (publishing)."""
    from assistant.background import in_background

    made: list[int] = []

    def steps():  # type: ignore[no-untyped-def]
        for i in range(100):
            made.append(i)
            yield i

    outer = in_background(steps)
    assert next(outer) == 0 and next(outer) == 1
    import time

    time.sleep(0.2)  # a producer that ran ahead would have made more by now
    outer.close()
    assert made == [0, 1]
