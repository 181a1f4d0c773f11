"""Language identification: which language (and where, for mixed comments) each comment is written in.

>>> from cxsentiment.language import detect_language
>>> detect_language("Saya dah tunggu dua jam, langsung tak ada orang angkat telefon").code
'ms'
>>> detect_language("👍").code is None
True
"""

from __future__ import annotations

from ..registry import language_backends
from ._base import LanguageBackend
from ._codes import DEFAULT_LANGUAGES, SUPPORTED, resolve_codes
from .detector import LanguageDetector, detect_language, detect_languages

language_backends.register_lazy("cx-ensemble.v1", "cxsentiment.language._ensemble:EnsembleBackend")
language_backends.register_lazy("cld2.v1", "cxsentiment.language._single:Cld2Backend")
language_backends.register_lazy("lingua.v1", "cxsentiment.language._single:LinguaBackend")
language_backends.register_lazy("langdetect.v1", "cxsentiment.language._single:LangdetectBackend")


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
