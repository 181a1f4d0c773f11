"""Topics fitted to a user's own labelled comments: a head per topic, or a threshold per topic.

Every labelling scheme draws its own line: a hotel chain may file towels under facilities and only breakfast
under product quality, a retailer every product defect. The topic model's scores rank comments well across
such schemes, but one threshold cannot suit them all (benchmarks/RESULTS.md: the best product-quality
threshold is 0.70 on Indonesian hotel reviews and 0.30 on English laptop reviews). A few hundred labelled
comments settle it::

    az = cx.Analyzer()
    tuned = calibrate_topics(az, texts, labels)  # labels: each text's topics, e.g. {"price_value"} or set()
    az = cx.Analyzer(taxonomy=tuned)  # same model, each labelled topic decided the labeller's way
    Path("our-taxonomy.json").write_text(json.dumps(tuned.to_dict()))  # load with Analyzer(taxonomy=path)

Each topic the labels cover gets a small logistic head fitted on them (:mod:`cxsentiment.topics.fitted`),
which learns where the labeller's topic lies in the comment vectors, not just where to cut the model's score;
``fit_heads=False`` only tunes each topic's threshold (the one with the best F1 on the labelled comments;
ties: the one nearest the taxonomy's own), retraining nothing. Topics with fewer than ``min_positives``
labelled examples, and topics the labels do not cover, keep their decision. The result is data: a taxonomy
that saves to JSON. ``cxsentiment calibrate`` does the same from a labelled file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..errors import ConfigError
from ..taxonomy import TopicHead
from .fitted import FOLDS, THRESHOLD_GRID, best_threshold, fit_head

if TYPE_CHECKING:
    from ..pipeline import Analyzer
    from ..taxonomy import Taxonomy

__all__ = ["THRESHOLD_GRID", "best_threshold", "calibrate_topics"]


def calibrate_topics(
    analyzer: Analyzer,
    texts: Sequence[str],
    labels: Sequence[Iterable[str]],
    *,
    topics: Iterable[str] | None = None,
    min_positives: int = 5,
    fit_heads: bool = True,
) -> Taxonomy:
    """``analyzer``'s taxonomy with each labelled topic's decision fitted to ``texts`` and their ``labels``.

    ``labels[i]`` holds the topics of ``texts[i]`` (an empty set: none of them). ``topics``: the topics the
    labels cover, so a text without one is a negative for it (default: every topic that occurs in
    ``labels``). The result keeps the analyzer's taxonomy name (so the built-in topics keep their trained
    heads); pass it as ``Analyzer(taxonomy=...)``.

    ``fit_heads`` (default): each labelled topic with at least ``min_positives`` examples and as many comments
    without it (and never fewer than 5 of each) gets a head fitted on the labels (:mod:`cxsentiment.topics.fitted`:
    the comment vector, the model's score and the keyword hit; its strength and threshold chosen by 5-fold
    cross-validation), which then makes that topic's decision; a topic on nearly every comment gets a threshold.
    Heads learned more than thresholds on every shared aspect set, from 100 labelled comments up (RESULTS.md:
    with 2,000, micro-F1 on SemEval-16 English restaurants 0.759 -> 0.854, Dutch restaurants 0.519 -> 0.698).
    ``fit_heads=False``: thresholds only, on the scores that decide now (a fitted head's, where a topic has
    one).
    """
    stage = analyzer.topic_stage
    if stage is None:
        raise ConfigError("calibrate_topics needs the topic stage: use an Analyzer with topics=True")
    if len(texts) != len(labels):
        raise ConfigError(f"{len(texts)} texts but {len(labels)} label sets: give one set of topics per text")
    taxonomy = stage.model.taxonomy
    gold_sets = [set(row) for row in labels]
    covered = sorted(set(topics) if topics is not None else set().union(*gold_sets))
    unknown = sorted(({t for row in gold_sets for t in row} | set(covered)) - set(taxonomy.names))
    if unknown:
        raise ConfigError(f"labels name topics the taxonomy lacks: {unknown}; its topics: {', '.join(taxonomy.names)}")
    if not texts:
        return taxonomy
    # heads are fitted on the model's own scores; thresholds alone are tuned on what decides now
    scores, vectors, hits = stage.features(list(texts), fitted=not fit_heads)
    current = taxonomy.thresholds()
    tuned: dict[str, float] = {}
    heads: dict[str, TopicHead | None] = {}
    for name in covered:
        k = taxonomy.names.index(name)
        gold = np.array([name in row for row in gold_sets])
        if gold.sum() < min_positives:
            continue
        if fit_heads and min(int(gold.sum()), int((~gold).sum())) >= max(min_positives, FOLDS):
            heads[name], tuned[name] = fit_head(vectors, scores[:, k], hits[:, k], gold, encoder=analyzer.encoder.name)
        else:
            if fit_heads:
                heads[name] = None  # too few comments without the topic: a threshold on the model's score
            tuned[name], _ = best_threshold(scores[:, k], gold, default=current[k])
    return taxonomy.with_heads(heads).with_thresholds(tuned)
