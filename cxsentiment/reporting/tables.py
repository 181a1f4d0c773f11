"""Roll-ups a service manager acts on: :func:`report` turns scored comments into tidy DataFrames.

Definitions (every rate comes with a 95% Wilson interval, ``*_lo`` / ``*_hi``):

* **net sentiment** = % positive - % negative comments (-100..100);
* **CSAT proxy** = % of comments whose expected rating ``cx_stars`` is 4 or more;
* **NPS proxy** = % promoters - % detractors, reading stars on NPS's 0-10 scale (``(stars - 1) * 2.5``):
  promoters >= 9 (stars >= 4.6), detractors <= 6 (stars <= 3.4);
* **complaint rate**, **churn-risk rate** = share of comments with that signal's flag;
* **driver impact** of a topic = its share of comments x (its mean aspect sentiment - the overall mean
  sentiment score): the most negative impact pulls satisfaction down most;
* **SERVQUAL dimension score** = mean aspect sentiment of the mentions of the topics mapped to it, -100..100;
* **net sentiment interval**: normal approximation of the difference of two shares (:func:`net_interval`);
* **trend**: per period, each rate and its change from the previous period; ``significant`` is true when
  the two periods' Wilson intervals do not overlap (a conservative test, so noise is not called a trend).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import InputFormatError
from ..types import CommentAnalysis

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["QualityReport", "report", "wilson"]

_DATE_COLUMNS = ("created_at", "date", "timestamp", "time", "datetime", "submitted_at")


def wilson(successes: float, n: float, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a proportion (``(nan, nan)`` for ``n == 0``).

    >>> [round(v, 3) for v in wilson(8, 10)]
    [0.49, 0.943]
    """
    if n <= 0:
        return (math.nan, math.nan)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class QualityReport:
    """Tidy tables; each is a :class:`pandas.DataFrame`."""

    overview: pd.DataFrame  # one row per group: volume, net sentiment, stars, CSAT, NPS, complaint/churn rates
    topics: pd.DataFrame  # group x topic: mentions, share, aspect sentiment
    drivers: pd.DataFrame  # topics ranked by how much they pull sentiment down
    dimensions: pd.DataFrame  # SERVQUAL dimension scores
    trend: pd.DataFrame  # period-over-period change with intervals
    examples: pd.DataFrame  # the most representative comments per topic

    def tables(self) -> dict[str, pd.DataFrame]:
        return {n: getattr(self, n) for n in ("overview", "topics", "drivers", "dimensions", "trend", "examples")}


def _frame(data: Any, text_column: str | None) -> pd.DataFrame:
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        # rows are found by position: a user's index may repeat labels (pd.concat of two exports); the labels are
        # kept in _label for what the report shows (the examples' row)
        frame = data.reset_index(drop=True)
        frame["_label"] = data.index.tolist()
    else:
        rows = list(data)
        if rows and not all(isinstance(r, CommentAnalysis) for r in rows):
            raise InputFormatError("report takes a DataFrame from analyze_frame or a list of CommentAnalysis")
        frame = pd.DataFrame([{"text": r.text, **r.to_row(), "row_id": r.row_id} for r in rows])
        frame["_label"] = list(range(len(frame)))
        text_column = "text"
    needed = {"cx_sentiment", "cx_stars"}
    if not needed <= set(frame.columns):
        raise InputFormatError(
            f"report needs scored comments (columns {sorted(needed)} missing); run Analyzer().analyze_frame first"
        )
    if text_column is None:
        text_column = next((c for c in ("text", "comment", "review", "body") if c in frame.columns), None)
    frame["_text"] = frame[text_column] if text_column else ""
    if "cx_topic_details" not in frame.columns:
        frame["cx_topic_details"] = [[] for _ in range(len(frame))]
    frame["cx_topic_details"] = [_details(v) for v in frame["cx_topic_details"]]
    if "cx_language" in frame.columns and "language" not in frame.columns:
        frame["language"] = frame["cx_language"]
    return frame  # type: ignore[no-any-return]


