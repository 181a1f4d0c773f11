"""A keyword-matching topic baseline: the yardstick the topic model must beat.

``KeywordBaseline().fit(texts, labels)`` picks, for each topic, the words (see
:func:`~cxsentiment.topics.discover.keywords_of`) whose presence is most associated with the topic in the
labelled texts (smoothed log-odds, at least ``min_count`` occurrences), and predicts a topic when a comment
contains one of its keywords (matched as in :mod:`cxsentiment.topics.lexicon`, like the topic model's keyword
evidence). :meth:`from_taxonomy` uses a taxonomy's own keyword lists instead.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from ..taxonomy import Taxonomy
from .discover import keywords_of
from .lexicon import KeywordMatcher

__all__ = ["KeywordBaseline"]


class KeywordBaseline:
    def __init__(self, n_keywords: int = 10, min_count: int = 2) -> None:
        self.n_keywords = n_keywords
        self.min_count = min_count
        self.keywords_: dict[str, tuple[str, ...]] = {}

    def fit(self, texts: Sequence[str], labels: Sequence[Sequence[str]]) -> KeywordBaseline:
        docs = [set(keywords_of(t)) for t in texts]
        total = Counter(w for d in docs for w in d)
        topics = sorted({t for row in labels for t in row})
        n = len(docs)
        for topic in topics:
            inside = [d for d, row in zip(docs, labels, strict=True) if topic in row]
            pos = Counter(w for d in inside for w in d)
            k = len(inside)
            scores = {}
            for w, c in pos.items():
                if c < min(self.min_count, k):
                    continue
                rest = total[w] - c
                scores[w] = math.log((c + 0.5) / (k - c + 0.5)) - math.log((rest + 0.5) / (n - k - rest + 0.5))
            ranked = sorted(scores, key=lambda w: (-scores[w], w))
            self.keywords_[topic] = tuple(ranked[: self.n_keywords])
        return self

    @classmethod
    def from_taxonomy(cls, taxonomy: Taxonomy) -> KeywordBaseline:
        out = cls()
        out.keywords_ = {t.name: tuple(k.lower() for k in t.keywords) for t in taxonomy.topics if t.keywords}
        return out

    def predict(self, texts: Sequence[str]) -> list[set[str]]:
        topics = list(self.keywords_)
        matcher = KeywordMatcher([self.keywords_[t] for t in topics])
        return [{topics[g] for g in matcher.groups_of(text)} for text in texts]
