"""Topic discovery for what the taxonomy does not cover: cluster comment vectors, name clusters by keywords.

``TopicDiscovery(n_topics=8, seed=0).fit(texts_or_results)`` runs k-means (k-means++ start, several restarts,
all seeded: the same input and seed give the same topics) on e5 vectors, then labels each cluster with
keywords taken from its own comments, so they are in the comments' languages.

*Topics, not languages.* e5 vectors carry the language a text is written in, and before 2026-12-07 the clusters
of a multilingual archive were mostly languages (SIB-200 sentences in 14 languages, 7 topics: NMI with the
language 0.653, with the topic 0.028; ``benchmarks/discovery.py``). Each language's vectors are now centred on
that language's own mean (languages with at least ``MIN_LANGUAGE_COMMENTS`` comments; the rest on the mean of
all), which removes the language and keeps the content: NMI with the topic 0.338, with the language 0.026.

*Keywords.* Words are letter runs for alphabetic scripts; Chinese, Japanese and Korean text, which has no
spaces, is cut into character bigrams and trigrams of Han / Katakana / Hangul runs, so keywords are word-like
(``返金``, ``配送``), never whole sentences. Function words are dropped: the ``STOPWORDS`` most frequent words
of the comment's language in wordfreq's lists (the package the language detector reads already), and words
used in more than ``max_df`` of the comments of their language unless a cluster holds them (a theme that half
the archive is about is not a function word). A word's score in a cluster is its count there times the log
of its lift (its share of the cluster's comments over its share of all comments), so the words that set the
cluster apart come first.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..encoders import Encoder, embed_unique
from ..text import is_non_answer
from ..types import CommentAnalysis

__all__ = ["DiscoveredTopic", "TopicDiscovery", "discover_topics", "keywords_of"]

MIN_LANGUAGE_COMMENTS = 10  # a language with fewer comments is centred on the mean of all comments
STOPWORDS = 100  # the most frequent words of each language (wordfreq) that are never keywords
MIN_LIFT = 1.2  # a keyword is at least this much more common in its cluster than in the whole archive

_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u30a0-\u30ff\uac00-\ud7af]{2,}")
_CJK_ANY = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def keywords_of(text: str) -> list[str]:
    """The keyword candidates of ``text``: lower-cased words, and CJK character 2-/3-grams.

    >>> keywords_of("Refund still not here! 返金がまだです")
    ['refund', 'still', 'not', 'here', '返金']
    """
    out: list[str] = []
    for m in _WORD.finditer(_CJK_ANY.sub(" ", text)):
        w = m.group(0).lower()
        if len(w) >= 3 or not w.isascii():
            out.append(w)
    for m in _CJK_RUN.finditer(text):
        run = m.group(0)
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
        out.extend(run[i : i + 3] for i in range(len(run) - 2))
    return out


@dataclass(frozen=True, slots=True)
class DiscoveredTopic:
    """One cluster: its keywords (best first), size, dominant language and most central comments.

    A cluster may gather comments in several languages; ``keywords_by_language`` has its keywords within each
    language it holds 3+ comments of, most frequent language first."""

    id: int
    keywords: tuple[str, ...]
    size: int
    language: str | None
    examples: tuple[str, ...]
    keywords_by_language: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def _kmeans(x: np.ndarray, k: int, seed: int, n_init: int = 4, iters: int = 60) -> np.ndarray:
    rng = np.random.default_rng(seed)
    best_labels, best_inertia = np.zeros(len(x), dtype=np.int64), np.inf
    sq = (x * x).sum(axis=1)
    for _ in range(n_init):
        centres = [x[rng.integers(len(x))]]
        for _ in range(1, k):  # k-means++
            d = np.min(sq[:, None] - 2 * x @ np.array(centres).T + (np.array(centres) ** 2).sum(axis=1), axis=1)
            d = np.maximum(d, 0)
            total = d.sum()
            centres.append(x[rng.choice(len(x), p=d / total)] if total > 0 else x[rng.integers(len(x))])
        c = np.array(centres)
        labels = np.zeros(len(x), dtype=np.int64)
        for _ in range(iters):
            dist = sq[:, None] - 2 * x @ c.T + (c * c).sum(axis=1)
            new = dist.argmin(axis=1)
            if _ and np.array_equal(new, labels):
                break
            labels = new
            for j in range(k):
                members = x[labels == j]
                if len(members):
                    c[j] = members.mean(axis=0)
        inertia = float(np.min(sq[:, None] - 2 * x @ c.T + (c * c).sum(axis=1), axis=1).sum())
        if inertia < best_inertia:
            best_labels, best_inertia = labels.copy(), inertia
    return best_labels


def _centred_by_language(x: np.ndarray, groups: Iterable[list[int]]) -> np.ndarray:
    """Rows of ``x`` minus their language's mean (``groups``: the rows of each language; languages with
    ``MIN_LANGUAGE_COMMENTS`` rows; the others minus the mean of all rows), scaled to unit length."""
    out: np.ndarray = x - x.mean(axis=0)
    for rows in groups:
        if len(rows) >= MIN_LANGUAGE_COMMENTS:
            out[rows] = x[rows] - x[rows].mean(axis=0)
    out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
    return out


class _Stopwords:
    """The ``STOPWORDS`` most frequent words of a language in wordfreq's lists (empty where it has none)."""

    def __init__(self) -> None:
        self._lists: dict[str | None, frozenset[str]] = {}

    def of(self, lang: str | None) -> frozenset[str]:
        if lang not in self._lists:
            import wordfreq

            code = {"nn": "nb", "no": "nb"}.get(lang or "", lang or "")
            known = code in wordfreq.available_languages()
            words = set(wordfreq.top_n_list(code, STOPWORDS)) if known else set()
            if lang in ("nn", "no"):  # wordfreq has Bokmål only: Nynorsk's own ("ikkje", "eg", "frå") too
                from ..language._lexical import nynorsk_counts

                counts, _ = nynorsk_counts()
                words |= set(sorted(counts, key=lambda w: -counts[w])[:STOPWORDS])
            self._lists[lang] = frozenset(words)
        return self._lists[lang]


