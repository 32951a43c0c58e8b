"""Who may call the server, and how much they may send: checked before any route runs.

- **Host**: a server on the loopback interface answers only requests addressed to a loopback
  name, so a web page that rebinds its own domain to 127.0.0.1 cannot reach it (DNS rebinding,
  which the MCP transport requires servers to prevent).
- **Origin**: a browser's request carries its page's origin; only origins allowed explicitly
  (``BRIEFING_SERVE_ALLOWED_ORIGINS``) get in. Tools that are not browsers send none.
- **Token**: with ``BRIEFING_API_TOKEN`` set, every request carries it as a bearer token,
  compared in constant time. Binding anything but loopback requires one (``serve`` refuses
  to start without).
- **Body size**: a body over ``serve_max_body_kb`` is refused with 413 before it is parsed.

The access log records method, path, status and duration, and question text only when
``serve_log_questions`` asks for it: questions can be sensitive. Whatever a client sent is
written escaped (``text.printable.escaped``): a ``%0a`` or ``%1b[2J`` in a URL can neither
forge a log line nor clear the terminal reading it, refused requests included.

Which host names count as this server's own: the loopback names, and the address it is bound
to when that is a loopback address (``serve --host 127.0.0.2``). Whether an address is loopback
is decided by parsing it (``ipaddress``), never by its first characters: ``127.0.0.1.example``
is a name anyone can point anywhere.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.server.readers import CURRENT, Audit, Reader, Readers
from assistant.text.printable import escaped

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
access_log = logging.getLogger("briefing.access")


def is_loopback(host: str) -> bool:
    """Whether ``host`` (as given to ``--host``) is a loopback address or the name "localhost"."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def own_host_names(host: str) -> frozenset[str]:
    """The Host header names a loopback server answers to: the loopback names, and the address
    it is bound to (``127.0.0.2``; an IPv6 one as a Host header writes it, in brackets)."""
    return frozenset(LOOPBACK_NAMES | {host_name(host)})


def host_name(host: str) -> str:
    """A host as Host headers are compared: an address in its one canonical spelling (IPv6 in
    brackets: "[0:0::1]" is "[::1]"), a name in lower case."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host.lower()
    return f"[{address}]" if address.version == 6 else str(address)


@dataclass(frozen=True)
class Policy:
    token: str | None
    allowed_hosts: frozenset[str] | None
    """Host names requests may be addressed to; None accepts any (a token guards the server)."""
    allowed_origins: frozenset[str]
    max_body: int
    log_questions: bool = False
    readers: Readers | None = None
    """The tokens file's clients (``readers``): each request is answered at its token's clearance."""
    default: Reader = Reader("-")
    """The reader of a request that names none (the shared ``token``, or none on loopback)."""


class Guards:
    """Pure ASGI middleware applying a ``Policy`` to every HTTP request (MCP's included)."""

    def __init__(self, app: ASGIApp, policy: Policy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [0]

        async def send_logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        body: list[Message] = []
        audit = Audit(self.policy.default)
        scope.setdefault("state", {})["audit"] = audit
        held = CURRENT.set(audit)
        try:
            refusal = self._refusal(scope, audit)
            if refusal is None:
                body, too_large = await _read_body(receive, self.policy.max_body)
                if too_large:
                    refusal = (413, "too_large", f"the request body is over {self.policy.max_body // 1024} KB")
                elif body and body[-1]["type"] == "http.disconnect":
                    return  # the client left (or was timed out) before its body arrived: no one to answer
            if refusal is not None:
                await _send_error(send_logged, *refusal)
            else:
                await self.app(scope, _replay(body, receive), send_logged)
        finally:
            CURRENT.reset(held)
            self._log(scope, status[0], time.perf_counter() - started)

    def _refusal(self, scope: Scope, audit: Audit) -> tuple[int, str, str] | None:
        headers = _headers(scope["headers"])
        p = self.policy
        if p.allowed_hosts is not None and host_name(_hostname(headers.get("host", ""))) not in p.allowed_hosts:
            return 403, "bad_host", "requests must be addressed to this server's own host name"
        origin = headers.get("origin")
        if origin and origin not in p.allowed_origins:
            return 403, "bad_origin", f"origin {origin} is not allowed (BRIEFING_SERVE_ALLOWED_ORIGINS)"
        scheme, _, value = headers.get("authorization", "").partition(" ")
        bearer = value.strip() if scheme.lower() == "bearer" else ""
        reader = p.readers.find(bearer) if p.readers is not None else None
        if reader is not None:
            audit.reader = reader
        elif p.token is not None:
            if not bearer or not hmac.compare_digest(bearer.encode(), p.token.encode()):
                return 401, "unauthorized", "a bearer token is required (Authorization: Bearer …)"
        elif p.readers is not None and (bearer or p.allowed_hosts is None):
            return 401, "unauthorized", "a known bearer token is required (Authorization: Bearer …)"
        length = headers.get("content-length", "")
        if length.isascii() and length.isdigit() and (len(length) > 18 or int(length) > p.max_body):
            return 413, "too_large", f"the request body is over {p.max_body // 1024} KB"
        return None

    def _log(self, scope: Scope, status: int, seconds: float) -> None:
        shown = str(status) if status else "-"  # no answer: the client left, or was timed out, first
        line = f'{escaped(str(scope.get("method", "")))} {escaped(str(scope.get("path", "")))} {shown} ' \
               f'{seconds * 1000:.1f} ms'
        audit = (scope.get("state") or {}).get("audit")
        if isinstance(audit, Audit) and (self.policy.readers is not None or audit.released):
            line += f" token={escaped(audit.reader.name)}"
            if audit.released:
                line += f" released={escaped(audit.released)}"
        if self.policy.log_questions:
            asked = (scope.get("state") or {}).get("logged")
            if asked:
                line += ' "' + escaped(str(asked)).replace('"', '\\"') + '"'
        access_log.info(line)


def _headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in raw}


def _hostname(host: str) -> str:
    """The name in a Host header, without its port ("[::1]:8765" -> "[::1]")."""
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.rsplit(":", 1)[0] if ":" in host else host


async def _read_body(receive: Receive, limit: int) -> tuple[list[Message], bool]:
    """The request's body messages, read up to ``limit`` bytes (a request without a length,
    chunked, is counted as it arrives)."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, False
        size += len(message.get("body", b""))
        if size > limit:
            return messages, True
        if not message.get("more_body", False):
            return messages, False


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed


async def _send_error(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    headers: list[Any] = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 401:
        headers.append((b"www-authenticate", b"Bearer"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
