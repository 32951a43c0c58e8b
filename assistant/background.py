"""Work that runs beside questions (a rebuild in the TUI) yields the CPU to them.

Linux keeps a nice value per thread, and threads started by a thread inherit it. A long job is
therefore run in a thread of its own that lowers its own priority before it does anything
(before its model session starts the session's threads), while the threads answering
questions keep theirs. It has to be a new thread: worker pools reuse their threads, and an
unprivileged process cannot raise a thread's priority back once lowered.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Generator, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

BACKGROUND_NICE = 10


def lower_current_thread_priority() -> bool:
    """Nice the calling thread; False where the platform does not allow it (then it competes)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)
    except (AttributeError, OSError):
        return False
    return True


def in_background(make: Callable[[], Iterator[T]]) -> Generator[T, None, None]:
    """Run the generator ``make()`` in a new thread at lower priority and yield its items here.

    The generator advances only when the next item is asked for, as if it ran here: closing
    this generator (a cancelled rebuild) closes that one before it takes another step, in its
    own thread, and waits for the thread to end. Its exceptions are raised here.
    """
    items: queue.Queue[tuple[str, Any]] = queue.Queue()
    wanted = threading.Semaphore(0)
    stop = threading.Event()

    def produce() -> None:
        lower_current_thread_priority()
        try:
            steps = make()
            try:
                while True:
                    wanted.acquire()
                    if stop.is_set():
                        break
                    try:
                        item = next(steps)
                    except StopIteration:
                        break
                    items.put(("item", item))
            finally:
                close = getattr(steps, "close", None)
                if close is not None:
                    close()
            items.put(("done", None))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which raises it
            items.put(("error", exc))

    thread = threading.Thread(target=produce, name="briefing-background", daemon=True)
    thread.start()
    try:
        while True:
            wanted.release()
            kind, value = items.get()
            if kind == "item":
                yield value
            elif kind == "done":
                return
            else:
                raise value
    finally:
        stop.set()
        wanted.release()  # wake a producer waiting to be asked, so it sees ``stop``
        thread.join()
