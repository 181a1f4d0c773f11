import json

import pandas as pd
import pytest

from cxsentiment.cli import main


def test_score_bundled_sample_to_parquet(tmp_path, capsys, sample):
    out = tmp_path / "scored.parquet"
    assert main(["score", "sample", str(out), "--id-column", "comment_id", "--quiet"]) == 0
    df = pd.read_parquet(out)
    assert len(df) == len(sample)
    assert list(df["comment_id"]) == list(sample["comment_id"])
    printed = capsys.readouterr().out
    assert "language" in printed and "rows/s" in printed
    summary = json.loads(printed.strip().splitlines()[-1])
    assert {k: summary[k] for k in ("rows_in", "rows_out", "rows_with_errors")} == {
        "rows_in": len(sample),
        "rows_out": len(sample),
        "rows_with_errors": 0,
    }
    scored = df["text"].fillna("").str.strip().ne("")
    assert sum(summary["sentiment"].values()) == int(scored.sum()) == int(df["cx_sentiment"].notna().sum())
    assert set(summary["sentiment"]) <= {"negative", "neutral", "positive"}
    assert df["cx_stars"].dropna().between(1, 5).all()


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_formats_round_trip(tmp_path, suffix, capsys):
    src = pd.DataFrame({"id": [1, 2, 3], "body": ["Pengiriman cepat", "", "Zu teuer für den Service"]})
    path = tmp_path / f"in{suffix}"
    if suffix == ".csv":
        src.to_csv(path, index=False)
    elif suffix == ".jsonl":
        src.to_json(path, orient="records", lines=True)
    else:
        src.to_parquet(path)
    out = tmp_path / f"out{suffix}"
    assert main(["score", str(path), str(out), "--text-column", "body", "--id-column", "id", "--quiet"]) == 0
    # the preview of the first rows (--show, default 15) reads every output format back (JSONL printed an
    # empty table before)
    printed = capsys.readouterr().out
    assert "Empty DataFrame" not in printed
    assert "cx_language" in printed and "Zu teuer für den Service" in printed
    got = (
        pd.read_parquet(out)
        if suffix == ".parquet"
        else (pd.read_csv(out) if suffix == ".csv" else pd.read_json(out, lines=True))
    )
    assert len(got) == 3
    assert got["cx_language"].iloc[2] == "de"


def test_missing_column_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "in.csv"
    pd.DataFrame({"body": ["x"]}).to_csv(path, index=False)
    assert main(["score", str(path), str(tmp_path / "o.csv"), "--text-column", "text"]) == 2
    assert "no column 'text'" in capsys.readouterr().err


def test_score_with_a_taxonomy_file(tmp_path):
    """--taxonomy takes a custom (or calibrated) taxonomy file; topics come only from it."""
    tax = {
        "wifi": {"description": "Wi-Fi and mobile internet on the train", "examples": ["WLAN im Zug geht nicht"]},
        "seats": {"description": "Finding a seat, crowded trains", "examples": ["Kein Sitzplatz frei"]},
    }
    tax_path = tmp_path / "rail.json"
    tax_path.write_text(json.dumps(tax), encoding="utf-8")
    src = tmp_path / "in.csv"
    pd.DataFrame(
        {"text": ["Das WLAN im ICE ist schon wieder ausgefallen.", "Kein freier Sitzplatz, alles voll"]}
    ).to_csv(src, index=False)
    out = tmp_path / "out.parquet"
    args = ["score", str(src), str(out), "--taxonomy", str(tax_path), "--sentiment", "cx-e5-heads.v1", "--quiet"]
    assert main(args) == 0
    topics = [set(filter(None, t.split(";"))) for t in pd.read_parquet(out)["cx_topics"]]
    assert "wifi" in topics[0] and all(t <= {"wifi", "seats"} for t in topics)
    assert main(["score", str(src), str(tmp_path / "o2.parquet"), "--taxonomy", str(tmp_path / "nope.json")]) == 2


