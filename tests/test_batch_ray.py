"""Ray Data: the Analyzer in an actor pool on a local Ray instance started here; same values as score_file."""

from __future__ import annotations

import os

import pytest

ray = pytest.importorskip("ray")


@pytest.fixture(scope="module")
def local_ray():
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, _node_ip_address="127.0.0.1",
             configure_logging=False)  # fmt: skip
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def rows(sample):
    part = sample.iloc[::5].reset_index(drop=True)  # every language and some hostile rows
    return part


def _text(column):
    import numpy as np
    import pandas as pd

    out = []
    for v in column.astype(object):
        if isinstance(v, (list, tuple, np.ndarray)):
            out.append(repr([dict(x) if isinstance(x, dict) else x for x in v]))
        else:
            out.append("" if v is None or pd.isna(v) else str(v))
    return out


def _cx(frame):
    return frame.sort_values("comment_id").reset_index(drop=True)


@pytest.mark.slow
def test_ray_scores_like_score_file(local_ray, rows, tmp_path):
    import numpy as np
    import pandas as pd

    from cxsentiment.batch import score_file
    from cxsentiment.batch.ray import score

    src = tmp_path / "in.parquet"
    rows.to_parquet(src)
    score_file(src, tmp_path / "cli.parquet", stages="language,sentiment", chunk_size=25, progress=False)
    expected = _cx(pd.read_parquet(tmp_path / "cli.parquet"))
    got = _cx(score(ray.data.from_pandas(rows), stages="language,sentiment", batch_size=16, concurrency=2).to_pandas())
    assert len(got) == len(rows) and list(got.columns) == list(expected.columns)
    for col in expected.columns:
        a, b = expected[col], got[col]
        if a.dtype.kind == "f":
            assert np.allclose(a.to_numpy(float), b.to_numpy(float), atol=1e-4, equal_nan=True), col
        else:
            assert _text(a) == _text(b), col


def test_ray_refuses_clashing_columns_and_a_missing_text_column(local_ray, rows):
    from cxsentiment.batch.ray import score
    from cxsentiment.errors import InputFormatError

    ds = ray.data.from_pandas(rows.assign(cx_language="x"))
    with pytest.raises(InputFormatError, match="already has result columns"):
        score(ds)
    with pytest.raises(InputFormatError, match="no column 'comment'"):
        score(ray.data.from_pandas(rows), text_column="comment")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["in.csv", "in.csv.gz"])  # .csv.gz went to the Parquet reader before
def test_cli_ray_flag_writes_a_parquet_folder(local_ray, rows, tmp_path, capsys, name):
    import pandas as pd

    from cxsentiment.cli import main

    src = tmp_path / name
    rows.to_csv(src, index=False)  # pandas compresses by the name's suffix
    assert main(["score", str(src), str(tmp_path / "out"), "--stages", "language", "--ray", "local"]) == 0
    out = pd.read_parquet(tmp_path / "out")
    assert len(out) == len(rows) and out["cx_language"].notna().sum() > 50
    assert out["cx_sentiment"].isna().all()  # the language stage only: no model ran
    assert f"wrote {len(rows)} rows" in capsys.readouterr().out
