"""Briefing as Model Context Protocol tools (the official SDK's ``MCPServer``), for an official's
AI assistant: over stdio (``briefing mcp``) or streamable HTTP at ``/mcp`` (``briefing serve``).

Each tool answers with text carrying ``[n]`` citation marks and a numbered list of the cited
spans, and with structured content holding every citation (document, start, end, page, text),
the same JSON the HTTP API returns. Every span was re-read from its document before it was
returned, so an assistant quoting it quotes the document.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field

from assistant.server.service import (
    MAX_K,
    AskRequest,
    BriefingService,
    BriefRequest,
    RequestError,
    SearchRequest,
    validated,
)

INSTRUCTIONS = (
    "Briefing answers from the documents in one folder, extractively: every sentence it returns is an "
    "exact span of a document, cited by document and character offsets, and it says when the documents "
    "do not cover a question. Quote its sentences as they are and keep their citations."
)
READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
"""Tools that write nothing anywhere (checked by tests/test_server_hostile.py)."""
REMEMBERS = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False,
                            open_world_hint=False)
"""``brief``: it records when its topic was briefed (``brief.new_since.BriefHistory``), so that
``new_since="last"`` can mark what is new next time; it changes nothing else."""
Passages = Annotated[int | None, Field(description=f"How many passages (1 to {MAX_K}).",
                                       json_schema_extra={"minimum": 1, "maximum": MAX_K})]
"""``k``: its bounds shown in the tool's schema and checked by ``SearchRequest``, whose error
names them as the HTTP API's does ("k: Input should be less than or equal to 50")."""


def _where(c: dict[str, Any]) -> str:
    page = f", {c['location']}" if c.get("location") else (f", page {c['page']}" if c.get("page") else "")
    return f"{c['doc']}, characters {c['start']}–{c['end']}{page}"


def _cited(text: str, citations: list[dict[str, Any]]) -> str:
    notes = [f"[{c.get('n', i)}] {_where(c)}: “{' '.join(str(c['text']).split())}”"
             for i, c in enumerate(citations, 1)]
    return "\n\n".join([text, "\n".join(notes)]) if notes else text


def _result(text: str, data: dict[str, Any]) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=data)


def mcp_server(service: BriefingService) -> MCPServer:
    server: MCPServer = MCPServer("briefing", title="Briefing", instructions=INSTRUCTIONS)

    async def call(work: Any, *args: Any) -> dict[str, Any]:
        try:
            result: dict[str, Any] = await service.run(work, *args)
            return result
        except RequestError as exc:
            raise ToolError(str(exc)) from None

    def request(model: type[BaseModel], **fields: Any) -> Any:
        try:
            return validated(model, **fields)
        except RequestError as exc:  # the same words as the HTTP API's 400
            raise ToolError(str(exc)) from None

    @server.tool(annotations=READ_ONLY)
    async def ask(question: str, doc: list[str] | None = None, since: str | None = None, until: str | None = None,
                  conversation: dict[str, Any] | None = None) -> CallToolResult:
        """Answer a question from the documents: a few sentences, each an exact cited span, or a
        statement that the documents do not cover it. For a follow-up, pass back the
        `conversation` of the previous answer. `doc`, `since` and `until` narrow the documents."""
        data = await call(service.ask, request(AskRequest, question=question, doc=doc or [], since=since,
                                               until=until, conversation=conversation))
        return _result(_banner(data) + _cited(data["answer"], data["citations"]), data)

    @server.tool(annotations=READ_ONLY)
    async def search(query: str, k: Passages = None, doc: list[str] | None = None, since: str | None = None,
                     until: str | None = None) -> CallToolResult:
        """The passages that best match a query, ranked, each with its document and offsets."""
        data = await call(service.search, request(SearchRequest, query=query, k=k, doc=doc or [], since=since,
                                                  until=until))
        lines = [f"[{h['rank']}] {h['doc']}, characters {h['start']}–{h['end']}: {' '.join(h['text'].split())}"
                 for h in data["hits"]]
        return _result("\n\n".join(lines) or "No passage matches.", data)

    @server.tool(annotations=REMEMBERS)
    async def brief(topic: str, length: Literal["short", "standard", "long"] = "standard",
                    doc: list[str] | None = None, since: str | None = None, until: str | None = None,
                    new_since: str | None = None) -> CallToolResult:
        """A brief on a topic: key points, a dated timeline and the actors, every line cited.
        new_since (YYYY-MM-DD or 'last'): mark the lines from documents added or dated after it.
        The time of the brief is remembered for the topic (as a hash, unless the server keeps
        topic text), which is what 'last' compares with."""
        data = await call(service.brief, request(BriefRequest, topic=topic, length=length, doc=doc or [],
                                                 since=since, until=until, new_since=new_since))
        return _result(_banner(data) + _brief_text(data), data)

    @server.tool(annotations=READ_ONLY)
    async def list_documents() -> CallToolResult:
        """The indexed documents: id, title, date and format."""
        data = await call(service.documents)
        lines = [f"{d['doc']}: {d['title']}" + (f" ({d['date']})" if d["date"] else "") for d in data["documents"]]
        return _result("\n".join(lines) or "The index holds no documents.", data)

    @server.tool(annotations=READ_ONLY)
    async def read_source(doc: str, start: int | None = None, end: int | None = None) -> CallToolResult:
        """A document's indexed text, or the span start:end of it: what citations point into."""
        data = await call(service.source_text, doc, start, end)
        return _result(data["text"], data)

    @server.tool(annotations=READ_ONLY)
    async def index_status() -> CallToolResult:
        """The index (model, passages, when it was built) and each document's state."""
        data = await call(service.status)
        states: dict[str, int] = {}
        for d in data.get("documents", []):
            states[d["state"]] = states.get(d["state"], 0) + 1
        summary = ", ".join(f"{n} {state}" for state, n in sorted(states.items())) or "no documents"
        return _result(f"{data.get('chunks', 0)} passages; documents: {summary}.", data)

    return server


def _banner(data: dict[str, Any]) -> str:
    """The overall marking as the text's first line, when a scheme is in force."""
    return f"{data['marking']}\n\n" if data.get("marking") else ""


def _brief_text(data: dict[str, Any]) -> str:
    if data.get("not_covered"):
        return str(data["not_covered"])
    numbers: dict[tuple[str, int, int], int] = {}
    cited: list[dict[str, Any]] = []

    def ref(c: dict[str, Any]) -> str:
        key = (c["doc"], c["start"], c["end"])
        if key not in numbers:
            cited.append(c)
            numbers[key] = len(cited)
        return f"[{numbers[key]}]"

    lines = [f"Briefing: {data['topic']}"] + [data[k] for k in ("thin", "new_note") if data.get(k)]

    def new(row: dict[str, Any]) -> str:
        return "New: " if row.get("new") else ""

    lines += ["", "Key points:"] + [f"- {new(k)}{k['text']} " + "".join(ref(c) for c in [k["citation"], *k["also"]])
                                    for k in data["key_points"]]
    if data["timeline"]:
        lines += ["", "Timeline:"] + [f"- {new(t)}{t['date']}: {' '.join(t['citation']['text'].split())} "
                                      f"{ref(t['citation'])}" for t in data["timeline"]]
    if data["actors"]:
        lines += ["", "Actors: " + "; ".join(f"{a['name']} ({a['kind']})" for a in data["actors"])]
    return _cited("\n".join(lines), [{**c, "n": i} for i, c in enumerate(cited, 1)])
