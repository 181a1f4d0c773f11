"""The public language-identification API: :func:`detect_language`, :func:`detect_languages` and
:class:`LanguageDetector` (one loaded backend, candidate restriction, market priors, mixed-language spans).
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeAlias

from ..errors import InputTypeError
from ..registry import language_backends
from ..text import letter_evidence, one_sentence, script_evidence, script_segments, sentence_spans
from ..text.script import CJK_SCRIPTS
from ..types import Flag, Language, LanguageSpan
from ._base import LanguageBackend
from ._cld2 import cld2_scores
from ._codes import GROUPS, SCRIPT_OF, resolve_codes

__all__ = ["Expected", "LanguageDetector", "detect_language", "detect_languages"]

Expected: TypeAlias = Sequence[str] | Mapping[str, float] | None

MAX_SEGMENT_CHARS = 20_000  # scripts are counted on this many characters
SEGMENT_MIN_LETTERS = 8  # letters a script run needs to be a segment of its own (script_segments' default)
MAX_SEGMENTS = 64  # span detection looks at the first 64 sentences / script runs of a comment
MIXED_SHARE = 0.15  # a second language must hold at least this share of the letters to call a comment mixed
# cld2 calls a sentence foreign (a reason to look at every sentence) only from this many letters: on fewer it
# "reliably" read "Johnson." or "september 2001." as English inside French and Nynorsk news (SIB-200 dev).
FOREIGN_MIN_LETTERS = 15
SPAN_MIN_CONFIDENCE = 0.2  # lingua's relative confidences on one short sentence are often 0.2-0.5
NAME_MAX_WORDS = 5  # a segment of at most this many words, all capitalised but short linking words, is a name
# A character outside Latin letters, marks, punctuation and currency: only then are scripts counted for spans.
_NOT_LATIN = re.compile(r"[^\x00-\u036f\u1e00-\u1eff\u2000-\u206f\u20a0-\u20cf]")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def name_like(segment: str) -> bool:
    """Whether a segment reads as a proper name ("Amir Khan)", "Villa Las Estrellas", "Bank of America"):
    at most ``NAME_MAX_WORDS`` words, the first and the last capitalised, any other word capitalised or of at
    most three letters. Names carry no evidence of the language around them, so their span stays unknown.

    >>> name_like("Camille Saint-Saens)"), name_like("Hershey and Chase"), name_like("Please try again later")
    (True, True, False)
    >>> name_like("Thank you"), name_like("700")
    (False, False)
    """
    words = _WORD.findall(segment)
    if not words or len(words) > NAME_MAX_WORDS or not (words[0][0].isupper() and words[-1][0].isupper()):
        return False
    return all(w[0].isupper() or len(w) <= 3 for w in words)


def _split_expected(expected: Expected) -> tuple[tuple[str, ...] | None, dict[str, float] | None]:
    """``expected`` as (candidates, prior): a sequence restricts, a mapping reweights."""
    if expected is None:
        return None, None
    if isinstance(expected, str):
        raise InputTypeError(f"expected takes a list of codes, e.g. expected=[{expected!r}], not a string")
    if isinstance(expected, Mapping):
        prior: dict[str, float] = {}
        for code, weight in expected.items():
            if not isinstance(weight, (int, float)) or weight < 0:
                raise InputTypeError(f"expected weights are non-negative numbers, got {code!r}: {weight!r}")
            for c in resolve_codes([code]):
                prior[c] = float(weight)
        return None, prior
    return resolve_codes(expected), None


class LanguageDetector:
    """Detects languages with one backend, loaded once and shared by threads.

    ``languages`` restricts the candidates for every call (the best accuracy lever on short comments:
    name the markets you serve); ``expected`` on a call restricts (a list) or reweights (a mapping of
    code to weight, e.g. ``{"ms": 3.0}``) for that call only.

    >>> det = LanguageDetector.for_languages("ms", "id", "en")
    >>> det.detect("Pesanan saya belum sampai, sudah seminggu. Tolong dibantu ya kak").code
    'id'
    """

    def __init__(
        self,
        languages: Sequence[str] | None = None,
        *,
        backend: str = "cx-ensemble.v1",
        spans: bool = True,
    ) -> None:
        self.languages = resolve_codes(languages) if languages is not None else None
        self.backend_name = backend
        self.spans = spans
        factory = language_backends.get(backend)
        kwargs = {"languages": self.languages} if self.languages is not None else {}
        self.backend: LanguageBackend = factory(**kwargs)  # type: ignore[assignment]
        self._lock = threading.Lock()

    @classmethod
    def for_languages(cls, *codes: str, backend: str = "cx-ensemble.v1") -> LanguageDetector:
        """A detector restricted to ``codes`` (lingua-style builder)."""
        return cls(codes, backend=backend)

    def detect(self, text: str, *, expected: Expected = None) -> Language:
        """The language of ``text``; never raises on odd text (``code=None`` with a flag instead)."""
        if not isinstance(text, str):
            raise InputTypeError(
                f"detect_language takes a str, got {type(text).__name__}; for many texts use "
                "detect_languages(texts), for a DataFrame Analyzer().analyze_frame(df, text='column')"
            )
        candidates, prior = _split_expected(expected)
        lang = self.backend.detect(text, candidates, prior)
        if self.spans and (lang.code is not None or Flag.AMBIGUOUS in lang.flags):
            lang = self._with_spans(text, lang, candidates, prior)
        return lang

    def detect_batch(self, texts: Iterable[str], *, expected: Expected = None) -> list[Language]:
        """One result per text, in order (a non-string raises: filter or use the Analyzer for rows)."""
        return [self.detect(t, expected=expected) for t in texts]

    # -- mixed-language comments ------------------------------------------------------------------------
    def _segments(
        self,
        text: str,
        lang: Language,
        candidates: Sequence[str] | None,
        prior: Mapping[str, float] | None,
        seen: dict[tuple[int, int], Language],
    ) -> list[tuple[int, int]]:
        """The sentences and script runs to detect one by one, or ``[]`` when the text cannot be mixed.

        Cheap gates keep the common case fast (scripts are counted only when the text holds a character
        outside the Latin blocks): one script family and one sentence means one span; one script family and
        several sentences goes on only when cld2 names, for some sentence, a language outside the comment's
        group (cld2 takes microseconds; the full detector is far slower) *and* the full detector, asked about
        that sentence alone, agrees that it is foreign. cld2 alone was wrong about most of the sentences it
        flagged ("O aplicativo trava toda vez que tento pagar." is "reliably" English to it), and each false
        alarm cost a full detection of every sentence. ``seen`` receives the detections made here, for
        :meth:`_with_spans` to reuse.
        """
        if Flag.ROMANISED in lang.flags:
            # Hindi/Urdu in Latin letters: its markers are read over the whole text; a sentence alone often
            # holds too few of them
            return []
        head = text[:MAX_SEGMENT_CHARS]
        families: list[str] = []
        if lang.script != "Latin" or _NOT_LATIN.search(head):
            evidence: dict[str, int] = {}
            for script, n in script_evidence(head).items():
                fam = _FAMILY.get(script, script)
                evidence[fam] = evidence.get(fam, 0) + n
            # a run of another script needs as much evidence as script_segments asks to stand alone
            families = [f for f, n in evidence.items() if n >= SEGMENT_MIN_LETTERS]
        if len(families) <= 1:
            if one_sentence(text):
                return []
            sentences = sentence_spans(text)[:MAX_SEGMENTS]
            if len(sentences) < 2:
                return []
            ref = "nb" if lang.code == "no" else lang.code
            for a, b in sentences:
                sentence = text[a:b]
                if (
                    letter_evidence(sentence) >= FOREIGN_MIN_LETTERS
                    and _foreign_by_cld2(sentence, ref)
                    and not name_like(sentence)
                ):
                    seg = seen[(a, b)] = self.backend.detect(sentence, candidates, prior)
                    if _span_code(seg, lang.code) not in (None, lang.code):
                        return sentences
            return []
        segs: list[tuple[int, int]] = []
        for a, b in sentence_spans(text):
            segs.extend(script_segments(text, a, b, min_letters=SEGMENT_MIN_LETTERS))
            if len(segs) >= MAX_SEGMENTS:
                break
        return segs[:MAX_SEGMENTS]

    def _with_spans(
        self,
        text: str,
        lang: Language,
        candidates: Sequence[str] | None,
        prior: Mapping[str, float] | None,
    ) -> Language:
        seen: dict[tuple[int, int], Language] = {}
        segs = self._segments(text, lang, candidates, prior, seen)
        if len(segs) < 2:
            if lang.code is None:  # ambiguous, and nothing to split it by
                return lang
            # (the hot path: built directly, dataclasses.replace costs several microseconds a call)
            whole = (LanguageSpan(0, len(text), lang.code, lang.confidence, lang.alternatives),)
            return Language(
                code=lang.code,
                confidence=lang.confidence,
                script=lang.script,
                alternatives=lang.alternatives,
                reliable=lang.reliable,
                flags=lang.flags,
                spans=whole,
                backend=lang.backend,
            )
        spans: list[LanguageSpan] = []
        letters: dict[str, int] = {}
        for a, b in segs:
            alternatives: tuple[tuple[str, float], ...] = ()
            if name_like(text[a:b]):
                code, confidence = None, 0.0
            else:
                seg = seen.get((a, b))
                if seg is None:
                    seg = self.backend.detect(text[a:b], candidates, prior)
                code, confidence, alternatives = _span_code(seg, lang.code), seg.confidence, seg.alternatives
            if code is not None:
                letters[code] = letters.get(code, 0) + letter_evidence(text[a:b])
            if spans and spans[-1].code == code:
                # one span for consecutive sentences in one language, reported with the least sure of them
                last = spans[-1]
                if confidence < last.confidence:
                    spans[-1] = LanguageSpan(last.start, b, code, round(confidence, 4), alternatives)
                else:
                    spans[-1] = LanguageSpan(last.start, b, code, round(last.confidence, 4), last.alternatives)
            else:
                spans.append(LanguageSpan(a, b, code, confidence, alternatives))
        total = sum(letters.values())
        major = [c for c, n in letters.items() if total and n / total >= MIXED_SHARE]
        if len(major) < 2:
            if (
                major
                and major[0] != lang.code
                and SCRIPT_OF.get(major[0]) != lang.script
                and 2 * letters[major[0]] > letter_evidence(text[:MAX_SEGMENT_CHARS])
            ):
                # Names left aside, a language of another script than the one with most letters holds most of
                # the comment: "劍橋的阿登布魯克醫院 (Addenbrooke's Hospital)" is Chinese. (Within one script the
                # first pass, which read the whole text, is trusted over sentence-by-sentence answers.)
                conf = max(s.confidence for s in spans if s.code == major[0])
                return dataclasses.replace(
                    lang,
                    code=major[0],
                    confidence=round(conf, 4),
                    reliable=False,
                    spans=tuple(spans),
                    flags=_known(lang.flags),
                )
            return dataclasses.replace(lang, spans=tuple(spans))
        dominant = max(letters, key=lambda c: (letters[c], c))
        flags = tuple(dict.fromkeys((*_known(lang.flags), Flag.MIXED_LANGUAGE)))
        if dominant == lang.code:
            return dataclasses.replace(lang, spans=tuple(spans), flags=flags)
        share = letters[dominant] / total
        return dataclasses.replace(
            lang,
            code=dominant,
            confidence=round(share, 4),
            reliable=False,
            spans=tuple(spans),
            flags=flags,
        )


_FAMILY = dict.fromkeys(CJK_SCRIPTS, "CJK")


def _known(flags: tuple[str, ...]) -> tuple[str, ...]:
    """``flags`` without the "don't know" flags, for a result the spans have settled."""
    return tuple(f for f in flags if f not in (Flag.AMBIGUOUS, Flag.LANGUAGE_UNKNOWN))


def _span_code(seg: Language, comment: str | None) -> str | None:
    """The language a segment's span reports, from its own detection ``seg``: none for a guess under
    ``SPAN_MIN_CONFIDENCE``, and the comment's language ``comment`` for a language of its group (one comment
    does not switch between Danish and Bokmål sentence by sentence)."""
    if seg.code is None or seg.confidence < SPAN_MIN_CONFIDENCE:
        return None
    if seg.code != comment and _same_group(seg.code, comment):
        return comment
    return seg.code


def _foreign_by_cld2(sentence: str, code: str | None) -> bool:
    """Whether cld2 calls ``sentence`` reliably in a language other than ``code`` (``nb`` for Norwegian) and
    outside its group."""
    reliable, scores = cld2_scores(sentence)
    if not reliable or not scores:
        return False
    top = max(scores, key=scores.__getitem__)
    return top != code and not _same_group(top, code)


def _same_group(a: str, b: str | None) -> bool:
    return b is not None and a in _GROUP_MATES.get(b, ())


_GROUP_MATES = {c: frozenset().union(*(g for g in GROUPS if c in g)) for g in GROUPS for c in g}


_DEFAULT: LanguageDetector | None = None
_DEFAULT_LOCK = threading.Lock()


def _default() -> LanguageDetector:
    global _DEFAULT
    if _DEFAULT is None:
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                _DEFAULT = LanguageDetector()
    return _DEFAULT


def detect_language(text: str, *, expected: Expected = None) -> Language:
    """The language of one comment with the default detector (``cx-ensemble.v1``).

    >>> detect_language("Eg har venta i over ein time på svar frå kundeservice").code
    'nn'
    >>> detect_language("ok").flags
    ('too_short', 'language_unknown')
    """
    return _default().detect(text, expected=expected)


def detect_languages(texts: Iterable[str], *, expected: Expected = None) -> list[Language]:
    """:func:`detect_language` for many texts, one result each, in order."""
    return _default().detect_batch(texts, expected=expected)
