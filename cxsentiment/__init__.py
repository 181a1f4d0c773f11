"""cxsentiment: customer comments in many languages -> structured customer-service quality signals.

>>> import cxsentiment as cx
>>> cx.detect_language("Kenapa paket saya belum dikirim juga? Sudah 5 hari nih").code
'id'
"""

from __future__ import annotations

from .config import AnalyzerConfig
from .errors import CxError
from .language import LanguageDetector, detect_language, detect_languages
from .pipeline import Analyzer, analyze, to_frame
from .types import CommentAnalysis, Flag, Language, LanguageSpan

__version__ = "0.1.0"

__all__ = [
    "Analyzer",
    "AnalyzerConfig",
    "CommentAnalysis",
    "CxError",
    "Flag",
    "Language",
    "LanguageDetector",
    "LanguageSpan",
    "__version__",
    "analyze",
    "detect_language",
    "detect_languages",
    "to_frame",
]
