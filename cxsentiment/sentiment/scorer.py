"""Sentiment for whole comments: cut into units, score each unit once, pool per comment."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..encoders import Encoder, embed_unique
from ..types import SENTIMENT_LABELS, Language, SentenceSentiment, Sentiment
from ._base import SentimentBackend, language_parts, predict_routed, routed_units, routes_for
from .units import unit_weights

__all__ = ["MAX_UNITS", "ScoredBatch", "SentimentScorer"]

MAX_UNITS = 200  # units scored per comment (about 120k characters); beyond that the result is flagged partial


class ScoredBatch:
    """Per-comment sentiment for a batch, plus the unit texts, the variant each was scored by (``None``: the
    backend's own model; a text scored by two variants is listed twice), their vectors (backends that read the
    encoder's) and their class probabilities, which later stages reuse instead of computing them again."""

    def __init__(
        self,
        results: list[Sentiment | None],
        partial: list[bool],
        unit_texts: list[str],
        vectors: np.ndarray | None,
        probabilities: np.ndarray | None = None,
        unit_routes: list[str | None] | None = None,
    ):
        self.results = results
        self.partial = partial
        self.unit_texts = unit_texts
        self.vectors = vectors
        self.probabilities = probabilities
        self.unit_routes = unit_routes if unit_routes is not None else [None] * len(unit_texts)

    def known_sentiment(self) -> dict[tuple[str, str | None], np.ndarray]:
        """``(unit text, variant) -> probabilities`` for every unit scored, for the topic stage to reuse."""
        if self.probabilities is None:
            return {}
        return dict(zip(zip(self.unit_texts, self.unit_routes, strict=True), self.probabilities, strict=True))


class SentimentScorer:
    """Scores comments with one backend; the encoder is used only when the backend reads vectors."""

    def __init__(self, backend: SentimentBackend, encoder: Encoder | None, *, per_sentence: bool = False) -> None:
        if backend.needs_embeddings and encoder is None:
            raise ValueError(f"{backend.name} needs an encoder")
        self.backend = backend
        self.encoder = encoder
        self.per_sentence = per_sentence

    def score(self, texts: Sequence[str], languages: Sequence[Language | None] | None = None) -> ScoredBatch:
        """Sentiment of each text (``None`` for blank text, which never reaches a model). ``languages`` (one per
        text, as detected) go to a backend that reads them: a text's units take the route of its language, and a
        text whose language spans take different routes is cut into units at those spans, each unit scored by
        the variant of its own span (:func:`~cxsentiment.sentiment._base.language_parts`)."""
        backend = self.backend
        routes = routes_for(backend, languages, len(texts))
        spans: list[list[tuple[int, int]]] = []
        partial: list[bool] = []
        unit_texts: list[str] = []
        unit_routes: list[str | None] = []
        unit_index: dict[tuple[str, str | None], int] = {}  # a unit is scored once per batch and route
        keys: list[list[tuple[str, str | None]]] = []
        langs = languages if languages is not None else [None] * len(texts)
        for text, route, lang in zip(texts, routes, langs, strict=True):
            parts = language_parts(backend, lang, text)
            cut, cut_routes = routed_units(text, parts, route, per_sentence=self.per_sentence)
            partial.append(len(cut) > MAX_UNITS)
            cut = cut[:MAX_UNITS]
            spans.append(cut)
            keys.append([(text[a:b], r) for (a, b), r in zip(cut, cut_routes, strict=False)])
            for key in keys[-1]:
                if key not in unit_index:
                    unit_index[key] = len(unit_texts)
                    unit_texts.append(key[0])
                    unit_routes.append(key[1])
        if not unit_texts:
            return ScoredBatch([None] * len(texts), partial, [], None)
        vectors = embed_unique(self.encoder, unit_texts) if backend.needs_embeddings and self.encoder else None
        probs, stars = predict_routed(backend, unit_texts, vectors, unit_routes)
        results: list[Sentiment | None] = []
        for text, cut, unit_keys in zip(texts, spans, keys, strict=True):
            if not cut:
                results.append(None)
                continue
            rows = [unit_index[key] for key in unit_keys]
            results.append(self._pool(probs[rows], stars[rows], unit_weights(text, cut), cut))
        return ScoredBatch(results, partial, unit_texts, vectors, np.asarray(probs, dtype=np.float64), unit_routes)

    def _pool(self, probs: np.ndarray, stars: np.ndarray, w: np.ndarray, cut: list[tuple[int, int]]) -> Sentiment:
        """The comment's result from its units' (``w``: each unit's share, :func:`.units.unit_weights`)."""
        p = w @ probs
        p = p / p.sum()
        sentences: tuple[SentenceSentiment, ...] = ()
        if self.per_sentence:
            sentences = tuple(
                SentenceSentiment(
                    start=a,
                    end=b,
                    label=SENTIMENT_LABELS[int(np.argmax(pr))],
                    score=round(float(pr[2] - pr[0]), 4),
                    probabilities=_rounded(pr),
                    stars=round(float(st), 3),
                )
                for (a, b), pr, st in zip(cut, probs, stars, strict=True)
            )
        k = int(np.argmax(p))
        return Sentiment(
            label=SENTIMENT_LABELS[k],
            score=round(float(p[2] - p[0]), 4),
            probabilities=_rounded(p),
            stars=round(float(np.clip(w @ stars, 1.0, 5.0)), 3),
            confidence=round(float(p[k]), 4),
            backend=self.backend.name,
            units=len(cut),
            sentences=sentences,
        )


def _rounded(p: np.ndarray) -> tuple[float, float, float]:
    return (round(float(p[0]), 4), round(float(p[1]), 4), round(float(p[2]), 4))
