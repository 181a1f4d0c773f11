"""The sentiment-backend protocol: scores for a batch of text units."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from ..types import Language

__all__ = ["CLASS_STARS", "LanguageAwareBackend", "SentimentBackend", "predict_routed", "routes_for"]

# The expected 1-5 rating of negative / neutral / positive, for a backend whose stars come from its class
# probabilities (``p @ CLASS_STARS``): the fine-tuned default and any 3-class or binary Hugging Face model.
CLASS_STARS = np.array([1.0, 3.0, 5.0])


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


@runtime_checkable
class LanguageAwareBackend(SentimentBackend, Protocol):
    """A backend that scores some texts differently by their detected language (a language variant). When
    ``reads_languages`` is true the scorer asks :meth:`route` which variant scores each comment (``None``: the
    backend's own model), then passes each unit its comment's route."""

    reads_languages: bool

    def route(self, languages: Sequence[Language | None]) -> list[str | None]: ...

    def predict(
        self, texts: Sequence[str], embeddings: np.ndarray | None, routes: Sequence[str | None] | None = None
    ) -> tuple[np.ndarray, np.ndarray]: ...


def routes_for(backend: SentimentBackend, languages: Sequence[Language | None] | None, n: int) -> list[str | None]:
    """Per text, the variant of ``backend`` that scores it (``None``: the backend's own model; always ``None``
    for a backend that does not read languages, or when no languages are given)."""
    if languages is None or not (isinstance(backend, LanguageAwareBackend) and backend.reads_languages):
        return [None] * n
    if len(languages) != n:
        raise ValueError(f"{n} texts but {len(languages)} languages")
    return backend.route(languages)


def predict_routed(
    backend: SentimentBackend, texts: Sequence[str], embeddings: np.ndarray | None, routes: Sequence[str | None]
) -> tuple[np.ndarray, np.ndarray]:
    """``backend.predict``, passing ``routes`` only when some text goes to a variant."""
    if any(r is not None for r in routes) and isinstance(backend, LanguageAwareBackend):
        return backend.predict(texts, embeddings, routes=routes)
    return backend.predict(texts, embeddings)
