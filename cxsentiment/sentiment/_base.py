"""The sentiment-backend protocol: scores for a batch of text units."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from ..text import letter_evidence
from ..types import Language
from .units import units

__all__ = [
    "CLASS_STARS",
    "SPAN_SURE",
    "LanguageAwareBackend",
    "SentimentBackend",
    "language_parts",
    "predict_routed",
    "route_of",
    "routed_units",
    "routes_for",
]

# The expected 1-5 rating of negative / neutral / positive, for a backend whose stars come from its class
# probabilities (``p @ CLASS_STARS``): the fine-tuned default and any 3-class or binary Hugging Face model.
CLASS_STARS = np.array([1.0, 3.0, 5.0])


@runtime_checkable
class SentimentBackend(Protocol):
    """Scores text units (a short comment, or one sentence group of a long one).

    ``needs_embeddings``: the Analyzer embeds the units once with its encoder and passes the vectors in
    (shared with later stages); otherwise ``embeddings`` is ``None`` and the backend reads the texts.
    ``predict`` returns ``(probabilities, stars)``: ``(n, 3)`` negative/neutral/positive probabilities and
    ``(n,)`` expected 1-5 ratings. Implementations are thread-safe. A backend that loads more on demand than
    its first ``predict`` needs (language variants) may define ``preload()``, which ``Analyzer.preload`` calls.
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


# A span of a mixed comment that no variant takes is read as a language of its own (scored apart from the rest by
# the backend's own model) only when the detector is at least this sure of it; a less sure span (a URL, a
# hashtag, a fragment) joins the stretch before it. Chosen on malaya's Malay tweets, which are full of them
# (benchmarks/RESULTS.md).
SPAN_SURE = 0.9


def language_parts(
    backend: SentimentBackend, lang: Language | None, text: str
) -> list[tuple[int, int, str | None]] | None:
    """For a comment whose language spans go to different variants of ``backend`` (a Malay sentence in an
    English comment), the consecutive stretches ``(start, end, route)`` that cover ``text``; ``None`` when the
    whole comment takes one route (every comment with one span, and every backend that does not read
    languages). A span counts when a variant takes it or the detector is surer than :data:`SPAN_SURE` of its
    language; any other span joins the stretch before it (the first ones, the stretch after them). Text after
    the last span (the detector reads the spans of a comment's first 64 sentences) takes the comment's route."""
    if lang is None or len(lang.spans) < 2:
        return None
    if not (isinstance(backend, LanguageAwareBackend) and backend.reads_languages):
        return None
    readings = [
        None
        if span.code is None
        else Language(code=span.code, confidence=span.confidence, script=lang.script, alternatives=span.alternatives)
        for span in lang.spans
    ]
    routes = backend.route(readings)
    counted = [
        (span.start, route)
        for span, route in zip(lang.spans, routes, strict=True)
        if route is not None or (span.code is not None and span.confidence >= SPAN_SURE)
    ]
    end = lang.spans[-1].end
    if counted and letter_evidence(text[end:]):
        counted.append((end, backend.route([lang])[0]))
    if len({route for _, route in counted}) < 2:
        return None
    parts: list[list[Any]] = []
    for start, route in counted:
        if parts and parts[-1][2] == route:
            continue
        if parts:
            parts[-1][1] = start  # the gap before a span (spaces, a newline) goes with the stretch before it
        parts.append([0 if not parts else start, len(text), route])
    return [(a, b, r) for a, b, r in parts]


def routed_units(
    text: str, parts: list[tuple[int, int, str | None]] | None, route: str | None, *, per_sentence: bool = False
) -> tuple[list[tuple[int, int]], list[str | None]]:
    """The units of ``text`` (:func:`~cxsentiment.sentiment.units.units`) and the route of each: every unit
    takes ``route`` when ``parts`` is ``None``; otherwise each stretch of ``parts`` is cut into units of its own,
    so that no unit holds text of two routes."""
    if parts is None:
        cut = units(text, per_sentence=per_sentence)
        return cut, [route] * len(cut)
    out: list[tuple[int, int]] = []
    routes: list[str | None] = []
    for a, b, r in parts:
        piece = units(text[a:b], per_sentence=per_sentence)
        out.extend((a + x, a + y) for x, y in piece)
        routes.extend([r] * len(piece))
    return out, routes


def route_of(parts: list[tuple[int, int, str | None]], start: int, end: int) -> str | None:
    """The route of the stretch of ``parts`` that holds most of ``[start, end)``."""
    return max(parts, key=lambda p: min(end, p[1]) - max(start, p[0]))[2]
