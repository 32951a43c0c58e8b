"""Who is asking a server, and at what clearance: the tokens file (``serve_tokens_file``), and the
reader each request is answered for.

The file holds no token, only each token's SHA-256 (so a copy of it lets no one in)::

    [[token]]
    sha256 = "9f86d0…"        # sha256sum of the bearer token
    name = "analyst-1"         # what the access log records
    clearance = "SECRET/NOFORN"

``Guards`` finds the reader of each request by its bearer token and puts it where the service's
worker reads it (``CURRENT``, a context variable the request's thread inherits); the service
writes back the highest marking it released, for the access log.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import ConfigError
from assistant.markings.scheme import Scheme, reader_clearance

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Reader:
    """A client: its name (in the access log) and its clearance as written (None: the
    server's own, ``BRIEFING_CLEARANCE``, else the unmarked level)."""

    name: str
    clearance: str | None = None


@dataclass
class Audit:
    """One request's access-log facts: who asked, and the highest marking released to them."""

    reader: Reader
    released: str = ""


CURRENT: ContextVar[Audit | None] = ContextVar("briefing_reader", default=None)
"""The request being answered (set by ``Guards``; None outside a request: stdio MCP)."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.strip().encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Readers:
    """The tokens file, read and checked: token hash -> reader."""

    by_hash: dict[str, Reader] = field(default_factory=dict)

    def find(self, token: str) -> Reader | None:
        return self.by_hash.get(token_hash(token)) if token else None


def read_readers(path: Path, scheme: Scheme | None) -> Readers:
    """The tokens file at ``path``; anything wrong with it is one ``ConfigError`` line naming it
    (a clearance is checked against ``scheme`` here, before the server starts)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the tokens file {path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"the tokens file {path} is not valid TOML: {str(exc).splitlines()[0]}") from None
    items = data.get("token", [])
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
        raise ConfigError(f"the tokens file {path} needs [[token]] tables (sha256, name, clearance)")
    out: dict[str, Reader] = {}
    for n, item in enumerate(items, 1):
        digest = str(item.get("sha256", "")).strip().lower()
        name = " ".join(str(item.get("name", "")).split())
        clearance = item.get("clearance")
        if not _SHA256.match(digest):
            raise ConfigError(f"the tokens file {path}: token {n}: sha256 must be 64 hex digits (sha256sum of it)")
        if not name:
            raise ConfigError(f"the tokens file {path}: token {n} needs a name")
        if digest in out:
            raise ConfigError(f"the tokens file {path}: token {n} repeats the hash of {out[digest].name}")
        reader_clearance(scheme, str(clearance) if clearance else None)  # refused here, not per request
        out[digest] = Reader(name, str(clearance) if clearance else None)
    return Readers(out)
