"""Quit when the terminal goes away (window closed, tmux session killed).

Under `make run` no hang-up signal reaches the app, and Textual's input thread would spin on
the dead terminal; so a thread polls the terminal and the parent process instead.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time

from textual.app import App


def exit_when_terminal_closes(app: App[None]) -> None:
    """Run in a daemon thread beside ``app.run()``; returns once it has asked the app to exit."""
    fd = sys.stdin.fileno()
    parent = os.getppid()
    while True:
        time.sleep(1.0)
        try:
            os.tcgetpgrp(fd)
            gone = os.getppid() != parent
        except OSError:
            gone = True
        if gone:
            with contextlib.suppress(RuntimeError):  # the app may already be closing
                app.call_from_thread(app.exit)
            return
