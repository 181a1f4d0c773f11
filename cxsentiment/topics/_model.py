"""Topic probabilities for encoder vectors: prototype similarity for any taxonomy, plus trained heads for the
built-in one.

*Prototypes.* Every topic's description and examples are embedded once. A vector's similarity to a topic is
its best cosine to one of them, after both are centred on the mean comment vector (e5 vectors share a large
common direction; centring spreads them out). ``sigmoid(scale * (similarity - offset))`` turns that into a
probability; ``scale`` and ``offset`` were fitted on the shared aspect sets' dev splits and hold for custom
taxonomies too (see ``models/topics_MODEL_CARD.md``).

*Heads.* For the built-in taxonomy, one logistic unit per topic (``python -m cxsentiment.training topics``),
trained on labelled aspect data and the taxonomy's example comments; its probability is blended with the
prototype one by the topic's ``head_weights`` entry: 1 (the head alone) where labelled rows taught it, less for
the topics no licence-clear set labels (waiting_time, communication, complaint_handling, punctuality_disruptions),
whose heads learned from the taxonomy's examples alone, and for availability, whose labelled rows teach one narrow
sense of it (``training.topics.NARROW_LABELS``).

*Custom taxonomies* have no heads of their own. Their topics usually share one domain (every category of a rail
operator's scheme is about trains), so a comment sits about as close to all of them, and absolute
similarity alone names half the taxonomy. Where every topic has example comments, two questions are answered
apart: *is the comment about this taxonomy at all* (its best prototype similarity, calibrated as above) and
*which of its topics* (a multinomial logistic regression fitted on the taxonomy's own descriptions and examples
when the model is built; a topic counts when its probability is at least ``FEW_SHOT_SHARE`` of the best one's).
That regression reads the centred vector and, scaled by ``FEW_SHOT_HEAD_SCALE``, the built-in heads' log-odds:
what the heads learned from thousands of labelled comments (a dish is product quality, a rude waiter is staff)
helps it tell five examples of "Essen" from five of "Personal". The heads answer the first question too. A comment
in another language than the examples reads further from all of them ("Le colis n'est jamais arrivé." has a centred
similarity of 0.35 to the best of a German shop taxonomy's examples, "Das Paket kam nie an." 0.65), so the
similarity gate alone left it without a topic. It is also about the taxonomy when a built-in head is sure of it
and the taxonomy's examples are about that built-in topic (:meth:`TopicModel._head_relevance`): either reason
counts (``1 - (1 - similarity gate) x (1 - head relevance)``).
A topic with a description and no examples has one point for that regression to learn from, and it lost
nearly every comment to the topics with examples; so a taxonomy with such topics is read like the built-in
prototypes (its own similarity, within ``PROTO_GAP`` of the best topic), each description's similarity read
``DESC_SHIFT`` higher. There a topic with examples scores the mean of its description's similarity and its best
example's: the best of six prototypes otherwise outbid a topic that has only its description.

*Keywords.* A topic's keywords (:mod:`cxsentiment.topics.lexicon`) are evidence too: a clause that contains
one gets ``keyword_weight`` added to the topic's log-odds (fitted on the SemEval dev cut). A keyword alone
does not make a topic; a keyword and a model that already leans that way do.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from ..encoders import Encoder, embed_unique, same_vectors
from ..errors import ConfigError, ModelFileError
from ..models import load_npz
from ..taxonomy import Taxonomy, TopicHead, load_taxonomy
from ._logreg import fit_multinomial
from .lexicon import KeywordMatcher

__all__ = ["TOPICS_FILE", "TopicHeads", "TopicModel", "load_topic_heads", "sigmoid"]

TOPICS_FILE = "topics_heads.npz"
# A prototype topic counts only when its similarity is within PROTO_GAP of the comment's best topic: on the
# SemEval dev cut this halves the topics named per comment and lifts micro-F1 from 0.47 to 0.53. The taxonomy's
# generic comments compete too (2026-12-07): on 100 project-written praise, loyalty and thanks comments the
# topics named fell from 1.36 to 0.95 a comment, with micro-F1 on six SemEval dev cuts 0.5696 -> 0.5694.
PROTO_GAP = 0.06
# Few-shot competition for custom taxonomies (see above), chosen on the dev data of the model card: the
# inverse L2 strength of the regression, and the share of the best topic's probability a second topic needs.
FEW_SHOT_C = 30.0
FEW_SHOT_SHARE = 0.85
# A topic given by its description alone ({"wifi": "Internet on the train"}) has no example comment to be compared
# with, and a comment sits further from a short description than from another comment: its similarity is read
# DESC_SHIFT higher. Chosen on dev taxonomies (SemEval-2016 dev and train cuts, CaSA, HoASA and BANKING77 train
# rows; category names as descriptions): mean micro-F1 0.247 -> 0.376 at 0.15 (0.367 at 0.12, 0.376 at 0.18).
DESC_SHIFT = 0.15
# A few-shot custom taxonomy (every topic with examples) names a topic only when the comment's best example
# reads within FEW_SHOT_GENERIC_MARGIN of its best generic comment (the taxonomy's own ``generic`` list, else the
# built-in one: praise, thanks, loyalty about no part of the service). Chosen on the nine dev taxonomies of the
# model card (5 examples a category): mean micro-F1 0.4558 without the gate, 0.4549 / 0.4541 / 0.4549 / 0.4539 /
# 0.4501 / 0.4395 at margins 0.2 / 0.15 / 0.125 / 0.1 / 0.05 / 0; topics named on 100 project-written praise,
# thanks and loyalty comments 0.56 a comment without it, 0.17 at 0.1. A user's own praise topic still counts:
# its examples read as close as the generic comments.
FEW_SHOT_GENERIC_MARGIN = 0.1
# The few-shot regression reads the built-in heads' log-odds (one column per built-in topic with a head) times this
# scale next to the centred vector, whose entries are about 0.05 each. Chosen on the six SemEval-2016 dev and train
# cuts (5 examples a category, their own ENTITY#ATTRIBUTE categories; SemEval trains no head), mean micro / macro-F1:
# 0.3731 / 0.3269 without them; 0.3752 / 0.3298, 0.3792 / 0.3361, 0.3918 / 0.3520, **0.3969 / 0.3591**, 0.3914 /
# 0.3533, 0.3841 / 0.3452, 0.3669 / 0.3355 at 0.01 / 0.03 / 0.06 / 0.1 / 0.15 / 0.2 / 0.3 (the heads' probabilities
# instead of log-odds: 0.3956 / 0.3616 at best). With 3 and 10 examples a category: 0.3448 -> 0.3703 and 0.4237 ->
# 0.4363. benchmarks/RESULTS.md has the taxonomies the heads trained on, GermEval and the test sets.
FEW_SHOT_HEAD_SCALE = 0.1


def _check_head(topic: str, head: TopicHead, encoder: Encoder) -> None:
    """A fitted head reads the encoder's vectors: refuse one fitted on another model's."""
    if not same_vectors(head.encoder, encoder.name):
        raise ConfigError(
            f"topic {topic!r} has a head fitted on {head.encoder!r} vectors, but this Analyzer encodes with "
            f"{encoder.name!r}: use encoder={head.encoder!r}, or fit the heads again with this Analyzer"
        )
    if len(head.weights) != encoder.dim + 2:
        raise ConfigError(
            f"topic {topic!r}: its head has {len(head.weights)} weights; {encoder.name!r} vectors need "
            f"{encoder.dim + 2} (one per dimension, the score and the keyword hit): fit it again"
        )


def sigmoid(z: np.ndarray) -> np.ndarray:
    out: np.ndarray = 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + exp(-z)), without overflow warnings
    return out


class TopicHeads:
    """The arrays of ``topics_heads.npz``: centring vector, calibration, and the built-in topics' heads."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.encoder = str(arrays["encoder"])
        self.center = arrays["center"].astype(np.float32)
        self.proto_scale = float(arrays["proto_scale"])
        self.proto_offset = float(arrays["proto_offset"])
        # per topic since 2026-12-07 (0: no head); files before it hold one weight and which topics have a head
        if "head_weights" in arrays:
            self.head_weights = arrays["head_weights"].astype(np.float32)
        else:
            self.head_weights = np.where(arrays["has_head"], float(arrays["head_weight"]), 0.0).astype(np.float32)
        self.has_head = self.head_weights > 0
        self.topics = tuple(str(t) for t in arrays["topics"])
        self.w = arrays["w"].astype(np.float32)
        self.b = arrays["b"].astype(np.float32)
        self.keyword_weight = float(arrays["keyword_weight"]) if "keyword_weight" in arrays else 0.0


