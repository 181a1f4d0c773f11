"""``cxsentiment`` command line.

``cxsentiment score IN OUT [--text-column COL] [--stages ...] [--resume]`` scores an archive;
``cxsentiment report SCORED -o report.html [--by language,channel]`` writes the HTML quality report;
``cxsentiment calibrate LABELLED OUT.json --topics-column COL`` fits the topics to comments labelled your way.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ConfigError, CxError, InputFormatError

SAMPLE = "sample"


def _summary(summary: Any) -> str:
    n = summary.rows_out
    rate = f"{summary.rows_per_second:,.0f}" if summary.rows_per_second >= 10 else f"{summary.rows_per_second:.1f}"
    lines = [
        f"{n} rows scored in {summary.seconds:.1f} s ({rate} rows/s"
        f"{f', {summary.workers} worker processes' if summary.workers > 1 else ''}); "
        f"{summary.rows_with_errors} with errors; stages: {', '.join(summary.stages)}",
        f"{'language':<10}{'rows':>8}{'share':>8}",
    ]
    for code, count in summary.languages.items():
        lines.append(f"{code:<10}{count:>8}{count / max(n, 1):>8.1%}")
    if summary.sentiment:
        total = sum(summary.sentiment.values())
        mix = ", ".join(f"{k} {v / total:.1%}" for k, v in summary.sentiment.items())
        lines.append(f"sentiment: {mix}")
    if summary.errors_by_kind:
        lines.append("errors: " + ", ".join(f"{k} {v}" for k, v in summary.errors_by_kind.items()))
    if summary.flags:
        lines.append("rows flagged: " + ", ".join(f"{k} {v}" for k, v in summary.flags.items()))
    return "\n".join(lines)


def _show(path: Path, n: int, id_column: str | None, text_column: str) -> None:
    from .batch.readers import read_chunks

    # every output row has cx_language; the text column may be missing (a JSONL input whose lines lack it)
    first = next(iter(read_chunks(path, text_column="cx_language", chunk_size=n)))
    view = first.table.to_pandas()
    if "_cx_json" in view:  # the JSONL reader keeps each line whole, as JSON: unpack the rows shown
        import pandas as pd

        view = pd.DataFrame([json.loads(line) for line in view["_cx_json"]])
    cols = [c for c in (id_column, "cx_language", "cx_sentiment", "cx_stars", "cx_topics", text_column) if c in view]
    view = view[cols].copy()
    for c in ("cx_topics", text_column):
        if c in view:
            view[c] = view[c].astype(str).str.slice(0, 50)
    print(view.to_string(index=False))


def cmd_score(args: argparse.Namespace) -> int:
    from .batch import score_file

    if args.input == SAMPLE:
        in_path = Path(str(resources.files("cxsentiment.data").joinpath("sample_comments.csv")))
    else:
        in_path = Path(args.input)
    if not in_path.exists():
        raise InputFormatError(f"input file {in_path} does not exist")
    options: dict[str, Any] = {}
    if args.languages:
        options["languages"] = tuple(c.strip() for c in args.languages.split(",") if c.strip())
    if args.no_spans:
        options["language_spans"] = False
    if args.score_non_answers:
        options["skip_non_answers"] = False
    if args.sentiment:
        options["sentiment"] = None if args.sentiment == "none" else args.sentiment
    if args.model:
        options["sentiment_model"] = args.model
        options.setdefault("sentiment", "hf")
    if args.threads:
        options["threads"] = args.threads
    if args.device:
        options["device"] = args.device
    if args.dtype:
        options["dtype"] = args.dtype
    if args.taxonomy:
        options["taxonomy"] = args.taxonomy
    if args.signal_threshold:
        options["signal_thresholds"] = _signal_thresholds(args.signal_threshold)
    out_path = Path(args.output)
    if args.ray is not None:
        from .batch.ray import score_path

        n = score_path(str(in_path), str(out_path), text_column=args.text_column,
                       address=None if args.ray == "local" else args.ray, stages=args.stages, **options)  # fmt: skip
        print(f"wrote {n} rows as Parquet files in {out_path}/ (Ray)")
        return 0
    summary = score_file(
        in_path, out_path, text_column=args.text_column, stages=args.stages, chunk_size=args.chunk_size,
        resume=args.resume, overwrite=args.overwrite or args.input == SAMPLE, delimiter=args.delimiter,
        encoding=args.encoding, progress=not args.quiet, workers=args.workers, **options,
    )  # fmt: skip
    print(_summary(summary))
    if summary.rows_in and summary.rows_with_errors == summary.rows_in:
        print(f"cxsentiment: warning: no row was scored ({', '.join(summary.errors_by_kind)}); is the text in a "
              f"column or key named {args.text_column!r}? (--text-column)", file=sys.stderr)  # fmt: skip
    if args.show and out_path.suffix.lower() in (".parquet", ".pq", ".csv", ".tsv", ".jsonl"):
        _show(out_path, args.show, args.id_column, args.text_column)
    print(f"wrote {out_path} and {out_path.name}.summary.json")
    keys = ("rows_in", "rows_out", "rows_with_errors", "errors_by_kind", "sentiment", "seconds", "rows_per_second")
    print(json.dumps({k: summary.to_dict()[k] for k in keys}))
    return 0


def _signal_thresholds(items: list[str]) -> dict[str, float]:
    """``["complaint=0.5", ...]`` -> ``{"complaint": 0.5}`` (names and ranges are checked by AnalyzerConfig)."""
    out: dict[str, float] = {}
    for item in items:
        name, _, value = item.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:  # no "=" leaves value empty
            raise ConfigError(f"--signal-threshold takes NAME=VALUE, e.g. complaint=0.5; got {item!r}") from None
    return out


def _workers(value: str) -> int | str:
    """``--workers``: a positive integer or ``auto``."""
    if value == "auto":
        return value
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"takes a positive integer or 'auto', got {value!r}")
    return n


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cxsentiment", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    score = sub.add_parser("score", help="score a CSV / TSV / JSONL / JSON / Parquet / Arrow file of comments")
    score.add_argument(
        "input",
        help=f"input file (.csv, .tsv, .jsonl, .json, .parquet, .arrow; text formats also as .gz/.bz2/.xz) or "
        f"'{SAMPLE}' for the bundled sample",
    )
    score.add_argument("output", help="output file; its extension picks the format")
    score.add_argument("--text-column", default="text", help="column holding the comment text (default: text)")
    score.add_argument("--id-column", default=None, help="column holding row ids, kept in the output")
    score.add_argument("--languages", default=None, help="candidate languages, e.g. ms,id,en (default: all)")
    score.add_argument(
        "--no-spans",
        action="store_true",
        help="one language per comment without per-sentence spans: the language stage runs about twice as fast "
        "on comments of several sentences, but a code-switched comment is not split (cx_language_spans empty, and "
        "its Malay sentences are not scored by the Malay sentiment variant unless the whole comment is Malay)",
    )
    score.add_argument(
        "--score-non-answers",
        action="store_true",
        help="score answers that say nothing ('n/a', 'No comment', '-', 'Ingen kommentar') like any other text; by "
        "default they are flagged no_content and get no sentiment, topics or signals",
    )
    score.add_argument(
        "--sentiment",
        default=None,
        help="sentiment backend: cx-e5-finetuned.v1 (default), cx-e5-heads.v1 (lighter, faster), hf, or none",
    )
    score.add_argument("--model", default=None, help="for --sentiment hf: a local model folder or cached hub id")
    score.add_argument(
        "--taxonomy", default=None,
        help="topics: a taxonomy JSON/YAML file (custom, or calibrated with cx.calibrate_topics; default: built-in)",
    )  # fmt: skip
    score.add_argument(
        "--signal-threshold", action="append", default=[], metavar="NAME=VALUE",
        help="flag a signal at this score instead of its default, e.g. complaint=0.5 (repeatable)",
    )  # fmt: skip
    score.add_argument(
        "--stages", default=None, help="stages to run, e.g. language or language,sentiment (default: all)"
    )
    score.add_argument("--chunk-size", type=int, default=5000, help="rows per chunk (memory, resume granularity)")
    score.add_argument("--resume", action="store_true", help="continue an interrupted job at the same output")
    score.add_argument("--overwrite", action="store_true", help="replace an existing output or unfinished job")
    score.add_argument("--delimiter", default=None, help="CSV delimiter (default: sniffed)")
    score.add_argument("--encoding", default="utf-8", help="CSV encoding (default utf-8; a BOM is honoured)")
    score.add_argument("--threads", type=int, default=None, help="CPU threads for the models (default: all cores)")
    score.add_argument(
        "--device", default=None, help="torch models' device: auto (default: cuda, mps, cpu), cpu, cuda, cuda:1"
    )
    score.add_argument(
        "--dtype", default=None, choices=("auto", "float32", "bfloat16", "float16", "int8"),
        help="torch models' precision (default auto: float32 on a CPU, bfloat16 on a GPU); int8: CPU only, about "
        "1.4x float32",
    )  # fmt: skip
    score.add_argument(
        "--workers", type=_workers, default=1, metavar="N|auto",
        help="processes scoring chunks (each loads the models; default 1); auto: one per core, no more than the "
        "file has chunks or memory holds (use it on a GPU machine: each worker does its own language ID)",
    )  # fmt: skip
    score.add_argument(
        "--ray", default=None, metavar="ADDRESS",
        help="score on a Ray cluster (ADDRESS, 'auto', or 'local' to start one here); OUTPUT becomes a folder of "
        "Parquet files; no resume (Ray retries failed tasks)",
    )  # fmt: skip
    score.add_argument("--show", type=int, default=15, help="print the first N scored rows (default 15)")
    score.add_argument("--quiet", action="store_true", help="no progress bar")
    score.set_defaults(func=cmd_score)

    rep = sub.add_parser("report", help="write a self-contained HTML quality report of a scored file")
    rep.add_argument("input", help="a file written by 'cxsentiment score' (.parquet, .csv, .tsv, .jsonl)")
    rep.add_argument("-o", "--output", default="report.html", help="HTML file to write (default report.html)")
    rep.add_argument("--by", default="language,channel", help="breakdowns, comma separated (default language,channel)")
    rep.add_argument("--title", default="Customer service quality report", help="page title")
    rep.add_argument("--text-column", default=None, help="column holding the comment text (default: guessed)")
    rep.add_argument("--date-column", default=None, help="date column for trends (default: guessed)")
    rep.add_argument("--period", default="M", help="trend period: M (months), W (weeks), Q (quarters)")
    rep.set_defaults(func=cmd_report)

    cal = sub.add_parser(
        "calibrate", help="fit the topics to comments labelled your way; writes a taxonomy JSON for --taxonomy"
    )
    cal.add_argument("input", help="labelled comments (.csv, .tsv, .jsonl, .parquet)")
    cal.add_argument("output", help="taxonomy JSON to write")
    cal.add_argument("--text-column", default="text", help="column holding the comment text (default: text)")
    cal.add_argument(
        "--topics-column", default="topics",
        help="column holding each comment's topics: a list, or names separated by ';' '|' or ',' (empty: none)",
    )  # fmt: skip
    cal.add_argument("--topics", default=None, help="topics the labels cover, comma separated (default: all named)")
    cal.add_argument("--taxonomy", default=None, help="taxonomy JSON/YAML to start from (default: built-in)")
    cal.add_argument(
        "--thresholds-only", action="store_true",
        help="only tune each labelled topic's threshold (default: fit a head per topic, which learns more)",
    )  # fmt: skip
    cal.set_defaults(func=cmd_calibrate)
    return parser


def read_scored(path: Path) -> Any:
    """A scored (or labelled) archive as a DataFrame: Parquet/Arrow, CSV/TSV, JSONL or a JSON array, the text
    formats also compressed whole (``.csv.gz``; pandas decompresses by the suffix)."""
    import pandas as pd

    from .batch.readers import detect_format, format_suffix, open_binary, starts_json_array

    if not path.exists():
        raise InputFormatError(f"input file {path} does not exist")
    fmt = detect_format(path)
    suffix = format_suffix(path)
    if fmt == "parquet":
        return pd.read_parquet(path)
    if fmt == "arrow":
        return pd.read_feather(path)
    if fmt == "csv":
        return pd.read_csv(path, sep="\t" if suffix == ".tsv" else ",", keep_default_na=False, na_values=[""])
    if suffix == ".json":  # one array of records, or JSON Lines under a .json name
        with open_binary(path) as fh:
            head = fh.read(4096)
        return pd.read_json(path, lines=not starts_json_array(head))
    return pd.read_json(path, lines=True)


def cmd_report(args: argparse.Namespace) -> int:
    from .reporting import report_html

    frame = read_scored(Path(args.input))
    by = tuple(b.strip() for b in args.by.split(",") if b.strip())
    out = Path(args.output)
    report_html(frame, out, title=args.title, by=by, text_column=args.text_column, date_column=args.date_column,
                period=args.period)  # fmt: skip
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, {len(frame)} comments)")
    return 0


def _topic_list(value: Any) -> set[str]:
    """A labelled row's topics: a list (JSONL, Parquet) or a string separated by ';', '|' or ','.

    >>> sorted(_topic_list("price_value; delivery")), _topic_list(["wifi"]), _topic_list(""), _topic_list(None)
    (['delivery', 'price_value'], {'wifi'}, set(), set())
    """
    if value is None or (isinstance(value, float) and value != value):
        return set()
    if isinstance(value, str):
        for sep in (";", "|"):
            if sep in value:
                return {t.strip() for t in value.split(sep) if t.strip()}
        return {t.strip() for t in value.split(",") if t.strip()}
    return {str(t).strip() for t in value if str(t).strip()}


def cmd_calibrate(args: argparse.Namespace) -> int:
    import cxsentiment as cx

    frame = read_scored(Path(args.input))
    for col in (args.text_column, args.topics_column):
        if col not in frame.columns:
            raise InputFormatError(f"{args.input} has no column {col!r}; its columns: {', '.join(map(str, frame))}")
    texts = frame[args.text_column].fillna("").astype(str).tolist()
    labels = [_topic_list(v) for v in frame[args.topics_column]]
    topics = [t.strip() for t in args.topics.split(",") if t.strip()] if args.topics else None
    analyzer = cx.Analyzer(taxonomy=args.taxonomy, signals=False, sentiment=None)
    tuned = cx.calibrate_topics(analyzer, texts, labels, topics=topics, fit_heads=not args.thresholds_only)
    out = Path(args.output)
    out.write_text(json.dumps(tuned.to_dict(), ensure_ascii=False), encoding="utf-8")
    print(f"{'topic':<26}{'labelled':>9}  decision")
    for topic in tuned.topics:
        n = sum(topic.name in row for row in labels)
        if n or topic.threshold is not None:
            how = "head" if topic.head is not None else "score"
            th = "0.5 (too few labels)" if topic.threshold is None else f"{how} >= {topic.threshold:g}"
            print(f"{topic.name:<26}{n:>9}  {th}")
    print(f"wrote {out}: score with 'cxsentiment score IN OUT --taxonomy {out}' or cx.Analyzer(taxonomy=...)")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except CxError as exc:
        print(f"cxsentiment: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