class TopicDiscovery:
    """Scikit-learn style: ``fit(texts_or_results)`` then ``topics_``, ``labels_``, ``keywords_``.

    ``labels_[i]`` is -1 for an empty comment or a non-answer (:func:`cxsentiment.text.is_non_answer`).

    ``topics_`` holds at most ``n_topics`` clusters: fewer when the comments hold fewer distinct texts."""

    def __init__(
        self,
        n_topics: int = 8,
        *,
        seed: int = 0,
        n_keywords: int = 8,
        max_df: float = 0.3,
        encoder: Encoder | str | None = None,
    ) -> None:
        self.n_topics = n_topics
        self.seed = seed
        self.n_keywords = n_keywords
        self.max_df = max_df
        self.encoder = encoder

    def _encoder(self) -> Encoder:
        from ..encoders import DEFAULT_ENCODER, encoders

        if self.encoder is None or isinstance(self.encoder, str):
            enc: Encoder = encoders.get(self.encoder or DEFAULT_ENCODER)()  # type: ignore[assignment]
            return enc
        return self.encoder

    def fit(self, data: Iterable[str | CommentAnalysis], vectors: np.ndarray | None = None) -> TopicDiscovery:
        items = list(data)
        texts = [d.text if isinstance(d, CommentAnalysis) else str(d) for d in items]
        langs = [d.language.code if isinstance(d, CommentAnalysis) else None for d in items]
        # empty comments and non-answers ("n/a", "No comment", "-") belong to no topic (label -1): they would
        # otherwise gather into a cluster of their own, labelled "comment"
        keep = [i for i, t in enumerate(texts) if t.strip() and not is_non_answer(t)]
        if len(keep) < self.n_topics:
            raise ValueError(
                f"need at least n_topics={self.n_topics} comments that are not empty or non-answers, got {len(keep)}"
            )
        if any(langs[i] is None for i in keep):
            from ..language import detect_language

            for i in keep:
                if langs[i] is None:
                    langs[i] = detect_language(texts[i]).code
        by_lang: dict[str | None, list[int]] = {}  # each language's rows among the kept comments
        for d, i in enumerate(keep):
            by_lang.setdefault(langs[i], []).append(d)
        x = vectors[keep] if vectors is not None else embed_unique(self._encoder(), [texts[i] for i in keep])
        x = _centred_by_language(np.asarray(x, dtype=np.float64), by_lang.values())
        # no more clusters than distinct comments (k-means++ would start empty ones on repeated points)
        k = min(self.n_topics, len(np.unique(x.round(6), axis=0)))
        labels = _kmeans(x, k, self.seed)
        self.labels_ = np.full(len(texts), -1, dtype=np.int64)
        self.labels_[keep] = labels
        stop = _Stopwords()
        docs = [{w for w in keywords_of(texts[i]) if w not in stop.of(langs[i])} for i in keep]
        # too common among the comments of their own language, and held by no cluster: function words the list
        # lacks (a multilingual archive has each language's "the", "und", "dan" in few comments overall)
        too_common: set[str] = set()
        for group in (docs, *([docs[d] for d in ds] for ds in by_lang.values())):
            if len(group) >= 10:
                counts = Counter(w for doc in group for w in doc)
                too_common |= {w for w, c in counts.items() if c > self.max_df * len(group)}
        df = Counter(w for doc in docs for w in doc)
        lang_df = {lang: Counter(w for d in ds for w in docs[d]) for lang, ds in by_lang.items()}
        topics = []
        for j in range(k):
            rows = np.flatnonzero(labels == j)
            members = [keep[i] for i in rows]
            words = self._keywords(Counter(w for d in rows for w in docs[d]), len(rows), df, len(docs), too_common)
            # the same, within each language the cluster holds 3+ comments of (clusters span languages)
            per_language = {}
            for lang, ds in by_lang.items():
                inside = [d for d in ds if labels[d] == j]
                if lang is not None and len(inside) >= 3:
                    counts = Counter(w for d in inside for w in docs[d])
                    found = self._keywords(counts, len(inside), lang_df[lang], len(ds), too_common)
                    if found:
                        per_language[lang] = found
            centre = x[rows].mean(axis=0)
            order = np.argsort(-(x[rows] @ centre), kind="stable")
            lang_counts = Counter(langs[i] for i in members if langs[i])
            topics.append(
                DiscoveredTopic(
                    id=j,
                    keywords=words,
                    size=len(members),
                    language=lang_counts.most_common(1)[0][0] if lang_counts else None,
                    examples=tuple(texts[members[i]] for i in order[:3]),
                    keywords_by_language=dict(sorted(per_language.items(), key=lambda kv: -lang_counts[kv[0]])),
                )
            )
        self.topics_ = sorted(topics, key=lambda t: (-t.size, t.id))
        self.keywords_ = {t.id: t.keywords for t in topics}
        return self

    def _keywords(
        self, counts: Counter[str], size: int, df: Counter[str], n: int, too_common: set[str]
    ) -> tuple[str, ...]:
        """The words that set ``size`` comments (word counts ``counts``) apart from ``n`` comments (document
        frequencies ``df``): count x log lift, lift >= ``MIN_LIFT``, seen twice or more."""
        scores = {}
        for w, c in counts.items():
            lift = (c / size) / (df[w] / n)
            theme = c > self.max_df * size and lift >= 2  # common overall, but these comments' own
            if c >= 2 and lift >= MIN_LIFT and (w not in too_common or theme):
                scores[w] = c * float(np.log(lift))
        for w in list(scores):  # a CJK bigram mostly seen inside one trigram gives way to the trigram
            if len(w) == 2 and _CJK_ANY.search(w):
                longer = [v for v in scores if len(v) == 3 and w in v and counts[v] >= 0.6 * counts[w]]
                if longer:
                    del scores[w]
        words: list[str] = []
        for w in sorted(scores, key=lambda w: (-scores[w], w)):
            if any(w in v or v in w for v in words if _CJK_ANY.search(w)):  # a CJK bigram inside a chosen trigram
                continue
            words.append(w)
            if len(words) == self.n_keywords:
                break
        return tuple(words)

    def fit_predict(self, data: Iterable[str | CommentAnalysis], vectors: np.ndarray | None = None) -> np.ndarray:
        return self.fit(data, vectors).labels_


def discover_topics(
    results_or_texts: Sequence[str | CommentAnalysis] | Iterable[Any],
    n_topics: int = 8,
    *,
    seed: int = 0,
    **kwargs: Any,
) -> list[DiscoveredTopic]:
    """Clusters of comments with keywords, largest first (see :class:`TopicDiscovery`)."""
    return TopicDiscovery(n_topics, seed=seed, **kwargs).fit(results_or_texts).topics_
