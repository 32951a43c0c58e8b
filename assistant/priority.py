"""Work that runs beside questions (a rebuild in the TUI) yields the CPU to them.

Linux keeps a nice value per thread, and threads started by a thread inherit it, so a build
worker that lowers its own priority before it creates its model session lowers the session's
thread pool too, while the threads answering questions keep theirs.
"""

from __future__ import annotations

import os
import threading

BACKGROUND_NICE = 10


def lower_current_thread_priority() -> bool:
    """Nice the calling thread; False where the platform does not allow it (then it competes)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)
    except (AttributeError, OSError):
        return False
    return True
