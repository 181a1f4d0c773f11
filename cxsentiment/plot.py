"""Plots of scored comments: ``import cxsentiment as cx; cx.plot.drivers(df)``.

Every function returns the matplotlib Axes it drew on (pass ``ax=`` to draw into your own figure). Needs
the ``plot`` extra: ``pip install "cxsentiment[plot]"``. See :mod:`cxsentiment.reporting.plots`.
"""

from __future__ import annotations

from .reporting.plots import (
    COLORS,
    complaint_trend,
    drivers,
    language_census,
    language_name,
    sentiment_mix,
    sentiment_trend,
    servqual_profile,
    topic_heatmap,
)

__all__ = [
    "COLORS",
    "complaint_trend",
    "drivers",
    "language_census",
    "language_name",
    "sentiment_mix",
    "sentiment_trend",
    "servqual_profile",
    "topic_heatmap",
]
