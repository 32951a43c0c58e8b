"""``briefing serve``'s HTTP API: versioned JSON routes under ``/v1``, an OpenAPI schema, and the
Model Context Protocol at ``/mcp`` (streamable HTTP, from the official SDK).

Every response is JSON; every error is ``{"error": {"code", "message"}}`` with the status that
fits it, never a traceback. The API is read-only: nothing here writes to the corpus or the index.
The guards around it (``server.guards``) check the host, origin, token and body size first.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import pydantic_core
from pydantic import BaseModel, ValidationError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from assistant.server.service import AskRequest, BriefingService, BriefRequest, RequestError, SearchRequest

if TYPE_CHECKING:
    from starlette.types import ASGIApp

API_VERSION = "v1"
log = logging.getLogger("briefing.server")


def error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def routes(service: BriefingService) -> list[Route]:
    """The ``/v1`` routes, each a thin shell around one ``BriefingService`` operation."""

    async def ask(request: Request) -> Response:
        body = await _body(request, AskRequest)
        request.state.logged = body.question
        return JSONResponse(await service.run(service.ask, body))

    async def search(request: Request) -> Response:
        body = await _body(request, SearchRequest)
        request.state.logged = body.query
        return JSONResponse(await service.run(service.search, body))

    async def brief(request: Request) -> Response:
        body = await _body(request, BriefRequest)
        request.state.logged = body.topic
        return JSONResponse(await service.run(service.brief, body))

    async def documents(_request: Request) -> Response:
        return JSONResponse(await service.run(service.documents))

    async def text(request: Request) -> Response:
        doc = request.path_params["doc"]
        start, end = _offset(request, "start"), _offset(request, "end")
        return JSONResponse(await service.run(service.source_text, doc, start, end))

    async def status(_request: Request) -> Response:
        return JSONResponse(await service.run(service.status))

    async def openapi(_request: Request) -> Response:
        return JSONResponse(openapi_schema())

    v = f"/{API_VERSION}"
    return [
        Route(f"{v}/status", status, methods=["GET"]),
        Route(f"{v}/documents", documents, methods=["GET"]),
        Route(f"{v}/documents/{{doc:path}}/text", text, methods=["GET"]),
        Route(f"{v}/ask", ask, methods=["POST"]),
        Route(f"{v}/search", search, methods=["POST"]),
        Route(f"{v}/brief", brief, methods=["POST"]),
        Route(f"{v}/openapi.json", openapi, methods=["GET"]),
    ]


async def _body(request: Request, model: type[BaseModel]) -> Any:
    if not request.headers.get("content-type", "").lower().startswith("application/json"):
        raise RequestError(415, "unsupported_media_type", "send the request body as application/json")
    raw = await request.body()
    try:
        # The MCP SDK's parser, so both transports accept the same JSON: UTF-8 only, no lone
        # surrogate ("\ud800", which no answer could carry back), at most 200 levels deep.
        data = pydantic_core.from_json(raw)
    except ValueError as exc:
        raise RequestError(400, "malformed_json", f"the request body is not valid JSON ({exc})") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RequestError.invalid(exc) from None


_OFFSET = re.compile(r"[0-9]{1,15}")
"""A character offset: ASCII digits ("²" and "٣" are digits to ``str.isdigit``, not to ``int``),
and few enough of them to be an offset (a 5,000-digit number is more than ``int`` will parse)."""


def _offset(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if not _OFFSET.fullmatch(raw):
        raise RequestError(400, "invalid_request", f"{name} must be a non-negative whole number (0-9, at most "
                                                   "15 digits)")
    return int(raw)


def exception_handlers() -> dict[Any, Any]:
    async def request_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestError)
        return error(exc.status, exc.code, str(exc))

    async def http_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        codes = {404: "not_found", 405: "method_not_allowed"}
        return error(exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail))

    async def unexpected(_request: Request, exc: Exception) -> Response:
        log.error("unexpected %s while serving a request", type(exc).__name__, exc_info=exc)
        return error(500, "internal_error", "the server failed to answer; the error is in its log")

    return {RequestError: request_error, HTTPException: http_error, Exception: unexpected}


def api_app(service: BriefingService, mcp_app: ASGIApp | None = None, lifespan: Any = None) -> Starlette:
    """The routes, with ``/mcp`` when given (its session manager runs in ``lifespan``)."""
    all_routes: list[Any] = list(routes(service))
    if mcp_app is not None:  # an ASGI app: every method reaches it
        all_routes.append(Route("/mcp", endpoint=JsonErrors(mcp_app)))
    return Starlette(routes=all_routes, exception_handlers=exception_handlers(), lifespan=lifespan)


_ERROR_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 406: "not_acceptable",
                415: "unsupported_media_type"}


class JsonErrors:
    """An ASGI app's errors that are not JSON (the MCP SDK answers a wrong content type with
    plain text, a wrong method or Accept header with an empty 405 or 406) rewritten in the
    API's shape; JSON errors (MCP's JSON-RPC ones, ``{"error": {"code", "message"}}`` too) and
    every other answer pass as they are."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        import http as http_status

        held: dict[str, Any] = {}
        body = bytearray()

        async def rewriting(message: Any) -> None:
            if message["type"] == "http.response.start":
                types = [v for k, v in message.get("headers", []) if k.lower() == b"content-type"]
                if message["status"] >= 400 and not any(t.startswith(b"application/json") for t in types):
                    held["start"] = message
                    return
            elif "start" in held and message["type"] == "http.response.body":
                body.extend(message.get("body", b""))
                if message.get("more_body", False):
                    return
                status = held["start"]["status"]
                text = body.decode("utf-8", "replace").strip() or http_status.HTTPStatus(status).phrase
                await error(status, _ERROR_CODES.get(status, "http_error"), text)(scope, receive, send)
                return
            await send(message)

        await self.app(scope, receive, rewriting)


