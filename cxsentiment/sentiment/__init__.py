"""Sentiment: how the customer feels, in every language, offline.

Backends (registry names): ``cx-e5-heads.v1`` (default: shipped heads on multilingual-e5-small vectors) and
``hf`` (any Hugging Face sequence-classification model from a local folder or the local cache).
"""

from __future__ import annotations

from typing import Any

from ..registry import sentiment_backends
from ._base import SentimentBackend
from .scorer import ScoredBatch, SentimentScorer
from .units import units

DEFAULT_SENTIMENT = "cx-e5-heads.v1"


def _heads(**kwargs: Any) -> SentimentBackend:
    from ._heads import HeadsBackend

    return HeadsBackend(**kwargs)


def _hf(**kwargs: Any) -> SentimentBackend:
    from ._hf import HFBackend

    return HFBackend(**kwargs)


sentiment_backends.register(DEFAULT_SENTIMENT, _heads)


def _finetuned(**kwargs: Any) -> SentimentBackend:
    from ._finetuned import FinetunedBackend

    return FinetunedBackend(**kwargs)


sentiment_backends.register("hf.v1", _hf)
sentiment_backends.register("cx-e5-finetuned.v1", _finetuned)
sentiment_backends.alias("hf", "hf.v1")

__all__ = ["DEFAULT_SENTIMENT", "ScoredBatch", "SentimentBackend", "SentimentScorer", "sentiment_backends", "units"]
