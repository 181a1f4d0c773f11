import pandas as pd
import pytest

import cxsentiment as cx
from cxsentiment.types import Flag


def test_analyze_one(analyzer):
    res = analyzer.analyze("Terima kasih, layanan cepat sekali dan sangat membantu!")
    assert isinstance(res, cx.CommentAnalysis)
    assert res.language.code == "id" and res.ok and res.n_chars > 0


def test_analyze_rejects_non_text_with_advice(analyzer):
    with pytest.raises(TypeError, match="analyze_frame"):
        analyzer.analyze(pd.DataFrame({"text": ["x"]}))
    with pytest.raises(TypeError, match="analyze_batch"):
        analyzer.analyze(42)


def test_batch_keeps_order_and_flags_bad_rows(analyzer):
    texts = ["Det tok tre veker før nokon svara meg", None, 3.5, "", "Спасибо за быструю доставку"]
    out = analyzer.analyze_batch(texts)
    assert len(out) == len(texts)
    assert out[0].language.code == "nn"
    assert out[1].error and Flag.ERROR in out[1].flags
    assert out[2].error and "float" in out[2].error
    assert out[3].error is None and Flag.EMPTY in out[3].flags
    assert out[4].language.code == "ru"
    with pytest.raises(TypeError):
        analyzer.analyze_batch("one string")


def test_iter_analyze_carries_context(analyzer):
    pairs = [("Paket saya hilang", "T-1"), ("Die Rechnung ist falsch", "T-2")]
    out = list(analyzer.iter_analyze(pairs, as_tuples=True))
    assert [ctx for _, ctx in out] == ["T-1", "T-2"]
    assert [r.row_id for r, _ in out] == ["T-1", "T-2"]


def test_truncation_is_flagged():
    az = cx.Analyzer(max_chars=100)
    res = az.analyze("Waiting on hold again. " * 20)
    assert Flag.TRUNCATED in res.flags and len(res.text) <= 100 and res.n_chars > 100


def test_analyze_frame(analyzer, sample):
    df = sample.head(40)
    out = analyzer.analyze_frame(df, text="text", id_column="comment_id")
    assert len(out) == len(df) and list(out.index) == list(df.index)
    assert set(df.columns) <= set(out.columns)
    assert (out["text"] == df["text"]).all()
    assert {"cx_language", "cx_language_confidence", "cx_error"} <= set(out.columns)
    with pytest.raises(ValueError, match="already has result columns"):
        analyzer.analyze_frame(out, text="text")
    with pytest.raises(ValueError, match="column 'body'"):
        analyzer.analyze_frame(df, text="body")
    # an index with repeated labels (what pd.concat of two exports gives) keeps one result per row, in order
    repeated = df.head(4).set_axis([7, 3, 3, 7])
    out = analyzer.analyze_frame(repeated, text="text")
    assert len(out) == 4 and list(out.index) == [7, 3, 3, 7]
    assert list(out["cx_language"]) == [analyzer.analyze(t).language.code for t in repeated["text"]]
    # a Series of comments, and the column called "text" by default (both a TypeError before)
    series = analyzer.analyze_frame(df["text"].head(3).rename("comment"))
    assert list(series.columns[:2]) == ["comment", "cx_language"] and list(series.index) == list(df.index[:3])
    assert list(analyzer.analyze_frame(df.head(3))["cx_language"]) == list(series["cx_language"])
    with pytest.raises(ValueError, match=r"name the comment column: analyze_frame\(df, text="):
        analyzer.analyze_frame(df.rename(columns={"text": "body"}))
    with pytest.raises(TypeError, match="DataFrame or Series"):
        analyzer.analyze_frame(["a list"])


def test_missing_values_of_every_pandas_kind_are_error_rows(analyzer):
    """A nullable string column (``convert_dtypes()``, ``read_csv(dtype="string")``) holds pandas.NA where a
    comment is missing: analyze_frame raised "boolean value of NA is ambiguous" and lost the whole frame."""
    import numpy as np

    df = pd.DataFrame({"text": ["Great staff, quick answers.", None, "Zu teuer."]}).convert_dtypes()
    assert df["text"].dtype == "string"
    out = analyzer.analyze_frame(df, text="text")
    assert list(out["cx_language"].isna()) == [False, True, False]
    assert "missing value" in out["cx_error"].iloc[1]
    odd = pd.Series([pd.NA, pd.NaT, np.nan, np.array([1, 2]), 5], dtype=object)
    results = analyzer.analyze_batch(list(odd))
    assert [r.error.split(":")[0] for r in results] == ["not text (missing value)"] * 3 + [
        "not text (ndarray)",
        "not text (int)",
    ]


def test_to_frame_round_trip(analyzer):
    res = analyzer.analyze_batch(["Muito obrigado", "ok"])
    frame = cx.to_frame(res)
    assert frame["cx_language"].iloc[0] == "pt" and pd.isna(frame["cx_language"].iloc[1])


def test_non_answers_get_no_sentiment_topics_or_signals(analyzer):
    texts = ["No comment", "n/a", "-", "Ingen kommentar.", "ok", "The courier was rude and the parcel was late."]
    out = analyzer.analyze_batch(texts)
    for r in out[:4]:
        assert Flag.NO_CONTENT in r.flags and Flag.NO_SENTIMENT in r.flags and r.ok, r
        assert r.sentiment is None and r.topics == () and r.signals is None
    ok = out[4]  # a bare evaluation keeps its sentiment and signals but names no topic
    assert ok.sentiment is not None and ok.signals is not None and ok.topics == () and Flag.NO_CONTENT not in ok.flags
    real = out[5]
    assert real.sentiment.label == "negative" and real.topics and real.signals.complaint.flag
    # a report counts them in its volume, not in its rates
    rep = cx.report(out)
    row = rep.overview.iloc[0]
    assert row["volume"] == 6 and row["scored"] == 2
    # off: they are scored like any other text
    raw = cx.Analyzer(skip_non_answers=False, topics=False).analyze("No comment")
    assert raw.sentiment is not None and Flag.NO_CONTENT not in raw.flags
