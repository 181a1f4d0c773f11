"""Language identification: which language (and where, for mixed comments) each comment is written in.

>>> from cxsentiment.language import detect_language
>>> detect_language("Saya dah tunggu dua jam, langsung tak ada orang angkat telefon").code
'ms'
>>> detect_language("👍").code is None
True
"""

from __future__ import annotations

from typing import Any

from ..registry import language_backends
from ._base import LanguageBackend
from ._codes import DEFAULT_LANGUAGES, SUPPORTED, resolve_codes
from .detector import LanguageDetector, detect_language, detect_languages


def _ensemble(**kwargs: Any) -> LanguageBackend:
    from ._ensemble import EnsembleBackend

    return EnsembleBackend(**kwargs)


def _cld2(**kwargs: Any) -> LanguageBackend:
    from ._single import Cld2Backend

    return Cld2Backend(**kwargs)


def _lingua(**kwargs: Any) -> LanguageBackend:
    from ._single import LinguaBackend

    return LinguaBackend(**kwargs)


def _langdetect(**kwargs: Any) -> LanguageBackend:
    from ._single import LangdetectBackend

    return LangdetectBackend(**kwargs)


language_backends.register("cx-ensemble.v1", _ensemble)
language_backends.register("cld2.v1", _cld2)
language_backends.register("lingua.v1", _lingua)
language_backends.register("langdetect.v1", _langdetect)

DEFAULT_BACKEND = "cx-ensemble.v1"

__all__ = [
    "DEFAULT_BACKEND",
    "DEFAULT_LANGUAGES",
    "SUPPORTED",
    "LanguageBackend",
    "LanguageDetector",
    "detect_language",
    "detect_languages",
    "resolve_codes",
]
