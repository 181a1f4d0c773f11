"""Plots of scored comments (matplotlib). Each function draws on ``ax`` (a new figure when ``None``) and
returns the Axes, so it can be restyled, combined in subplots or saved.

``data`` is what :func:`cxsentiment.report` takes (the DataFrame from ``analyze_frame`` or a scored archive,
or a list of :class:`CommentAnalysis`). A :class:`QualityReport` already computed is used as it is by
:func:`drivers`, :func:`servqual_profile`, the two trends, and :func:`sentiment_mix` when it was grouped by
that plot's ``by``. Labels in any script render: see
:mod:`cxsentiment.reporting.fonts`.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import InputFormatError, MissingDependencyError
from .fonts import display_text, font_chain
from .tables import QualityReport, report

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = [
    "COLORS",
    "complaint_trend",
    "drivers",
    "language_census",
    "language_name",
    "sentiment_mix",
    "sentiment_trend",
    "servqual_profile",
    "style",
    "topic_heatmap",
]

COLORS = {"negative": "#d7301f", "neutral": "#bdbdbd", "positive": "#1a9850", "line": "#2c7fb8"}


@contextlib.contextmanager
def style() -> Iterator[dict[str, Any]]:
    """matplotlib settings of every cxsentiment plot (fonts for all scripts, no top/right spines); yields
    the keyword arguments that give a label the font chain."""
    try:
        import matplotlib
    except ImportError as exc:
        raise MissingDependencyError('plots need matplotlib: pip install "cxsentiment[plot]"') from exc
    rc: dict[str, Any] = {
        "font.family": list(font_chain()),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 12.5,
        "axes.titlelocation": "left",
        "font.size": 9.5,
    }
    with matplotlib.rc_context(rc):  # type: ignore[arg-type]
        yield {"fontfamily": rc["font.family"]}


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=size, layout="constrained")
    return new


def _report(data: Any, by: Sequence[str] = (), **settings: Any) -> QualityReport:
    """``data``'s roll-up grouped by ``by``; a QualityReport is used as it is when it was grouped that way
    and no other trend ``settings`` (those not ``None``) are asked for."""
    settings = {k: v for k, v in settings.items() if v is not None}
    if isinstance(data, QualityReport):
        if settings or not set(by) <= set(data.overview.columns):
            raise InputFormatError(
                f"this plot needs the comments grouped by {list(by)} with {settings or 'default settings'}: pass "
                f"the scored DataFrame (or list of results), or cx.report(data, by={list(by)})"
            )
        return data
    return report(data, by=by, **settings)


def language_name(code: Any) -> str:
    """``"ja · Japanese"`` for a language code, ``"unknown"`` for a missing one.

    >>> language_name("nn"), language_name(None)
    ('nn · Nynorsk', 'unknown')
    """
    if code is None or (isinstance(code, float) and math.isnan(code)) or code == "":
        return "unknown"
    iso = str(code)
    names = {"nb": "Bokmål", "nn": "Nynorsk", "no": "Norwegian", "ms": "Malay", "id": "Indonesian"}
    if iso in names:
        return f"{iso} · {names[iso]}"
    try:
        from lingua import IsoCode639_1, Language

        name = str(Language.from_iso_code_639_1(getattr(IsoCode639_1, iso.upper())).name)
        return f"{iso} · {name.title()}"
    except (AttributeError, ValueError, ImportError):
        return iso


def _label(key: Any, by: str) -> str:
    return language_name(key) if by in ("language", "cx_language") else display_text(str(key))


def _categories(ax: Axes, labels: Sequence[str], font: dict[str, Any], axis: str = "y") -> None:
    pos = list(range(len(labels)))
    if axis == "y":
        ax.set_yticks(pos, [display_text(lbl) for lbl in labels], **font)
        ax.invert_yaxis()
    else:
        ax.set_xticks(pos, [display_text(lbl) for lbl in labels], **font)


def _nothing(ax: Axes, message: str, title: str) -> Axes:
    """A chart with nothing to draw: ``message`` in the middle of an empty frame, under its usual ``title``."""
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    ax.set_title(title)
    return ax


def sentiment_mix(data: Any, by: str = "language", *, ax: Axes | None = None, min_volume: int = 1) -> Axes:
    """Share of negative / neutral / positive comments per group (``by`` any column, e.g. ``"channel"``),
    groups sorted by net sentiment, each bar labelled with its volume. ``data`` may also be a QualityReport
    grouped by ``by`` (``cx.report(df, by=[by])``)."""
    rep = _report(data, by=[by])
    ov = rep.overview[rep.overview["scored"] >= max(min_volume, 1)]
    with style() as font:
        ax = _axes(ax, (7.5, 0.35 * len(ov) + 1.4))
        if ov.empty:  # no comment has a sentiment (none scored, all empty, or the sentiment stage was off)
            return _nothing(
                ax, "no comments with a sentiment", f"Sentiment mix by {'language' if by == 'cx_language' else by}"
            )
        ov = ov.sort_values("net_sentiment", ascending=False)
        pct_neu = 100 - ov["pct_positive"] - ov["pct_negative"]
        pos = range(len(ov))
        ax.barh(pos, ov["pct_negative"], color=COLORS["negative"], label="negative")
        ax.barh(pos, pct_neu, left=ov["pct_negative"], color=COLORS["neutral"], label="neutral")
        ax.barh(pos, ov["pct_positive"], left=ov["pct_negative"] + pct_neu, color=COLORS["positive"], label="positive")
        _categories(ax, [_label(k, by) for k in ov[by]], font)
        for i, (n, net) in enumerate(zip(ov["scored"], ov["net_sentiment"], strict=True)):
            ax.text(101.5, i, f"n={n}, net {net:+.0f}", va="center", fontsize=8)
        ax.set_xlim(0, 124)
        ax.set_xticks(range(0, 101, 20))
        ax.spines["bottom"].set_bounds(0, 100)
        ax.set_xlabel("% of comments")
        ax.set_title(f"Sentiment mix by {'language' if by == 'cx_language' else by}")
        ax.legend(
            ncols=3, loc="upper center", bbox_to_anchor=(0.42, -0.07 - 0.5 / (len(ov) + 2)), frameon=False, fontsize=8
        )
    return ax


def _trend_axes(
    trend: pd.DataFrame, metric: str, title: str, ylabel: str, color: str, ax: Axes | None, zero: bool
) -> Axes:
    with style():
        ax = _axes(ax, (7.5, 3.2))
        if trend.empty or metric not in trend.columns:
            ax.text(0.5, 0.5, "no dated comments", ha="center", va="center", transform=ax.transAxes)
            ax.set_title(title)
            return ax
        x = range(len(trend))
        ax.fill_between(x, trend[f"{metric}_lo"], trend[f"{metric}_hi"], color=color, alpha=0.18, lw=0)
        ax.plot(x, trend[metric], marker="o", color=color)
        for i, (v, n) in enumerate(zip(trend[metric], trend["scored"], strict=True)):
            ax.annotate(
                f"{v:+.0f}" if zero else f"{v:.0f}%",
                (i, v),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
                fontsize=8,
            )
            ax.annotate(
                f"n={n}",
                (i, 0),
                xycoords=("data", "axes fraction"),
                textcoords="offset points",
                xytext=(0, 3),
                ha="center",
                fontsize=7,
                color="#666666",
            )
        if zero:
            ax.axhline(0, color="#888888", lw=0.8)
        ax.set_xticks(list(x), [str(p) for p in trend["period"]])
        ax.set_ylabel(ylabel)
        ax.set_title(f"{title} (band: 95% interval)")
        ax.margins(x=0.06)
    return ax


def sentiment_trend(
    data: Any, *, period: str | None = None, date_column: str | None = None, ax: Axes | None = None
) -> Axes:
    """Net sentiment (% positive - % negative) per period with its 95% interval band.

    ``period`` (default months) and ``date_column`` (default: guessed) as in :func:`cxsentiment.report`;
    ``data`` may be a QualityReport, whose trend is drawn as it was computed."""
    rep = _report(data, period=period, date_column=date_column)
    return _trend_axes(
        rep.trend, "net_sentiment", "Net sentiment over time", "net sentiment", COLORS["line"], ax, zero=True
    )


def complaint_trend(
    data: Any, *, period: str | None = None, date_column: str | None = None, ax: Axes | None = None
) -> Axes:
    """Complaint rate per period with its 95% Wilson band.

    ``period`` (default months) and ``date_column`` (default: guessed) as in :func:`cxsentiment.report`;
    ``data`` may be a QualityReport, whose trend is drawn as it was computed."""
    rep = _report(data, period=period, date_column=date_column)
    return _trend_axes(
        rep.trend, "complaint_rate", "Complaint rate over time", "% complaints", COLORS["negative"], ax, zero=False
    )


def drivers(data: Any, *, top: int = 12, ax: Axes | None = None) -> Axes:
    """Which topics pull satisfaction down most: each topic's impact (its share of comments x how far its
    aspect sentiment sits below the overall mean), the most harmful at the top, in red."""
    rep = _report(data)
    d = rep.drivers.head(top)
    with style() as font:
        ax = _axes(ax, (7.5, 0.38 * len(d) + 1.5))
        if d.empty:
            ax.text(0.5, 0.5, "no topics found", ha="center", va="center", transform=ax.transAxes)
            return ax
        impact = 100 * d["impact"]
        colors = [COLORS["negative"] if v < 0 else COLORS["positive"] for v in impact]
        ax.barh(range(len(d)), impact, color=colors)
        _categories(ax, list(d["label"]), font)
        ax.axvline(0, color="#444444", lw=0.8)
        span = max(float(impact.abs().max()), 1e-6)
        for i, (v, n, neg) in enumerate(zip(impact, d["mentions"], d["pct_negative"], strict=True)):
            ax.text(
                max(float(v), 0.0) + 0.03 * span,
                i,
                f"{n} mentions, {neg:.0f}% negative",
                va="center",
                ha="left",
                fontsize=7.5,
            )
        ax.set_xlim(min(float(impact.min()), 0.0) - 0.05 * span, max(float(impact.max()), 0.0) + 1.1 * span)
        ax.set_xlabel("impact on overall sentiment (share of comments x sentiment gap, x100)")
        worst = str(d["label"].iloc[0])
        ax.set_title(
            f"What pulls satisfaction down\n{display_text(worst)} hurts most"
            if impact.iloc[0] < 0
            else "No topic pulls satisfaction down",
            **font,
        )
    return ax


def servqual_profile(data: Any, *, ax: Axes | None = None) -> Axes:
    """SERVQUAL dimension scores (-100..100, mean aspect sentiment of the topics mapped to each)."""
    rep = _report(data)
    dims = rep.dimensions
    with style() as font:
        ax = _axes(ax, (7.0, 2.8))
        if dims.empty:  # a custom taxonomy without dimensions
            return _nothing(ax, "the taxonomy maps no topic to a SERVQUAL dimension", "SERVQUAL profile")
        scores = [0.0 if math.isnan(float(s)) else float(s) for s in dims["score"]]
        colors = [COLORS["negative"] if s < 0 else COLORS["positive"] for s in scores]
        ax.barh(range(len(dims)), scores, color=colors)
        _categories(ax, list(dims["label"]), font)
        ax.axvline(0, color="#444444", lw=0.8)
        for i, (s, n) in enumerate(zip(scores, dims["comments"], strict=True)):
            ax.text(
                s + (3 if s >= 0 else -3),
                i,
                f"{s:+.0f} ({n} comments)",
                va="center",
                ha="left" if s >= 0 else "right",
                fontsize=8,
            )
        ax.set_xlim(-100, 100)
        ax.set_xlabel("dimension score (mean aspect sentiment x100)")
        ax.set_title("SERVQUAL profile")
    return ax


def topic_heatmap(data: Any, *, by: str | None = None, top: int = 15, ax: Axes | None = None) -> Axes:
    """Topics (rows, most mentioned first) x sentiment: the share of each topic's mentions that are
    negative / neutral / positive. With ``by`` (e.g. ``"channel"``), the columns are its groups and each
    cell is the topic's net sentiment there (empty where it has no mention)."""
    import numpy as np

    if by is None:
        rep = _report(data)
        mentions = _mention_mix(data, rep)
        order = mentions.sort_values("mentions", ascending=False, kind="stable").head(top)
        grid = order[["pct_negative", "pct_neutral", "pct_positive"]].to_numpy(dtype=float)
        cols, cmap, vmin, vmax, fmt = ["negative", "neutral", "positive"], "Greys", 0.0, 100.0, "{:.0f}%"
        rows, counts = list(order["label"]), list(order["mentions"])
    else:
        t = _report(data, by=[by]).topics
        totals = t.groupby("label")["mentions"].sum().sort_values(ascending=False, kind="stable").head(top)
        piv = t.pivot_table(index="label", columns=by, values="net_sentiment", aggfunc="first")
        piv = piv.reindex(index=totals.index)
        grid, rows, counts = piv.to_numpy(dtype=float), list(piv.index), list(totals)
        cols = [_label(c, by) for c in piv.columns]
        cmap, vmin, vmax, fmt = "RdYlGn", -100.0, 100.0, "{:+.0f}"
    with style() as font:
        ax = _axes(ax, (1.2 * len(cols) + 4.5, 0.36 * len(rows) + 1.6))
        if not rows:  # scored without the topic stage, or no comment named a topic
            return _nothing(
                ax, "no topics found", "Topics x sentiment" if by is None else f"Topic net sentiment by {by}"
            )
        im = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
        ax.set_yticks(range(len(rows)), [display_text(f"{r} ({n})") for r, n in zip(rows, counts, strict=True)], **font)
        ax.set_xticks(range(len(cols)), [display_text(c) for c in cols], **font)
        ax.tick_params(axis="x", labeltop=True, labelbottom=False, rotation=0 if len(cols) <= 4 else 45)
        for (i, j), v in np.ndenumerate(grid):
            if not math.isnan(v):
                dark = (v > 60) if by is None else abs(v) > 60
                ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=7.5, color="white" if dark else "black")
        ax.figure.colorbar(im, ax=ax, shrink=0.8, label="% of mentions" if by is None else "net sentiment")
        ax.set_title("Topics x sentiment" if by is None else f"Topic net sentiment by {by}")
    return ax


