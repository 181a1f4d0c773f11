"""Roll-ups, plots and the HTML report: what a service manager reads.

``tables`` computes the tidy tables (:func:`cxsentiment.report`), ``plots`` draws them
(:mod:`cxsentiment.plot`), ``html`` puts both in one self-contained page (:func:`report_html`). matplotlib
is imported on first use only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .tables import QualityReport, net_interval, report, wilson

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["QualityReport", "net_interval", "report", "report_html", "wilson"]


def report_html(data: Any, path: str | Path | None = None, **options: Any) -> str:
    """See :func:`cxsentiment.reporting.html.report_html` (imported here on first call: it needs matplotlib)."""
    from .html import report_html as build

    return build(data, path, **options)
