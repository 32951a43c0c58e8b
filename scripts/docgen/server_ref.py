"""The server as a client sees it: the routes of the app ``briefing serve`` runs, described by
its OpenAPI schema, and the MCP server's tools with their input schemas."""

from __future__ import annotations

import asyncio
import re
import typing
from dataclasses import dataclass
from typing import Any

from docgen.markdown import paragraphs, table


@dataclass(frozen=True)
class RouteDoc:
    method: str
    path: str
    summary: str
    body: str


def server_routes() -> list[RouteDoc]:
    """The routes of the app ``briefing serve`` runs (``server.http.api_app``, with MCP mounted),
    described by the OpenAPI schema the server publishes."""
    from assistant.server import http

    class McpStub:  # stands in for the MCP app: an ASGI app, so every method reaches it
        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            return None

    app = http.api_app(typing.cast(Any, None), mcp_app=McpStub())
    schema = http.openapi_schema()
    docs: list[RouteDoc] = []
    for route in app.routes:
        path = str(getattr(route, "path", ""))
        described = re.sub(r"\{(\w+):\w+\}", r"{\1}", path)
        methods = sorted((getattr(route, "methods", None) or {"any"}) - {"HEAD"})
        for method in methods:
            operation = schema["paths"].get(described, {}).get(method.lower(), {})
            summary = operation.get("summary", "")
            if path == "/mcp":
                summary = "The Model Context Protocol over streamable HTTP (the tools below)"
            elif path.endswith("openapi.json"):
                summary = "This API's OpenAPI 3.1 schema"
            docs.append(RouteDoc(method.upper() if method != "any" else "any", described, summary,
                                 _route_inputs(operation)))
    return docs


def _route_inputs(operation: dict[str, Any]) -> str:
    fields: list[str] = []
    schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    required = set(schema.get("required", []))
    for name in sorted(schema.get("properties", {}), key=lambda n: n not in required):
        fields.append(f"`{name}`" + (" (required)" if name in required else ""))
    for param in operation.get("parameters", []):
        if param.get("in") == "query":
            fields.append(f"`?{param['name']}=`")
    return ", ".join(fields)


def routes_block() -> str:
    rows = [(f"`{r.method} {r.path}`", r.body, r.summary) for r in server_routes()]
    return table(["Route", "Body or query", "What it returns"], rows) + "\n"


def mcp_tools() -> list[Any]:
    from assistant.server.mcp_tools import mcp_server

    server = mcp_server(typing.cast(Any, None))
    return list(asyncio.run(server.list_tools()))


def mcp_tools_block() -> str:
    rows = []
    for tool in mcp_tools():
        schema = tool.input_schema if hasattr(tool, "input_schema") else tool.inputSchema
        required = set(schema.get("required", []))
        names = sorted(schema.get("properties", {}), key=lambda n: n not in required)
        inputs = ", ".join(f"`{n}`" + (" (required)" if n in required else "") for n in names)
        read_only = "yes" if tool.annotations is not None and tool.annotations.read_only_hint else "no"
        rows.append((f"`{tool.name}`", inputs or "—", read_only, paragraphs(tool.description or "")))
    return table(["Tool", "Inputs", "Read-only", "What it does"], rows) + "\n"
