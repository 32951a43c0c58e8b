"""Connections, before any request reaches the guards: how long a client may take, how many may
be open at once, and what a client that does not speak HTTP gets back.

uvicorn (its h11 protocol) closes a connection that stays idle after an answer, but never one
that has sent nothing, or half a request: a few hundred such sockets held the server's every
file descriptor, and asyncio then logged "Too many open files" for each attempt to accept
another, thousands of times a second. uvicorn's ``limit_concurrency`` does not help there: it
answers 503 to requests, after the connection is accepted and its descriptor taken. So
``GuardedH11Protocol`` adds, per connection:

- an **idle timeout** from the moment it opens (uvicorn's own only starts after an answer);
- a **read timeout**: the whole request, headers and body, must arrive within
  ``read_timeout_s`` of the connection opening (or of its previous answer), however slowly the
  bytes trickle in; past it the client gets 408 and the connection is closed;
- a **cap on open connections**: past it the connection waiting longest for a request (idle,
  or with half a request) is closed to make room; when every connection has a request
  running, the new one gets 503 and is closed at once. The cap is kept below the process's
  open-files limit, so accepting never runs out of descriptors because of clients;
- malformed HTTP answered 400 in the API's JSON error shape instead of uvicorn's plain text.

Reaching a limit is logged once, when it starts, and once when it ends (``Conditions``), never
once per connection.
"""

from __future__ import annotations

import asyncio
import errno
import json
import logging
import resource
from dataclasses import dataclass, field
from typing import Any, ClassVar

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("briefing.server")

MAX_HEADER_BYTES = 16 * 1024
"""The request line and headers, together: more is malformed HTTP (400)."""
FD_RESERVE = 64
"""Descriptors kept for everything but clients (index files, the watcher, logs)."""
MAX_BACKLOG = 128
MIN_BACKLOG = 16
"""The listening socket's backlog, which is also how many connections asyncio accepts at once."""
RECOVERED_SHARE = 0.9
"""The connection limit counts as no longer reached once the open connections are below this
share of it."""


@dataclass(frozen=True)
class ConnectionLimits:
    """What a connection may take (``Settings.serve_*``; ``max_connections`` already capped by
    ``capped_connections``)."""

    idle_timeout_s: float
    read_timeout_s: float
    max_connections: int