def _mention_mix(data: Any, rep: QualityReport) -> pd.DataFrame:
    """Per topic: mentions and % negative / neutral / positive mentions."""
    import pandas as pd

    if isinstance(data, QualityReport):
        raise InputFormatError("topic_heatmap needs the scored comments (DataFrame or results), not a QualityReport")
    from .tables import _frame, _mentions

    m = _mentions(_frame(data, None))
    labels = dict(zip(rep.drivers["topic"], rep.drivers["label"], strict=True))
    rows = []
    for topic, tm in m.groupby("topic", sort=True):
        share = tm["sentiment"].value_counts(normalize=True)
        rows.append(
            {
                "topic": topic,
                "label": labels.get(topic, topic),
                "mentions": len(tm),
                **{f"pct_{s}": 100 * float(share.get(s, 0.0)) for s in ("negative", "neutral", "positive")},
            }
        )
    out: pd.DataFrame = pd.DataFrame(
        rows, columns=["topic", "label", "mentions", "pct_negative", "pct_neutral", "pct_positive"]
    )
    return out


def language_census(data: Any, *, top: int = 20, ax: Axes | None = None) -> Axes:
    """Comments per detected language (reliable detections dark, unreliable light, unknown in grey)."""
    from .tables import _frame

    if isinstance(data, QualityReport):
        raise InputFormatError("language_census needs the scored comments (DataFrame or results), not a QualityReport")
    frame = _frame(data, None)
    if "cx_language" not in frame.columns:
        raise InputFormatError("language_census needs a cx_language column: score with the language stage")
    lang = frame["cx_language"].where(frame["cx_language"].notna(), None)
    reliable = frame["cx_language_reliable"].fillna(False).astype(bool) if "cx_language_reliable" in frame else None
    counts = lang.fillna("").value_counts().head(top)
    with style() as font:
        ax = _axes(ax, (7.0, 0.32 * len(counts) + 1.4))
        for i, (code, n) in enumerate(counts.items()):
            sel = lang.fillna("") == code
            sure = int((sel & reliable).sum()) if reliable is not None else int(n)
            color = COLORS["neutral"] if code == "" else COLORS["line"]
            ax.barh(i, sure, color=color)
            ax.barh(i, int(n) - sure, left=sure, color=color, alpha=0.35)
            ax.text(int(n) + 0.5, i, f"{n} ({100 * n / max(len(frame), 1):.0f}%)", va="center", fontsize=8)
        _categories(ax, [language_name(c or None) for c in counts.index], font)
        ax.set_xlabel("comments (light: detection not reliable)")
        ax.set_title(f"Language census ({len(frame)} comments)")
        ax.set_xlim(0, float(counts.max()) * 1.25 if len(counts) else 1)
    return ax