def openapi_schema() -> dict[str, Any]:
    """OpenAPI 3.1 for the ``/v1`` routes: request bodies from the same pydantic models that
    validate them; responses are the CLI's ``--json`` shapes, described in docs/commands.md."""
    def body(model: type[BaseModel]) -> dict[str, Any]:
        return {"required": True, "content": {"application/json": {"schema": model.model_json_schema()}}}

    err = {"description": "An error: {\"error\": {\"code\", \"message\"}}"}
    ok = {"description": "JSON, as the CLI's --json prints it"}
    common = {"400": err, "401": err, "403": err, "413": err, "503": err, "504": err}

    def op(summary: str, request: type[BaseModel] | None = None, params: list[Any] | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"summary": summary, "responses": {"200": ok, **common}}
        if request is not None:
            out["requestBody"] = body(request)
        if params:
            out["parameters"] = params
        return out

    def query(name: str) -> dict[str, Any]:
        return {"name": name, "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0}}

    v = f"/{API_VERSION}"
    return {
        "openapi": "3.1.0",
        "info": {"title": "Briefing", "version": API_VERSION,
                 "description": "Extractive answers and briefs whose every sentence is a verbatim, cited span."},
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
        "paths": {
            f"{v}/status": {"get": op("The index and each document's state")},
            f"{v}/documents": {"get": op("The indexed documents")},
            f"{v}/documents/{{doc}}/text": {"get": op(
                "A document's indexed text, or the span start:end (what citations point into)",
                params=[{"name": "doc", "in": "path", "required": True, "schema": {"type": "string"}},
                        query("start"), query("end")])},
            f"{v}/ask": {"post": op("Answer a question with cited sentences, or refuse", AskRequest)},
            f"{v}/search": {"post": op("The ranked passages for a query", SearchRequest)},
            f"{v}/brief": {"post": op("A brief on a topic: key points, timeline, actors, sources", BriefRequest)},
        },
    }
