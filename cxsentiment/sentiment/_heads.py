"""The default sentiment backend: small heads on multilingual-e5-small vectors, shipped as ``.npz``.

``models/sentiment_heads.npz`` holds a one-hidden-layer classifier (negative/neutral/positive) and a
linear star head on the same vectors plus the class probabilities. Both were trained by
``python -m cxsentiment.training sentiment``; ``models/sentiment_MODEL_CARD.md`` has data, licences and
per-language results.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from ..errors import ModelFileError
from ..models import load_npz

__all__ = ["Heads", "HeadsBackend", "load_heads", "softmax"]

HEADS_FILE = "sentiment_heads.npz"


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of logits, stable for large values."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    out: np.ndarray = e / e.sum(axis=1, keepdims=True)
    return out


class Heads:
    """The arrays of a heads file, and the numpy forward pass."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.encoder = str(arrays["encoder"])
        self.w1 = arrays["w1"].astype(np.float32)
        self.b1 = arrays["b1"].astype(np.float32)
        self.w2 = arrays["w2"].astype(np.float32)
        self.b2 = arrays["b2"].astype(np.float32)
        self.temperature = float(arrays["temperature"])
        self.stars_w = arrays["stars_w"].astype(np.float32)
        self.stars_b = float(arrays["stars_b"])

    def logits(self, x: np.ndarray) -> np.ndarray:
        hidden = np.maximum(x @ self.w1 + self.b1, 0.0)
        out: np.ndarray = (hidden @ self.w2 + self.b2) / self.temperature
        return out

    def predict(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        p = softmax(self.logits(x))
        stars = np.clip(np.concatenate([x, p], axis=1) @ self.stars_w + self.stars_b, 1.0, 5.0)
        return p.astype(np.float64), stars.astype(np.float64)


@cache
def load_heads(name: str = HEADS_FILE) -> Heads:
    return load_npz(name, Heads, "sentiment heads", "sentiment")


class HeadsBackend:
    """``cx-e5-heads.v1``: the shipped heads over the Analyzer's e5 vectors (numpy only, thread-safe)."""

    name = "cx-e5-heads.v1"
    needs_embeddings = True

    def __init__(self, encoder: str = "e5-small-q4.v1", **_: object) -> None:
        from ..encoders import same_vectors

        heads = load_heads()
        if not same_vectors(heads.encoder, encoder):
            raise ModelFileError(
                f"the shipped sentiment heads were trained on {heads.encoder!r} vectors, not {encoder!r}; "
                f"use encoder={heads.encoder!r} or sentiment='hf' with your own model"
            )
        self.heads = heads

    def predict(self, texts: Sequence[str], embeddings: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        if embeddings is None:
            raise ValueError("cx-e5-heads.v1 scores embeddings; the Analyzer passes them")
        return self.heads.predict(np.asarray(embeddings, dtype=np.float32))
