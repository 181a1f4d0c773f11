"""Streaming readers: an archive in, chunks of rows out, in order, in constant memory.

Every reader yields :class:`Chunk` objects: the input columns untouched (a ``pyarrow.Table``), the text of
each row to score (``None`` where there is none to score) and a read error per row (``None`` when the row
read cleanly). No row is ever dropped: a row that cannot be read properly is still a row, with its error.

* CSV / TSV: any delimiter (sniffed from the first 64 KiB unless given), any encoding (UTF-8 by default; a
  BOM is honoured), quoted newlines; undecodable bytes become U+FFFD (``undecodable_bytes``); NUL bytes are
  removed (``nul_bytes``); rows with too few fields are padded and rows with too many keep the extras joined
  into the last column (``ragged_row``). Every column is read as text.
* JSONL: one JSON object per line; a line that is not a JSON object is kept as one row with its raw text in
  the text column left empty (``bad_json``). Values keep their JSON types. A ``.json`` file may also be one
  JSON array of objects (what ``DataFrame.to_json(orient="records")`` and many exports write): it is read
  element by element, in constant memory, each element a row.
* Parquet (row-group streaming) and Arrow IPC (file or stream), types as stored.
* CSV, TSV, JSONL and JSON compressed as a whole (``comments.csv.gz``, ``.bz2``, ``.xz``) are read through the
  decompressor, as they stream; Parquet and Arrow files are compressed inside.

A text cell longer than ``max_cell_chars`` is not scored (``cell_too_large``); a value that is not a string
(a number, a list) is not scored (``not_text``). Both keep the input value in the output.
"""

from __future__ import annotations

import bz2
import codecs
import csv
import gzip
import io
import itertools
import json
import lzma
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputFormatError

__all__ = [
    "COMPRESSIONS",
    "FORMATS",
    "Chunk",
    "detect_format",
    "format_suffix",
    "ipc_batches",
    "jsonl_keys",
    "open_binary",
    "read_chunks",
    "starts_json_array",
]

FORMATS = {
    ".csv": "csv", ".tsv": "csv", ".txt": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".parquet": "parquet", ".pq": "parquet", ".arrow": "arrow", ".feather": "arrow", ".ipc": "arrow",
}  # fmt: skip
COMPRESSIONS: dict[str, Callable[..., Any]] = {
    ".gz": gzip.open,
    ".bz2": bz2.open,
    ".xz": lzma.open,
}  # a whole text file, compressed
MAX_CELL_CHARS = 1_000_000


@dataclass
class Chunk:
    """One chunk of input rows: ``table`` (input columns as read), ``texts`` and per-row ``errors``."""

    index: int  # 0, 1, 2 ... in input order
    start: int  # the first row's number in the input (0-based)
    table: Any  # pyarrow.Table
    texts: list[str | None]
    errors: list[str | None]

    def __len__(self) -> int:
        return len(self.texts)


def format_suffix(path: str | Path) -> str:
    """The suffix that names the format, under a compression suffix: ``.tsv`` for ``a.tsv`` and ``a.tsv.gz``."""
    p = Path(path)
    return (Path(p.stem) if p.suffix.lower() in COMPRESSIONS else p).suffix.lower()


def starts_json_array(head: bytes) -> bool:
    """Whether the first bytes of a JSON file open an array (after a byte-order mark and whitespace)."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"[")


def detect_format(path: str | Path, *, compressed: bool = True) -> str:
    """``csv``, ``jsonl``, ``parquet`` or ``arrow``, from the file name (``.csv.gz`` is CSV, read through gzip).
    ``compressed=False``: refuse a compression suffix (the writers do not compress a whole file)."""
    p = Path(path)
    packed = p.suffix.lower() if p.suffix.lower() in COMPRESSIONS else ""
    fmt = FORMATS.get(format_suffix(p))
    if fmt is None:
        raise InputFormatError(
            f"cannot tell the format of {path}; use one of {', '.join(sorted(FORMATS))}"
            + (f", compressed as {', '.join(sorted(COMPRESSIONS))} (CSV, TSV, JSONL, JSON)" if compressed else "")
        )
    if packed and (not compressed or fmt in ("parquet", "arrow")):
        why = "Parquet and Arrow files are compressed inside" if fmt in ("parquet", "arrow") else (
            "whole-file compression is read, not written")  # fmt: skip
        raise InputFormatError(f"{path}: {why}; name the file without {packed} (a .parquet output is compressed)")
    return fmt


def open_binary(path: Path) -> Any:
    """The file's bytes, decompressed when its name ends in a compression suffix."""
    opener = COMPRESSIONS.get(path.suffix.lower())
    return opener(path, "rb") if opener is not None else open(path, "rb")


