"""``score_dataset``: the Analyzer over a Hugging Face ``datasets.Dataset`` / ``IterableDataset``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import InputFormatError
from .job import analyzer_for_stages, score_values
from .readers import MAX_CELL_CHARS
from .writers import result_types

__all__ = ["score_dataset"]


def score_dataset(
    dataset: Any,
    *,
    text_column: str = "text",
    stages: str | Sequence[str] | None = None,
    batch_size: int = 1_000,
    analyzer: Any = None,
    max_cell_chars: int = MAX_CELL_CHARS,
    **analyzer_options: Any,
) -> Any:
    """``dataset`` with the ``cx_`` result columns added, through ``dataset.map(batched=True)``.

    Refuses to overwrite columns the dataset already has. Rows are scored exactly as
    :func:`~cxsentiment.batch.score_file` scores them (same Analyzer, same error rules), so the values match
    the CLI's on the same rows. An ``IterableDataset`` stays lazy: rows are scored as they are read.
    """
    names = getattr(dataset, "column_names", None)
    if names is not None:
        if text_column not in names:
            raise InputFormatError(f"no column {text_column!r} in the dataset; columns: {list(names)}")
        clash = sorted(set(names) & set(result_types()))
        if clash:
            raise InputFormatError(f"the dataset already has result columns {clash}; remove or rename them first")
    if analyzer is None:
        analyzer = analyzer_for_stages(stages, **analyzer_options)

    def score(batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = score_values(analyzer, batch[text_column], max_cell_chars).to_pydict()
        return out

    import datasets

    features = None
    if getattr(dataset, "features", None) is not None:
        import pyarrow as pa

        extra = datasets.Features.from_arrow_schema(pa.schema(list(result_types().items())))
        features = datasets.Features({**dataset.features, **extra})
    return dataset.map(score, batched=True, batch_size=batch_size, features=features)
