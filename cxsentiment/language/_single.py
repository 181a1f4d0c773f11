"""Single-detector backends: ``cld2.v1``, ``lingua.v1`` and ``langdetect.v1``, for comparison and as plug-ins.

Each shares the ensemble's handling of odd text (empty, letterless, too short -> ``code=None``) and its
candidate restriction, so benchmark differences come from the detectors themselves.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any, ClassVar

from ..errors import MissingDependencyError
from ..types import Flag, Language
from ._cld2 import cld2_scores
from ._codes import SCRIPT_OF
from ._common import BackendBase, Prepared, normalise, ranked, unknown
from ._lingua import lingua_scores


class _SingleBackend(BackendBase):
    name = "single"
    reliable_at = 0.9

    def scores(self, prep: Prepared, cands: frozenset[str]) -> dict[str, float]:
        raise NotImplementedError

    def decide(self, prep: Prepared, cands: frozenset[str], prior: Mapping[str, float] | None) -> Language:
        dist = {c: p for c, p in self.scores(prep, cands).items() if c in cands}
        if prior:
            dist = {c: p * float(prior.get(c, 1.0)) for c, p in dist.items()}
        dist = normalise(dist)
        if not dist:
            return unknown(Flag.AMBIGUOUS, prep.script, self.name)
        code = max(dist, key=lambda c: (dist[c], c))
        return Language(
            code=code,
            confidence=round(dist[code], 4),
            script=prep.script,
            alternatives=ranked(dist),
            reliable=dist[code] >= self.reliable_at,
            backend=self.name,
        )


class Cld2Backend(_SingleBackend):
    """pycld2 alone (cld2 calls Bokmål ``no``; reported here as ``nb``)."""

    name = "cld2.v1"

    def scores(self, prep: Prepared, cands: frozenset[str]) -> dict[str, float]:
        return cld2_scores(prep.clean)[1]


class LinguaBackend(_SingleBackend):
    """lingua alone, restricted to the candidates written in the text's script."""

    name = "lingua.v1"

    def scores(self, prep: Prepared, cands: frozenset[str]) -> dict[str, float]:
        pool = [c for c in cands if SCRIPT_OF.get(c) == prep.script]
        if prep.script == "Japanese" and "ja" in cands:
            return {"ja": 1.0}
        if prep.script == "Han":
            pool = [c for c in ("zh", "ja") if c in cands]
        if len(pool) == 1:
            return {pool[0]: 1.0}
        if not pool:
            pool = [c for c in cands if SCRIPT_OF.get(c) is not None and c not in ("km", "lo", "my", "am", "si")]
        return lingua_scores(prep.clean, pool) if len(pool) >= 2 else {}


class LangdetectBackend(_SingleBackend):
    """The ``langdetect`` port of Google's language-detection, seeded so results repeat.

    It has no Malay and no Nynorsk (its ``no`` is reported as ``nb``); its exceptions become ``code=None``.
    A private detector factory is used, so the process-wide ``langdetect.DetectorFactory`` is untouched.
    """

    name = "langdetect.v1"
    _factory: Any = None
    _lock = threading.Lock()
    _MAP: ClassVar[dict[str, str]] = {"no": "nb", "zh-cn": "zh", "zh-tw": "zh"}

    @classmethod
    def _get_factory(cls) -> Any:
        if cls._factory is None:
            with cls._lock:
                if cls._factory is None:
                    try:
                        from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
                    except ImportError as exc:  # pragma: no cover - a core dependency
                        raise MissingDependencyError("langdetect is missing: pip install langdetect") from exc
                    factory = DetectorFactory()
                    factory.load_profile(PROFILES_DIRECTORY)
                    factory.set_seed(0)
                    cls._factory = factory
        return cls._factory

    def scores(self, prep: Prepared, cands: frozenset[str]) -> dict[str, float]:
        from langdetect.lang_detect_exception import LangDetectException

        detector = self._get_factory().create()
        detector.append(prep.clean)
        try:
            probs = detector.get_probabilities()
        except LangDetectException:
            return {}
        out: dict[str, float] = {}
        for p in probs:
            code = self._MAP.get(p.lang, p.lang)
            out[code] = out.get(code, 0.0) + float(p.prob)
        return out
