"""Per-topic heads fitted on a user's labelled comments (:func:`~cxsentiment.topics.calibrate.calibrate_topics`).

A threshold can only move the line through the topic model's ranking. Where the ranking itself is off (a
rail operator's social-media feed, where every comment is about trains and most name no service aspect: the
built-in model's per-topic ROC AUC on GermEval is 0.59-0.87), a few hundred labels can teach more. A fitted
head is one logistic unit per topic over three things the topic stage already has:

- the comment's pooled encoder vector (what the comment is about, in the labeller's own scheme),
- the topic model's score as log-odds (what the model knows from its training sets and prototypes),
- whether the comment holds one of the topic's keywords (the taxonomy's own lexicon).

Its strength ``C`` is chosen from :data:`C_GRID` by 5-fold cross-validation on the labelled comments, and its
threshold is the F1-best one on the out-of-fold probabilities, so both are chosen on comments the head was not
fitted on. The weights are stored in the taxonomy (:class:`~cxsentiment.taxonomy.TopicHead`, JSON-safe).
"""

from __future__ import annotations

import numpy as np

from ..taxonomy import TopicHead
from ._logreg import fit_binary
from ._model import sigmoid

__all__ = ["C_GRID", "FOLDS", "THRESHOLD_GRID", "best_threshold", "features", "fit_head", "probability"]

# Candidate inverse L2 strengths. On the shared aspect sets' calibration rows cross-validation chose 30 for 25 of
# 32 topics, 10 for 4 and 3 for 3; a grid reaching 100 lowered the test F1 of three of seven sets (RESULTS.md).
C_GRID = (1.0, 3.0, 10.0, 30.0)
FOLDS = 5
_CLIP = 1e-4  # scores are clipped to [1e-4, 1 - 1e-4] before log-odds: |logit| <= 9.2
_DIGITS = 6  # weights are stored rounded, so a head reloaded from JSON scores exactly as the fitted one


# Candidate thresholds: 0.10, 0.125, ..., 0.95.
THRESHOLD_GRID = tuple(round(0.1 + 0.025 * i, 3) for i in range(35))


def best_threshold(scores: np.ndarray, gold: np.ndarray, default: float = 0.5) -> tuple[float, float]:
    """(threshold, F1) of the grid threshold with the best F1 of ``scores >= threshold`` against ``gold``.

    >>> best_threshold(np.array([0.9, 0.8, 0.6, 0.3]), np.array([True, True, False, False]))
    (0.625, 1.0)
    """
    gold = np.asarray(gold, dtype=bool)
    best: tuple[float, float, float] | None = None  # (F1, -distance to default, threshold)
    for t in THRESHOLD_GRID:
        pred = scores >= t
        tp = int((pred & gold).sum())
        denom = int(pred.sum()) + int(gold.sum())
        f1 = 2 * tp / denom if denom else 0.0
        key = (round(f1, 12), -abs(t - default), t)
        if best is None or key > best:
            best = key
    assert best is not None
    return best[2], best[0]


def features(vectors: np.ndarray, score: np.ndarray, hit: np.ndarray) -> np.ndarray:
    """Rows of [comment vector, log-odds of the topic model's score, keyword hit (0/1)]."""
    p = np.clip(np.asarray(score, dtype=np.float64), _CLIP, 1.0 - _CLIP)
    logit = np.log(p / (1.0 - p))
    return np.hstack([np.asarray(vectors, dtype=np.float64), logit[:, None], np.asarray(hit, np.float64)[:, None]])


def probability(head: TopicHead, vectors: np.ndarray, score: np.ndarray, hit: np.ndarray) -> np.ndarray:
    """The head's probability that each comment is about its topic."""
    return sigmoid(features(vectors, score, hit) @ np.asarray(head.weights) + head.bias)


def _folds(gold: np.ndarray, k: int) -> np.ndarray:
    """A fold index per row, positives and negatives each dealt round-robin in a seeded random order."""
    rng = np.random.default_rng(0)
    fold = np.zeros(len(gold), dtype=int)
    for cls in (True, False):
        idx = np.flatnonzero(gold == cls)
        fold[rng.permutation(idx)] = np.arange(len(idx)) % k
    return fold


def fit_head(
    vectors: np.ndarray, score: np.ndarray, hit: np.ndarray, gold: np.ndarray, *, encoder: str, default: float = 0.5
) -> tuple[TopicHead, float]:
    """A head for one topic and its threshold, from labelled comments (``gold``: True where the comment is
    about the topic). Needs at least :data:`FOLDS` positive and negative comments."""
    gold = np.asarray(gold, dtype=bool)
    if min(int(gold.sum()), int((~gold).sum())) < FOLDS:
        raise ValueError(f"a head needs at least {FOLDS} positive and {FOLDS} negative comments")
    x = features(vectors, score, hit)
    fold = _folds(gold, FOLDS)
    best: tuple[float, float, float] | None = None  # (F1, -C, threshold): ties go to the stronger penalty
    for c in C_GRID:
        oof = np.zeros(len(gold))
        for f in range(FOLDS):
            train = fold != f
            w, b = fit_binary(x[train], gold[train], c)
            oof[~train] = sigmoid(x[~train] @ w + b)
        threshold, f1 = best_threshold(oof, gold, default=default)
        if best is None or (round(f1, 12), -c) > best[:2]:
            best = (round(f1, 12), -c, threshold)
    assert best is not None
    w, b = fit_binary(x, gold, -best[1])
    head = TopicHead(
        encoder=encoder,
        weights=tuple(round(float(v), _DIGITS) for v in w),
        bias=round(b, _DIGITS),
    )
    return head, best[2]
