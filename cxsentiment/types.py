"""Frozen result records. Every stage returns these; DataFrames appear only at the edges."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "EMOTIONS",
    "SENTIMENT_LABELS",
    "SIGNAL_NAMES",
    "CommentAnalysis",
    "Flag",
    "Language",
    "LanguageSpan",
    "SentenceSentiment",
    "Sentiment",
    "Signal",
    "Signals",
    "TopicMention",
]

SENTIMENT_LABELS = ("negative", "neutral", "positive")
SIGNAL_NAMES = (
    "complaint", "request", "question", "praise", "churn_risk", "recommendation", "urgency", "effort", "emotion",
)  # fmt: skip
EMOTIONS = ("anger", "frustration", "disappointment", "satisfaction", "delight")


class Flag:
    """The flag names results may carry (plain strings, listed here so they are greppable)."""

    EMPTY = "empty"  # the text is empty or whitespace only
    NO_LETTERS = "no_letters"  # digits, punctuation or emoji only
    TOO_SHORT = "too_short"  # too few letters to tell a language
    AMBIGUOUS = "ambiguous"  # candidates too close to name one
    LANGUAGE_UNKNOWN = "language_unknown"  # code is None, for whatever reason
    MIXED_LANGUAGE = "mixed_language"  # spans in more than one language
    NORWEGIAN_UNDECIDED = "norwegian_undecided"  # Norwegian, but Bokmål vs Nynorsk cannot be told
    MALAY_UNDECIDED = "malay_undecided"  # Malay or Indonesian, near a coin flip which: the likelier is named
    ROMANISED = "romanised"  # Hindi or Urdu written in Latin letters (the two cannot be told apart there)
    TRUNCATED = "truncated"  # text cut at AnalyzerConfig.max_chars
    # a non-answer ("n/a", "No comment", "-", "Ingen kommentar"): no sentiment, topics or signals (text.content)
    NO_CONTENT = "no_content"
    NO_SENTIMENT = "no_sentiment"  # nothing to score (empty text, a non-answer, or the sentiment stage is off)
    SENTIMENT_PARTIAL = "sentiment_partial"  # a very long comment: only its first units were scored
    ERROR = "error"  # the row could not be analysed; see CommentAnalysis.error


@dataclass(frozen=True, slots=True)
class LanguageSpan:
    """A stretch of a comment ``text[start:end]`` written in one language. ``alternatives``: the ranked
    code/probability pairs of the detection the span reports (empty for a span read as a name)."""

    start: int
    end: int
    code: str | None
    confidence: float
    alternatives: tuple[tuple[str, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "code": self.code,
            "confidence": self.confidence,
            "alternatives": [list(a) for a in self.alternatives],
        }


@dataclass(frozen=True, slots=True)
class Language:
    """The language of a text.

    ``code`` is ISO 639-1 where one exists (``nb``, ``nn``, ``ms``, ``id``...), ``"no"`` only when Bokmål
    and Nynorsk cannot be told apart, and ``None`` when the detector does not know. ``confidence`` is a
    calibrated estimate of the probability that ``code`` is right; ``reliable`` is true when it is high
    enough that the detector was right at least 98% of the time on short-text tuning sets.

    >>> Language(code=None, confidence=0.0, script=None, flags=("empty",)).unknown
    True
    """

    code: str | None
    confidence: float
    script: str | None
    alternatives: tuple[tuple[str, float], ...] = ()
    reliable: bool = False
    flags: tuple[str, ...] = ()
    spans: tuple[LanguageSpan, ...] = ()
    backend: str = ""

    @property
    def unknown(self) -> bool:
        return self.code is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "confidence": self.confidence,
            "script": self.script,
            "alternatives": [list(a) for a in self.alternatives],
            "reliable": self.reliable,
            "flags": list(self.flags),
            "spans": [s.to_dict() for s in self.spans],
            "backend": self.backend,
        }


@dataclass(frozen=True, slots=True)
class SentenceSentiment:
    """The sentiment of one sentence (or sentence group) of a comment: ``text[start:end]``."""

    start: int
    end: int
    label: str
    score: float
    probabilities: tuple[float, float, float]
    stars: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Sentiment:
    """How the customer feels.

    ``label`` is one of ``negative``, ``neutral``, ``positive``; ``probabilities`` are in that order;
    ``score`` = P(positive) - P(negative), in [-1, 1]; ``stars`` is the expected 1-5 rating;
    ``confidence`` the probability of ``label``. A long comment is scored per sentence (or group of
    sentences, ``units`` of them) and pooled; ``sentences`` holds the per-sentence results when asked for
    (``AnalyzerConfig(sentence_sentiment=True)``).
    """

    label: str
    score: float
    probabilities: tuple[float, float, float]
    stars: float
    confidence: float
    backend: str
    units: int = 1
    sentences: tuple[SentenceSentiment, ...] = ()

    def probability(self, label: str) -> float:
        """P(``label``) for ``label`` in ``SENTIMENT_LABELS``."""
        return self.probabilities[SENTIMENT_LABELS.index(label)]

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["probabilities"] = dict(zip(SENTIMENT_LABELS, self.probabilities, strict=True))
        return out


@dataclass(frozen=True, slots=True)
class TopicMention:
    """One topic a comment is about, with the sentiment of the words that mention it.

    ``score`` in [0, 1] is how sure the topic model is that the comment is about ``topic``; the mention is
    listed when ``score`` reaches the taxonomy's threshold (0.5 unless the taxonomy sets another).
    ``sentiment`` / ``sentiment_score`` (P(positive) - P(negative)) come from the clauses that mention the
    topic, not from the whole comment, so "the food was great but the waiter was rude" is positive on
    ``product_quality`` and negative on ``staff_attitude``. ``text[start:end]`` is the best evidence.
    """

    topic: str
    label: str
    score: float
    sentiment: str | None
    sentiment_score: float | None
    start: int
    end: int
    dimensions: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["dimensions"] = list(self.dimensions)
        return out


@dataclass(frozen=True, slots=True)
class Signal:
    """A quality signal: ``score`` in [0, 1] and ``flag = score >= threshold`` (thresholds documented in
    :mod:`cxsentiment.signals`). ``label`` names the kind where a signal has several: the emotion
    (``anger``...), or ``would_recommend`` / ``would_not_recommend``."""

    score: float
    flag: bool
    threshold: float
    label: str | None = None

    def __bool__(self) -> bool:
        return self.flag


@dataclass(frozen=True, slots=True)
class Signals:
    """The quality signals of one comment; each is a :class:`Signal` (``result.signals.complaint.flag``)."""

    complaint: Signal
    request: Signal
    question: Signal
    praise: Signal
    churn_risk: Signal
    recommendation: Signal
    urgency: Signal
    effort: Signal
    emotion: Signal
    emotion_scores: tuple[tuple[str, float], ...] = ()

    def flagged(self) -> tuple[str, ...]:
        """Names of the signals whose flag is set."""
        return tuple(n for n in SIGNAL_NAMES if getattr(self, n).flag)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {n: asdict(getattr(self, n)) for n in SIGNAL_NAMES}
        out["emotion_scores"] = dict(self.emotion_scores)
        return out


@dataclass(frozen=True, slots=True)
class CommentAnalysis:
    """Everything cxsentiment says about one comment.

    ``language`` is filled by the language stage; sentiment, topics and quality signals arrive as the
    later stages land. ``row_id`` is whatever context the caller passed with the text (a row id, a
    ticket number); ``error`` is set, with the ``error`` flag, when this row could not be analysed.
    """

    text: str
    language: Language
    flags: tuple[str, ...] = ()
    row_id: Any = None
    error: str | None = None
    n_chars: int = field(default=0)
    sentiment: Sentiment | None = None
    topics: tuple[TopicMention, ...] = ()
    signals: Signals | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "row_id": self.row_id,
            "text": self.text,
            "language": self.language.to_dict(),
            "flags": list(self.flags),
            "error": self.error,
            "n_chars": self.n_chars,
            "sentiment": self.sentiment.to_dict() if self.sentiment is not None else None,
            "topics": [t.to_dict() for t in self.topics],
            "signals": self.signals.to_dict() if self.signals is not None else None,
        }

    def to_row(self) -> dict[str, Any]:
        """A flat record with ``cx_``-prefixed columns, as used by DataFrames and the CLI."""
        lang = self.language
        return {
            "cx_language": lang.code,
            "cx_language_confidence": round(lang.confidence, 4),
            "cx_language_reliable": lang.reliable,
            "cx_script": lang.script,
            "cx_language_alternatives": ";".join(f"{c}:{p:.3f}" for c, p in lang.alternatives),
            "cx_language_spans": ";".join(f"{s.start}-{s.end}:{s.code or '?'}" for s in lang.spans),
            **_sentiment_columns(self.sentiment),
            "cx_topics": ";".join(t.topic for t in self.topics),
            "cx_topic_details": [_topic_detail(t) for t in self.topics],
            **_signal_columns(self.signals),
            "cx_flags": ",".join(self.flags),
            "cx_n_chars": self.n_chars,
            "cx_error": self.error,
        }


def _sentiment_columns(s: Sentiment | None) -> dict[str, Any]:
    if s is None:
        return dict.fromkeys(
            ("cx_sentiment", "cx_sentiment_score", "cx_stars", "cx_sentiment_confidence", "cx_p_negative",
             "cx_p_neutral", "cx_p_positive"),
        )  # fmt: skip
    return {
        "cx_sentiment": s.label,
        "cx_sentiment_score": round(s.score, 4),
        "cx_stars": round(s.stars, 3),
        "cx_sentiment_confidence": round(s.confidence, 4),
        "cx_p_negative": round(s.probabilities[0], 4),
        "cx_p_neutral": round(s.probabilities[1], 4),
        "cx_p_positive": round(s.probabilities[2], 4),
    }


def _topic_detail(t: TopicMention) -> dict[str, Any]:
    return {"topic": t.topic, "score": t.score, "sentiment": t.sentiment, "sentiment_score": t.sentiment_score,
            "start": t.start, "end": t.end}  # fmt: skip


def _signal_columns(s: Signals | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in SIGNAL_NAMES:
        sig = getattr(s, name) if s is not None else None
        out[f"cx_{name}"] = sig.flag if sig is not None else None
        out[f"cx_{name}_score"] = round(sig.score, 4) if sig is not None else None
    out["cx_emotion"] = s.emotion.label if s is not None and s.emotion.flag else None
    out["cx_recommendation"] = s.recommendation.label if s is not None and s.recommendation.flag else None
    return out
