"""cxsentiment: customer comments in many languages -> structured customer-service quality signals.

>>> import cxsentiment as cx
>>> cx.detect_language("Kenapa paket saya belum dikirim juga? Sudah 5 hari nih").code
'id'
"""

from __future__ import annotations

from typing import Any

from .config import AnalyzerConfig
from .errors import CxError
from .language import LanguageDetector, detect_language, detect_languages
from .pipeline import Analyzer, analyze, to_frame
from .reporting import QualityReport, report, report_html
from .taxonomy import Taxonomy, load_taxonomy
from .topics.calibrate import calibrate_topics
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
    "calibrate_topics",
    "detect_language",
    "detect_languages",
    "discover_topics",
    "load_taxonomy",
    "report",
    "report_html",
    "to_frame",
]


def __getattr__(name: str) -> Any:
    # cx.plot is imported on first use: it needs matplotlib (the plot extra), which the rest does not
    if name == "plot":
        import importlib

        return importlib.import_module(".plot", __name__)
    raise AttributeError(f"module 'cxsentiment' has no attribute {name!r}")
