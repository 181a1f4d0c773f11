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
from .rollup import QualityReport, report
from .taxonomy import Taxonomy, load_taxonomy
from .topics.discover import TopicDiscovery, discover_topics
from .types import CommentAnalysis, Flag, Language, LanguageSpan, Signal, Signals, TopicMention

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
    "QualityReport",
    "Signal",
    "Signals",
    "Taxonomy",
    "TopicDiscovery",
    "TopicMention",
    "__version__",
    "analyze",
    "detect_language",
    "detect_languages",
    "discover_topics",
    "load_taxonomy",
    "report",
    "to_frame",
]