def _text_of(value: Any, max_chars: int) -> tuple[str | None, str | None]:
    if isinstance(value, str):
        if len(value) > max_chars:
            return None, f"cell_too_large: {len(value):,} characters (limit {max_chars:,})"
        return value, None
    if value is None:
        return None, "not_text: missing value"
    return None, f"not_text: {type(value).__name__}"


def _texts(
    values: Iterable[Any], errors: Iterable[str | None], max_chars: int
) -> tuple[list[str | None], list[str | None]]:
    """The text to score of each value, and each row's error: the read error, else why the value is no text."""
    texts: list[str | None] = []
    errs: list[str | None] = []
    for value, err in zip(values, errors, strict=True):
        text, why = _text_of(value, max_chars)
        texts.append(text)
        errs.append(err if err is not None else why)
    return texts, errs


def _batched(
    rows: Iterable[tuple[Any, str | None]], size: int
) -> Iterator[tuple[int, int, list[Any], list[str | None]]]:
    """``(index, start, rows, errors)`` for consecutive runs of ``size`` ``(row, error)`` pairs; at least one."""
    batch: list[Any] = []
    errors: list[str | None] = []
    index = start = 0
    for row, err in rows:
        batch.append(row)
        errors.append(err)
        if len(batch) >= size:
            yield index, start, batch, errors
            index, start, batch, errors = index + 1, start + len(batch), [], []
    if batch or index == 0:
        yield index, start, batch, errors


# --- CSV -------------------------------------------------------------------------------------------------------
class _Decoded:
    """Text from a binary file; undecodable bytes -> U+FFFD, NUL removed; remembers what it fixed per line."""

    def __init__(self, raw: Any, encoding: str) -> None:
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self._buffer = ""
        self.issues: list[str] = []  # issues found in the text handed out since the last reset

    def readline(self) -> str:
        while "\n" not in self._buffer:
            block = self._raw.read(1 << 16)
            if not block:
                self._buffer += self._decoder.decode(b"", final=True)
                break
            self._buffer += self._decoder.decode(block)
        cut = self._buffer.find("\n")
        line, self._buffer = (self._buffer, "") if cut < 0 else (self._buffer[: cut + 1], self._buffer[cut + 1 :])
        if "\ufffd" in line:
            self.issues.append("undecodable_bytes")
        if "\x00" in line:
            self.issues.append("nul_bytes")
            line = line.replace("\x00", "")
        return line

    def __iter__(self) -> Iterator[str]:
        while line := self.readline():
            yield line

    def __next__(self) -> str:
        line = self.readline()
        if not line:
            raise StopIteration
        return line


def _sniff(path: Path, encoding: str) -> str:
    if format_suffix(path) == ".tsv":
        return "\t"
    with open_binary(path) as fh:
        head = fh.read(1 << 16).decode(encoding, errors="replace")
    try:
        return csv.Sniffer().sniff("\n".join(head.split("\n")[:50]), ",;\t|").delimiter
    except csv.Error:
        return ","


