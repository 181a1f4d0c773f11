"""The topic stage: clauses -> vectors -> topic probabilities -> mentions with their own sentiment.

A comment is cut into clauses (:func:`cxsentiment.text.clause_spans`). Each clause and the comment as a
whole get a topic probability; a topic's score is the larger of the comment's and the best clause's squared
(a long comment dilutes a topic one clause is about; a short clause lacks context, so it must be surer),
where a clause speaks only for its own likeliest topic (one clause is about one thing; before this, a clause
could name every topic it scored high on, and comments were given 2.9 topics where they have 1.1); the comment
as a whole names a topic only within ``WHOLE_SHARE`` of its likeliest one.
A topic's sentiment is the sentiment of the clauses that mention it, weighted by how strongly they do; its
evidence is the clause that mentions it most. A topic with a head fitted on the user's labels
(:mod:`cxsentiment.topics.fitted`) is decided by that head, which reads the comment's pooled vector, the score
above and the topic's keyword hit.

Vectors and sentiment probabilities the sentiment stage already computed are reused; only clauses that differ
from the sentiment units are embedded and scored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..encoders import Encoder, embed_unique
from ..sentiment import SentimentBackend
from ..sentiment._base import language_parts, predict_routed, route_of, routed_units, routes_for
from ..sentiment.units import UNIT_CHARS, unit_weights, units
from ..text import clause_spans
from ..types import SENTIMENT_LABELS, Language, TopicMention
from ._model import TopicModel
from .fitted import probability

__all__ = ["CommentVectors", "TopicStage", "bounded"]

# A clause on its own names a topic only when its probability squared clears the threshold (0.5 -> 0.71): short
# clauses lack context. On the aspect test sets this keeps multi-topic comments' recall while cutting the false
# topics that came from scoring 5 clauses per comment (GermEval micro-F1 0.18 -> 0.22; HoASA, CaSA and
# BANKING77 up 0.02-0.03).
CLAUSE_POWER = 2.0
# A clause names only its own top topic. Chosen on dev data (benchmarks/RESULTS.md): mean micro-F1 over ten
# 5-shot custom taxonomies 0.4734 -> 0.4768 (SemEval-2016 dev and train cuts, CaSA and HoASA train,
# BANKING77 train), built-in taxonomy on six SemEval dev/train cuts 0.5705 -> 0.5700 (macro 0.5415 -> 0.5426).
EVIDENCE_SHARE = 0.5  # clauses scoring at least this share of the best clause count towards the sentiment
# The comment as a whole names a topic only when its probability is at least this share of its likeliest topic's
# (the heads are independent logistic units, and a one-clause comment such as "The product broke after one week."
# cleared 0.5 for product quality, returns and billing). A clause still names its own top topic, so "friendly staff,
# but the room was dirty" keeps both. Chosen on the six SemEval-2016 dev and train cuts (mean micro / macro-F1
# 0.5912 / 0.5428 at 0, 0.5923 at 0.6, 0.5933 at 0.65, **0.5944 / 0.5442** at 0.7, 0.5933 / 0.5450 at 0.75, 0.5856
# at 0.8, 0.5761 at 0.9, with heads whose prototype offset was 0.4; the shipped heads, offset 0.375, give 0.5933 /
# 0.5436 at 0.7; a smooth gate, p x sigmoid(20 (ratio - share)), reached 0.5921 at best); benchmarks/RESULTS.md
# has the test sets. Below the share a topic's comment-level score becomes p x ratio rather than 0, so a threshold
# calibrated below 0.5 (calibrate_topics) can still name it.
WHOLE_SHARE = 0.7


@dataclass
class CommentVectors:
    """What the topic stage computed for a batch, for the signal stage to reuse."""

    vectors: np.ndarray  # one pooled vector per comment (zeros for blank text)
    sentiment: np.ndarray  # (n, 3) sentiment probabilities per comment (uniform when unknown)


@dataclass(frozen=True, slots=True)
class _Scored:
    """One comment's scoring: its unit rows and weights, the clauses (or units) that speak for topics, their
    rows and topic probabilities, each topic's score and the comment's pooled unit vector; then the rows and
    weights of the units its sentiment pools (the sentiment stage's: the topic units, unless the comment's
    language spans go to different sentiment variants) and the variant each of those and each clause goes to
    (``None``: the backend's own model)."""

    w_rows: list[int]
    weights: np.ndarray
    spans: list[tuple[int, int]]
    c_rows: list[int]
    p_clause: np.ndarray
    score: np.ndarray
    vector: np.ndarray
    s_rows: list[int]
    s_weights: np.ndarray
    s_routes: list[str | None]
    c_routes: list[str | None]


@dataclass(frozen=True, slots=True)
class _Plan:
    """How one comment is cut: units and clauses for topics, units for its sentiment with their variants, and
    the variant of each clause (or unit) that speaks for topics."""

    whole: list[tuple[int, int]]
    clauses: list[tuple[int, int]]
    sentiment_units: list[tuple[int, int]]
    s_routes: list[str | None]
    c_routes: list[str | None]


def bounded(clauses: list[tuple[int, int]], whole: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``clauses`` with every clause longer than a sentiment unit replaced by the comment's units that overlap
    it. Such a clause is the remainder ``clause_spans`` joins after its 16th clause, or a sentence without
    punctuation: embedding it whole cost as much again as the comment (a 100k-character comment took 89 s
    more), while its units are embedded already.

    >>> bounded([(0, 10), (10, 900)], [(0, 500), (500, 900)])
    [(0, 10), (0, 500), (500, 900)]
    """
    out: list[tuple[int, int]] = []
    for a, b in clauses:
        if b - a <= UNIT_CHARS:
            out.append((a, b))
        else:
            out.extend(u for u in whole if u[0] < b and u[1] > a and u not in out)
    return out


def _evidence(p: np.ndarray) -> np.ndarray:
    """Which clauses count towards a topic's sentiment: those scoring at least EVIDENCE_SHARE of its best."""
    out: np.ndarray = p >= EVIDENCE_SHARE * p.max()
    return out


class TopicStage:
    """Topics for a batch of comments, sharing vectors with the sentiment stage."""

    def __init__(self, model: TopicModel, encoder: Encoder, backend: SentimentBackend | None) -> None:
        self.model = model
        self.encoder = encoder
        self.backend = backend
        self.thresholds = np.array(model.taxonomy.thresholds())
        # topics whose decision a head fitted on the user's labels makes (calibrate_topics)
        self.heads = [(k, t.head) for k, t in enumerate(model.taxonomy.topics) if t.head is not None]
        # the catch-all topic ("Allgemein", "Other"), named for a comment that names no other topic
        fallback = model.taxonomy.fallback
        self.fallback = None if fallback is None else model.taxonomy.names.index(fallback)

    def run(
        self,
        texts: Sequence[str],
        known: dict[str, np.ndarray] | None = None,
        known_sentiment: dict[tuple[str, str | None], np.ndarray] | None = None,
        languages: Sequence[Language | None] | None = None,
    ) -> tuple[list[tuple[TopicMention, ...]], CommentVectors]:
        """Topic mentions of each text; ``known`` maps unit texts to vectors already computed and
        ``known_sentiment`` maps ``(unit text, variant)`` to sentiment probabilities already computed
        (:meth:`~cxsentiment.sentiment.scorer.ScoredBatch.known_sentiment`; only the rest are scored).
        ``languages`` (per text, as detected) let the sentiment backend score a clause with the language
        variant that scored its comment (``sentiment/_finetuned.py``)."""
        strings, mat, scored = self._score(texts, known, languages=languages)
        # first the decisions; then sentiment for the (string, variant) pairs they need: every sentiment unit (the
        # comment's sentiment, which the signals read) and the clauses that are evidence for a named topic
        decided: list[tuple[_Scored, list[tuple[int, float]]]] = []
        needed: dict[tuple[int, str | None], int] = {}
        for sc in scored:
            if not sc.w_rows:
                decided.append((sc, []))
                continue
            named = [
                (int(k), float(sc.score[k]))
                for k in np.argsort(-sc.score, kind="stable")
                if sc.score[k] >= self.thresholds[k]
            ]
            f = self.fallback
            if f is not None and not any(k != f for k, _ in named):
                # none of the other topics: the catch-all, as sure as the likeliest other topic is unsure
                others = np.delete(sc.score, f)
                named = [(f, max(float(sc.score[f]), 1.0 - float(others.max(initial=0.0))))]
            for key in zip(sc.s_rows, sc.s_routes, strict=True):
                needed.setdefault(key, len(needed))
            for k, _ in named:
                for key, use in zip(
                    zip(sc.c_rows, sc.c_routes, strict=True), _evidence(sc.p_clause[:, k]), strict=True
                ):
                    if use:
                        needed.setdefault(key, len(needed))
            decided.append((sc, named))
        senti = self._sentiment(strings, mat, list(needed), known_sentiment or {})
        out: list[tuple[TopicMention, ...]] = []
        comment_vecs = np.zeros((len(texts), self.encoder.dim), dtype=np.float32)
        comment_senti = np.full((len(texts), 3), 1.0 / 3.0)
        for n, (sc, named) in enumerate(decided):
            if not sc.w_rows:
                out.append(())
                continue
            comment_vecs[n] = sc.vector
            evidence: list[int] = []
            if senti is not None:
                comment_senti[n] = sc.s_weights @ senti[[needed[k] for k in zip(sc.s_rows, sc.s_routes, strict=True)]]
                # a clause's row in ``senti`` (one that is evidence for no named topic has none: -1, never read)
                evidence = [needed.get(k, -1) for k in zip(sc.c_rows, sc.c_routes, strict=True)]
            out.append(tuple(self._mention(k, v, sc.spans, sc.p_clause[:, k], evidence, senti) for k, v in named))
        return out, CommentVectors(comment_vecs, comment_senti)

    def scores(
        self, texts: Sequence[str], known: dict[str, np.ndarray] | None = None, *, fitted: bool = True
    ) -> np.ndarray:
        """Every topic's score for each text, (n_texts, n_topics), before any threshold: what
        :func:`~cxsentiment.topics.calibrate.calibrate_topics` reads. Blank texts score 0. ``fitted=False``:
        the topic model's own scores, as if no topic had a fitted head."""
        return self.features(texts, known, fitted=fitted)[0]

    def features(
        self, texts: Sequence[str], known: dict[str, np.ndarray] | None = None, *, fitted: bool = True
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Scores (as :meth:`scores`), pooled comment vectors (n_texts, dim) and keyword hits (n_texts,
        n_topics): what a fitted head reads."""
        _, _, scored = self._score(texts, known, fitted=fitted)
        n_topics = len(self.model.taxonomy.topics)
        score = np.zeros((len(texts), n_topics))
        vecs = np.zeros((len(texts), self.encoder.dim))
        for n, sc in enumerate(scored):
            if sc.w_rows:
                score[n] = sc.score
                vecs[n] = sc.vector
        return score, vecs, self.model.matcher.hits(texts)

    def _score(
        self,
        texts: Sequence[str],
        known: dict[str, np.ndarray] | None,
        *,
        fitted: bool = True,
        languages: Sequence[Language | None] | None = None,
    ) -> tuple[list[str], np.ndarray, list[_Scored]]:
        """The distinct strings embedded (units and clauses), their vectors, and each text's scores (with the
        fitted heads' probabilities where topics have one, unless ``fitted`` is False). ``languages`` route the
        sentiment of units and clauses to the backend's variants; a comment whose spans go to different variants
        has its sentiment pooled over units cut at those spans, as the sentiment stage does. Topic decisions
        and vectors never depend on ``languages`` (so :meth:`features`, which calibration reads, agrees with
        :meth:`run`)."""
        cache: dict[str, np.ndarray] = dict(known or {})
        plans: list[_Plan] = []
        wanted: list[str] = []
        backend = self.backend
        comment_routes = routes_for(backend, languages, len(texts)) if backend is not None else [None] * len(texts)
        langs = languages if languages is not None else [None] * len(texts)
        for text, route, lang in zip(texts, comment_routes, langs, strict=True):
            whole = units(text, limit=UNIT_CHARS)
            clauses = clause_spans(text) if whole else []
            if len(clauses) <= 1:
                clauses = []  # the comment is one clause: its units say it all
            clauses = bounded(clauses, whole)
            parts = language_parts(backend, lang, text) if backend is not None and whole else None
            if parts is None:
                s_units, s_routes = whole, [route] * len(whole)
            else:
                s_units, s_routes = routed_units(text, parts, route)
            c_routes = [route if parts is None else route_of(parts, a, b) for a, b in clauses or whole]
            plans.append(_Plan(whole, clauses, s_units, s_routes, c_routes))
            wanted.extend(text[a:b] for a, b in (*whole, *clauses, *s_units))
        strings = list(dict.fromkeys(wanted))
        missing = [t for t in strings if t not in cache]
        if missing:
            for t, v in zip(missing, embed_unique(self.encoder, missing), strict=True):
                cache[t] = v
        row = {t: i for i, t in enumerate(strings)}
        dim = self.encoder.dim
        mat = np.stack([cache[t] for t in strings]).astype(np.float32) if strings else np.zeros((0, dim), np.float32)
        probs = self.model.probabilities(mat, strings) if len(mat) else np.zeros((0, len(self.model.taxonomy.topics)))
        scored: list[_Scored] = []
        empty = np.zeros(0)
        for text, plan in zip(texts, plans, strict=True):
            whole = plan.whole
            if not whole:
                scored.append(_Scored([], empty, [], [], np.zeros((0, 0)), empty, np.zeros(dim), [], empty, [], []))
                continue
            w_rows = [row[text[a:b]] for a, b in whole]
            weights = unit_weights(text, whole)
            spans = plan.clauses or whole
            c_rows = [row[text[a:b]] for a, b in spans]
            p_clause = probs[c_rows]
            own = np.where(p_clause == p_clause.max(axis=1, keepdims=True), p_clause, 0.0)
            p_whole = weights @ probs[w_rows]
            if WHOLE_SHARE:  # below the share: p x ratio (< 0.49), unnamed at 0.5, named by a lower threshold
                ratio = p_whole / max(float(p_whole.max()), 1e-12)
                p_whole = np.where(ratio >= WHOLE_SHARE, p_whole, p_whole * ratio)
            score = np.maximum(p_whole, own.max(axis=0) ** CLAUSE_POWER)
            vec = weights @ mat[w_rows]
            vec = vec / max(float(np.linalg.norm(vec)), 1e-12)
            if plan.sentiment_units is whole:
                s_rows, s_weights = w_rows, weights
            else:
                s_rows = [row[text[a:b]] for a, b in plan.sentiment_units]
                s_weights = unit_weights(text, plan.sentiment_units)
            scored.append(
                _Scored(
                    w_rows,
                    weights,
                    spans,
                    c_rows,
                    p_clause,
                    score,
                    vec,
                    s_rows,
                    s_weights,
                    plan.s_routes,
                    plan.c_routes,
                )
            )
        if fitted and self.heads:
            self._apply_heads(texts, scored)
        return strings, mat, scored

    def _apply_heads(self, texts: Sequence[str], scored: list[_Scored]) -> None:
        """Replace the scores of topics with a fitted head by the head's probability (in place)."""
        live = [n for n, sc in enumerate(scored) if sc.w_rows]
        if not live:
            return
        vecs = np.stack([scored[n].vector for n in live])
        base = np.stack([scored[n].score for n in live])
        hits = self.model.matcher.hits([texts[n] for n in live])
        fitted = base.copy()
        for k, head in self.heads:
            fitted[:, k] = probability(head, vecs, base[:, k], hits[:, k])
        for n, row in zip(live, fitted, strict=True):
            scored[n].score[:] = row

    def _sentiment(
        self,
        strings: list[str],
        mat: np.ndarray,
        keys: list[tuple[int, str | None]],
        known: dict[tuple[str, str | None], np.ndarray],
    ) -> np.ndarray | None:
        """Sentiment probabilities, one row per ``(string row, variant)`` of ``keys``: taken from ``known`` where
        the sentiment stage scored that string with that variant already, from the backend otherwise."""
        if self.backend is None or not keys:
            return None
        out = np.zeros((len(keys), 3), dtype=np.float64)
        todo: list[int] = []
        for n, (i, route) in enumerate(keys):
            hit = known.get((strings[i], route))
            if hit is None:
                todo.append(n)
            else:
                out[n] = hit
        if todo:
            rows = [keys[n][0] for n in todo]
            vectors = mat[rows] if self.backend.needs_embeddings else None
            p, _ = predict_routed(self.backend, [strings[i] for i in rows], vectors, [keys[n][1] for n in todo])
            out[todo] = np.asarray(p, dtype=np.float64)
        return out

    def _mention(
        self,
        k: int,
        score: float,
        spans: list[tuple[int, int]],
        p: np.ndarray,
        senti_rows: list[int],
        senti: np.ndarray | None,
    ) -> TopicMention:
        """Topic ``k`` named with ``score``: its sentiment mixes the clauses that are evidence for it (``p``: each
        clause's probability; ``senti_rows``: each clause's row in ``senti``), its evidence is the best clause."""
        topic = self.model.taxonomy.topics[k]
        best = int(np.argmax(p))
        label: str | None = None
        s_score: float | None = None
        if senti is not None:
            w = p * _evidence(p)
            if not w.sum() > 0:  # a catch-all named for want of another topic may score 0 on every clause
                w = np.ones_like(p)
            mix = (w / w.sum()) @ senti[senti_rows]
            label = SENTIMENT_LABELS[int(np.argmax(mix))]
            s_score = round(float(mix[2] - mix[0]), 4)
        return TopicMention(
            topic=topic.name,
            label=topic.label,
            score=round(score, 4),
            sentiment=label,
            sentiment_score=s_score,
            start=spans[best][0],
            end=spans[best][1],
            dimensions=topic.dimensions,
        )
