"""A self-contained HTML quality report: one file, charts embedded as PNG, no script, nothing fetched.

``cxsentiment report scored.parquet -o report.html`` or :func:`report_html`. Sections: headline figures,
what hurts satisfaction most (driver chart and table), trends, topics (heat map, SERVQUAL profile, one page
per topic with representative comments in their own language and the evidence highlighted), breakdowns per
language and per channel, the language census and data quality (errors, unknown language, truncation).
"""

from __future__ import annotations

import base64
import functools
import html
import io
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputFormatError
from ..types import Flag
from .fonts import subset_font_css
from .plots import (
    complaint_trend,
    drivers,
    language_census,
    language_name,
    sentiment_mix,
    sentiment_trend,
    servqual_profile,
    style,
    topic_heatmap,
)
from .tables import QualityReport, _add_periods, _frame, _mentions, report

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["report_html"]

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK JP","Noto Sans Arabic",sans-serif;
margin:0;color:#222;background:#fafafa;line-height:1.45}
header{background:#263238;color:#fff;padding:18px 32px}header h1{margin:0 0 4px;font-size:24px}
header p{margin:0;color:#cfd8dc}nav{background:#37474f;padding:6px 32px}nav a{color:#eceff1;margin-right:16px;
text-decoration:none;font-size:14px}main{padding:8px 32px 40px;max-width:1180px}
h2{border-bottom:2px solid #cfd8dc;padding-bottom:4px;margin-top:34px}h3{margin-bottom:6px}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{background:#fff;border:1px solid #e0e0e0;border-radius:6px;
padding:10px 14px;min-width:140px}.card .v{font-size:24px;font-weight:600}.card .k{font-size:12px;color:#555}
.card .ci{font-size:11px;color:#777}.neg{color:#c62828}.pos{color:#2e7d32}
figure{margin:12px 0;background:#fff;border:1px solid #e0e0e0;border-radius:6px;padding:8px;display:inline-block;
max-width:100%}figure img{max-width:100%;height:auto;display:block}figcaption{font-size:12px;color:#555}
table{border-collapse:collapse;background:#fff;font-size:13px;margin:8px 0}th,td{border:1px solid #e0e0e0;
padding:4px 8px;text-align:right}th{background:#eceff1}td.l,th.l{text-align:left}
.quote{background:#fff;border-left:4px solid #90a4ae;padding:6px 10px;margin:6px 0;font-size:14px}
.quote.negative{border-left-color:#d7301f}.quote.positive{border-left-color:#1a9850}
.quote .meta{font-size:11px;color:#666}mark{background:#fff176;padding:0 1px}
.topic{background:#fff;border:1px solid #e0e0e0;border-radius:6px;padding:4px 16px 10px;margin:14px 0}
.grid{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}.note{font-size:12px;color:#555}
"""


def _png(draw: Callable[[Axes], Any], size: tuple[float, float]) -> str:
    from matplotlib.figure import Figure

    with style():
        fig = Figure(figsize=size, layout="constrained")
        draw(fig.add_subplot())
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _figure(draw: Callable[[Axes], Any], size: tuple[float, float], alt: str, caption: str = "") -> str:
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return (
        f'<figure><img class="chart" alt="{html.escape(alt)}" src="data:image/png;base64,{_png(draw, size)}">'
        f"{cap}</figure>"
    )


def _mix(grouped: QualityReport, column: str, ax: Axes) -> Any:
    return sentiment_mix(grouped, by=column, ax=ax)


def _num(v: Any, fmt: str = "{:.1f}", missing: str = "–") -> str:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return missing
    return missing if math.isnan(f) else fmt.format(f)


def _table(df: pd.DataFrame, columns: Sequence[tuple[str, str, str]], left: Sequence[str] = ()) -> str:
    """``columns``: (column, header, format); formats ``"text"``, ``"lang"`` or a ``str.format`` pattern."""
    head = "".join(f'<th class="{"l" if c in left else ""}">{html.escape(h)}</th>' for c, h, _ in columns)
    body = []
    for _, row in df.iterrows():
        cells = []
        for c, _h, fmt in columns:
            v = row.get(c)
            if fmt == "lang":
                text = language_name(v)
            elif fmt == "text":
                text = "–" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
            else:
                text = _num(v, fmt)
            cls = ' class="l"' if c in left else ""
            cells.append(f"<td{cls}>{html.escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _card(label: str, value: str, interval: str = "", tone: str = "") -> str:
    ci = f'<div class="ci">{html.escape(interval)}</div>' if interval else ""
    return (
        f'<div class="card"><div class="k">{html.escape(label)}</div>'
        f'<div class="v {tone}">{html.escape(value)}</div>{ci}</div>'
    )


def _headline(ov: pd.Series) -> str:
    net = float(ov.get("net_sentiment", math.nan))
    tone = "neg" if net < 0 else "pos"
    cards = [
        _card("comments", f"{int(ov['volume']):,}", f"{int(ov['scored']):,} with sentiment"),
        _card(
            "net sentiment",
            _num(net, "{:+.0f}"),
            f"95%: {_num(ov.get('net_sentiment_lo'), '{:+.0f}')} to {_num(ov.get('net_sentiment_hi'), '{:+.0f}')}",
            tone,
        ),
        _card(
            "CSAT proxy (4-5 stars)",
            _num(ov.get("csat"), "{:.0f}%"),
            f"95%: {_num(ov.get('csat_lo'), '{:.0f}')}-{_num(ov.get('csat_hi'), '{:.0f}')}%",
        ),
        _card("NPS proxy", _num(ov.get("nps"), "{:+.0f}")),
        _card("mean stars", _num(ov.get("mean_stars"), "{:.2f}")),
    ]
    for key, label in (("complaint_rate", "complaint rate"), ("churn_risk_rate", "churn-risk rate")):
        if key in ov:
            cards.append(
                _card(
                    label,
                    _num(ov[key], "{:.0f}%"),
                    f"95%: {_num(ov[f'{key}_lo'], '{:.0f}')}-{_num(ov[f'{key}_hi'], '{:.0f}')}%",
                )
            )
    return '<div class="cards">' + "".join(cards) + "</div>"


def _highlight(text: str, start: int, end: int) -> str:
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    if end <= start:
        return html.escape(text)
    return html.escape(text[:start]) + "<mark>" + html.escape(text[start:end]) + "</mark>" + html.escape(text[end:])


def _topic_pages(frame: pd.DataFrame, rep: QualityReport, per_topic: int, max_chars: int) -> str:
    mentions = _mentions(frame)
    pages = []
    for _, d in rep.drivers.iterrows():
        tm = mentions[mentions["topic"] == d["topic"]]
        mix = tm["sentiment"].value_counts()
        langs = frame.loc[tm["_row"].unique(), "cx_language"].fillna("unknown").value_counts().head(6)
        lang_text = ", ".join(f"{language_name(k if k != 'unknown' else None)} {v}" for k, v in langs.items())
        # representative: the strongest mentions, negative ones first (what the manager must act on)
        order = tm.assign(neg=(tm["sentiment"] != "negative").astype(int))
        order = order.sort_values(["neg", "score", "_row"], ascending=[True, False, True], kind="stable")
        quotes = []
        for _, m in order.drop_duplicates("_row").head(per_topic).iterrows():
            text = str(frame.at[m["_row"], "_text"])
            lang = frame.at[m["_row"], "cx_language"]
            shown = text if len(text) <= max_chars else text[:max_chars] + "…"
            lang_attr = f' lang="{html.escape(str(lang))}"' if isinstance(lang, str) and lang else ""
            quotes.append(
                f'<div class="quote {html.escape(str(m["sentiment"]))}"><div dir="auto"{lang_attr}>'
                f"{_highlight(shown, int(m['start']), int(m['end']))}</div>"
                f'<div class="meta">{html.escape(language_name(lang))} · aspect sentiment {m["sentiment"]} '
                f"({float(m['sentiment_score']):+.2f}) · topic score {float(m['score']):.2f}</div></div>"
            )
        pages.append(
            f'<div class="topic" id="topic-{html.escape(str(d["topic"]))}"><h3>{html.escape(str(d["label"]))}</h3>'
            f'<p class="note">{int(d["mentions"])} mentions in {100 * float(d["share"]):.1f}% of comments; '
            f"{int(mix.get('negative', 0))} negative, {int(mix.get('neutral', 0))} neutral, "
            f"{int(mix.get('positive', 0))} positive; impact {100 * float(d['impact']):+.2f} (rank {int(d['rank'])})."
            f"<br>Languages: {html.escape(lang_text)}</p>{''.join(quotes)}</div>"
        )
    return "".join(pages)


def _quality(frame: pd.DataFrame) -> str:
    n = len(frame)
    rows = [("rows", n)]
    errors = frame["cx_error"].dropna().astype(str) if "cx_error" in frame else frame["_text"].iloc[:0]
    errors = errors[errors != ""]
    rows.append(("rows with errors", len(errors)))
    if len(errors):
        kinds = errors.str.split(":").str[0].value_counts()
        rows += [(f"  error: {k}", int(v)) for k, v in kinds.items()]
    rows.append(("language unknown", int(frame["cx_language"].isna().sum())))
    if "cx_language_reliable" in frame:
        rows.append(("language not reliable", int((~frame["cx_language_reliable"].fillna(False).astype(bool)).sum())))
    rows.append(("no sentiment (empty, emoji only, error)", int(frame["cx_sentiment"].isna().sum())))
    if "cx_flags" in frame:
        flags = frame["cx_flags"].fillna("").astype(str)
        for flag in (
            Flag.TRUNCATED, Flag.MIXED_LANGUAGE, Flag.NO_LETTERS, Flag.EMPTY, Flag.TOO_SHORT, Flag.AMBIGUOUS,
            Flag.MALAY_UNDECIDED, Flag.NORWEGIAN_UNDECIDED, Flag.ROMANISED,
        ):  # fmt: skip
            rows.append((f"flag: {flag}", int(flags.str.contains(flag, regex=False).sum())))
    body = "".join(
        f'<tr><td class="l">{html.escape(k)}</td><td>{v:,}</td><td>{100 * v / max(n, 1):.1f}%</td></tr>'
        for k, v in rows
    )
    return f'<table><tr><th class="l">check</th><th>rows</th><th>share</th></tr>{body}</table>'


def report_html(
    data: Any,
    path: str | Path | None = None,
    *,
    title: str = "Customer service quality report",
    by: Sequence[str] = ("language", "channel"),
    text_column: str | None = None,
    date_column: str | None = None,
    period: str = "M",
    taxonomy: Any = None,
    examples_per_topic: int = 4,
    max_quote_chars: int = 600,
) -> str:
    """The report as one self-contained HTML page (returned, and written to ``path`` when given).

    ``data`` is what :func:`cxsentiment.report` takes. ``by`` lists the breakdowns (columns missing from
    the data are skipped). Needs the ``plot`` extra (matplotlib).
    """
    import cxsentiment

    frame = _frame(data, text_column)
    if frame.empty:
        raise InputFormatError("nothing to report: the data hold no comments (0 rows)")
    if "cx_language" not in frame:
        frame["cx_language"] = None
    _add_periods(frame, date_column, period)
    rep = report(frame, text_column="_text", date_column=date_column, period=period, taxonomy=taxonomy)
    overall = rep.overview.iloc[0]
    # "language" means the detected one (a column of that name in the input may hold something else)
    groups = [b for b in by if b in frame.columns or b == "language"]
    columns = {b: "cx_language" if b == "language" else b for b in groups}
    worst = rep.drivers.iloc[0] if len(rep.drivers) and rep.drivers["impact"].iloc[0] < 0 else None
    h = 0.38 * min(len(rep.drivers), 12) + 1.5

    sections = [f"<section id='headline'><h2>Headline figures</h2>{_headline(overall)}</section>"]
    lead = (
        f"<p><b>{html.escape(str(worst['label']))}</b> pulls satisfaction down most: "
        f"{int(worst['mentions'])} mentions, "
        f"{float(worst['pct_negative']):.0f}% of them negative (95%: {float(worst['pct_negative_lo']):.0f}-"
        f"{float(worst['pct_negative_hi']):.0f}%).</p>"
        if worst is not None
        else "<p>No topic pulls satisfaction below the overall mean.</p>"
    )
    driver_cols = [
        ("rank", "rank", "{:.0f}"),
        ("label", "topic", "text"),
        ("mentions", "mentions", "{:.0f}"),
        ("share", "share of comments", "{:.1%}"),
        ("aspect_sentiment", "aspect sentiment", "{:+.2f}"),
        ("pct_negative", "% negative", "{:.0f}"),
        ("impact", "impact", "{:+.4f}"),
    ]
    sections.append(
        "<section id='drivers'><h2>What hurts satisfaction most</h2>"
        + lead
        + _figure(lambda ax: drivers(rep, ax=ax), (8, h), "driver chart: topics by impact on sentiment")
        + _table(rep.drivers, driver_cols, left=["label"])
        + "</section>"
    )
    sections.append(
        "<section id='trends'><h2>Trends</h2><div class='grid'>"
        + _figure(
            lambda ax: sentiment_trend(rep, ax=ax),
            (7, 3.2),
            "net sentiment trend",
        )
        + _figure(
            lambda ax: complaint_trend(rep, ax=ax),
            (7, 3.2),
            "complaint rate trend",
        )
        + "</div></section>"
    )
    n_topics = min(len(rep.drivers), 15)
    sections.append(
        "<section id='topics'><h2>Topics</h2><div class='grid'>"
        + _figure(lambda ax: topic_heatmap(frame, ax=ax), (8, 0.36 * n_topics + 1.6), "topic by sentiment heat map")
        + (  # a custom taxonomy has no SERVQUAL dimensions: no profile
            _figure(
                lambda ax: servqual_profile(rep, ax=ax),
                (7, 2.8),
                "SERVQUAL dimension profile",
                "SERVQUAL dimensions: mean aspect sentiment of the topics mapped to each",
            )
            if len(rep.dimensions)
            else ""
        )
        + "</div>"
        + _topic_pages(frame, rep, examples_per_topic, max_quote_chars)
        + "</section>"
    )
    overview_cols = [
        ("volume", "comments", "{:.0f}"),
        ("net_sentiment", "net sentiment", "{:+.0f}"),
        ("mean_stars", "mean stars", "{:.2f}"),
        ("csat", "CSAT %", "{:.0f}"),
        ("nps", "NPS", "{:+.0f}"),
        ("complaint_rate", "complaint %", "{:.0f}"),
        ("churn_risk_rate", "churn risk %", "{:.0f}"),
    ]
    for b in groups:
        col = columns[b]
        grouped = report(frame, by=[col], text_column="_text", taxonomy=taxonomy)
        ov = grouped.overview.sort_values("volume", ascending=False, kind="stable")
        fmt = "lang" if b == "language" else "text"
        rows = max(int((ov["scored"] > 0).sum()), 1)
        sections.append(
            f"<section id='by-{html.escape(b)}'><h2>By {html.escape(b)}</h2>"
            + _figure(functools.partial(_mix, grouped, col), (8, 0.35 * rows + 1.6), f"sentiment mix by {b}")
            + _table(ov, [(col, b, fmt), *overview_cols], left=[col])
            + "</section>"
        )
    n_languages = min(int(frame["cx_language"].nunique()) + 1, 20)
    sections.append(
        "<section id='quality'><h2>Data quality</h2><div class='grid'>"
        + _figure(
            lambda ax: language_census(frame, ax=ax),
            (7, 0.32 * n_languages + 1.4),
            "language census",
        )
        + _quality(frame)
        + "</div></section>"
    )
    when = ""
    if "period" in frame.columns and frame["period"].notna().any():
        when = f" · {frame['period'].dropna().min()} to {frame['period'].dropna().max()}"
    nav = "".join(
        f'<a href="#{a}">{html.escape(t)}</a>'
        for a, t in [
            ("headline", "Headline"),
            ("drivers", "Drivers"),
            ("trends", "Trends"),
            ("topics", "Topics"),
            *((f"by-{b}", f"By {b}") for b in groups),
            ("quality", "Data quality"),
        ]
    )
    body = "".join(sections)
    css = subset_font_css(body) + _CSS.replace("font-family:system-ui", "font-family:'cx-cjk',system-ui", 1)
    page = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
        f'content="width=device-width, initial-scale=1"><title>{html.escape(title)}</title><style>{css}</style>'
        f"</head><body><header><h1>{html.escape(title)}</h1><p>{len(frame):,} comments{html.escape(when)} · "
        f"cxsentiment {html.escape(cxsentiment.__version__)}</p></header><nav>{nav}</nav><main>"
        + body
        + "<p class='note'>Definitions: net sentiment = % positive - % negative; CSAT proxy = % of comments whose "
        "expected rating is 4-5 stars; NPS proxy reads stars on a 0-10 scale; impact = share of comments x (topic's "
        "aspect sentiment - overall mean sentiment). Intervals are 95%.</p></main></body></html>"
    )
    if path is not None:
        target = Path(path)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(page, encoding="utf-8")
        tmp.replace(target)
    return page
