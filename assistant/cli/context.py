"""What every command receives through typer's context: the settings and how to get an embedder.

``main(embedder_factory=...)`` is how tests hand the CLI a fake model: the same path the
bundled model takes in production, no patched import sites.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import typer

from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.answer.engine import Engine
    from assistant.embedders import Embedder

EmbedderFactory = Callable[[Settings], "Embedder"]


@dataclass(frozen=True)
class Injected:
    """Given to ``main`` by a caller (tests); None means the configured embedder."""

    embedder_factory: EmbedderFactory | None = None


@dataclass(frozen=True)
class CliState:
    settings: Settings
    embedder_factory: EmbedderFactory | None = None

    def embedder(self) -> Embedder:
        if self.embedder_factory is not None:
            return self.embedder_factory(self.settings)
        from assistant.embedders import embedder_for

        return embedder_for(self.settings)

    def engine(self) -> Engine:
        """Imported here: numpy and faiss load only for commands that answer."""
        from assistant.answer.engine import Engine

        return Engine(self.settings, self.embedder())


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_object(CliState)
    assert obj is not None, "the root callback puts a CliState in the context"
    return obj
