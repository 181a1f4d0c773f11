"""The encoder protocol and the one helper every stage uses to embed: unique, non-empty texts only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

__all__ = ["Encoder", "embed_unique"]


@runtime_checkable
class Encoder(Protocol):
    """Text -> L2-normalised float32 vectors. Implementations are thread-safe and load on first use.

    An encoder may also have a ``texts_per_call`` attribute: how many texts :func:`embed_unique` hands it per
    :meth:`encode` call (default 64). One that sorts and batches texts by length itself, or runs on a GPU,
    wants them all at once.
    """

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """``(len(texts), dim)`` float32; every text is non-empty (callers filter, see :func:`embed_unique`)."""
        ...

    def count_tokens(self, text: str) -> int:
        """Tokens the model would read for ``text`` (specials included)."""
        ...


TEXTS_PER_CALL = 64  # texts per encode() call, unless the encoder says otherwise (its ``texts_per_call``)


def embed_unique(encoder: Encoder, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
    """Embed ``texts`` computing each distinct non-blank text once; blank texts get a zero vector and
    never reach the model. ``batch_size`` texts go to each ``encoder.encode`` call: by default the encoder's
    ``texts_per_call`` attribute where it has one (an encoder that batches by length itself wants them all at
    once), else 64.

    >>> class Length:
    ...     name, dim, calls = "len", 1, []
    ...     def encode(self, texts):
    ...         self.calls.extend(texts)
    ...         return np.array([[len(t)] for t in texts], dtype=np.float32)
    ...     def count_tokens(self, text):
    ...         return len(text)
    >>> enc = Length()
    >>> embed_unique(enc, ["ab", "  ", "ab", "abc"]).ravel().tolist(), enc.calls
    ([2.0, 0.0, 2.0, 3.0], ['ab', 'abc'])
    """
    out = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    index: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        if text and not text.isspace():
            index.setdefault(text, []).append(i)
    unique = list(index)
    step = batch_size or getattr(encoder, "texts_per_call", None) or TEXTS_PER_CALL
    for start in range(0, len(unique), step):
        chunk = unique[start : start + step]
        vectors = np.asarray(encoder.encode(chunk), dtype=np.float32)
        for text, vector in zip(chunk, vectors, strict=True):
            out[index[text]] = vector
    return out
