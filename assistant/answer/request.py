"""One question's (or one brief's) working context, made once and passed down.

A question is answered from one index generation, under one set of settings, within one scope;
the engine takes the snapshot and works out the scope's passages when the request starts, and
every stage below (ranking, the coverage verdict, composing, a brief's material, what is new
since the last brief) reads them from here. Nothing below takes a second snapshot, so a reload
in between can never mix two generations in one answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from assistant.embedders import Embedder
from assistant.retrieval.hybrid import Scope, scope_documents
from assistant.retrieval.snapshot import IndexSnapshot
from assistant.settings import Settings

if TYPE_CHECKING:
    from numpy.typing import NDArray


@dataclass(frozen=True)
class Request:
    snap: IndexSnapshot
    """The index generation the whole request reads."""
    settings: Settings
    embedder: Embedder
    scope: Scope | None = None
    mask: NDArray[np.bool_] | None = None
    """The passages the scope allows (None: every passage), worked out once."""

    @classmethod
    def start(cls, snap: IndexSnapshot, settings: Settings, embedder: Embedder,
              scope: Scope | None = None) -> Request:
        """A request on ``snap``; a scope naming no indexed document is a ``QuestionError`` here."""
        return cls(snap, settings, embedder, scope, snap.retriever.mask(scope))

    def sole_document(self) -> str | None:
        """The one document the request's scope allows, when it names just one (``--doc``): a
        brief on it is that document's brief (``brief.make``)."""
        if self.scope is None or not self.scope.docs:
            return None
        docs = scope_documents(self.snap.index, self.scope)
        return docs[0] if len(docs) == 1 else None

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        return self.embedder.embed(list(texts))
