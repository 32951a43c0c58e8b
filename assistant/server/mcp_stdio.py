"""MCP over standard input and output (``briefing mcp``), with every line answered.

The SDK's stdio transport hands a line it cannot parse to the server as an exception, which
the server drops (logged at debug level): a client that sent a malformed request waited for an
answer for ever. Here such a line gets the JSON-RPC error the HTTP transport gives for the same
body (-32700 "Parse error" for what is not JSON, -32600 "Invalid Request" for JSON that is not
a JSON-RPC message; ``id`` null, as the specification asks when the id cannot be read), and
one line on standard error says so.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TYPE_CHECKING, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.stdio import stdio_server
from mcp.shared.message import SessionMessage
from mcp_types import INVALID_REQUEST, PARSE_ERROR, ErrorData, JSONRPCError
from pydantic import ValidationError

from assistant.text.printable import escaped

if TYPE_CHECKING:
    from typing import Self


async def run_stdio(server: MCPServer) -> None:
    """Serve ``server`` over this process's standard input and output until input ends."""
    lowlevel = server._lowlevel_server  # noqa: SLF001 - what MCPServer.run_stdio_async serves too
    async with stdio_server() as (read_stream, write_stream):
        await lowlevel.run(AnsweringUnreadable(read_stream, write_stream), write_stream,
                           lowlevel.create_initialization_options())


def error_for(problem: Exception) -> JSONRPCError:
    """The JSON-RPC error for a line that is not a message."""
    not_json = isinstance(problem, ValidationError) and any(
        e.get("type") == "json_invalid" for e in problem.errors(include_url=False))
    code, message = (PARSE_ERROR, "Parse error") if not_json or not isinstance(problem, ValidationError) else \
        (INVALID_REQUEST, "Invalid Request")
    return JSONRPCError(jsonrpc="2.0", id=None, error=ErrorData(code=code, message=message))


class AnsweringUnreadable:
    """The stdio transport's read stream, less the lines it could not read: each is answered
    on ``write_stream`` (``error_for``) and logged, and reading goes on."""

    def __init__(self, inner: Any, write_stream: Any) -> None:
        self._inner = inner
        self._write = write_stream

    @property
    def last_context(self) -> Any:
        """The sender's context of the last item, as the SDK's own stream keeps it."""
        return getattr(self._inner, "last_context", None)

    async def receive(self) -> SessionMessage:
        while True:
            item = await self._inner.receive()
            if not isinstance(item, Exception):
                return item  # type: ignore[no-any-return]
            await self._answer(item)

    async def _answer(self, problem: Exception) -> None:
        error = error_for(problem)
        first = problem.errors(include_url=False)[0].get("msg", "") if isinstance(problem, ValidationError) else \
            str(problem)
        print(f"briefing mcp: a line on standard input is not a JSON-RPC message ({escaped(str(first))}); "
              f"answered {error.error.code} {error.error.message}", file=sys.stderr, flush=True)
        await self._write.send(SessionMessage(error))

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> SessionMessage:
        import anyio

        try:
            return await self.receive()
        except (anyio.EndOfStream, anyio.ClosedResourceError):
            raise StopAsyncIteration from None

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> bool | None:
        await self.aclose()
        return None