@cache
def load_topic_heads(name: str = TOPICS_FILE) -> TopicHeads:
    return load_npz(name, TopicHeads, "topic model", "topics")


def centred(x: np.ndarray, center: np.ndarray) -> np.ndarray:
    """Rows of ``x`` minus ``center``, scaled to unit length."""
    d = np.asarray(x, dtype=np.float32) - center
    out: np.ndarray = d / np.maximum(np.linalg.norm(d, axis=1, keepdims=True), 1e-12)
    return out


class PrototypeIndex:
    """Best centred cosine of each vector to each class's prototype vectors."""

    def __init__(self, vectors: np.ndarray, owners: Sequence[int], n_classes: int, center: np.ndarray) -> None:
        self.center = center
        self.vectors = centred(vectors, center)
        self.owners = np.asarray(owners)
        self.n_classes = n_classes
        missing = sorted(set(range(n_classes)) - set(self.owners.tolist()))
        if missing:
            raise ValueError(f"classes {missing} have no prototype")

    def similarity(self, x: np.ndarray) -> np.ndarray:
        return self.similarity_centred(centred(x, self.center))

    def similarity_centred(self, xc: np.ndarray) -> np.ndarray:
        """:meth:`similarity` of vectors already centred on ``center`` (see :func:`centred`)."""
        sims = xc @ self.vectors.T
        out = np.empty((len(xc), self.n_classes), dtype=np.float32)
        for c in range(self.n_classes):
            out[:, c] = sims[:, self.owners == c].max(axis=1)
        return out