def test_calibrate_writes_a_taxonomy_fitted_to_the_labels(tmp_path, capsys):
    """`cxsentiment calibrate` reads labelled comments (JSONL, topics as lists), fits a head to the topic with
    enough labels, leaves the one with too few alone, and writes a taxonomy file --taxonomy reads."""
    tax = {
        "wifi": {"description": "Wi-Fi and mobile internet on the train", "examples": ["WLAN im Zug geht nicht"]},
        "seats": {"description": "Finding a seat, crowded trains", "examples": ["Kein Sitzplatz frei"]},
    }
    tax_path = tmp_path / "rail.json"
    tax_path.write_text(json.dumps(tax), encoding="utf-8")
    wifi = ["Das WLAN im ICE ist schon wieder ausgefallen.", "Kein Internet im Zug, wie immer.",
            "WiFi on the train kept dropping out.", "Das Bordnetz ist so langsam, keine Mail geht raus.",
            "Hotspot im Regio funktioniert nicht.", "Ohne WLAN kann ich im Zug nicht arbeiten.",
            "Mobilfunk und WLAN tot zwischen Kassel und Fulda."]  # fmt: skip
    other = ["Kein freier Sitzplatz, alles voll.", "Der Zug hatte 40 Minuten Verspätung.",
             "Freundlicher Schaffner, danke!", "Die Toilette war verschmutzt.", "Ticketautomat defekt.",
             "Reservierung war weg, musste stehen.", "Anschluss verpasst, keine Durchsage."]  # fmt: skip
    labels = [["wifi"]] * len(wifi) + [[]] * len(other)
    labels[len(wifi)] = ["seats"]
    src = tmp_path / "labelled.jsonl"
    pd.DataFrame({"text": wifi + other, "topics": labels}).to_json(src, orient="records", lines=True)
    out = tmp_path / "fitted.json"
    assert main(["calibrate", str(src), str(out), "--taxonomy", str(tax_path)]) == 0
    fitted = json.loads(out.read_text(encoding="utf-8"))["topics"]
    assert fitted["wifi"]["head"]["encoder"] and 0 < fitted["wifi"]["threshold"] < 1
    assert "head" not in fitted["seats"] and "threshold" not in fitted["seats"]  # 1 label: left alone
    printed = capsys.readouterr().out
    assert "wifi" in printed and "head >=" in printed and "too few labels" in printed
    assert main(["calibrate", str(src), str(out), "--topics-column", "labels"]) == 2
    assert "no column 'labels'" in capsys.readouterr().err


def test_score_on_the_cpu_in_int8(tmp_path, capsys):
    """--device and --dtype reach the torch sentiment model; in int8 it still labels plain comments right."""
    src = tmp_path / "in.csv"
    texts = ["The staff were wonderful and fixed my problem!", "Tre uker uten svar, og ingen ringer tilbake."]
    pd.DataFrame({"text": texts}).to_csv(src, index=False)
    out = tmp_path / "out.csv"
    args = ["score", str(src), str(out), "--stages", "language,sentiment", "--device", "cpu", "--dtype", "int8"]
    assert main([*args, "--quiet"]) == 0
    assert list(pd.read_csv(out)["cx_sentiment"]) == ["positive", "negative"]
    capsys.readouterr()
    assert main(["score", str(src), str(tmp_path / "o2.csv"), "--device", "cuda", "--dtype", "int8", "--quiet"]) == 2
    assert "CPU path" in capsys.readouterr().err  # the options reached the model, which says what to use
    with pytest.raises(SystemExit):
        main(["score", str(src), str(out), "--dtype", "int4"])
    assert "invalid choice" in capsys.readouterr().err


def test_signal_thresholds_from_the_command_line(tmp_path, capsys):
    src = tmp_path / "in.csv"
    texts = ["I was charged twice and nobody answers my emails.", "Die Lieferung kam drei Tage zu spät."]
    pd.DataFrame({"text": texts}).to_csv(src, index=False)
    light = ["--sentiment", "cx-e5-heads.v1", "--stages", "language,sentiment,signals", "--quiet", "--show", "0"]
    outs = []
    for extra in ([], ["--signal-threshold", "complaint=0.99", "--signal-threshold", "churn_risk=0.01"]):
        out = tmp_path / f"out{len(extra)}.parquet"
        assert main(["score", str(src), str(out), *light, *extra]) == 0
        outs.append(pd.read_parquet(out))
    base, strict = outs
    assert base["cx_complaint"].all() and not strict["cx_complaint"].any()
    assert strict["cx_churn_risk"].all()
    assert list(strict["cx_complaint_score"]) == list(base["cx_complaint_score"])
    assert main(["score", str(src), str(tmp_path / "x.parquet"), "--signal-threshold", "complaint"]) == 2
    assert "NAME=VALUE" in capsys.readouterr().err


