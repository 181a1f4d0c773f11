"""Scoring on a Ray cluster: :func:`score` maps the Analyzer over a ``ray.data.Dataset`` in an actor pool.

Each actor loads the Analyzer once and scores Arrow batches with the same rules as
:func:`~cxsentiment.batch.score_file` (:func:`~cxsentiment.batch.job.score_values`), so the values match
the CLI's on the same rows. On a cluster with GPUs, each actor takes one GPU (the Analyzer then runs its
encoder there); otherwise each takes ``num_cpus`` cores and that many model threads.

Ray Data does not keep row order unless asked
(``ray.data.DataContext.get_current().execution_options.preserve_order = True``); every input column is
kept, so join or sort on your id column. Needs ``pip install "cxsentiment[ray]"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import InputFormatError, MissingDependencyError
from .job import STAGES, analyzer_for_stages, parse_stages, score_values
from .readers import MAX_CELL_CHARS, format_suffix
from .writers import result_types

__all__ = ["score", "score_path"]


class _Scorer:
    """One actor of the pool: loads the Analyzer once, then scores batch after batch."""

    def __init__(self, text_column: str, stages: tuple[str, ...], max_cell_chars: int, options: dict[str, Any]):
        self.text_column = text_column
        self.max_cell_chars = max_cell_chars
        self.analyzer = analyzer_for_stages(stages, **options)

    def __call__(self, batch: Any) -> Any:
        result = score_values(self.analyzer, batch.column(self.text_column).to_pylist(), self.max_cell_chars)
        for name in result.column_names:
            batch = batch.append_column(name, result.column(name))
        return batch


def _ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise MissingDependencyError('Ray scoring needs Ray Data: pip install "cxsentiment[ray]"') from exc
    return ray


def score(
    dataset: Any,
    *,
    text_column: str = "text",
    stages: str | Sequence[str] | None = None,
    batch_size: int = 1_000,
    concurrency: int | None = None,
    num_cpus: float | None = None,
    num_gpus: float | None = None,
    max_cell_chars: int = MAX_CELL_CHARS,
    **analyzer_options: Any,
) -> Any:
    """``dataset`` (a ``ray.data.Dataset``) with the ``cx_`` result columns added; lazy, like any Ray Data
    transform (write it with ``write_parquet`` or iterate it).

    ``concurrency`` is the number of actors (default: one per GPU when the cluster has GPUs and a model
    stage runs, else one per ``num_cpus`` cores of the cluster, less one core left to Ray Data's read and
    write tasks: an actor pool holding every core starves them and the job waits forever). ``num_cpus``
    (default 1; 2 on GPU actors) is also the actor's model thread count. ``analyzer_options`` go to the
    Analyzer (``languages``, ``sentiment``, ``taxonomy``...). Refuses a dataset that already has ``cx_`` result columns.
    """
    ray = _ray()
    chosen = parse_stages(stages)
    names = list(dataset.schema().names)
    if text_column not in names:
        raise InputFormatError(f"no column {text_column!r} in the dataset; columns: {names}")
    clash = sorted(set(names) & set(result_types()))
    if clash:
        raise InputFormatError(f"the dataset already has result columns {clash}; remove or rename them first")
    resources = ray.cluster_resources()
    models = chosen != STAGES[:1]  # the language stage alone loads no neural model
    if num_gpus is None:
        num_gpus = 1.0 if models and resources.get("GPU", 0) >= 1 else 0.0
    if num_cpus is None:
        num_cpus = 2.0 if num_gpus else 1.0
    if concurrency is None:  # on CPUs, one core stays free for the read and write tasks (else they starve)
        cpus = resources.get("CPU", 1)
        pool = resources.get("GPU", 0) // num_gpus if num_gpus else (cpus - 1) // num_cpus
        concurrency = max(1, int(pool))
    analyzer_options.setdefault("threads", max(1, int(num_cpus)))
    return dataset.map_batches(
        _Scorer,
        fn_constructor_kwargs={
            "text_column": text_column,
            "stages": chosen,
            "max_cell_chars": max_cell_chars,
            "options": analyzer_options,
        },
        batch_format="pyarrow",
        batch_size=batch_size,
        compute=ray.data.ActorPoolStrategy(size=concurrency),
        num_cpus=num_cpus,
        num_gpus=num_gpus or None,
    )


def score_path(
    input: str,
    output: str,
    *,
    text_column: str = "text",
    address: str | None = None,
    **options: Any,
) -> int:
    """Read ``input`` (a Parquet/CSV/JSONL/JSON file or folder, CSV and JSON also as ``.gz``/``.bz2``/``.xz``,
    local or any filesystem Ray reads), score it on
    the Ray cluster at ``address`` (``None``: a running one if found, else a local one; ``"auto"``: must
    exist) and write a folder of Parquet files at ``output``. Returns the number of rows written."""
    ray = _ray()
    if not ray.is_initialized():
        ray.init(address=address, log_to_driver=False, configure_logging=False)
    suffix = format_suffix(input.rstrip("/"))  # Ray reads CSV and JSON compressed whole, as the local job does
    if suffix in (".csv", ".tsv"):
        ds = ray.data.read_csv(input, parse_options=_csv_options(suffix))
    elif suffix in (".jsonl", ".json"):
        ds = ray.data.read_json(input)
    else:
        ds = ray.data.read_parquet(input)
    scored = score(ds, text_column=text_column, **options)
    scored.write_parquet(output)
    return int(ray.data.read_parquet(output).count())


def _csv_options(path: str) -> Any:
    import pyarrow.csv as pacsv

    return pacsv.ParseOptions(delimiter="\t" if path.endswith(".tsv") else ",", newlines_in_values=True)
