"""``cxsentiment`` command line: ``cxsentiment score IN OUT --text-column COL [--id-column COL]``."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import CxError, InputFormatError

FORMATS = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}
SAMPLE = "sample"


def _format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputFormatError(f"cannot tell the format of {path}; use one of {', '.join(sorted(FORMATS))}")
    return fmt


def read_table(path: Path) -> Any:
    import pandas as pd

    fmt = _format(path)
    if fmt == "csv":
        sep = "\t" if path.suffix.lower() == ".tsv" else ","
        return pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if fmt == "jsonl":
        return pd.read_json(path, lines=True, dtype=False)
    return pd.read_parquet(path)


def write_table(df: Any, path: Path) -> None:
    """Write atomically: a temporary file next to ``path``, then a rename."""
    fmt = _format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    if fmt == "csv":
        df.to_csv(tmp, index=False, sep="\t" if path.suffix.lower() == ".tsv" else ",")
    elif fmt == "jsonl":
        df.to_json(tmp, orient="records", lines=True, force_ascii=False)
    else:
        df.to_parquet(tmp, index=False)
    tmp.replace(path)


def _summary(df: Any, seconds: float) -> str:
    lines = []
    n = len(df)
    langs = Counter(df["cx_language"].fillna("unknown"))
    errors = int(df["cx_error"].notna().sum())
    reliable = int(df["cx_language_reliable"].sum())
    lines.append(
        f"{n} rows scored in {seconds:.1f} s ({n / max(seconds, 1e-9):.0f} rows/s); "
        f"{errors} with errors; {reliable} with a reliable language"
    )
    has_sentiment = df["cx_sentiment"].notna().any()
    header = f"{'language':<10}{'rows':>7}{'share':>8}{'mean conf.':>12}"
    if has_sentiment:
        header += f"{'negative':>10}{'neutral':>9}{'positive':>10}{'mean stars':>12}"
    lines.append(header)
    key = df["cx_language"].fillna("unknown")
    conf = df.groupby(key)["cx_language_confidence"].mean()
    for code, count in langs.most_common():
        line = f"{code:<10}{count:>7}{count / n:>8.1%}{conf.get(code, 0.0):>12.3f}"
        if has_sentiment:
            part = df[key == code]
            shares = part["cx_sentiment"].value_counts(normalize=True)
            stars = part["cx_stars"].mean()
            line += f"{shares.get('negative', 0.0):>10.1%}{shares.get('neutral', 0.0):>9.1%}"
            line += f"{shares.get('positive', 0.0):>10.1%}{stars if stars == stars else float('nan'):>12.2f}"
        lines.append(line)
    return "\n".join(lines)


def cmd_score(args: argparse.Namespace) -> int:
    import time

    from .pipeline import Analyzer, to_frame

    if args.input == SAMPLE:
        src = resources.files("cxsentiment.data").joinpath("sample_comments.csv")
        in_path = Path(str(src))
    else:
        in_path = Path(args.input)
    if not in_path.exists():
        raise InputFormatError(f"input file {in_path} does not exist")
    out_path = Path(args.output)
    _format(out_path)
    df = read_table(in_path)
    if args.text_column not in df.columns:
        raise InputFormatError(f"no column {args.text_column!r} in {in_path}; columns: {list(df.columns)}")
    if args.id_column and args.id_column not in df.columns:
        raise InputFormatError(f"no column {args.id_column!r} in {in_path}; columns: {list(df.columns)}")
    overrides: dict[str, Any] = {}
    if args.languages:
        overrides["languages"] = tuple(c.strip() for c in args.languages.split(",") if c.strip())
    if args.sentiment:
        overrides["sentiment"] = None if args.sentiment == "none" else args.sentiment
    if args.model:
        overrides["sentiment_model"] = args.model
        overrides.setdefault("sentiment", "hf")
    analyzer = Analyzer(**overrides)
    ids = df[args.id_column].tolist() if args.id_column else list(range(len(df)))
    texts = df[args.text_column].tolist()
    from tqdm.auto import tqdm

    start = time.perf_counter()
    results = []
    pairs = zip(texts, ids, strict=False)
    for res, _ in tqdm(
        analyzer.iter_analyze(pairs, as_tuples=True),
        total=len(df),
        unit="rows",
        desc="scoring",
        disable=args.quiet or None,
        file=sys.stderr,
    ):
        results.append(res)
    seconds = time.perf_counter() - start
    scored = to_frame(results, index=df.index)
    clash = sorted(set(scored.columns) & set(df.columns))
    if clash:
        raise InputFormatError(f"input already has result columns {clash}; rename them first")
    out = df.join(scored)
    write_table(out, out_path)
    print(_summary(out, seconds))
    if args.show:
        cols = [c for c in (args.id_column, "cx_language", "cx_sentiment", "cx_stars", args.text_column) if c]
        view = out[cols].head(args.show).copy()
        view[args.text_column] = view[args.text_column].astype(str).str.slice(0, 60)
        print(view.to_string(index=False))
    print(f"wrote {out_path}")
    summary = {
        "rows_in": len(df),
        "rows_out": len(out),
        "rows_with_errors": int(out["cx_error"].notna().sum()),
        "sentiment": {k: int(v) for k, v in out["cx_sentiment"].value_counts().items()},
    }
    print(json.dumps(summary))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cxsentiment", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    score = sub.add_parser("score", help="score a CSV / JSONL / Parquet file of comments")
    score.add_argument("input", help=f"input file (.csv, .tsv, .jsonl, .parquet) or '{SAMPLE}' for the bundled sample")
    score.add_argument("output", help="output file; its extension picks the format")
    score.add_argument("--text-column", default="text", help="column holding the comment text (default: text)")
    score.add_argument("--id-column", default=None, help="column holding row ids, kept in the output")
    score.add_argument("--languages", default=None, help="candidate languages, e.g. ms,id,en (default: all)")
    score.add_argument(
        "--sentiment", default=None, help="sentiment backend: cx-e5-heads.v1 (default), hf, or none to skip it"
    )
    score.add_argument("--model", default=None, help="for --sentiment hf: a local model folder or cached hub id")
    score.add_argument("--show", type=int, default=15, help="print the first N scored rows (default 15)")
    score.add_argument("--quiet", action="store_true", help="no progress bar")
    score.set_defaults(func=cmd_score)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except CxError as exc:
        print(f"cxsentiment: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
