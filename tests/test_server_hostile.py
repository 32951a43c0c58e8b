"""``briefing serve`` and ``briefing mcp`` against a careless or hostile client (issue 35): each
defect checked on the real command in a process of its own (with the fake model, so it starts
in a second), over loopback sockets, its standard error read as an operator would."""

from __future__ import annotations

import json
import os
import queue
import resource
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from assistant.settings import Settings
from tests.fakes import HashEmbedder
from tests.helpers import ROOT, build, fake_briefing, write_doc

pytestmark = pytest.mark.usefixtures("fake_scale")
TOKEN = "s3cret-token-for-tests"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class _Lines:
    """A pipe's lines, read in a thread (so the pipe never fills), kept for the test to search."""

    def __init__(self, stream: object) -> None:
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            self.lines.append(line)

    @property
    def text(self) -> str:
        return "".join(self.lines)

    def wait_for(self, check: Callable[[str], bool], what: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if check(line):
                    return line
            time.sleep(0.05)
        raise AssertionError(f"no line {what} within {timeout:g} s: {self.lines[-20:]}")


class Serving:
    """``briefing serve`` in a process of its own, on a free port."""

    def __init__(self, *options: str, host: str = "127.0.0.1", watch: bool = False,
                 env: dict[str, str] | None = None, open_files: int | None = None) -> None:
        self.port = free_port(host)
        self.url = f"http://{host}:{self.port}"
        command = fake_briefing("serve", "--host", host, "--port", str(self.port),
                                *(() if watch else ("--no-watch",)), *options)

        def limit_open_files() -> None:
            if open_files is not None:
                resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))

        self.proc = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, errors="replace",
                                     preexec_fn=limit_open_files)  # noqa: PLW1509 - only setrlimit
        self.err = _Lines(self.proc.stderr)
        self.out = _Lines(self.proc.stdout)
        token = (env or {}).get("BRIEFING_API_TOKEN")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.err.text
            try:
                httpx.get(self.url + "/v1/status", headers=headers, timeout=5)
                return
            except httpx.TransportError:
                time.sleep(0.1)
        self.proc.kill()
        raise AssertionError(f"the server did not start: {self.err.text}")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(30)
        finally:
            self.err.thread.join(5)


@pytest.fixture
def docs(three_docs: Path, settings: Settings) -> Path:
    write_doc(three_docs, "plants.txt", "Acme opened a plant in Ohio in 2024. Acme invests $2 billion in batteries.\n")
    build(settings, HashEmbedder())
    return three_docs


@pytest.fixture
def serving(docs: Path) -> Iterator[Serving]:
    served = Serving()
    yield served
    served.stop()


def _error(r: httpx.Response, status: int, code: str | None = None) -> str:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    if code is not None:
        assert body["error"]["code"] == code, body
    return str(body["error"]["message"])


def _raw(port: int, payload: bytes, wait: float = 20.0, host: str = "127.0.0.1") -> bytes:
    """What the server sends back on a raw connection until it closes it (or ``wait`` passes:
    then b"<still open>" ends what was read)."""
    with socket.create_connection((host, port)) as s:
        s.settimeout(wait)
        if payload:
            s.sendall(payload)
        data = b""
        try:
            while chunk := s.recv(65536):
                data += chunk
        except TimeoutError:
            data += b"<still open>"
        except ConnectionResetError:
            data += b"<reset>"
        return data


def _json_body(response: bytes) -> dict:  # type: ignore[type-arg]
    head, _, body = response.partition(b"\r\n\r\n")
    assert b"content-type: application/json" in head.lower(), response
    return json.loads(body)  # type: ignore[no-any-return]


# -- defect 4: bad client input is a 400 in the JSON shape, never a 500 -------------------------------