class FewShotHead:
    """Multinomial logistic regression over a taxonomy's centred prototype vectors (one class per topic)."""

    def __init__(self, vectors: np.ndarray, owners: np.ndarray, n_classes: int, c: float = FEW_SHOT_C) -> None:
        w, b = fit_multinomial(vectors, owners, n_classes, c)
        self.w = w.astype(np.float32)
        self.b = b.astype(np.float32)

    def share(self, x: np.ndarray, prior: np.ndarray | None = None) -> np.ndarray:
        """Each topic's probability divided by the row's best one (1.0 for the likeliest topic); ``prior`` adds
        log prior odds per topic (the catch-all topic's: ``Taxonomy.fallback_prior``)."""
        z = x @ self.w + self.b
        if prior is not None:
            z = z + prior
        out: np.ndarray = np.exp(z - z.max(axis=1, keepdims=True))
        return out


class TopicModel:
    """Probability that a vector is about each topic of ``taxonomy`` (columns in ``taxonomy.names`` order)."""

    def __init__(self, taxonomy: Taxonomy, encoder: Encoder, heads: TopicHeads | None = None) -> None:
        heads = heads or load_topic_heads()
        if not same_vectors(heads.encoder, encoder.name):
            raise ModelFileError(
                f"the topic model was calibrated on {heads.encoder!r} vectors, not {encoder.name!r}; "
                f"use encoder={heads.encoder!r}"
            )
        for topic in taxonomy.topics:
            if topic.head is not None:
                _check_head(topic.name, topic.head, encoder)
        self.taxonomy = taxonomy
        self.heads = heads
        texts, owners = taxonomy.prototypes()
        raw = embed_unique(encoder, texts)
        self.index = PrototypeIndex(raw, owners, len(taxonomy.topics), heads.center)
        self.matcher = KeywordMatcher([t.keywords for t in taxonomy.topics])
        # the trained head of each topic, where the built-in topic keeps its built-in meaning
        self._head_cols: list[tuple[int, int]] = []
        builtin = {t: j for j, t in enumerate(heads.topics) if heads.has_head[j]}
        if taxonomy.name.startswith("cx-taxonomy."):
            self._head_cols = [(i, builtin[t]) for i, t in enumerate(taxonomy.names) if t in builtin]
        # a description is further from comments than an example comment is (see DESC_SHIFT)
        self._shift = np.array([0.0 if t.examples else DESC_SHIFT for t in taxonomy.topics], dtype=np.float32)
        self._few_shot: FewShotHead | None = None
        self._coverage: np.ndarray | None = None
        if not self._head_cols and len(taxonomy.topics) > 1 and all(t.examples for t in taxonomy.topics):
            logits = self._head_logits(raw)
            self._few_shot = FewShotHead(
                self._few_shot_features(self.index.vectors, logits), self.index.owners, len(taxonomy.topics)
            )
            # how much the taxonomy is about each built-in topic: the largest mean head probability over one of its
            # topics' prototypes (a "Lieferung" topic of parcel comments: delivery about 0.7)
            if logits is not None:
                probs = sigmoid(logits)
                self._coverage = np.max(
                    [probs[self.index.owners == c].mean(axis=0) for c in range(len(taxonomy.topics))], axis=0
                )
        # the catch-all topic's prior log-odds over the others (Taxonomy.fallback_prior), where the taxonomy sets one
        self._prior: np.ndarray | None = None
        if self._few_shot is not None and taxonomy.fallback is not None and taxonomy.fallback_prior:
            self._prior = np.zeros(len(taxonomy.topics), dtype=np.float32)
            self._prior[taxonomy.names.index(taxonomy.fallback)] = taxonomy.fallback_prior
        # a custom taxonomy with description-only topics: each topic's description prototype (its first) and the
        # prototypes of its examples
        self._descriptions: np.ndarray | None = None
        self._example_rows: list[np.ndarray] = []
        if not self._head_cols and self._few_shot is None and not all(t.examples for t in taxonomy.topics):
            rows = [np.flatnonzero(self.index.owners == c) for c in range(len(taxonomy.topics))]
            self._descriptions = np.array([r[0] for r in rows])
            self._example_rows = [r[1:] for r in rows]
        # the taxonomy's generic comments (praise, thanks, loyalty about no topic), centred like the prototypes; a
        # few-shot taxonomy without its own list reads the built-in one (FEW_SHOT_GENERIC_MARGIN)
        self._generic: np.ndarray | None = None
        generic = taxonomy.generic or (load_taxonomy().generic if self._few_shot is not None else ())
        if generic:
            self._generic = centred(embed_unique(encoder, list(generic)), heads.center)

    def similarity(self, x: np.ndarray) -> np.ndarray:
        return self.index.similarity(x)

    def _head_logits(self, x: np.ndarray) -> np.ndarray | None:
        """The built-in heads' log-odds for raw vectors ``x``, one column per built-in topic with a head (``None``
        where the heads file has none)."""
        h = self.heads
        if not h.has_head.any():
            return None
        out: np.ndarray = np.asarray(x, dtype=np.float32) @ h.w[:, h.has_head] + h.b[h.has_head]
        return out

    @staticmethod
    def _few_shot_features(xc: np.ndarray, logits: np.ndarray | None) -> np.ndarray:
        """What the few-shot regression reads: centred vectors ``xc`` and the built-in heads' log-odds times
        ``FEW_SHOT_HEAD_SCALE``."""
        if logits is None or not FEW_SHOT_HEAD_SCALE:
            return xc
        return np.hstack([xc, FEW_SHOT_HEAD_SCALE * logits]).astype(np.float32)

    def _head_relevance(self, logits: np.ndarray) -> np.ndarray:
        """(n, 1): how sure the built-in heads are that each comment is about a built-in topic this taxonomy's
        examples are about (the best head probability times that topic's coverage, which a few-shot taxonomy has
        whenever the heads give log-odds)."""
        assert self._coverage is not None
        out: np.ndarray = (sigmoid(logits) * self._coverage).max(axis=1, keepdims=True)
        return out

    def _mixed_similarity(self, xc: np.ndarray) -> np.ndarray:
        """Per topic with examples: the mean of its description's similarity plus ``DESC_SHIFT`` and its best
        example's. Per description-only topic: its description's similarity (:meth:`probabilities` adds the
        shift to those, through ``_shift``). Chosen on dev taxonomies with half their topics given by descriptions
        alone (models/topics_MODEL_CARD.md): mean micro-F1 0.333 with the best prototype, 0.394 with this mean
        (0.380 weighting the description 0.3)."""
        assert self._descriptions is not None
        sims = xc @ self.index.vectors.T
        out: np.ndarray = sims[:, self._descriptions].astype(np.float32)
        for c, rows in enumerate(self._example_rows):
            if len(rows):
                out[:, c] = 0.5 * (out[:, c] + DESC_SHIFT + sims[:, rows].max(axis=1))
        return out

    def probabilities(self, x: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
        """Topic probabilities of vectors ``x``; with ``texts`` (the strings they encode), keyword evidence too."""
        h = self.heads
        xc = centred(x, self.index.center)
        sim = self._mixed_similarity(xc) if self._descriptions is not None else self.index.similarity_centred(xc)
        sim += self._shift
        best = sim.max(axis=1, keepdims=True)
        generic = None if self._generic is None else (xc @ self._generic.T).max(axis=1, keepdims=True)
        if self._few_shot is not None:
            on_topic = sigmoid(h.proto_scale * (best - h.proto_offset))
            if generic is not None:  # the best example must come within FEW_SHOT_GENERIC_MARGIN of a generic comment
                on_topic *= sigmoid(50.0 * (best - generic + FEW_SHOT_GENERIC_MARGIN))
            logits = self._head_logits(x)
            if logits is not None:  # or a built-in head is sure of a topic the taxonomy covers
                on_topic = 1.0 - (1.0 - on_topic) * (1.0 - self._head_relevance(logits))
            share = self._few_shot.share(self._few_shot_features(xc, logits), self._prior)
            p = on_topic * sigmoid(30.0 * (share - FEW_SHOT_SHARE))
        else:
            p = sigmoid(h.proto_scale * (sim - h.proto_offset))
            if generic is not None:  # a topic must also come within PROTO_GAP of the best generic comment
                best = np.maximum(best, generic)
            p *= sigmoid(50.0 * (sim - best + PROTO_GAP))
        if self._head_cols:
            cols = np.array([i for i, _ in self._head_cols])
            heads = np.array([j for _, j in self._head_cols])
            ph = sigmoid(np.asarray(x, dtype=np.float32) @ h.w[:, heads] + h.b[heads])
            hw = h.head_weights[heads]
            p[:, cols] = hw * ph + (1.0 - hw) * p[:, cols]
        if texts is not None and h.keyword_weight and self.matcher:
            hit = self.matcher.hits(texts)
            q = np.clip(p, 1e-6, 1 - 1e-6)
            p = np.where(hit, sigmoid(np.log(q / (1 - q)) + h.keyword_weight), p)
        out: np.ndarray = p.astype(np.float64)
        return out