def net_interval(positive: float, negative: float, n: float, z: float = 1.96) -> tuple[float, float]:
    """95% interval of ``(positive - negative) / n`` (net sentiment as a fraction): the normal approximation
    of a difference of two multinomial shares, with a continuity term of one comment so that a small
    group with every comment on one side does not get a zero-width band.

    >>> [round(v, 3) for v in net_interval(60, 20, 100)]
    [0.233, 0.567]
    """
    if n <= 0:
        return (math.nan, math.nan)
    d = (positive - negative) / n
    var = max((positive + negative) / n - d * d, 0.0) / n
    half = z * math.sqrt(var) + 1.0 / n
    return (max(-1.0, d - half), min(1.0, d + half))


def _details(value: Any) -> list[dict[str, Any]]:
    """One row's topic details: a list of dicts from analyze_frame, a JSON string from CSV, an array of
    dicts from Parquet (pandas reads Arrow lists as numpy arrays), or nothing."""
    if isinstance(value, str):
        return list(json.loads(value)) if value else []
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    return [dict(d) for d in value]


def parse_dates(values: pd.Series) -> pd.Series:
    """Timestamps in UTC without a zone; what cannot be read is NaT.

    pandas infers one format from the first value, so a column mixing ISO forms (``2024-01-05T10:00:00Z`` and
    ``...:00.123Z``, a date with and without its time, a zone on some rows) lost every row in another form; those
    are read again, as ISO 8601 and then value by value.
    """
    import pandas as pd

    plain = values.reset_index(drop=True)  # positions, not labels: a frame's index may repeat
    when = pd.to_datetime(plain, errors="coerce", utc=True)
    for how in ("ISO8601", "mixed"):
        again = when.isna()
        if again.any():
            again &= plain.map(lambda v: isinstance(v, str) and bool(v.strip()))
        if not again.any():
            break
        when = when.where(~again, pd.to_datetime(plain[again], errors="coerce", utc=True, format=how))
    out: pd.Series = when.dt.tz_localize(None).set_axis(values.index)
    return out


def _add_periods(frame: pd.DataFrame, date_column: str | None, period: str) -> str | None:
    if date_column is not None and date_column not in frame.columns:
        raise InputFormatError(f"date_column={date_column!r} is not a column (columns: {list(frame.columns)})")
    col = date_column or next((c for c in _DATE_COLUMNS if c in frame.columns), None)
    if col is None:
        return None
    when = parse_dates(frame[col])
    frame["period"] = when.dt.to_period(period).astype(str).where(when.notna(), None)
    frame["month"] = when.dt.to_period("M").astype(str).where(when.notna(), None)
    frame["week"] = when.dt.to_period("W").astype(str).where(when.notna(), None)
    return col


def _rates(g: pd.DataFrame) -> dict[str, Any]:
    scored = g[g["cx_sentiment"].notna()]
    n = len(scored)
    out: dict[str, Any] = {"volume": len(g), "scored": n}
    if n == 0:
        return out
    pos = float((scored["cx_sentiment"] == "positive").sum())
    neg = float((scored["cx_sentiment"] == "negative").sum())
    stars = scored["cx_stars"].astype(float)
    nps10 = (stars - 1.0) * 2.5
    out["net_sentiment"] = round(100 * (pos - neg) / n, 2)
    out["net_sentiment_lo"], out["net_sentiment_hi"] = (round(100 * v, 2) for v in net_interval(pos, neg, n))
    out["mean_stars"] = round(float(stars.mean()), 3)
    out["mean_sentiment_score"] = round(float(scored["cx_sentiment_score"].astype(float).mean()), 4)
    for name, hits in (
        ("pct_positive", pos),
        ("pct_negative", neg),
        ("csat", float((stars >= 4.0).sum())),
    ):
        lo, hi = wilson(hits, n)
        out[name], out[f"{name}_lo"], out[f"{name}_hi"] = (
            round(100 * hits / n, 2),
            round(100 * lo, 2),
            round(100 * hi, 2),
        )
    out["nps"] = round(100 * (float((nps10 >= 9).sum()) - float((nps10 <= 6).sum())) / n, 2)
    for signal in ("complaint", "churn_risk", "urgency", "request"):
        col = f"cx_{signal}"
        if col in scored.columns:
            flags = scored[col].fillna(False).astype(bool)
            lo, hi = wilson(float(flags.sum()), n)
            out[f"{signal}_rate"] = round(100 * float(flags.mean()), 2)
            out[f"{signal}_rate_lo"], out[f"{signal}_rate_hi"] = round(100 * lo, 2), round(100 * hi, 2)
    return out