def _csv_chunks(
    path: Path, text_column: str, chunk_size: int, delimiter: str | None, encoding: str, max_chars: int
) -> Iterator[Chunk]:
    import pyarrow as pa

    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    enc = encoding.lower().replace("_", "-")
    if enc in ("utf-8", "utf8"):
        enc = "utf-8-sig"  # a BOM, when there is one, is not part of the first column's name
    delim = delimiter or _sniff(path, enc)
    with open_binary(path) as raw:
        stream = _Decoded(raw, enc)
        reader = csv.reader(stream, delimiter=delim)
        try:
            header = next(reader)
        except StopIteration:
            raise InputFormatError(f"{path} is empty: a CSV archive needs a header row") from None
        stream.issues.clear()
        columns = [h.strip() or f"column_{i}" for i, h in enumerate(header)]
        if text_column not in columns:
            raise InputFormatError(f"no column {text_column!r} in {path}; columns: {columns}")
        text_col = columns.index(text_column)

        def rows() -> Iterator[tuple[list[str], str | None]]:
            for fields in reader:
                issues = list(dict.fromkeys(stream.issues))
                stream.issues.clear()
                if len(fields) != len(columns):
                    issues.append(f"ragged_row: {len(fields)} fields, expected {len(columns)}")
                    if len(fields) < len(columns):
                        fields = fields + [""] * (len(columns) - len(fields))
                    else:
                        fields = [*fields[: len(columns) - 1], delim.join(fields[len(columns) - 1 :])]
                yield fields, "; ".join(issues) if issues else None

        for index, start, batch, errors in _batched(rows(), chunk_size):
            texts, errs = _texts((r[text_col] for r in batch), errors, max_chars)
            table = pa.table({c: pa.array([r[i] for r in batch], type=pa.string()) for i, c in enumerate(columns)})
            yield Chunk(index, start, table, texts, errs)


# --- JSONL -----------------------------------------------------------------------------------------------------
def _jsonl_rows(path: Path) -> Iterator[tuple[dict[str, Any], str | None]]:
    """Each non-blank line as ``(object, error)``; a line that is not a JSON object is ``{"_cx_raw": line}``.
    A ``.json`` file that opens with ``[`` is one JSON array: each element is a row."""
    with open_binary(path) as fh:
        head = fh.readline()
        while not head.strip() and (more := fh.readline()):
            head += more
        if format_suffix(path) == ".json" and starts_json_array(head):
            yield from _json_array_rows(head, fh)
            return
        for raw in itertools.chain(io.BytesIO(head), fh):
            line = raw.decode("utf-8", errors="replace")
            if not line.strip():
                continue
            err = "undecodable_bytes" if "\ufffd" in line and "\ufffd".encode() not in raw else None
            try:
                obj = json.loads(line)
                if not isinstance(obj, dict):
                    raise ValueError("not an object")
            except ValueError:
                obj, err = {"_cx_raw": line.rstrip("\r\n")}, "bad_json: the line is not a JSON object"
            yield obj, err


