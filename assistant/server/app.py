"""The server assembled: the service, its HTTP routes and MCP endpoint behind the guards, and
a watcher keeping the index current while it runs."""

from __future__ import annotations

import contextlib
import logging
import socket
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

from assistant.errors import ConfigError, CorpusError
from assistant.server.guards import Guards, Policy, is_loopback, own_host_names
from assistant.server.http import api_app
from assistant.server.mcp_tools import mcp_server
from assistant.server.service import BriefingService
from assistant.server.watcher import start_watching
from assistant.settings import Settings

if TYPE_CHECKING:
    from starlette.types import ASGIApp

    from assistant.answer.engine import Engine
    from assistant.embedders import Embedder

DEFAULT_PORT = 8765


def policy_for(settings: Settings, host: str, log_questions: bool = False) -> Policy:
    """The guards for a server bound to ``host``: loopback answers loopback names (and its own
    address) only; any other address needs a token (``check_binding``) and accepts any host name."""
    origins = frozenset(o.strip().rstrip("/") for o in settings.server.serve_allowed_origins.split(",") if o.strip())
    readers = None
    if settings.server.serve_tokens_file is not None:
        from assistant.markings.scheme import configured_scheme
        from assistant.server.readers import read_readers

        scheme = configured_scheme(settings.markings.markings_file, settings.paths.corpus_dir)
        readers = read_readers(settings.server.serve_tokens_file, scheme.scheme if scheme else None)
    return Policy(token=settings.server.api_token, allowed_hosts=own_host_names(host) if is_loopback(host) else None,
                  allowed_origins=origins, max_body=settings.server.serve_max_body_kb * 1024,
                  log_questions=log_questions or settings.server.serve_log_questions, readers=readers)


def check_binding(settings: Settings, host: str, port: int) -> None:
    """Refuse, with one line, what must not start: another interface without a token, or a
    port that is taken."""
    if not is_loopback(host) and not settings.server.api_token and not settings.server.serve_tokens_file:
        raise ConfigError(f"serving on {host} needs a token: set BRIEFING_API_TOKEN (16 characters or more) or "
                          "BRIEFING_SERVE_TOKENS_FILE, or keep the default --host 127.0.0.1")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as exc:
            raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def server_app(service: BriefingService, policy: Policy) -> ASGIApp:
    """The whole ASGI application: ``/v1`` routes and ``/mcp``, behind the guards."""
    from mcp.server.transport_security import TransportSecuritySettings

    mcp = mcp_server(service)
    # Host and origin are checked by the guards for every path, /mcp included.
    mcp_app = mcp.streamable_http_app(streamable_http_path="/mcp", stateless_http=True, json_response=True,
                                      transport_security=TransportSecuritySettings(
                                          enable_dns_rebinding_protection=False))

    @contextlib.asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        async with mcp.session_manager.run():
            yield

    return Guards(api_app(service, mcp_app, lifespan), policy)


def configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    for name in ("briefing.access", "briefing.server"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False


def server_config(app: ASGIApp, settings: Settings, host: str, port: int) -> Any:
    """uvicorn's configuration for ``app``: its connections kept by ``server.connections`` (the
    idle and read timeouts, the cap on open connections, JSON for malformed HTTP), and uvicorn's
    own warnings said once a minute at most however often a client provokes them."""
    import uvicorn

    from assistant.server.connections import (
        MAX_HEADER_BYTES,
        ConnectionLimits,
        Repeats,
        capped_connections,
        protocol_for,
    )

    cap, backlog, note = capped_connections(settings.server.serve_max_connections)
    if note:
        print(f"Briefing serves {note}.", file=sys.stderr, flush=True)
    limits = ConnectionLimits(settings.server.serve_idle_timeout_s, settings.server.serve_read_timeout_s, cap)
    config = uvicorn.Config(app, host=host.strip("[]"), port=port, log_level="warning", access_log=False,
                            http=protocol_for(limits), h11_max_incomplete_event_size=MAX_HEADER_BYTES, backlog=backlog,
                            timeout_graceful_shutdown=max(5, int(settings.server.serve_timeout_s)), server_header=False)
    uvicorn_log = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, Repeats) for f in uvicorn_log.filters):
        uvicorn_log.addFilter(Repeats())
    return config


def run_server(engine: Engine, embedder: Embedder, settings: Settings, host: str, port: int, watch: bool,
          log_questions: bool = False) -> None:
    """Run until SIGINT or SIGTERM; requests in flight are finished first (uvicorn drains them)."""
    check_binding(settings, host, port)
    if watch and not settings.paths.corpus_dir.is_dir():
        raise CorpusError(f"corpus folder not found: {settings.paths.corpus_dir} "
                          "(or serve the index alone: --no-watch)")
    configure_logging()
    service = BriefingService(engine, settings)
    stop = start_watching(settings, embedder, service) if watch else None
    app = server_app(service, policy_for(settings, host, log_questions))
    where = f"[{host}]" if ":" in host else host
    print(f"Briefing serves http://{where}:{port}/v1 and MCP at http://{where}:{port}/mcp (Ctrl+C stops).",
          file=sys.stderr, flush=True)
    try:
        _DrainingServer(server_config(app, settings, host, port)).run()
    finally:
        if stop is not None:
            stop.set()


def _draining_server_class() -> Any:
    import signal

    import uvicorn

    class DrainingServer(uvicorn.Server):
        """SIGINT and SIGTERM stop listening and finish the requests in flight, then the process
        exits 0 (uvicorn would raise the signal again once drained, so it died by it)."""

        async def startup(self, sockets: Any = None) -> None:
            """Running out of descriptors is logged once per condition, not per connection."""
            import asyncio

            from assistant.server.connections import accept_error_handler

            conditions = getattr(self.config.http, "conditions", None)
            if conditions is not None:
                asyncio.get_running_loop().set_exception_handler(accept_error_handler(conditions))
            await super().startup(sockets)

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            if threading.current_thread() is not threading.main_thread():
                yield
                return
            original = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
            try:
                yield
            finally:
                for sig, handler in original.items():
                    signal.signal(sig, handler)

    return DrainingServer


def _DrainingServer(config: Any) -> Any:  # noqa: N802 (a class made on first use: uvicorn loads late)
    return _draining_server_class()(config)


def serve_stdio(engine: Engine, embedder: Embedder, settings: Settings, watch: bool) -> None:
    """MCP over standard input and output, for clients that start Briefing as a command
    (``server.mcp_stdio``: a line that is not JSON-RPC is answered, not dropped). Anything
    Briefing says goes to standard error: standard output is the protocol's."""
    service = BriefingService(engine, settings)
    stop = start_watching(settings, embedder, service) if watch else None
    import anyio

    from assistant.server.mcp_stdio import run_stdio

    try:
        anyio.run(run_stdio, mcp_server(service))
    finally:
        if stop is not None:
            stop.set()
