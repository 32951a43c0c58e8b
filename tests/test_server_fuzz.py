"""Fuzzing ``briefing serve`` (issue 35): Hypothesis sends generated requests to every route the
server's own OpenAPI schema lists, and to ``/mcp`` and paths it does not, over raw sockets, so
that nothing a client library would refuse to send is left out: any method, any path and query
bytes, any headers (names and values as HTTP allows them, and some it does not), any body, with
or without a content type and a length.

Every answer must be below 500; every error must be JSON with ``error.code`` and
``error.message`` (the API's shape, which MCP's JSON-RPC errors share); and the server must be
alive and answering afterwards, with no traceback in its log.

How long: ``BRIEFING_FUZZ_EXAMPLES`` requests (400 by default, some 15 s here, in ``make
test``); the bench step ``fuzz`` sends thousands, from a new ``BRIEFING_FUZZ_SEED`` each time.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from assistant.settings import Settings
from tests.fakes import HashEmbedder
from tests.helpers import ROOT, build, fake_briefing, write_doc

EXAMPLES = int(os.environ.get("BRIEFING_FUZZ_EXAMPLES", "400"))
SEED = os.environ.get("BRIEFING_FUZZ_SEED")
"""A seed makes a run of its own (the bench step gives a new one each time, and records it);
without one the examples are the same on every run."""
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "get", "G\x00T"]
TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


class _Server:
    def __init__(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        env = {**os.environ, "BRIEFING_SERVE_IDLE_TIMEOUT_S": "2", "BRIEFING_SERVE_READ_TIMEOUT_S": "3"}
        self.proc = subprocess.Popen(fake_briefing("serve", "--port", str(self.port), "--no-watch"), cwd=ROOT,
                                     env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                     errors="replace")
        self.log: list[str] = []
        threading.Thread(target=lambda: self.log.extend(self.proc.stderr or ()), daemon=True).start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{self.port}/v1/status", timeout=5)
                return
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError("".join(self.log))


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[_Server, dict]]:  # type: ignore[type-arg]
    """One server for every example (its own corpus and index: module-scoped, so the autouse
    per-test paths are set here by hand)."""
    root = tmp_path_factory.mktemp("fuzz")
    saved = {k: os.environ.get(k) for k in ("BRIEFING_CORPUS", "BRIEFING_INDEX", "BRIEFING_REFUSAL_THRESHOLD")}
    os.environ.update(BRIEFING_CORPUS=str(root / "corpus"), BRIEFING_INDEX=str(root / "index"),
                      BRIEFING_REFUSAL_THRESHOLD="0.2")
    write_doc(root / "corpus", "a.txt", "Gallium exports were restricted in 2023. Prices rose sharply afterwards.")
    write_doc(root / "corpus", "c/d.txt", "Acme opened a plant in Ohio in 2024. Acme invests $2 billion.")
    build(Settings.from_env(), HashEmbedder())
    server = _Server()
    schema = httpx.get(f"http://127.0.0.1:{server.port}/v1/openapi.json", timeout=30).json()
    try:
        yield server, schema
    finally:
        server.proc.send_signal(signal.SIGTERM)
        server.proc.wait(30)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# -- what is sent ------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30) | st.floats() | st.text(max_size=40),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=20)


def _bodies(schema: dict) -> st.SearchStrategy[bytes]:  # type: ignore[type-arg]
    """Request bodies: near-valid objects for each request model (its fields, each given any
    JSON value or a plausible one), any JSON, and bytes that are not JSON."""
    fields: set[str] = set()
    for path in schema["paths"].values():
        for op in path.values():
            props = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            fields |= set(props.get("properties", {}))
    plausible = st.sampled_from(["Where did Acme open a plant?", "gallium", "", " ", "\ud7ff", "a" * 3000, 3, -1,
                                 51, 10**12, ["a.txt"], ["../../etc/passwd"], "2024-13-45", "last", "short",
                                 {"turns": [{"question": 1}]}, {"turns": "x"}, None, True])
    objects = st.dictionaries(st.sampled_from(sorted(fields | {"extra"})), plausible | json_values, max_size=6)
    as_json = (objects | json_values).map(lambda v: json.dumps(v).encode())
    tricky = st.sampled_from([b"", b"{", b"[" * 5000, b'{"question": "\\ud800 x"}', b'{"question": "\\u0000"}',
                              "{\"question\": \"é\"}".encode("utf-16"), b"\xff\xfe\x00", b"null", b"1e999",
                              b'{"k": ' + b"9" * 5000 + b"}", b'{"question": "x", "question": 5}'])
    return as_json | tricky | st.binary(max_size=300)


def _targets(schema: dict) -> st.SearchStrategy[bytes]:  # type: ignore[type-arg]
    """Request targets: the schema's paths (``{doc}`` filled with anything), ``/mcp``, unknown
    paths, each with a generated query string, percent-encoded or raw."""
    paths = [p.replace("{doc}", "DOC") for p in schema["paths"]] + ["/mcp", "/", "/v1", "/v2/ask", "/v1/ask/"]
    docs = st.sampled_from(["a.txt", "c/d.txt", "..%2F..%2Fetc%2Fpasswd", "%00", "%ff%fe", "a.txt%0a%1b[2J",
                            "%2e%2e/%2e%2e/x", "c%2Fd.txt", "x" * 3000]) | st.text(max_size=20).map(
                                lambda t: t.encode("utf-8", "surrogatepass").hex())
    values = st.sampled_from(["0", "5", "²", "٣", "9" * 5000, "-1", "1e3", "", "%00", "%0a", "10", "a.txt"]) | st.text(
        max_size=10).map(lambda t: "".join(f"%{b:02x}" for b in t.encode("utf-8", "surrogatepass")))
    query = st.lists(st.tuples(st.sampled_from(["start", "end", "doc", "q", "x%00"]), values), max_size=3).map(
        lambda pairs: "&".join(f"{k}={v}" for k, v in pairs))
    return st.builds(lambda path, doc, q: (path.replace("DOC", doc) + (f"?{q}" if q else "")).encode(
        "ascii", "replace"), st.sampled_from(paths), docs, query) | st.sampled_from(
        [b"*", b"http://evil.example/v1/status", b"/v1/status#frag", b"/v1/st\x7fatus", b"//v1//status"])


headers = st.lists(st.tuples(
    st.text(TOKEN_CHARS, min_size=1, max_size=20) | st.sampled_from(
        ["Content-Type", "Content-Length", "Transfer-Encoding", "Host", "Origin", "Authorization", "Expect",
         "Connection", "Upgrade", "Accept", "Bad Name", "X\x00"]),
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=40)
    | st.sampled_from(["application/json", "text/plain", "multipart/form-data; boundary=x", "chunked", "100-continue",
                       "127.0.0.1", "evil.example", "Bearer x", "close", "websocket", "-1", "9" * 30, "\r\nX: y"])),
    max_size=6)


def _request(method: str, target: bytes, extra: list[tuple[str, str]], body: bytes, framing: str) -> bytes:
    lines = [method.encode("latin-1") + b" " + target + b" HTTP/1.1", b"Host: 127.0.0.1"]
    lines += [k.encode("latin-1") + b": " + v.encode("latin-1") for k, v in extra]
    if framing == "length":
        lines.append(b"Content-Length: " + str(len(body)).encode())
    elif framing == "chunked":
        lines.append(b"Transfer-Encoding: chunked")
        body = (f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n") if body else b"0\r\n\r\n"
    lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n" + (body if framing != "none" else b"")


def _exchange(port: int, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        try:
            s.sendall(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # answered and closed before the whole request was sent
        data = b""
        try:
            while chunk := s.recv(65536):
                data += chunk
        except ConnectionResetError:
            pass
        return data


def _check(response: bytes, method: str, payload: bytes) -> None:
    assert response, f"no answer to {payload[:300]!r}"
    head, _, body = response.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0]
    status = int(status_line.split()[1])
    assert status < 500, (status_line, body[:500], payload[:300])
    if status >= 400 and method.upper() != "HEAD" and body:
        assert b"content-type: application/json" in head.lower(), (head, payload[:300])
        data = json.loads(body)
        assert isinstance(data.get("error"), dict), data
        assert "code" in data["error"] and isinstance(data["error"].get("message"), str), (data, payload[:300])


@pytest.mark.slow  # some 15 s: `make test` runs it, the quick loop does not
def test_generated_requests_never_get_a_5xx_and_every_error_is_json(fuzzed):
    server, schema = fuzzed

    @seed(int(SEED or 0))
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=SEED is None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(method=st.sampled_from(METHODS), target=_targets(schema), extra=headers, body=_bodies(schema),
           framing=st.sampled_from(["length", "length", "chunked", "none"]))
    def one_request(method: str, target: bytes, extra: list[tuple[str, str]], body: bytes, framing: str) -> None:
        payload = _request(method, target, extra, body, framing)
        _check(_exchange(server.port, payload), method, payload)

    one_request()
    assert server.proc.poll() is None
    for path in ("/v1/status", "/v1/documents"):
        assert httpx.get(f"http://127.0.0.1:{server.port}{path}", timeout=30).status_code == 200
    answer = httpx.post(f"http://127.0.0.1:{server.port}/v1/ask", json={"question": "Where did Acme open a plant?"},
                        timeout=30)
    assert answer.status_code == 200 and answer.json()["citations"]
    log = "".join(server.log)
    assert "Traceback" not in log and "internal_error" not in log and "Exception in ASGI" not in log, log[-3000:]


def test_the_fuzzer_can_fail(fuzzed):
    """The check above is not vacuous: a 500, or an error that is not JSON, is caught."""
    with pytest.raises(AssertionError):
        _check(b"HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/plain\r\n\r\nInternal Server Error", "GET",
               b"")
    with pytest.raises(AssertionError):
        _check(b"HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\n\r\nInvalid HTTP request received.", "GET",
               b"")
    _check(b'HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\n\r\n{"error": {"code": "not_found", '
           b'"message": "x"}}', "GET", b"")
