"""What every backend does before and after its statistics: cleaning, scripts, 'don't know' results."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..text import clean_for_detection, dominant_script, script_counts
from ..types import Flag, Language
from ._codes import DEFAULT_LANGUAGES, resolve_codes

# Detection looks at this many characters of cleaned text at most; longer comments are decided on their
# beginning plus their per-sentence spans (the text itself is never cut).
DETECT_CHARS = 2000
MIN_LETTERS = 3  # fewer letters than this in an alphabetic script: too short to tell
MIN_LETTERS_CJK = 2


@dataclass(frozen=True, slots=True)
class Prepared:
    clean: str
    script: str | None
    letters: int
    kana: int


def prepare(text: str) -> Prepared:
    clean = clean_for_detection(text[: DETECT_CHARS * 4])[:DETECT_CHARS]
    if clean.isascii():
        # cleaning left only words and single spaces, so every other ASCII character is a Latin letter
        letters = len(clean) - clean.count(" ")
        return Prepared(clean=clean, script="Latin" if letters else None, letters=letters, kana=0)
    counts = script_counts(clean)
    return Prepared(
        clean=clean,
        script=dominant_script(counts),
        letters=sum(counts.values()),
        kana=counts.get("Hiragana", 0) + counts.get("Katakana", 0),
    )


def unknown(flag: str, script: str | None, backend: str, alternatives: tuple[tuple[str, float], ...] = ()) -> Language:
    return Language(
        code=None,
        confidence=0.0,
        script=script,
        alternatives=alternatives,
        reliable=False,
        flags=(flag, Flag.LANGUAGE_UNKNOWN),
        backend=backend,
    )


def precheck(text: str, prep: Prepared, backend: str) -> Language | None:
    """The result for text with nothing to detect, or ``None`` when detection should go on."""
    if not text.strip():
        return unknown(Flag.EMPTY, None, backend)
    if prep.letters == 0:
        return unknown(Flag.NO_LETTERS, None, backend)
    cjk = prep.script in ("Japanese", "Han", "Hangul")
    if prep.letters < (MIN_LETTERS_CJK if cjk else MIN_LETTERS):
        return unknown(Flag.TOO_SHORT, prep.script, backend)
    return None


def ranked(dist: Mapping[str, float], k: int = 5) -> tuple[tuple[str, float], ...]:
    """The ``k`` most probable codes with probabilities rounded to 4 places."""
    items = sorted(dist.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
    return tuple((c, round(p, 4)) for c, p in items)


def normalise(dist: Mapping[str, float]) -> dict[str, float]:
    total = sum(dist.values())
    if total <= 0:
        return {}
    return {c: v / total for c, v in dist.items()}


class BackendBase:
    """What every built-in backend shares: the candidate set, odd-text handling and the batch loop.

    Subclasses implement :meth:`decide` for text that has letters enough to detect.
    """

    name = "base"

    def __init__(self, languages: Sequence[str] | None = None) -> None:
        self.languages = resolve_codes(languages) if languages is not None else DEFAULT_LANGUAGES
        self._cands = frozenset(self.languages)

    def decide(self, prep: Prepared, cands: frozenset[str], prior: Mapping[str, float] | None) -> Language:
        raise NotImplementedError

    def detect(
        self,
        text: str,
        candidates: Sequence[str] | None = None,
        prior: Mapping[str, float] | None = None,
    ) -> Language:
        cands = frozenset(resolve_codes(candidates)) if candidates is not None else self._cands
        prep = prepare(text)
        early = precheck(text, prep, self.name)
        if early is not None:
            return early
        return self.decide(prep, cands, prior)

    def detect_batch(
        self,
        texts: Sequence[str],
        candidates: Sequence[str] | None = None,
        prior: Mapping[str, float] | None = None,
    ) -> list[Language]:
        return [self.detect(t, candidates, prior) for t in texts]
