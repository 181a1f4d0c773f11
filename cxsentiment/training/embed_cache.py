"""Embeddings of training and evaluation texts, cached on disk by content hash (``.npy`` files)."""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..encoders import Encoder, embed_unique

__all__ = ["cached_embeddings"]


def _key(encoder: Encoder, texts: Sequence[str]) -> str:
    h = hashlib.sha256(encoder.name.encode())
    for t in texts:
        h.update(b"\x00" + t.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:20]


def cached_embeddings(encoder: Encoder, texts: Sequence[str], cache: Path | None, label: str = "") -> np.ndarray:
    """``embed_unique(encoder, texts)``, read from / written to ``cache`` when one is given."""
    path = cache / f"{label}-{_key(encoder, texts)}.npy" if cache is not None else None
    if path is not None and path.exists():
        cached: np.ndarray = np.load(path, allow_pickle=False)
        return cached
    start = time.perf_counter()
    out = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    step = 512
    for i in range(0, len(texts), step):
        out[i : i + step] = embed_unique(encoder, texts[i : i + step])
        rate = (i + step) / (time.perf_counter() - start)
        print(
            f"\r  embedding {label}: {min(i + step, len(texts))}/{len(texts)} ({rate:.0f}/s)", end="", file=sys.stderr
        )
    print(file=sys.stderr)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, out, allow_pickle=False)
    return out
