"""Plots of scored comments: ``import cxsentiment as cx; cx.plot.drivers(df)``.

Every function returns the matplotlib Axes it drew on (pass ``ax=`` to draw into your own figure). Needs
the ``plot`` extra: ``pip install "cxsentiment[plot]"``. The functions live in
:mod:`cxsentiment.reporting.plots`; this module is their public name.
"""

from __future__ import annotations

from .reporting import plots as _plots
from .reporting.plots import *  # noqa: F403

__all__ = list(_plots.__all__)
