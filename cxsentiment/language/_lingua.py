"""lingua-language-detector (n-gram models shipped in its wheel), restricted to the candidates asked for.

Detectors are built once per candidate set and shared by every thread of the process; lingua loads each
language's models lazily, the first time that language is a candidate.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import MissingDependencyError

_DETECTORS: dict[tuple[frozenset[str], bool], Any] = {}
_LOCK = threading.Lock()
_MAX_DETECTORS = 64
_PAIR_EPS = 1e-3
LINGUA_LOGODDS_MAX = math.log((1.0 + _PAIR_EPS) / _PAIR_EPS)  # the most lingua_pair_logodds can return


def _build(codes: frozenset[str], low_accuracy: bool) -> Any:
    try:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise MissingDependencyError(
            "lingua-language-detector is missing: pip install lingua-language-detector"
        ) from exc
    langs = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in sorted(codes)]
    builder = LanguageDetectorBuilder.from_languages(*langs)
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    return builder.build()


def lingua_detector(codes: Iterable[str], low_accuracy: bool = False) -> Any:
    """The shared lingua detector for exactly ``codes`` (at least two).

    ``low_accuracy`` uses trigrams only: several times faster, and as accurate as the full models on
    sentence-length text (lingua's own guidance), much worse on a word or two.
    """
    key = (frozenset(codes), low_accuracy)
    det = _DETECTORS.get(key)
    if det is None:
        with _LOCK:
            det = _DETECTORS.get(key)
            if det is None:
                if len(_DETECTORS) >= _MAX_DETECTORS:
                    _DETECTORS.clear()
                det = _DETECTORS[key] = _build(*key)
    return det


def lingua_scores(text: str, codes: Iterable[str], low_accuracy: bool = False) -> dict[str, float]:
    """lingua's confidence values (summing to 1) over ``codes``; empty when it cannot say."""
    out: dict[str, float] = {}
    for cv in lingua_detector(codes, low_accuracy).compute_language_confidence_values(text):
        if cv.value > 0:
            out[cv.language.iso_code_639_1.name.lower()] = float(cv.value)
    return out


def lingua_pair_logodds(text: str, a: str, b: str, scores: Mapping[str, float] | None = None) -> float:
    """Log-odds of ``a`` over ``b`` from lingua restricted to the pair.

    ``scores`` from an earlier call over a larger candidate set that held both saves a second call: lingua's
    confidence values over a superset, renormalised to the pair, equal the pair's own (checked to 1e-7 on
    SIB-200 and word pairs).
    """
    s = dict(scores) if scores is not None else {}
    mass = s.get(a, 0.0) + s.get(b, 0.0)
    s = {a: s.get(a, 0.0) / mass, b: s.get(b, 0.0) / mass} if mass > 0 else lingua_scores(text, (a, b))
    return math.log((s.get(a, 0.0) + _PAIR_EPS) / (s.get(b, 0.0) + _PAIR_EPS))
