"""``briefing serve``: a real uvicorn on a free loopback port, driven over HTTP with httpx, and
the MCP SDK's own client against ``/mcp``."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from assistant.answer.engine import Engine
from assistant.errors import ConfigError
from assistant.server.app import check_binding, policy_for, server_app
from assistant.server.service import BriefingService
from assistant.settings import Settings
from tests.fakes import HashEmbedder
from tests.helpers import build, write_doc

pytestmark = pytest.mark.usefixtures("fake_scale")
TOKEN = "s3cret-token-for-tests"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    url: str
    service: BriefingService
    settings: Settings
    thread: threading.Thread
    server: object


def serve(settings: Settings, engine: Engine | None = None, log_questions: bool = False,
          host: str = "127.0.0.1") -> Served:
    import uvicorn

    service = BriefingService(engine or Engine(settings, HashEmbedder()), settings)
    app = server_app(service, policy_for(settings, host, log_questions))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False, lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started
    return Served(f"http://127.0.0.1:{port}", service, settings, thread, server)


def stop(served: Served) -> None:
    served.server.should_exit = True  # type: ignore[attr-defined]
    served.thread.join(10)


@pytest.fixture
def docs(three_docs: Path, settings: Settings) -> Path:
    write_doc(three_docs, "plants.txt", "Acme opened a plant in Ohio in 2024. Acme invests $2 billion in batteries.\n"
              "Zebra Foods sells frozen dumplings across Europe.\n")
    build(settings, HashEmbedder())
    return three_docs


@pytest.fixture
def server(docs: Path) -> Iterator[Served]:
    served = serve(Settings.from_env())
    yield served
    stop(served)


def hold_searches(served: Served) -> threading.Event:
    """Searches wait until the returned event is set: requests that are still running."""
    release = threading.Event()
    original = served.service.search

    def slow_search(request):  # type: ignore[no-untyped-def]
        release.wait(5)
        return original(request)

    served.service.search = slow_search  # type: ignore[method-assign]
    return release


def post(served: Served, path: str, body: object, **kwargs: object) -> httpx.Response:
    return httpx.post(served.url + path, json=body, timeout=30, **kwargs)  # type: ignore[arg-type]


# -- every endpoint ------------------------------------------------------------------------------


def test_ask_answers_with_citations_that_are_the_documents_own_text(server, docs):
    r = post(server, "/v1/ask", {"question": "Where did Acme open a plant?"})
    assert r.status_code == 200
    data = r.json()
    assert not data["abstained"] and data["citations"]
    for c in data["citations"]:
        assert (docs / c["doc"]).read_text(encoding="utf-8")[c["start"]:c["end"]] == c["text"]
    assert {"question", "answer", "citations", "notes", "conversation"} <= set(data)


def test_a_follow_up_sends_the_conversation_back(server):
    first = post(server, "/v1/ask", {"question": "Where did Acme open a plant?"}).json()
    again = post(server, "/v1/ask", {"question": "How much does it invest?", "conversation": first["conversation"]})
    assert again.status_code == 200
    data = again.json()
    assert len(data["conversation"]["turns"]) == 2
    assert any("2 billion" in c["text"] for c in data["citations"])


def test_search_brief_documents_status_and_text(server, docs):
    hits = post(server, "/v1/search", {"query": "gallium exports", "k": 2}).json()["hits"]
    assert len(hits) == 2 and hits[0]["doc"] == "a.txt"
    brief = post(server, "/v1/brief", {"topic": "Acme plant", "length": "short"}).json()
    assert set(brief) >= {"topic", "key_points", "timeline", "actors", "sources", "not_covered", "thin"}
    listed = httpx.get(server.url + "/v1/documents").json()
    assert {d["doc"] for d in listed["documents"]} == {"a.txt", "b.md", "c/d.txt", "plants.txt"}
    status = httpx.get(server.url + "/v1/status").json()
    assert status["watching"] is False and {d["state"] for d in status["documents"]} == {"indexed"}
    span = httpx.get(server.url + "/v1/documents/c/d.txt/text", params={"start": 0, "end": 12}).json()
    assert span["text"] == (docs / "c" / "d.txt").read_text()[:12] and span["length"] > 12
    schema = httpx.get(server.url + "/v1/openapi.json").json()
    assert {"/v1/ask", "/v1/search", "/v1/brief", "/v1/status"} <= set(schema["paths"])
    assert "question" in schema["paths"]["/v1/ask"]["post"]["requestBody"]["content"]["application/json"][
        "schema"]["properties"]


def test_a_brief_over_the_api_marks_what_is_new_since_the_last_one(server):
    first = post(server, "/v1/brief", {"topic": "Acme plant", "new_since": "last"})
    assert first.status_code == 400 and "no earlier brief" in first.text
    assert "new_since" not in post(server, "/v1/brief", {"topic": "Acme plant"}).json()
    again = post(server, "/v1/brief", {"topic": "acme plant", "new_since": "last"}).json()
    assert again["new_note"].startswith("Nothing new since the last brief on this topic")
    old = post(server, "/v1/brief", {"topic": "Acme plant", "new_since": "1999-01-01"}).json()
    assert old["key_points"] and all(k["new"] for k in old["key_points"])


def test_scopes_work_over_the_api(server):
    r = post(server, "/v1/search", {"query": "exports", "doc": ["b.md"]})
    assert r.status_code == 200 and {h["doc"] for h in r.json()["hits"]} == {"b.md"}


# -- limits and errors ---------------------------------------------------------------------------


def _error(r: httpx.Response, status: int, code: str) -> str:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    return str(body["error"]["message"])


def test_bad_requests_get_a_json_error_and_the_right_status(server):
    url = server.url
    _error(httpx.post(url + "/v1/ask", content=b"{not json", headers={"content-type": "application/json"}), 400,
           "malformed_json")
    _error(httpx.post(url + "/v1/ask", content=b"question=x", headers={"content-type": "text/plain"}), 415,
           "unsupported_media_type")
    _error(post(server, "/v1/ask", {"question": "x" * 5000}), 400, "too_long")
    _error(post(server, "/v1/ask", {"question": "   "}), 400, "bad_request")
    _error(post(server, "/v1/search", {"query": "gallium", "k": 0}), 400, "invalid_request")
    _error(post(server, "/v1/search", {"query": "gallium", "k": 51}), 400, "invalid_request")
    _error(post(server, "/v1/ask", {"question": "Why?", "unknown": 1}), 400, "invalid_request")
    _error(post(server, "/v1/ask", ["a list"]), 400, "invalid_request")
    _error(httpx.get(url + "/v1/nothing"), 404, "not_found")
    _error(httpx.delete(url + "/v1/ask"), 405, "method_not_allowed")
    _error(httpx.get(url + "/v1/documents/a.txt/text", params={"start": "-3"}), 400, "invalid_request")
    _error(httpx.get(url + "/v1/documents/a.txt/text", params={"start": 5, "end": 10_000}), 400, "bad_request")


def test_an_oversized_body_is_refused_before_it_is_read(server):
    big = {"question": "x", "pad": "y" * 70_000}
    _error(post(server, "/v1/ask", big), 413, "too_large")

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"question": "'
        for _ in range(100):
            yield b"z" * 1000
        yield b'"}'

    r = httpx.post(server.url + "/v1/ask", content=chunks(), headers={"content-type": "application/json"})
    _error(r, 413, "too_large")


def test_nothing_outside_the_corpus_or_the_index_is_read(server, tmp_path):
    (tmp_path / "secret.txt").write_text("the launch codes")
    for doc in ("../secret.txt", "..%2Fsecret.txt", "/etc/passwd", "c/../../secret.txt"):
        r = httpx.get(f"{server.url}/v1/documents/{doc}/text")
        assert r.status_code in (404,), (doc, r.text)
        assert "launch codes" not in r.text


def test_a_hostile_origin_or_host_is_refused(server):
    _error(httpx.get(server.url + "/v1/documents", headers={"Origin": "https://evil.example"}), 403, "bad_origin")
    _error(httpx.get(server.url + "/v1/documents", headers={"Host": "evil.example"}), 403, "bad_host")
    _error(httpx.post(server.url + "/mcp", json={}, headers={"Host": "attacker.test:8765"}), 403, "bad_host")
    assert httpx.get(server.url + "/v1/documents", headers={"Host": "localhost:1"}).status_code == 200


def test_an_allowed_origin_gets_in(docs, monkeypatch):
    monkeypatch.setenv("BRIEFING_SERVE_ALLOWED_ORIGINS", "https://intranet.example, http://localhost:3000")
    served = serve(Settings.from_env())
    try:
        ok = httpx.get(served.url + "/v1/documents", headers={"Origin": "https://intranet.example"})
        assert ok.status_code == 200
        _error(httpx.get(served.url + "/v1/documents", headers={"Origin": "https://intranet.example.evil"}), 403,
               "bad_origin")
    finally:
        stop(served)


def test_with_a_token_every_request_must_carry_it(docs, monkeypatch):
    monkeypatch.setenv("BRIEFING_API_TOKEN", TOKEN)
    served = serve(Settings.from_env())
    try:
        _error(httpx.get(served.url + "/v1/status"), 401, "unauthorized")
        _error(httpx.get(served.url + "/v1/status", headers={"Authorization": "Bearer wrong-token-wrong-token"}),
               401, "unauthorized")
        _error(httpx.post(served.url + "/mcp", json={}), 401, "unauthorized")
        ok = httpx.get(served.url + "/v1/status", headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200
    finally:
        stop(served)


def test_binding_beyond_loopback_needs_a_token(monkeypatch):
    with pytest.raises(ConfigError, match="BRIEFING_API_TOKEN"):
        check_binding(Settings.from_env(), "0.0.0.0", free_port())
    check_binding(Settings.from_env({"BRIEFING_API_TOKEN": TOKEN}), "0.0.0.0", free_port())
    check_binding(Settings.from_env(), "127.0.0.1", free_port())
    assert policy_for(Settings.from_env(), "0.0.0.0").allowed_hosts is None  # a token guards it instead
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(ConfigError, match="cannot listen"):
            check_binding(Settings.from_env(), "127.0.0.1", taken.getsockname()[1])


def test_the_cli_refuses_to_serve_beyond_loopback_without_a_token(capsys, docs):
    from tests.helpers import run_cli

    code, _out, err = run_cli(capsys, "serve", "--host", "0.0.0.0")
    assert code == 2 and "BRIEFING_API_TOKEN" in err and len(err.strip().splitlines()) == 1


def test_a_full_queue_answers_503_at_once_and_a_slow_request_504(docs, monkeypatch):
    monkeypatch.setenv("BRIEFING_SERVE_WORKERS", "1")
    monkeypatch.setenv("BRIEFING_SERVE_QUEUE", "0")
    monkeypatch.setenv("BRIEFING_SERVE_TIMEOUT_S", "1.5")
    served = serve(Settings.from_env())
    release = hold_searches(served)
    try:
        results: list[httpx.Response] = []
        first = threading.Thread(target=lambda: results.append(post(served, "/v1/search", {"query": "gallium"})))
        first.start()
        time.sleep(0.3)
        started = time.monotonic()
        _error(post(served, "/v1/search", {"query": "tungsten"}), 503, "busy")
        assert time.monotonic() - started < 1.0  # refused at once, not after waiting
        first.join(10)
        _error(results[0], 504, "timeout")
    finally:
        release.set()
        stop(served)


def test_the_access_log_leaves_questions_out_unless_asked(docs, caplog):
    caplog.set_level(logging.INFO, logger="briefing.access")
    served = serve(Settings.from_env())
    try:
        post(served, "/v1/ask", {"question": "Where did Acme open a plant?"})
    finally:
        stop(served)
    lines = [r.getMessage() for r in caplog.records if r.name == "briefing.access"]
    assert any(line.startswith("POST /v1/ask 200 ") and line.endswith(" ms") for line in lines)
    assert not any("Acme" in line for line in lines)
    caplog.clear()
    served = serve(Settings.from_env(), log_questions=True)
    try:
        post(served, "/v1/ask", {"question": "Where did Acme open a plant?"})
    finally:
        stop(served)
    assert any("Where did Acme open a plant?" in r.getMessage() for r in caplog.records)


# -- the index changing under the server -----------------------------------------------------------


def test_a_rebuild_during_a_stream_of_requests_fails_none(docs, settings):
    served = serve(Settings.from_env())
    errors: list[str] = []
    generations: set[str] = set()
    done = threading.Event()

    def client() -> None:
        with httpx.Client(timeout=30) as http:
            while not done.is_set():
                r = http.post(served.url + "/v1/ask", json={"question": "Where did Acme open a plant?"})
                if r.status_code != 200:
                    errors.append(r.text)
                listed = http.get(served.url + "/v1/documents")
                generations.add(listed.json()["generation"] if listed.status_code == 200 else listed.text)

    clients = [threading.Thread(target=client) for _ in range(4)]
    for c in clients:
        c.start()
    try:
        for i in range(3):
            write_doc(docs, f"new-{i}.txt", f"Acme opened a plant in Texas in 202{i}.")
            build(settings, HashEmbedder())
            time.sleep(0.3)
    finally:
        done.set()
        for c in clients:
            c.join(30)
        stop(served)
    assert errors == []
    assert len(generations) >= 2  # the server moved to the new generations while answering


def test_a_damaged_index_is_503_until_a_build_repairs_it(docs, settings):
    from assistant.index.layout import IndexLayout

    served = serve(Settings.from_env())
    try:
        assert httpx.get(served.url + "/v1/documents").status_code == 200
        IndexLayout(settings.paths.index_dir).current.write_text("not-a-generation")
        message = _error(httpx.get(served.url + "/v1/documents"), 503, "index_unavailable")
        assert "briefing index build" in message
        _error(post(served, "/v1/ask", {"question": "Where did Acme open a plant?"}), 503, "index_unavailable")
        build(settings, HashEmbedder(), full=True)
        assert post(served, "/v1/ask", {"question": "Where did Acme open a plant?"}).status_code == 200
    finally:
        stop(served)


def test_the_server_watches_the_corpus_when_asked(docs, settings):
    """Files added, changed, renamed, half-written and deleted while the server runs: the new
    fact is answered, the changed one cited as it now reads, the removed one no longer cited."""
    from assistant.server.app import start_watching

    fast = settings.replace(watch_settle_ms=150)
    served = serve(fast)
    halt = start_watching(fast, HashEmbedder(), served.service, out=open("/dev/null", "w"))  # noqa: SIM115
    question = {"question": "How much did zinc smelters in Peru produce?"}

    def cited_until(check, what: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            answer = post(served, "/v1/ask", question).json()
            if check(answer):
                return answer  # type: ignore[no-any-return]
            time.sleep(0.2)
        raise AssertionError(f"not seen within 20 s: {what}")

    def cites(answer: dict, doc: str, words: str = "") -> bool:  # type: ignore[type-arg]
        return any(c["doc"] == doc and words in c["text"] for c in answer.get("citations", []))

    try:
        time.sleep(1.0)
        write_doc(docs, "zinc.txt", "Zinc smelters in Peru doubled their output in 2025.")
        cited_until(lambda a: cites(a, "zinc.txt", "doubled"), "a new file answered")
        (docs / "zinc.txt").write_text("Zinc smelters in Peru tripled their output in 2026.", encoding="utf-8")
        answer = cited_until(lambda a: cites(a, "zinc.txt", "tripled"), "a changed file cited as it reads now")
        for c in answer["citations"]:
            assert (docs / c["doc"]).read_text(encoding="utf-8")[c["start"]:c["end"]] == c["text"]
        (docs / "zinc.txt").rename(docs / "peru-zinc.txt")
        cited_until(lambda a: cites(a, "peru-zinc.txt") and not cites(a, "zinc.txt"), "a renamed file")
        part = docs / "tin.txt.part"
        part.write_text("Tin smelters in Peru produced", encoding="utf-8")
        time.sleep(0.8)
        assert "tin.txt.part" not in {d["doc"] for d in httpx.get(served.url + "/v1/documents").json()["documents"]}
        with part.open("a", encoding="utf-8") as fh:
            fh.write(" twice as much zinc output in 2026.")
        part.rename(docs / "tin.txt")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if "tin.txt" in {d["doc"] for d in httpx.get(served.url + "/v1/documents").json()["documents"]}:
                break
            time.sleep(0.2)
        text = httpx.get(served.url + "/v1/documents/tin.txt/text").json()["text"]
        assert text.endswith("twice as much zinc output in 2026.")  # whole, not the half first written
        (docs / "peru-zinc.txt").unlink()
        cited_until(lambda a: not cites(a, "peru-zinc.txt"), "a deleted file no longer cited")
        assert httpx.get(served.url + "/v1/status").json()["watching"] is True
    finally:
        halt.set()
        stop(served)


# -- MCP over HTTP -----------------------------------------------------------------------------------


def test_mcp_over_http_lists_the_tools_and_cites_verbatim(server, docs):
    import anyio
    from mcp.client.client import Client

    async def talk() -> tuple[list[str], object, object]:
        async with Client(server.url + "/mcp") as client:
            tools = [t.name for t in (await client.list_tools()).tools]
            asked = await client.call_tool("ask", {"question": "Where did Acme open a plant?"})
            missing = await client.call_tool("read_source", {"doc": "../secret.txt"})
            return tools, asked, missing

    tools, asked, missing = anyio.run(talk)
    assert set(tools) == {"ask", "search", "brief", "list_documents", "read_source", "index_status"}
    data = asked.structured_content  # type: ignore[attr-defined]
    assert data["citations"] and "[1]" in asked.content[0].text  # type: ignore[attr-defined]
    for c in data["citations"]:
        assert (docs / c["doc"]).read_text(encoding="utf-8")[c["start"]:c["end"]] == c["text"]
        assert c["text"].split()[0] in asked.content[0].text  # type: ignore[attr-defined]
    assert missing.is_error and "not an indexed document" in missing.content[0].text  # type: ignore[attr-defined]


def test_openapi_request_schemas_match_what_the_routes_accept(server):
    schema = httpx.get(server.url + "/v1/openapi.json").json()
    ask = schema["paths"]["/v1/ask"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert ask["required"] == ["question"] and ask["additionalProperties"] is False
    json.dumps(schema)  # plain JSON throughout


# -- MCP over stdio, the real model ------------------------------------------------------------------


@pytest.mark.integration
@pytest.mark.slow
def test_briefing_mcp_over_stdio_answers_a_seed_question_verbatim(seed_settings):
    """The SDK's own client starts `briefing mcp` as an assistant would, and every cited span is
    checked against the file on disk."""
    import os
    import sys

    import anyio
    from mcp.client.client import Client
    from mcp.client.stdio import StdioServerParameters, stdio_client

    env = {**os.environ, "BRIEFING_CORPUS": str(seed_settings.paths.corpus_dir),
           "BRIEFING_INDEX": str(seed_settings.paths.index_dir), "HF_HUB_OFFLINE": "1"}
    env.pop("BRIEFING_REFUSAL_THRESHOLD", None)  # the real model's own threshold
    params = StdioServerParameters(command=str(Path(sys.executable).parent / "briefing"), args=["mcp", "--no-watch"],
                                   env=env)

    async def talk() -> tuple[list[str], object]:
        async with Client(stdio_client(params)) as client:
            tools = [t.name for t in (await client.list_tools()).tools]
            return tools, await client.call_tool("ask", {"question": "When did Trump visit Beijing?"})

    tools, result = anyio.run(talk)
    assert set(tools) == {"ask", "search", "brief", "list_documents", "read_source", "index_status"}
    data = result.structured_content  # type: ignore[attr-defined]
    assert not data["abstained"] and "mid-May 2026" in data["answer"]
    for c in data["citations"]:
        text = (seed_settings.paths.corpus_dir / c["doc"]).read_text(encoding="utf-8")
        assert text[c["start"]:c["end"]] == c["text"]


def test_shutdown_finishes_the_requests_in_flight(docs):
    """What uvicorn does on SIGTERM (``should_exit``): stop listening, finish what is running."""
    served = serve(Settings.from_env())
    release = hold_searches(served)
    results: list[httpx.Response] = []
    caller = threading.Thread(target=lambda: results.append(post(served, "/v1/search", {"query": "gallium"})))
    caller.start()
    time.sleep(0.3)
    served.server.should_exit = True  # type: ignore[attr-defined]
    time.sleep(0.3)
    release.set()
    caller.join(10)
    served.thread.join(10)
    assert results and results[0].status_code == 200 and results[0].json()["hits"]


def _serve_process(port: int, env: dict[str, str]):  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    proc = subprocess.Popen([str(Path(sys.executable).parent / "briefing"), "serve", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120  # the watcher's build runs niced: slow while other work holds the cores
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/documents", timeout=5).status_code == 200:  # index loaded
                return proc
        except httpx.TransportError:
            pass
        time.sleep(0.2)  # polling without a pause would hold a core the niced build needs
    proc.kill()
    raise AssertionError(proc.stderr.read() if proc.stderr else "the server did not start")


@pytest.mark.integration
@pytest.mark.slow
def test_sigterm_drains_and_sigkill_during_a_build_leaves_a_valid_index(docs, settings):
    import os
    import signal

    from assistant.index.manifest import read_manifest

    env = {**os.environ, "BRIEFING_WATCH_SETTLE_MS": "150"}
    env.pop("BRIEFING_REFUSAL_THRESHOLD", None)
    port = free_port()
    proc = _serve_process(port, env)
    url = f"http://127.0.0.1:{port}"
    codes: list[int] = []

    def stream() -> None:
        with httpx.Client(timeout=30) as http:
            for _ in range(200):
                try:
                    codes.append(http.post(url + "/v1/ask", json={"question": "Where did Acme open a plant?"})
                                 .status_code)
                except httpx.TransportError:
                    return  # the server has stopped listening: refused, not failed

    caller = threading.Thread(target=stream)
    caller.start()
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=60)
    caller.join(30)
    assert proc.returncode == 0 and "Traceback" not in err
    assert codes and set(codes) == {200}  # every request that got in was answered

    proc = _serve_process(port, env)  # the watcher builds what is added next; kill it mid-build
    for i in range(400):
        write_doc(docs, f"bulk/{i:03}.txt", f"Bulk note {i}: Acme ships batteries to plant {i} in 2025.")
    time.sleep(1.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    manifest = read_manifest(settings.paths.index_dir)  # the live generation is whole: the old one or the new
    assert "plants.txt" in manifest.documents
    proc = _serve_process(port, env)
    try:
        assert httpx.post(url + "/v1/ask", json={"question": "Where did Acme open a plant?"},
                          timeout=30).status_code == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)


def test_serving_a_missing_corpus_with_watching_is_one_line_exit_2(capsys, tmp_path, monkeypatch):
    from tests.helpers import run_cli

    monkeypatch.setenv("BRIEFING_CORPUS", str(tmp_path / "nowhere"))
    code, _out, err = run_cli(capsys, "serve", "--port", str(free_port()))
    assert code == 2 and "corpus folder not found" in err and len(err.strip().splitlines()) == 1