def capped_connections(wanted: int) -> tuple[int, int, str | None]:
    """The cap on open connections (``wanted``, or fewer when the process may not open that many
    files), the listening backlog, and a note saying why the cap is lower, if it is.

    asyncio accepts up to ``backlog`` connections in one turn of the loop before any of them is
    seen (and one over the cap closed), and a closed one gives its descriptor back a turn later:
    so the cap leaves twice the backlog free, besides ``FD_RESERVE``."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return wanted, MAX_BACKLOG, None
    backlog = max(MIN_BACKLOG, min(MAX_BACKLOG, (soft - FD_RESERVE) // 8))
    room = soft - FD_RESERVE - 2 * backlog
    if room >= wanted:
        return wanted, backlog, None
    cap = max(8, room)
    return cap, backlog, (f"at most {cap} connections at once, not {wanted}: the process may open {soft} files "
                          "(raise it with `ulimit -n`)")


@dataclass
class Conditions:
    """Limits being reached right now, each logged once when it starts and once when it ends."""

    at_limit: bool = False
    refusing: bool = False
    out_of_files: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    def start(self, name: str, message: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1
        if not getattr(self, name):
            setattr(self, name, True)
            log.warning(message)

    def end(self, name: str, message: str) -> None:
        if getattr(self, name):
            setattr(self, name, False)
            log.warning(f"{message} ({self.counts.pop(name, 0)} times meanwhile)")


def error_response(status: int, reason: str, code: str, message: str) -> bytes:
    """A whole HTTP/1.1 response in the API's error shape, for answers given before any request
    was read (h11 will not frame a response to a request it has not seen)."""
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    head = (f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n"
            "connection: close\r\n\r\n").encode()
    return head + body


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with the timeouts, the cap and the JSON errors above. A server
    gets its own subclass (``protocol_for``), which holds its limits and conditions."""

    limits: ClassVar[ConnectionLimits]
    conditions: ClassVar[Conditions]
    waiting: ClassVar[dict[GuardedH11Protocol, None]]
    """The server's connections with no request running, longest waiting first (a dict keeps
    its order): the one to close to make room is found at once, not by a scan."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timeout_keep_alive = self.limits.idle_timeout_s  # type: ignore[assignment]
        self._read_deadline: asyncio.TimerHandle | None = None

    # -- the connection's life ---------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.conditions.end("out_of_files", "accepting connections again")
        if len(self.connections) > self.limits.max_connections and not self._make_room():
            self.conditions.start("refusing", f"all {self.limits.max_connections} connections have a request "
                                              "running: new connections get 503 until one ends")
            transport.write(error_response(503, "Service Unavailable", "busy",
                                           "the server has too many connections; try again shortly"))
            transport.close()
            return
        self.waiting[self] = None
        self._arm_idle()
        self._arm_read()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_read()
        self.waiting.pop(self, None)
        super().connection_lost(exc)
        if len(self.connections) < RECOVERED_SHARE * self.limits.max_connections:
            self.conditions.end("at_limit", "open connections are below the limit again")
            self.conditions.end("refusing", "accepting new connections again")

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._note_state()

    def on_response_complete(self) -> None:
        if not self.transport.is_closing():
            self.waiting.pop(self, None)
            self.waiting[self] = None  # waiting again, from now: the end of the order
            self._arm_read()
        super().on_response_complete()
        self._note_state()  # a pipelined request may already be in

    def _note_state(self) -> None:
        """A request's headers are in: it is running, no longer waiting; once its body is in too,
        the read timeout is done with."""
        if self.conn.their_state is not h11.IDLE:
            self.waiting.pop(self, None)
            if self.conn.their_state is not h11.SEND_BODY:
                self._disarm_read()

    def send_400_response(self, msg: str) -> None:
        """Malformed HTTP (bad request line, bad header, headers over 16 KB): the JSON shape."""
        self._disarm_read()
        self.transport.write(error_response(400, "Bad Request", "malformed_http",
                                            "the request is not valid HTTP/1.1"))
        self.transport.close()

    # -- timers ------------------------------------------------------------------------------

    def _arm_idle(self) -> None:
        self._unset_keepalive_if_required()
        self.timeout_keep_alive_task = self.loop.call_later(self.limits.idle_timeout_s,
                                                            self.timeout_keep_alive_handler)

    def _arm_read(self) -> None:
        self._disarm_read()
        self._read_deadline = self.loop.call_later(self.limits.read_timeout_s, self._read_timed_out)

    def _disarm_read(self) -> None:
        if self._read_deadline is not None:
            self._read_deadline.cancel()
            self._read_deadline = None

    def _read_timed_out(self) -> None:
        """The request did not arrive whole in time: 408, unless an answer was already begun
        (then the connection is only closed)."""
        self._read_deadline = None
        if self.transport.is_closing():
            return
        running = self.cycle is not None and not (self.cycle.response_complete and self.conn.their_state is h11.IDLE)
        if running and self.cycle is not None:
            if self.cycle.response_started:  # answered before the body was read: nothing more to say
                self.transport.close()
                return
            self.cycle.disconnected = True  # the app, waiting for the body, is told the client left
            self.cycle.message_event.set()
        self.transport.write(error_response(
            408, "Request Timeout", "timeout",
            f"the request did not arrive within {self.limits.read_timeout_s:g} s"))
        self.transport.close()

    # -- the cap -------------------------------------------------------------------------------

    def _make_room(self) -> bool:
        """Close the connection that has waited longest for a request; False when all are busy."""
        while self.waiting:
            oldest = next(iter(self.waiting))
            del self.waiting[oldest]
            if oldest.transport.is_closing():
                continue
            self.conditions.start("at_limit", f"{self.limits.max_connections} connections are open: the longest "
                                              "waiting for a request are closed to make room for new ones")
            oldest._disarm_read()
            oldest.transport.close()
            return True
        return False


def protocol_for(limits: ConnectionLimits) -> type[GuardedH11Protocol]:
    """A protocol class for one server: its limits, and its own record of conditions."""
    return type("BriefingH11Protocol", (GuardedH11Protocol,),
                {"limits": limits, "conditions": Conditions(), "waiting": {}})


def accept_error_handler(conditions: Conditions) -> Any:
    """An event-loop exception handler that reports running out of descriptors once per
    condition (asyncio logs it, with a traceback, for every connection it cannot accept), and
    passes anything else on to the default handler."""

    def handle(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if isinstance(exc, OSError) and exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
            conditions.start("out_of_files", f"cannot accept connections: {exc.strerror} (the open-files limit, "
                                             "`ulimit -n`, is reached); trying again every second")
            return
        loop.default_exception_handler(context)

    return handle


class Repeats(logging.Filter):
    """Lets a message through once per ``window_s``; the next one after a quiet spell says how
    many like it were held back. For uvicorn's "Invalid HTTP request received.", which a
    client can provoke as often as it likes."""

    def __init__(self, window_s: float = 60.0) -> None:
        super().__init__()
        self.window_s = window_s
        self._last: dict[str, tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = str(record.msg)
        now = record.created
        shown, held = self._last.get(key, (float("-inf"), 0))
        if now - shown < self.window_s:
            self._last[key] = (shown, held + 1)
            return False
        self._last[key] = (now, 0)
        if held:
            record.msg = f"{record.msg} ({held} more like it in the last {self.window_s:g} s)"
        return True