def _grouped(frame: pd.DataFrame, by: Sequence[str]) -> Iterable[tuple[dict[str, Any], pd.DataFrame]]:
    if not by:
        yield {}, frame
        return
    for key, g in frame.groupby(list(by), dropna=False, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        yield dict(zip(by, key, strict=True)), g


def _mentions(frame: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    rows = []
    for idx, details, text in zip(frame.index, frame["cx_topic_details"], frame["_text"], strict=True):
        for d in details:
            rows.append({"_row": idx, **d, "evidence": str(text)[d.get("start", 0) : d.get("end", 0)]})
    cols = ["_row", "topic", "score", "sentiment", "sentiment_score", "start", "end", "evidence"]
    out: pd.DataFrame = pd.DataFrame(rows, columns=cols)
    return out


def report(
    data: Any,
    by: Sequence[str] = (),
    *,
    text_column: str | None = None,
    date_column: str | None = None,
    period: str = "M",
    taxonomy: Any = None,
    examples_per_topic: int = 3,
) -> QualityReport:
    """Roll scored comments up into the tables of :class:`QualityReport`.

    ``data`` is the DataFrame :meth:`Analyzer.analyze_frame` returns (your columns kept, so ``by`` may name
    ``channel``, ``store``...) or a list of :class:`CommentAnalysis`. ``by`` may also name ``language`` and,
    when a date column is found (``created_at``, ``date``... or ``date_column``), ``month`` and ``week``.
    ``period`` is the pandas period of the trend table (``"M"`` months, ``"W"`` weeks, ``"Q"`` quarters).
    """
    import pandas as pd

    from ..taxonomy import load_taxonomy

    frame = _frame(data, text_column)
    _add_periods(frame, date_column, period)
    missing = [b for b in by if b not in frame.columns]
    if missing:
        periods = [b for b in missing if b in ("month", "week", "period")]
        hint = (f"; {periods} need a date column: none of {list(_DATE_COLUMNS)} is there, so name yours with "
                "date_column=..." if periods and date_column is None else "")  # fmt: skip
        raise InputFormatError(f"cannot group by {missing}: no such column (columns: {list(frame.columns)}){hint}")
    tax = load_taxonomy(taxonomy)
    labels = {t.name: t.label for t in tax.topics}
    mentions = _mentions(frame)

    groups = [{**key, **_rates(g)} for key, g in _grouped(frame, by)]
    overview = pd.DataFrame(groups, columns=None if groups else [*by, "volume", "scored"])  # no rows: no groups

    topic_rows = []
    for key, g in _grouped(frame, by):
        m = mentions[mentions["_row"].isin(g.index)]
        for topic, tm in m.groupby("topic", sort=True):
            s = tm["sentiment_score"].astype(float)
            neg = float((tm["sentiment"] == "negative").sum())
            pos = float((tm["sentiment"] == "positive").sum())
            topic_rows.append({
                **key, "topic": topic, "label": labels.get(str(topic), str(topic)), "mentions": len(tm),
                "share": round(len(tm) / max(len(g), 1), 4),
                "aspect_sentiment": round(float(s.mean()), 4),
                "net_sentiment": round(100 * (pos - neg) / len(tm), 2),
            })  # fmt: skip
    topic_cols = [*by, "topic", "label", "mentions", "share", "aspect_sentiment", "net_sentiment"]
    topics = pd.DataFrame(topic_rows, columns=topic_cols)  # the columns even when no comment names a topic

    overall = float(frame["cx_sentiment_score"].astype(float).mean()) if len(frame) else math.nan
    driver_rows = []
    for topic, tm in mentions.groupby("topic", sort=True):
        share = tm["_row"].nunique() / max(len(frame), 1)
        mean = float(tm["sentiment_score"].astype(float).mean())
        lo, hi = wilson(float((tm["sentiment"] == "negative").sum()), len(tm))
        driver_rows.append({
            "topic": topic, "label": labels.get(str(topic), str(topic)), "mentions": len(tm),
            "share": round(share, 4), "aspect_sentiment": round(mean, 4), "gap": round(mean - overall, 4),
            "impact": round(share * (mean - overall), 4),
            "pct_negative": round(100 * float((tm["sentiment"] == "negative").mean()), 2),
            "pct_negative_lo": round(100 * lo, 2), "pct_negative_hi": round(100 * hi, 2),
        })  # fmt: skip
    driver_cols = ["topic", "label", "mentions", "share", "aspect_sentiment", "gap", "impact", "pct_negative",
                   "pct_negative_lo", "pct_negative_hi"]  # fmt: skip
    drivers = pd.DataFrame(driver_rows, columns=driver_cols)
    drivers = drivers.sort_values("impact", kind="stable").reset_index(drop=True)
    drivers.insert(0, "rank", range(1, len(drivers) + 1))

    dim_rows = []
    for dim in tax.dimensions:
        names = [t.name for t in tax.topics if dim.name in t.dimensions]
        dm = mentions[mentions["topic"].isin(names)]
        score = float(dm["sentiment_score"].astype(float).mean()) if len(dm) else math.nan
        dim_rows.append({"dimension": dim.name, "label": dim.label, "topics": ",".join(names), "mentions": len(dm),
                         "comments": int(dm["_row"].nunique()),
                         "score": round(100 * score, 2) if len(dm) else math.nan})  # fmt: skip
    # a custom taxonomy maps no topic to a dimension: the table is empty, with its columns
    dimensions = pd.DataFrame(dim_rows, columns=["dimension", "label", "topics", "mentions", "comments", "score"])

    trend_rows: list[dict[str, Any]] = []
    if "period" in frame.columns:
        prev: dict[str, Any] | None = None
        for p, g in frame[frame["period"].notna()].groupby("period", sort=True):
            row = {"period": p, **_rates(g)}
            for metric in ("pct_positive", "pct_negative", "csat", "complaint_rate", "churn_risk_rate"):
                if metric not in row:
                    continue
                if prev is not None and metric in prev:
                    row[f"{metric}_change"] = round(row[metric] - prev[metric], 2)
                    row[f"{metric}_significant"] = bool(
                        row[f"{metric}_lo"] > prev[f"{metric}_hi"] or row[f"{metric}_hi"] < prev[f"{metric}_lo"]
                    )
            if prev is not None and "net_sentiment" in row and "net_sentiment" in prev:
                row["net_sentiment_change"] = round(row["net_sentiment"] - prev["net_sentiment"], 2)
            trend_rows.append(row)
            prev = row
    trend = pd.DataFrame(trend_rows)

    ex_rows = []
    for topic, tm in mentions.groupby("topic", sort=True):
        best = tm.sort_values(["score", "_row"], ascending=[False, True], kind="stable").drop_duplicates("_row")
        for _, r in best.head(examples_per_topic).iterrows():
            ex_rows.append({"topic": topic, "label": labels.get(str(topic), str(topic)),
                            "row": frame.at[r["_row"], "_label"],
                            "score": r["score"], "sentiment": r["sentiment"], "evidence": r["evidence"],
                            "text": frame.at[r["_row"], "_text"],
                            "language": frame.at[r["_row"], "cx_language"] if "cx_language" in frame else None,
                            })  # fmt: skip
    examples = pd.DataFrame(
        ex_rows, columns=["topic", "label", "row", "score", "sentiment", "evidence", "text", "language"]
    )
    return QualityReport(overview, topics, drivers, dimensions, trend, examples)
