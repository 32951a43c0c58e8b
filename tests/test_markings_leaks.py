"""Nothing above a reader's clearance leaks (issue 37): a corpus of an unmarked, an
OFFICIAL-SENSITIVE and a SECRET//NOFORN document sharing some words, each with one name of its
own; for each clearance, every route is checked never to reveal a withheld document's name, title
or text, and to mark what it releases.

The routes: ask (answers, refusal notes, follow-ups, ``--doc`` naming a withheld document),
search, brief (and its Markdown and Word exports), themes and topics, the document list, show,
index status, the HTTP API and MCP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import run_cli as run
from tests.helpers import write_doc
from tests.test_markings import SCHEME

pytestmark = pytest.mark.usefixtures("fake_scale")

PUBLIC = ("harbour.txt", "Harbour convoy logistics", "Alvarado",
          "Harbour convoy logistics\n\nThe harbour convoy logistics plan was agreed in March 2024. "
          "Harbourmaster Alvarado signed the convoy schedule for the northern quay. "
          "Convoy logistics at the harbour depend on tide tables and berth space.\n")
SENSITIVE = ("budget/sensitive.txt", "Convoy fuel budget", "Brightwater",
             "OFFICIAL-SENSITIVE\nConvoy fuel budget\n\nThe convoy fuel budget for harbour logistics rose in 2024. "
             "Treasurer Brightwater approved the convoy fuel contract for the harbour. "
             "Harbour logistics costs were reviewed by the convoy board.\nOFFICIAL-SENSITIVE\n")
SECRET = ("ops/secret.txt", "Convoy escort operation", "Zanzibarov",
          "SECRET//NOFORN\nConvoy escort operation\n\nThe convoy escort operation protects harbour logistics "
          "at night. Agent Zanzibarov briefed the convoy escort team at the harbour in 2024. "
          "Harbour logistics routes for the escort are changed weekly.\n\n"
          "(S//NF) Kestrelwood is the name of the escort's informant.\nSECRET//NOFORN\n")
DOCS = (PUBLIC, SENSITIVE, SECRET)

CLEARANCES = {  # clearance -> the documents it may see
    None: {PUBLIC},  # the default: the level of unmarked documents (OFFICIAL)
    "OFFICIAL-SENSITIVE": {PUBLIC, SENSITIVE},
    "SECRET": {PUBLIC, SENSITIVE},  # without NOFORN
    "SECRET/NOFORN": {PUBLIC, SENSITIVE, SECRET},
}
MARKINGS = {PUBLIC: "OFFICIAL", SENSITIVE: "OFFICIAL-SENSITIVE", SECRET: "SECRET//NOFORN"}
PORTIONS = {PUBLIC: "(O)", SENSITIVE: "(OS)", SECRET: "(S//NF)"}


@pytest.fixture
def marked(corpus: Path, capsys) -> Path:  # type: ignore[no-untyped-def]
    (corpus.parent / "markings.toml").write_text(SCHEME, encoding="utf-8")
    for doc_id, _title, _name, text in DOCS:
        write_doc(corpus, doc_id, text)
    code, _out, err = run(capsys, "index", "build")
    assert code == 0, err
    return corpus


def _withheld(clearance: str | None) -> list[tuple[str, str, str, str]]:
    return [d for d in DOCS if d not in CLEARANCES[clearance]]


def _no_leak(output: str, clearance: str | None, asked: str = "") -> None:
    """No withheld document's id, title, unique name or sentences in ``output`` (a name the
    reader typed in ``asked`` may be echoed back: the question, "never mentions X")."""
    for doc_id, title, name, text in _withheld(clearance):
        for secret in (doc_id, title, name, "Kestrelwood" if doc_id == SECRET[0] else name):
            if secret.lower() not in asked.lower():
                assert secret.lower() not in output.lower(), f"{secret!r} leaked at clearance {clearance}"
        for sentence in text.split(". ")[1:3]:
            assert sentence.strip()[:40] not in output


def _cli(capsys, clearance: str | None, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    return run(capsys, *(("--clearance", clearance) if clearance else ()), *args)


QUESTIONS = ("Who briefed the convoy escort team?", "Who approved the convoy fuel contract?",
             "Who signed the convoy schedule?", "What is Zanzibarov's role?", "Who is Kestrelwood?",
             "What does Brightwater do?", "What about harbour logistics?")


@pytest.mark.parametrize("clearance", list(CLEARANCES))
def test_ask_search_and_show_never_reveal_a_withheld_document(marked, capsys, clearance):
    for question in QUESTIONS:
        code, out, err = _cli(capsys, clearance, "ask", question, "--json")
        assert code == 0, err
        _no_leak(out, clearance, question)
        data = json.loads(out)
        for c in data["citations"]:
            assert c["marking"] in {MARKINGS[d] for d in CLEARANCES[clearance]} | {"OFFICIAL"}
        if data["citations"]:
            assert data["marking"]
        code, out, _ = _cli(capsys, clearance, "search", question, "--json")
        _no_leak(out, clearance, question)
        assert all(h["marking"] in {MARKINGS[d] for d in CLEARANCES[clearance]} for h in json.loads(out)["hits"])
    for doc_id, *_ in _withheld(clearance):
        code, out, err = _cli(capsys, clearance, "show", doc_id)
        assert code == 2 and out == "" and "is not in the index" in err
        code, out, err = _cli(capsys, clearance, "ask", "What about the convoy?", "--doc", doc_id)
        assert code == 2 and "no indexed document matches" in err
        _no_leak(out, clearance)


@pytest.mark.parametrize("clearance", list(CLEARANCES))
def test_a_refusal_reads_the_same_whether_or_not_a_withheld_document_holds_the_word(marked, capsys, clearance):
    code, out, _ = _cli(capsys, clearance, "ask", "Where does Zanzibarov live?", "--json")
    code2, out2, _ = _cli(capsys, clearance, "ask", "Where does Quuxley live?", "--json")
    first, second = json.loads(out), json.loads(out2)
    if SECRET not in CLEARANCES[clearance]:
        assert first["abstained"] and second["abstained"]
        assert [n.replace("Zanzibarov", "X").replace("zanzibarov", "x") for n in first["notes"]] == \
               [n.replace("Quuxley", "X").replace("quuxley", "x") for n in second["notes"]]


@pytest.mark.parametrize("clearance", list(CLEARANCES))
def test_status_counts_withheld_documents_and_names_none(marked, capsys, clearance):
    code, out, _ = _cli(capsys, clearance, "index", "status", "--json")
    assert code == 0
    data = json.loads(out)
    _no_leak(out, clearance)
    assert data["withheld"] == len(_withheld(clearance))
    shown = {d["doc"]: d["marking"] for d in data["documents"]}
    assert shown == {d[0]: MARKINGS[d] for d in CLEARANCES[clearance]}
    code, out, _ = _cli(capsys, clearance, "index", "status")
    _no_leak(out, clearance)


@pytest.mark.parametrize("clearance", list(CLEARANCES))
def test_briefs_and_their_exports_never_reveal_a_withheld_document(marked, capsys, clearance, tmp_path):
    md, docx = tmp_path / "brief.md", tmp_path / "brief.docx"
    code, out, err = _cli(capsys, clearance, "brief", "convoy harbour logistics", "--json",
                          "--markdown", str(md), "--docx", str(docx))
    assert code == 0, err
    _no_leak(out, clearance)
    _no_leak(md.read_text(encoding="utf-8"), clearance)
    _no_leak(_docx_text(docx), clearance)
    data = json.loads(out)
    assert data["key_points"], "the permitted documents cover the topic"
    cited = {p["citation"]["marking"] for p in data["key_points"]}
    assert cited <= {MARKINGS[d] for d in CLEARANCES[clearance]}
    assert data["marking"] == max(cited, key=list(MARKINGS.values()).index)  # the highest quoted
    assert all(p["marking"] in PORTIONS.values() for p in data["key_points"])
    lines = [line for line in md.read_text(encoding="utf-8").splitlines() if line.strip()]
    banner = f"**{data['marking']}**"
    assert lines[0] == banner and lines[-1] == banner
    points = lines[lines.index("## Key points") + 1 : next(i for i, line in enumerate(lines) if line.startswith("## ")
                                                            and i > lines.index("## Key points"))]
    assert points and all(line[2:].startswith(tuple(PORTIONS.values())) for line in points)
    import docx as word

    document = word.Document(str(docx))
    for section in document.sections:  # the banner at the top and bottom of every page
        assert section.header.paragraphs[0].text == data["marking"]
        assert section.footer.paragraphs[0].text == data["marking"]
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert all(b.startswith(tuple(PORTIONS.values())) for b in bullets[:len(data["key_points"])])


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_a_clearance_the_scheme_does_not_know_is_one_line_and_exit_2(marked, capsys):
    code, out, err = _cli(capsys, "CONFIDENTIAL", "ask", "Anything?")
    assert code == 2 and "not a level" in err and err.count("\n") == 1
    code, out, err = _cli(capsys, "SECRET/REL", "index", "status")
    assert code == 2 and "not a caveat" in err


@pytest.mark.parametrize("clearance", list(CLEARANCES))
def test_what_a_clearance_permits_is_found_and_marked(marked, capsys, clearance):
    for doc in CLEARANCES[clearance]:
        doc_id, _title, name, _text = doc
        code, out, _ = _cli(capsys, clearance, "search", name, "--json")
        hits = json.loads(out)["hits"]
        assert hits and hits[0]["doc"] == doc_id and hits[0]["marking"] == MARKINGS[doc]
        code, out, _ = _cli(capsys, clearance, "show", doc_id)
        assert code == 0 and name in out


# -- the server: each token's clearance, over HTTP and MCP; the audit line -----------------------------

READERS = {"analyst": (None, "a" * 20), "sensitive": ("OFFICIAL-SENSITIVE", "b" * 20),
           "secret": ("SECRET", "c" * 20), "noforn": ("SECRET/NOFORN", "d" * 20)}
TOKEN_CLEARANCE = {name: clearance for name, (clearance, _token) in READERS.items()}


@pytest.fixture
def served(marked, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from assistant.server.readers import token_hash
    from assistant.settings import Settings
    from tests.test_server import serve, stop

    tokens = tmp_path / "tokens.toml"
    tokens.write_text("".join(f'[[token]]\nsha256 = "{token_hash(token)}"\nname = "{name}"\n'
                              + (f'clearance = "{clearance}"\n' if clearance else "")
                              for name, (clearance, token) in READERS.items()), encoding="utf-8")
    monkeypatch.setenv("BRIEFING_SERVE_TOKENS_FILE", str(tokens))
    running = serve(Settings.from_env())
    yield running
    stop(running)


def _mcp(url: str, token: str, tool: str, arguments: dict) -> dict:  # type: ignore[type-arg]
    import httpx

    reply = httpx.post(url + "/mcp", headers={"Authorization": f"Bearer {token}",
                                              "Accept": "application/json, text/event-stream"},
                       json={"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                             "params": {"name": tool, "arguments": arguments}}, timeout=30)
    assert reply.status_code == 200, reply.text
    return reply.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize("reader", list(READERS))
def test_each_token_is_answered_at_its_clearance_over_http_and_mcp(served, reader, caplog):
    import logging

    import httpx

    clearance, token = READERS[reader]
    auth = {"Authorization": f"Bearer {token}"}
    caplog.set_level(logging.INFO, logger="briefing.access")
    for question in QUESTIONS:
        reply = httpx.post(served.url + "/v1/ask", json={"question": question}, headers=auth, timeout=30)
        assert reply.status_code == 200
        _no_leak(reply.text, clearance, question)
        data = reply.json()
        assert all(c["marking"] in {MARKINGS[d] for d in CLEARANCES[clearance]} for c in data["citations"])
        reply = httpx.post(served.url + "/v1/search", json={"query": question}, headers=auth, timeout=30)
        _no_leak(reply.text, clearance, question)
        for tool, args in (("ask", {"question": question}), ("search", {"query": question})):
            _no_leak(json.dumps(_mcp(served.url, token, tool, args)), clearance, question)
    for route in ("/v1/documents", "/v1/status"):
        reply = httpx.get(served.url + route, headers=auth, timeout=30)
        assert reply.status_code == 200
        _no_leak(reply.text, clearance)
    listed = {d["doc"]: d["marking"] for d in httpx.get(served.url + "/v1/documents", headers=auth).json()["documents"]}
    assert listed == {d[0]: MARKINGS[d] for d in CLEARANCES[clearance]}
    for tool in ("list_documents", "index_status"):
        _no_leak(json.dumps(_mcp(served.url, token, tool, {})), clearance)
    reply = httpx.post(served.url + "/v1/brief", json={"topic": "convoy harbour logistics"}, headers=auth, timeout=30)
    _no_leak(reply.text, clearance)
    for doc_id, *_ in _withheld(clearance):
        reply = httpx.get(served.url + f"/v1/documents/{doc_id}/text", headers=auth, timeout=30)
        assert reply.status_code == 404
        _no_leak(reply.text.replace(doc_id, ""), clearance)
        answer = _mcp(served.url, token, "read_source", {"doc": doc_id})
        _no_leak(json.dumps(answer).replace(doc_id, ""), clearance)
        reply = httpx.post(served.url + "/v1/ask", json={"question": "convoy?", "doc": [doc_id]}, headers=auth)
        assert reply.status_code == 400
    lines = [r.getMessage() for r in caplog.records if r.name == "briefing.access"]
    assert lines and all(f"token={reader}" in line for line in lines)
    assert not any("Who briefed" in line for line in lines)  # never the question
    released = [line.split("released=")[1] for line in lines if "/v1/ask" in line and "released=" in line]
    assert released and set(released) <= {MARKINGS[d] for d in CLEARANCES[clearance]}


def test_an_unknown_token_is_refused(served):
    import httpx

    reply = httpx.post(served.url + "/v1/ask", json={"question": "convoy?"},
                       headers={"Authorization": "Bearer not-a-known-token-at-all"})
    assert reply.status_code == 401


@pytest.mark.parametrize("clearance", list(CLEARANCES))
def test_themes_topics_follow_ups_and_counts_are_the_clearances(marked, clearance):
    from assistant.answer.conversation import Conversation
    from assistant.answer.engine import Engine
    from assistant.brief.themes import themes_of
    from assistant.brief.topics import corpus_overview
    from assistant.settings import Settings
    from tests.fakes import HashEmbedder

    engine = Engine(Settings.from_env(), HashEmbedder()).at(clearance or "")
    snap = engine.snapshot()
    assert set(snap.documents) == {d[0] for d in CLEARANCES[clearance]}
    assert snap.withheld == len(_withheld(clearance))
    assert snap.passage_count == sum(e.n_chunks for e in snap.documents.values())
    _no_leak(repr(themes_of(snap)), clearance)
    _no_leak(repr(corpus_overview(snap.documents, snap.source_text)), clearance)
    for doc_id, *_ in _withheld(clearance):
        assert snap.source_text(doc_id) is None
    conversation = Conversation()
    engine.ask("Who signed the convoy schedule?", conversation)
    for follow_up in ("And who approved its fuel?", "Who briefed its escort?", "What else about it?"):
        answer = engine.ask(follow_up, conversation)
        _no_leak(repr(answer), clearance)
    _no_leak(json.dumps(conversation.to_json()), clearance)


@pytest.mark.parametrize("clearance", list(CLEARANCES))
def test_a_clearance_answers_as_an_index_of_only_what_it_permits_would(marked, clearance, tmp_path):
    """The strongest check: answers, refusals and their notes, search scores and the vocabulary
    at a clearance are those of an index built from the permitted documents alone, so nothing in
    them depends on what is withheld ("the corpus never mentions X" included)."""
    from assistant.answer.engine import Engine
    from assistant.settings import Settings
    from tests.fakes import HashEmbedder
    from tests.helpers import build

    twin = tmp_path / "twin"
    (twin / "corpus").mkdir(parents=True)
    (twin / "markings.toml").write_text(SCHEME, encoding="utf-8")
    for doc_id, _title, _name, text in CLEARANCES[clearance]:
        write_doc(twin / "corpus", doc_id, text)
    alone = Settings.from_env(corpus_dir=twin / "corpus", index_dir=twin / "index")
    build(alone, HashEmbedder())
    viewed = Engine(Settings.from_env(), HashEmbedder()).at(clearance or "")
    only = Engine(alone, HashEmbedder()).at(clearance or "")
    probes = (*QUESTIONS, "Where does Zanzibarov live?", "What is Kestrelwood?", "Who is Brightwater?",
              "What do convoy escorts and fuel budgets share?", "Tell me about the northern quay tides.")
    for question in probes:
        a, b = viewed.ask(question), only.ask(question)
        assert (a.abstained, a.text, a.notes, a.marking) == (b.abstained, b.text, b.notes, b.marking), question
        assert [(c.doc_id, c.text, c.marking) for c in a.citations] == [(c.doc_id, c.text, c.marking)
                                                                       for c in b.citations]
        hits_a, hits_b = viewed.search(question), only.search(question)
        assert [(h.chunk.doc_id, h.chunk.text, round(h.score, 5)) for h in hits_a] == \
               [(h.chunk.doc_id, h.chunk.text, round(h.score, 5)) for h in hits_b]
    vocabulary, alone_vocabulary = viewed.snapshot().vocabulary, only.snapshot().vocabulary
    for word in ("zanzibarov", "kestrelwood", "brightwat", "convoy", "harbour", "escort", "fuel"):
        assert vocabulary.knows(word) == alone_vocabulary.knows(word)
        assert vocabulary.idf(word) == pytest.approx(alone_vocabulary.idf(word))


def test_the_terminal_shows_the_marking_first_and_portion_marks_per_line(marked, capsys):
    code, out, _ = _cli(capsys, "SECRET/NOFORN", "ask", "Who briefed the convoy escort team?")
    assert code == 0 and out.splitlines()[0] in MARKINGS.values()
    assert any(line.startswith("[1] (") for line in out.splitlines())
    code, out, _ = _cli(capsys, "SECRET/NOFORN", "brief", "convoy harbour logistics")
    lines = [line for line in out.splitlines() if line.strip()]
    assert lines[0] == lines[-1] and lines[0] in MARKINGS.values()
    assert any(line.startswith("• (") for line in lines)
