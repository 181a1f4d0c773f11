"""pycld2 (Compact Language Detector 2, models compiled into the package): the fast first pass."""

from __future__ import annotations

import math
from typing import Any

from ..errors import MissingDependencyError

# cld2 codes that differ from ours.
_MAP = {"no": "nb", "iw": "he", "zh-Hant": "zh", "jw": "jv", "in": "id", "tl": "tl"}

_cld2: Any = None


def _module() -> Any:
    global _cld2
    if _cld2 is None:
        try:
            import pycld2
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise MissingDependencyError("pycld2 is missing: pip install pycld2") from exc
        _cld2 = pycld2
    return _cld2


def cld2_detect(text: str) -> tuple[bool, dict[str, float], float]:
    """``(reliable, {code: share of the text}, score)`` from cld2; ``(False, {}, 0.0)`` when it cannot say.

    ``score`` is cld2's normalised score of its top language: about 1,000 on clean prose, 100-400 on text
    with its accents stripped, where it mistakes Spanish for English while calling itself reliable.

    >>> reliable, scores, _ = cld2_detect("Saya sudah menunggu dua jam dan tiada siapa yang menjawab panggilan saya")
    >>> max(scores, key=scores.__getitem__) in {"ms", "id"}
    True
    """
    cld2 = _module()
    try:
        reliable, _, details = cld2.detect(text, bestEffort=True)
    except (cld2.error, ValueError, UnicodeError):
        return False, {}, 0.0
    scores: dict[str, float] = {}
    for _name, code, percent, _score in details:
        if code == "un" or percent <= 0:
            continue
        code = _MAP.get(code, code)
        scores[code] = scores.get(code, 0.0) + percent / 100.0
    return bool(reliable), scores, float(details[0][3]) if details else 0.0


def cld2_scores(text: str) -> tuple[bool, dict[str, float]]:
    """``(reliable, {code: share of the text})`` from cld2 (see :func:`cld2_detect`)."""
    reliable, scores, _ = cld2_detect(text)
    return reliable, scores


def cld2_pair_logodds(scores: dict[str, float], a: str, b: str) -> float:
    """Log-odds of ``a`` over ``b`` from cld2 shares (0.0 when cld2 named neither)."""
    return math.log((100.0 * scores.get(a, 0.0) + 1.0) / (100.0 * scores.get(b, 0.0) + 1.0))
