"""Result columns and chunk writers (Parquet, CSV, JSONL).

Result columns have one fixed Arrow type each (:func:`result_types`), so every chunk of a job has the same
schema. Nested results (``cx_topic_details``: topics with their aspect sentiment and evidence span) are
Arrow lists of structs in Parquet and Arrow, native JSON in JSONL and JSON strings in CSV.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from ..types import SIGNAL_NAMES

__all__ = ["atomic_write", "result_table", "result_types", "write_chunk"]


@cache
def result_types() -> dict[str, Any]:
    """The Arrow type of every ``cx_`` result column, in output order."""
    import pyarrow as pa

    detail = pa.struct([("topic", pa.string()), ("score", pa.float64()), ("sentiment", pa.string()),
                        ("sentiment_score", pa.float64()), ("start", pa.int64()), ("end", pa.int64())])  # fmt: skip
    out: dict[str, Any] = {
        "cx_language": pa.string(), "cx_language_confidence": pa.float64(), "cx_language_reliable": pa.bool_(),
        "cx_script": pa.string(), "cx_language_alternatives": pa.string(), "cx_language_spans": pa.string(),
        "cx_sentiment": pa.string(), "cx_sentiment_score": pa.float64(), "cx_stars": pa.float64(),
        "cx_sentiment_confidence": pa.float64(), "cx_p_negative": pa.float64(), "cx_p_neutral": pa.float64(),
        "cx_p_positive": pa.float64(), "cx_topics": pa.string(), "cx_topic_details": pa.list_(detail),
    }  # fmt: skip
    for name in SIGNAL_NAMES:
        out[f"cx_{name}"] = pa.bool_()
        out[f"cx_{name}_score"] = pa.float64()
    out.update(cx_emotion=pa.string(), cx_recommendation=pa.string(), cx_flags=pa.string(), cx_n_chars=pa.int64(),
               cx_error=pa.string())  # fmt: skip
    return out


def result_table(rows: Sequence[dict[str, Any]]) -> Any:
    """The ``cx_`` result columns of ``rows`` (dicts from ``CommentAnalysis.to_row()``) as a pyarrow Table."""
    import pyarrow as pa

    return pa.table({name: pa.array([r.get(name) for r in rows], type=t) for name, t in result_types().items()})


def atomic_write(path: Path, data: bytes) -> None:
    """``data`` at ``path`` via a temporary file and a rename: never a half-written file at ``path``."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def write_chunk(
    inputs: Any, results: Any, fmt: str, *, delimiter: str = ",", header: bool = False,
    json_keys: Sequence[str] | None = None,
) -> bytes:  # fmt: skip
    """One chunk's output bytes: input columns (a pyarrow Table; JSONL objects in ``_cx_json``, spread over the
    columns ``json_keys`` in a columnar output) then results."""
    import pyarrow as pa

    if fmt in ("parquet", "arrow"):
        table = _joined(inputs, results, json_keys)
        sink = pa.BufferOutputStream()
        if fmt == "parquet":
            import pyarrow.parquet as pq

            pq.write_table(table, sink, compression="zstd")
        else:
            with pa.ipc.new_stream(sink, table.schema) as writer:
                writer.write_table(table)
        return bytes(sink.getvalue().to_pybytes())
    in_rows = _input_rows(inputs)
    out_rows = results.to_pylist()
    if fmt == "jsonl":
        lines = [
            json.dumps({**a, **b}, ensure_ascii=False, default=_json_default)
            for a, b in zip(in_rows, out_rows, strict=True)
        ]
        return "".join(line + "\n" for line in lines).encode("utf-8")
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    keys = list(json_keys) if json_keys is not None else _input_names(inputs)
    if header:
        writer.writerow(keys + list(results.column_names))
    for a, b in zip(in_rows, out_rows, strict=True):
        writer.writerow([_cell(a.get(k)) for k in keys] + [_cell(v) for v in b.values()])
    return buf.getvalue().encode("utf-8")


def _input_names(inputs: Any) -> list[str]:
    return [c for c in inputs.column_names if c != "_cx_json"]


def _input_rows(inputs: Any) -> list[dict[str, Any]]:
    if inputs.column_names == ["_cx_json"]:
        return [json.loads(s) for s in inputs.column("_cx_json").to_pylist()]
    rows: list[dict[str, Any]] = inputs.to_pylist()
    return rows


def _joined(inputs: Any, results: Any, json_keys: Sequence[str] | None) -> Any:
    import pyarrow as pa

    if inputs.column_names == ["_cx_json"]:  # JSONL into a columnar format: each input value as JSON text
        rows = _input_rows(inputs)
        keys = list(json_keys) if json_keys is not None else list(dict.fromkeys(k for r in rows for k in r))
        inputs = pa.table({k: pa.array([_json_text(r.get(k)) for r in rows], pa.string()) for k in keys})
    cols = {name: inputs.column(name) for name in inputs.column_names}
    cols.update({name: results.column(name) for name in results.column_names})
    return pa.table(cols)


def _json_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=_json_default)