def test_workers_take_a_number_or_auto(tmp_path, capsys):
    src = tmp_path / "in.csv"
    pd.DataFrame({"text": ["Great staff, quick answers.", "Nobody answers the phone."]}).to_csv(src, index=False)
    out = tmp_path / "out.csv"
    # one chunk: auto runs it in this process, no pool
    assert main(["score", str(src), str(out), "--stages", "language", "--workers", "auto", "--quiet"]) == 0
    assert "worker processes" not in capsys.readouterr().out and len(pd.read_csv(out)) == 2
    for bad in ("0", "-2", "many"):
        with pytest.raises(SystemExit):
            main(["score", str(src), str(out), "--workers", bad])
        assert "positive integer or 'auto'" in capsys.readouterr().err


def test_no_spans_skips_the_per_sentence_spans(tmp_path):
    mixed = "Servis dia memang laju. But the price is way too high for what you get, seriously overpriced."
    path = tmp_path / "in.csv"
    pd.DataFrame({"text": [mixed, "Zu teuer für den Service"]}).to_csv(path, index=False)
    spans = {}
    for flag in ([], ["--no-spans"]):
        out = tmp_path / f"out{len(flag)}.parquet"
        assert main(["score", str(path), str(out), "--stages", "language", "--quiet", "--show", "0", *flag]) == 0
        spans[bool(flag)] = list(pd.read_parquet(out)["cx_language_spans"])
    assert ";" in spans[False][0]  # split into a Malay and an English span by default
    assert spans[True] == ["", ""]


def test_non_answers_are_flagged_unless_asked_to_score_them(tmp_path):
    path = tmp_path / "in.csv"
    pd.DataFrame({"text": ["No comment", "Zu teuer für den Service"]}).to_csv(path, index=False)
    rows = {}
    for flag in ([], ["--score-non-answers"]):
        out = tmp_path / f"out{len(flag)}.parquet"
        assert main(["score", str(path), str(out), "--quiet", "--show", "0", *flag]) == 0
        rows[bool(flag)] = pd.read_parquet(out)
    default, scored = rows[False], rows[True]
    assert "no_content" in default["cx_flags"][0] and pd.isna(default["cx_sentiment"][0])
    assert pd.isna(default["cx_complaint"][0]) and default["cx_sentiment"][1] == "negative"
    assert "no_content" not in scored["cx_flags"][0] and not pd.isna(scored["cx_sentiment"][0])
    # the job's summary counts the rows of each flag, so a batch user sees how many answers said nothing
    summary = json.loads((tmp_path / "out0.parquet.summary.json").read_text("utf-8"))
    assert (
        summary["flags"]["no_content"] == 1
        and "no_content" not in json.loads((tmp_path / "out1.parquet.summary.json").read_text("utf-8"))["flags"]
    )


def test_scored_and_labelled_files_are_read_in_every_input_format(tmp_path):
    # `calibrate` and `report` read with read_scored: .csv.gz was "cannot read", a .json of JSON Lines failed
    from cxsentiment.cli import read_scored

    frame = pd.DataFrame({"text": ["Paket kam nie an", "Rude staff"], "topics": ["delivery", "staff_attitude"]})
    writers = {
        "a.csv.gz": lambda p: frame.to_csv(p, index=False),
        "a.tsv": lambda p: frame.to_csv(p, index=False, sep="\t"),
        "a.json": lambda p: frame.to_json(p, orient="records"),
        "lines.json": lambda p: frame.to_json(p, orient="records", lines=True),
        "a.jsonl.bz2": lambda p: frame.to_json(p, orient="records", lines=True),
        "a.parquet": lambda p: frame.to_parquet(p),
    }
    for name, write in writers.items():
        write(tmp_path / name)
        assert read_scored(tmp_path / name).to_dict("records") == frame.to_dict("records"), name