def test_bad_client_input_is_a_400_in_the_json_shape(serving):
    """Issue 35, defect 4: each of these was a 500."""
    url = serving.url

    def ask(body: bytes) -> httpx.Response:
        return httpx.post(url + "/v1/ask", content=body, headers={"content-type": "application/json"}, timeout=30)

    assert "not valid JSON" in _error(ask(b'{"question": "\\ud800 Beijing"}'), 400, "malformed_json")
    assert "not valid JSON" in _error(ask(b"[" * 30_000), 400, "malformed_json")
    assert "not valid JSON" in _error(ask(b'{"question": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5001), 400)
    turn = {"question": "Where did Acme open a plant?", "resolved_query": "Acme plant", "answer": "In Ohio.",
            "abstained": False, "citations": [{"doc": "plants.txt", "start": 0, "end": 36}]}
    for conversation, where in [
        ("yesterday", "conversation"),
        ({"turns": "many"}, "turns"),
        ({"turns": [{"question": 1}]}, "turns.0.question"),
        ({"turns": [{**turn, "abstained": "no"}]}, "turns.0.abstained"),
        ({"turns": [{k: v for k, v in turn.items() if k != "answer"}]}, "turns.0.answer"),
        ({"turns": [{**turn, "citations": [{"doc": "plants.txt"}]}]}, "turns.0.citations.0.start"),
        ({"turns": [{**turn, "citations": [{"doc": "plants.txt", "start": "0", "end": 5}]}]}, "citations.0.start"),
        ({"turns": [{**turn, "citations": "plants.txt"}]}, "turns.0.citations"),
        ({"turns": [None]}, "turns.0"),
    ]:
        r = httpx.post(url + "/v1/ask", json={"question": "How much does it invest?", "conversation": conversation},
                       timeout=30)
        assert where in _error(r, 400), (conversation, r.text)
    good = httpx.post(url + "/v1/ask", json={"question": "How much does it invest?", "conversation": {"turns": [turn]}},
                      timeout=30)
    assert good.status_code == 200 and any("2 billion" in c["text"] for c in good.json()["citations"])
    for start in ("²", "٣", "9" * 5000, "1e3", " 1", "0x1"):
        r = httpx.get(url + "/v1/documents/plants.txt/text", params={"start": start}, timeout=30)
        assert "start must be a non-negative whole number" in _error(r, 400, "invalid_request"), start
    assert httpx.get(url + "/v1/documents/plants.txt/text", params={"start": "5"}, timeout=30).status_code == 200
    assert httpx.get(url + "/v1/status", timeout=30).status_code == 200
    assert "Traceback" not in serving.err.text and "internal_error" not in serving.err.text


# -- defect 5: what a client sends cannot forge a log line or drive the terminal -------------------------


def test_control_characters_are_escaped_in_every_access_log_line(docs):
    """Issue 35, defect 5: "%0a" and "%1b[2J" in a URL forged log lines and cleared the terminal,
    for refused (401) requests too."""
    served = Serving("--log-questions", env={"BRIEFING_API_TOKEN": TOKEN})
    auth = {"Authorization": f"Bearer {TOKEN}"}
    try:
        forged = "/v1/%0a2026-01-01%2000:00:00%20GET%20/v1/admin%20200%20%1b%5b2J%e2%80%ae%c2%9b"
        assert httpx.get(served.url + forged, timeout=30).status_code == 401
        assert httpx.get(served.url + forged, headers=auth, timeout=30).status_code == 404
        httpx.post(served.url + "/v1/ask", json={"question": "Acme?\n2026-01-01 00:00:00 POST /v1/x 200\x1b[2J\\"},
                   headers=auth, timeout=30)
        served.err.wait_for(lambda line: "POST /v1/ask 200" in line, "for the question")
    finally:
        assert served.stop() == 0
    lines = served.err.lines
    assert not any(line.startswith("2026-01-01") for line in lines)  # no line forged
    assert "\x1b" not in served.err.text and "\u202e" not in served.err.text and "\x9b" not in served.err.text
    refused = [line for line in lines if " 401 " in line]
    assert len(refused) == 1 and "/v1/\\n2026-01-01 00:00:00 GET /v1/admin 200 \\x1b[2J\\u202e\\x9b 401" in refused[0]
    assert any("/v1/\\n2026-01-01" in line and " 404 " in line for line in lines)
    asked = [line for line in lines if "POST /v1/ask 200" in line][0]
    assert '"Acme?\\n2026-01-01 00:00:00 POST /v1/x 200\\x1b[2J\\\\"' in asked


# -- defect 6: timeouts, a cap on connections, one log line per condition --------------------------------


@pytest.mark.slow
def test_idle_and_slow_connections_are_timed_out_and_malformed_http_gets_json(docs):
    """Issue 35, defect 6 (and the minor plain-text 400): idle sockets and clients stuck
    mid-headers stayed open for ever."""
    served = Serving(env={"BRIEFING_SERVE_IDLE_TIMEOUT_S": "1", "BRIEFING_SERVE_READ_TIMEOUT_S": "2"})
    try:
        assert _raw(served.port, b"") == b""  # idle: closed, and nothing said
        half = _raw(served.port, b"GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        assert _json_body(half)["error"]["code"] == "timeout" and half.startswith(b"HTTP/1.1 408 ")
        body = _raw(served.port, b"POST /v1/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                 b"Content-Length: 100\r\n\r\n{\"question\": \"Acme")
        assert body.startswith(b"HTTP/1.1 408 ") and _json_body(body)["error"]["code"] == "timeout"

        def trickle() -> bytes:  # one byte a second keeps no connection for ever
            with socket.create_connection(("127.0.0.1", served.port)) as s:
                s.settimeout(20)
                request = b"GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Pad: " + b"a" * 50
                try:
                    for byte in request:
                        s.sendall(bytes([byte]))
                        time.sleep(0.2)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                return s.recv(65536)

        assert b"408 Request Timeout" in trickle()
        for garbage in (b"GARBAGE\r\n\r\n",
                        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: " + b"9" * 5000 + b"\r\n\r\n",
                        b"GET /\x00 HTTP/1.1\r\n\r\n", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"):
            answer = _raw(served.port, garbage)
            assert answer.startswith(b"HTTP/1.1 400 "), answer
            assert _json_body(answer) == {"error": {"code": "malformed_http",
                                                    "message": "the request is not valid HTTP/1.1"}}
        with httpx.Client(timeout=30) as keep_alive:  # after an answer, idle again: closed too
            assert keep_alive.get(served.url + "/v1/status").status_code == 200
            time.sleep(2)
            assert keep_alive.get(served.url + "/v1/status").status_code == 200  # a new connection, quietly
        assert served.alive()
    finally:
        assert served.stop() == 0
    assert "Traceback" not in served.err.text


@pytest.mark.slow
def test_connections_past_the_cap_make_room_and_the_condition_is_logged_once(docs):
    served = Serving(env={"BRIEFING_SERVE_MAX_CONNECTIONS": "16", "BRIEFING_SERVE_IDLE_TIMEOUT_S": "60",
                          "BRIEFING_SERVE_READ_TIMEOUT_S": "60"})
    held: list[socket.socket] = []
    try:
        for _ in range(80):
            held.append(socket.create_connection(("127.0.0.1", served.port)))
            held[-1].sendall(b"GET /v1/status HTTP/1.1\r\n")  # half a request each
        with httpx.Client(timeout=30) as http:
            for _ in range(5):  # every new client gets in: the longest waiting make room
                assert http.get(served.url + "/v1/status", headers={"Connection": "close"}).status_code == 200
        served.err.wait_for(lambda line: "16 connections are open" in line, "saying the cap is reached")
        time.sleep(1)
        closed = 0
        for s in held:
            s.setblocking(False)
            try:
                closed += s.recv(1) == b""
            except ConnectionResetError:  # closed with its half request unread
                closed += 1
            except BlockingIOError:  # still open
                pass
        assert closed >= 80 - 16
    finally:
        for s in held:
            s.close()
        assert served.stop() == 0
    said = [line for line in served.err.lines if "connections are open" in line]
    assert len(said) == 1, said  # once for the condition, not once per connection closed


@pytest.mark.slow
def test_running_out_of_open_files_is_one_log_line_not_a_flood(docs):
    """Issue 35, defect 6: with 300 idle connections and a limit of 256 open files the server
    stopped answering and wrote 54 MB of "Too many open files" in ten seconds."""
    served = Serving(open_files=128)  # the connections' cap follows the limit, below it
    held: list[socket.socket] = []
    try:
        served.err.wait_for(lambda line: "connections at once, not 1024" in line, "saying the cap is lowered")
        for _ in range(400):
            held.append(socket.create_connection(("127.0.0.1", served.port)))
        for _ in range(3):
            assert httpx.get(served.url + "/v1/status", headers={"Connection": "close"}, timeout=30).status_code == 200
        time.sleep(2)
        assert served.alive()
    finally:
        for s in held:
            s.close()
        assert served.stop() == 0
    assert len(served.err.text) < 5_000, served.err.text[:2000]
    assert served.err.text.count("Too many open files") <= 1 and "Traceback" not in served.err.text


# -- defect 7: the address it is bound to is its own; loopback is parsed, not guessed ---------------------


@pytest.mark.slow
def test_a_server_bound_to_another_loopback_address_accepts_its_own_host(docs):
    """Issue 35, defect 7: ``serve --host 127.0.0.2`` answered 403 bad_host to its own address."""
    served = Serving(host="127.0.0.2")
    try:
        assert httpx.get(served.url + "/v1/status", timeout=30).status_code == 200  # Host: 127.0.0.2:port
        assert httpx.get(served.url + "/v1/status", headers={"Host": "LOCALHOST"}, timeout=30).status_code == 200
        _error(httpx.get(served.url + "/v1/status", headers={"Host": "127.0.0.3"}, timeout=30), 403, "bad_host")
        _error(httpx.get(served.url + "/v1/status", headers={"Host": "127.0.0.2.evil.example"}, timeout=30), 403,
               "bad_host")
    finally:
        assert served.stop() == 0


def test_loopback_is_an_address_parsed_never_a_prefix(capsys, docs):
    from assistant.errors import ConfigError
    from assistant.server.app import check_binding, policy_for
    from assistant.server.guards import is_loopback
    from tests.helpers import run_cli

    assert is_loopback("127.0.0.1") and is_loopback("127.4.5.6") and is_loopback("::1") and is_loopback("[::1]")
    assert is_loopback("localhost") and is_loopback("LocalHost")
    for name in ("127.0.0.1.example", "127.evil.example", "1270.0.0.1", "0.0.0.0", "::", "10.0.0.1", ""):
        assert not is_loopback(name), name
        assert policy_for(Settings.from_env(), name).allowed_hosts is None  # guarded by the token instead
    with pytest.raises(ConfigError, match="needs a token"):
        check_binding(Settings.from_env(), "127.0.0.1.example", free_port())
    code, _out, err = run_cli(capsys, "serve", "--host", "127.0.0.1.example")
    assert code == 2 and "BRIEFING_API_TOKEN" in err and len(err.strip().splitlines()) == 1
    assert "[::1]" in policy_for(Settings.from_env(), "::1").allowed_hosts  # type: ignore[operator]
    assert "127.0.0.9" in policy_for(Settings.from_env(), "127.0.0.9").allowed_hosts  # type: ignore[operator]


# -- defect 8: MCP over stdio answers what it cannot parse; k has bounds -----------------------------------


class _Mcp:
    """``briefing mcp`` spoken to line by line, as a client does."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(fake_briefing("mcp", "--no-watch"), cwd=ROOT, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.replies: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [self.replies.put(line) for line in self.proc.stdout], daemon=True).start()
        self.err = _Lines(self.proc.stderr)

    def send(self, message: object) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((message if isinstance(message, str) else json.dumps(message)) + "\n")
        self.proc.stdin.flush()

    def reply(self, timeout: float = 30.0) -> dict:  # type: ignore[type-arg]
        try:
            return json.loads(self.replies.get(timeout=timeout))  # type: ignore[no-any-return]
        except queue.Empty:
            raise AssertionError(f"no reply within {timeout:g} s; stderr: {self.err.text}") from None

    def close(self) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        return self.proc.wait(30)


@pytest.mark.slow
def test_mcp_over_stdio_answers_a_line_it_cannot_parse_and_bounds_k(docs):
    """Issue 35, defect 8: such a line got no reply (the client waited for ever) and nothing was
    logged; k = 10^12 gave an opaque error and a traceback."""
    mcp = _Mcp()
    try:
        mcp.send("this is not json")
        assert mcp.reply() == {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "Parse error"}}
        mcp.send('{"jsonrpc": "2.0", "id": 7, "method": ')
        assert mcp.reply()["error"]["code"] == -32700
        mcp.send("[1, 2]")
        assert mcp.reply()["error"] == {"code": -32600, "message": "Invalid Request"}
        mcp.send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                  "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                             "clientInfo": {"name": "test", "version": "1"}}})
        assert mcp.reply()["id"] == 1
        mcp.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        mcp.send({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                  "params": {"name": "search", "arguments": {"query": "Acme plant", "k": 10**12}}})
        result = mcp.reply()["result"]
        assert result["isError"] and "k: Input should be less than or equal to 50" in result["content"][0]["text"]
        mcp.send({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                  "params": {"name": "search", "arguments": {"query": "Acme plant", "k": 0}}})
        assert "k: Input should be greater than or equal to 1" in mcp.reply()["result"]["content"][0]["text"]
        mcp.send({"jsonrpc": "2.0", "id": 4, "method": "tools/call",
                  "params": {"name": "search", "arguments": {"query": "Acme plant", "k": 2}}})
        hits = mcp.reply()["result"]["structuredContent"]["hits"]
        assert len(hits) == 2
        mcp.send({"jsonrpc": "2.0", "id": 5, "method": "tools/list"})
        tools = {t["name"]: t for t in mcp.reply()["result"]["tools"]}
        assert tools["search"]["inputSchema"]["properties"]["k"]["maximum"] == 50
    finally:
        assert mcp.close() == 0
    logged = [line for line in mcp.err.lines if "not a JSON-RPC message" in line]
    assert len(logged) == 3 and "answered -32700 Parse error" in logged[0]
    assert "Traceback" not in mcp.err.text


# -- defect 9: read-only tools and routes write nothing -----------------------------------------------------


def _tree(*folders: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under ``folders``: (size, modification time)."""
    seen = {}
    for folder in folders:
        for path in [folder, *folder.rglob("*")]:
            st = path.lstat()
            seen[str(path)] = (st.st_size if path.is_file() else 0, st.st_mtime_ns)
    return seen


def test_read_only_mcp_tools_and_get_routes_write_nothing(serving, docs, settings):
    """Issue 35, defect 9: a tool marked read-only wrote the brief history."""
    import anyio
    from mcp.client.client import Client

    async def call_tools(names: set[str]) -> dict[str, bool]:
        arguments = {"ask": {"question": "Where did Acme open a plant?"}, "search": {"query": "Acme plant"},
                     "list_documents": {}, "read_source": {"doc": "plants.txt", "start": 0, "end": 10},
                     "index_status": {}, "brief": {"topic": "Acme plant"}}
        async with Client(serving.url + "/mcp") as client:
            tools = {t.name: t for t in (await client.list_tools()).tools}
            assert set(tools) == set(arguments)
            read_only = {n: bool(t.annotations and t.annotations.read_only_hint) for n, t in tools.items()}
            for name in names:
                result = await client.call_tool(name, arguments[name])
                assert not result.is_error, (name, result)
            return read_only

    before = _tree(settings.paths.index_dir, docs)
    read_only = anyio.run(call_tools, set())
    assert {n for n, ro in read_only.items() if not ro} == {"brief"}  # it remembers the topic, and says so
    anyio.run(call_tools, {n for n, ro in read_only.items() if ro})
    for path in ("/v1/status", "/v1/documents", "/v1/documents/plants.txt/text", "/v1/openapi.json"):
        assert httpx.get(serving.url + path, timeout=30).status_code == 200
    assert _tree(settings.paths.index_dir, docs) == before
    assert httpx.post(serving.url + "/v1/brief", json={"topic": "Acme plant"}, timeout=30).status_code == 200
    history = settings.paths.index_dir / "brief-history.json"
    assert history.exists() and "acme" not in history.read_text(encoding="utf-8").lower()  # hashed


# -- defects 1 and 3 under serve: the watcher's thread, and /v1/status telling the truth --------------------


@pytest.mark.slow
def test_status_tells_the_truth_while_the_watcher_meets_a_bad_name_and_a_folder_gone(docs):
    """Issue 35, defects 1 and 3 under ``serve``: the watcher thread died on a name that is not
    UTF-8 while /v1/status said "watching": true, and /v1/status answered 500 while the corpus
    folder was missing; files added to the new folder were never indexed."""
    served = Serving(watch=True, env={"BRIEFING_WATCH_SETTLE_MS": "150"})

    def status() -> dict:  # type: ignore[type-arg]
        r = httpx.get(served.url + "/v1/status", timeout=30)
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]

    def until(check: Callable[[dict], bool], what: str) -> dict:  # type: ignore[type-arg]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            now = status()
            if check(now):
                return now
            time.sleep(0.1)
        raise AssertionError(f"not within 30 s: {what}; {now}; {served.err.text}")

    def docs_listed() -> set[str]:
        return {d["doc"] for d in httpx.get(served.url + "/v1/documents", timeout=30).json()["documents"]}

    try:
        until(lambda s: s["watching"] is True, "watching")
        time.sleep(0.5)
        fd = os.open(os.fsencode(docs) + b"/notes-\xff.txt", os.O_CREAT | os.O_WRONLY, 0o644)
        os.write(fd, b"Notes behind a name that is not UTF-8.")
        os.close(fd)
        write_doc(docs, "zinc.txt", "Zinc smelters in Peru doubled their output in 2025.")
        now = until(lambda s: {d["doc"]: d["state"] for d in s["documents"]}.get("zinc.txt") == "indexed",
                    "a file written beside it indexed")
        assert now["watching"] is True and now["watch_problem"] is None
        assert {d["doc"]: d["state"] for d in now["documents"]}["notes-\\xff.txt"] == "skipped"
        shutil.rmtree(docs)
        gone = until(lambda s: s["watching"] is False, "the folder gone")
        assert "is gone" in gone["watch_problem"] and "corpus folder not found" in gone["corpus_error"]
        assert gone["chunks"] > 0 and "zinc.txt" in docs_listed()  # the index is still served
        assert httpx.post(served.url + "/v1/ask", json={"question": "What did zinc smelters in Peru do?"},
                          timeout=30).status_code == 200
        docs.mkdir()
        write_doc(docs, "tin.txt", "Tin output in Bolivia fell in 2025.")
        back = until(lambda s: s["watching"] is True and {d["doc"]: d["state"] for d in s["documents"]} == {
            "tin.txt": "indexed"}, "the new folder watched and its file indexed")
        assert back["watch_problem"] is None and back["corpus_error"] is None
        assert "tin.txt" in docs_listed() and "zinc.txt" not in docs_listed()
    finally:
        assert served.stop() == 0
    assert "Traceback" not in served.err.text
    assert any("is gone: waiting for it to come back" in line for line in served.err.lines)
