"""Shared fixtures. Every test runs with paths in a temporary folder and no network."""

from __future__ import annotations

import ipaddress
import shutil
import socket
from pathlib import Path

import pytest

from assistant.answer.engine import Engine
from assistant.index.build import build_index
from assistant.settings import Settings
from tests.fakes import HashEmbedder
from tests.helpers import SEED, write_doc


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """An accidental download from a model hub must fail the test, not pass by luck."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError("network access is disabled in tests")

    original = socket.socket.connect
    original_create = socket.create_connection

    def loopback(address: object) -> bool:
        """This machine's own server (``briefing serve`` under test, on any loopback address)
        is not the network."""
        if not isinstance(address, tuple):
            return False
        if str(address[0]) == "localhost":
            return True
        try:
            return ipaddress.ip_address(str(address[0])).is_loopback
        except ValueError:
            return False

    def guarded_connect(self: socket.socket, address: object) -> None:
        if self.family == socket.AF_UNIX or loopback(address):
            return original(self, address)  # type: ignore[arg-type]
        refuse()

    def guarded_create(address: object, *args: object, **kwargs: object) -> socket.socket:
        if loopback(address):
            return original_create(address, *args, **kwargs)  # type: ignore[arg-type]
        raise OSError("network access is disabled in tests")

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "create_connection", guarded_create)


@pytest.fixture(autouse=True)
def _isolated_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every path setting at a temporary folder; the real corpus/ and index/ are never touched."""
    monkeypatch.setenv("BRIEFING_CORPUS", str(tmp_path / "corpus"))
    monkeypatch.setenv("BRIEFING_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("BRIEFING_EXPORTS_DIR", str(tmp_path / "exports"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    for name in ("BRIEFING_CORPUS_DIR", "BRIEFING_INDEX_DIR", "BRIEFING_REFUSAL_THRESHOLD"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "corpus").mkdir()


@pytest.fixture
def settings() -> Settings:
    return Settings.from_env()


@pytest.fixture
def corpus(settings: Settings) -> Path:
    return settings.paths.corpus_dir


@pytest.fixture
def seed_corpus(corpus: Path) -> Path:
    shutil.copy(SEED, corpus / SEED.name)
    return corpus


@pytest.fixture
def embedder() -> HashEmbedder:
    return HashEmbedder()


@pytest.fixture
def fake_scale(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fake embedder's similarities run lower than the model's: a refusal threshold to match."""
    monkeypatch.setenv("BRIEFING_REFUSAL_THRESHOLD", "0.2")


# -- the real bundled model over the seed corpus (integration tests; built once per session) --

@pytest.fixture(scope="session")
def reference_embedder():  # type: ignore[no-untyped-def]
    """sentence-transformers: the vectors every other backend is measured against."""
    from assistant.embedders.torch import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture(scope="session")
def real_embedder():  # type: ignore[no-untyped-def]
    """The default configuration's model (exported once into the user's cache), as users run it."""
    from assistant.embedders import embedder_for

    return embedder_for(Settings.from_env({}))


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory, real_embedder):
    root = tmp_path_factory.mktemp("seed")
    (root / "corpus").mkdir()
    shutil.copy(SEED, root / "corpus" / SEED.name)
    s = Settings.from_env({}, corpus_dir=root / "corpus", index_dir=root / "index")
    build_index(s, real_embedder)
    return s


@pytest.fixture(scope="session")
def seed_engine(seed_settings, real_embedder):
    return Engine(seed_settings, real_embedder)


@pytest.fixture
def three_docs(corpus: Path) -> Path:
    write_doc(corpus, "a.txt", "Gallium exports were restricted in 2023. Prices rose sharply afterwards.")
    write_doc(corpus, "b.md",
              "---\ntitle: Tungsten\ndate: 2025-02\n---\nTungsten stockpiles are being built by Europe.")
    write_doc(corpus, "c/d.txt", "Semiconductor fabs need ultra-pure water and stable power.")
    return corpus
