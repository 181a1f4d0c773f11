"""The sentiment-backend protocol: scores for a batch of text units."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

__all__ = ["SentimentBackend"]


@runtime_checkable
class SentimentBackend(Protocol):
    """Scores text units (a short comment, or one sentence group of a long one).

    ``needs_embeddings``: the Analyzer embeds the units once with its encoder and passes the vectors in
    (shared with later stages); otherwise ``embeddings`` is ``None`` and the backend reads the texts.
    ``predict`` returns ``(probabilities, stars)``: ``(n, 3)`` negative/neutral/positive probabilities and
    ``(n,)`` expected 1-5 ratings. Implementations are thread-safe.
    """

    name: str
    needs_embeddings: bool

    def predict(self, texts: Sequence[str], embeddings: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]: ...
