"""Frozen result records. Every stage returns these; DataFrames appear only at the edges."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["CommentAnalysis", "Flag", "Language", "LanguageSpan"]


class Flag:
    """The flag names results may carry (plain strings, listed here so they are greppable)."""

    EMPTY = "empty"  # the text is empty or whitespace only
    NO_LETTERS = "no_letters"  # digits, punctuation or emoji only
    TOO_SHORT = "too_short"  # too few letters to tell a language
    AMBIGUOUS = "ambiguous"  # candidates too close to name one
    LANGUAGE_UNKNOWN = "language_unknown"  # code is None, for whatever reason
    MIXED_LANGUAGE = "mixed_language"  # spans in more than one language
    NORWEGIAN_UNDECIDED = "norwegian_undecided"  # Norwegian, but Bokmål vs Nynorsk cannot be told
    TRUNCATED = "truncated"  # text cut at AnalyzerConfig.max_chars
    ERROR = "error"  # the row could not be analysed; see CommentAnalysis.error


@dataclass(frozen=True, slots=True)
class LanguageSpan:
    """A stretch of a comment ``text[start:end]`` written in one language."""

    start: int
    end: int
    code: str | None
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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
            "cx_flags": ",".join(self.flags),
            "cx_n_chars": self.n_chars,
            "cx_error": self.error,
        }