def _json_array_rows(head: bytes, fh: Any, block: int = 1 << 20) -> Iterator[tuple[dict[str, Any], str | None]]:
    """The elements of one JSON array, decoded one at a time from a growing buffer (constant memory)."""
    decoder = json.JSONDecoder()
    dec = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    buf, pos, eof = dec.decode(head), 0, False

    def refill() -> bool:
        nonlocal buf, pos, eof
        if eof:
            return False
        data = fh.read(block)
        buf = buf[pos:] + dec.decode(data, final=not data)
        pos, eof = 0, not data
        return True

    while "[" not in buf[pos:]:  # the caller saw "[" first; whitespace may come before it
        pos = len(buf)
        if not refill():
            return
    pos = buf.index("[", pos) + 1

    while True:
        while pos < len(buf) and buf[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(buf):
            if refill():
                continue
            yield {"_cx_raw": ""}, "bad_json: the JSON array is not closed"
            return
        if buf[pos] == "]":
            pos += 1
            while (rest := buf[pos:].strip()) == "" and refill():
                pass
            if rest:
                yield {"_cx_raw": rest[:200]}, "bad_json: text after the end of the JSON array"
            return
        try:
            obj, end = decoder.raw_decode(buf, pos)
        except json.JSONDecodeError:
            if refill():  # the element may continue in the next block
                continue
            yield {"_cx_raw": buf[pos : pos + 200]}, "bad_json: the rest of the JSON array cannot be read"
            return
        if end >= len(buf) and not eof and isinstance(obj, (int, float)):
            refill()  # a number cut at the block's end: read it whole
            continue
        text = buf[pos:end]
        pos = end
        if isinstance(obj, dict):
            yield obj, "undecodable_bytes" if "\ufffd" in text else None
        else:
            yield {"_cx_raw": text}, "bad_json: the array element is not a JSON object"


def jsonl_keys(path: str | Path) -> list[str]:
    """Every top-level key of a JSONL file's objects, in order of first appearance (a pass over the file)."""
    keys: dict[str, None] = {}
    for obj, _ in _jsonl_rows(Path(path)):
        keys.update(dict.fromkeys(obj))
    return list(keys)


def _jsonl_chunks(path: Path, text_column: str, chunk_size: int, max_chars: int) -> Iterator[Chunk]:
    import pyarrow as pa

    for index, start, objs, errors in _batched(_jsonl_rows(path), chunk_size):
        texts, errs = _texts((o.get(text_column) for o in objs), errors, max_chars)
        # one column holding each input object as JSON: lines need not share keys or types
        table = pa.table({"_cx_json": pa.array([json.dumps(o, ensure_ascii=False) for o in objs], pa.string())})
        yield Chunk(index, start, table, texts, errs)


# --- Parquet / Arrow -------------------------------------------------------------------------------------------
def _arrow_chunks(
    batches: Iterator[Any], text_column: str, chunk_size: int, max_chars: int, path: Path
) -> Iterator[Chunk]:
    import pyarrow as pa

    pending: list[Any] = []
    n_pending = 0
    index = start = 0

    def emit(table: Any) -> Chunk:
        if text_column not in table.column_names:
            raise InputFormatError(f"no column {text_column!r} in {path}; columns: {table.column_names}")
        texts, errs = _texts(table.column(text_column).to_pylist(), [None] * table.num_rows, max_chars)
        return Chunk(index, start, table, texts, errs)

    schema = None
    for batch in batches:
        schema = batch.schema
        pending.append(batch)
        n_pending += batch.num_rows
        while n_pending >= chunk_size:
            table = pa.Table.from_batches(pending).combine_chunks()
            yield emit(table.slice(0, chunk_size))
            rest = table.slice(chunk_size)
            pending, n_pending = rest.to_batches(), rest.num_rows
            index, start = index + 1, start + chunk_size
    if n_pending or index == 0:
        table = pa.Table.from_batches(pending, schema=schema) if schema is not None else pa.table({text_column: []})
        yield emit(table)


def read_chunks(
    path: str | Path,
    *,
    text_column: str = "text",
    chunk_size: int = 10_000,
    fmt: str | None = None,
    delimiter: str | None = None,
    encoding: str = "utf-8",
    max_cell_chars: int = MAX_CELL_CHARS,
) -> Iterator[Chunk]:
    """Chunks of ``chunk_size`` rows from ``path`` (CSV/TSV, JSONL, Parquet, Arrow), in input order."""
    p = Path(path)
    if not p.exists():
        raise InputFormatError(f"input file {p} does not exist")
    fmt = fmt or detect_format(p)
    if fmt == "csv":
        return _csv_chunks(p, text_column, chunk_size, delimiter, encoding, max_cell_chars)
    if fmt == "jsonl":
        return _jsonl_chunks(p, text_column, chunk_size, max_cell_chars)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        batches = pq.ParquetFile(p).iter_batches(batch_size=min(chunk_size, 65_536))
        return _arrow_chunks(iter(batches), text_column, chunk_size, max_cell_chars, p)
    if fmt == "arrow":
        return _arrow_chunks(ipc_batches(p), text_column, chunk_size, max_cell_chars, p)
    raise InputFormatError(f"unknown input format {fmt!r}; use csv, jsonl, parquet or arrow")


def ipc_batches(path: Path) -> Iterator[Any]:
    import pyarrow as pa

    with pa.memory_map(str(path)) as source:
        try:
            reader = pa.ipc.open_file(source)
            for i in range(reader.num_record_batches):
                yield reader.get_batch(i)
        except pa.ArrowInvalid:
            source.seek(0)
            yield from pa.ipc.open_stream(source)
