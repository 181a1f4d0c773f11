"""Batch scoring: streaming readers/writers, one row out per row in, errors recorded, resume after SIGKILL."""

import json
import os
import random
import signal
import subprocess
import sys
import time

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cxsentiment.batch import parse_stages, read_chunks, score_file
from cxsentiment.batch.hf import score_dataset
from cxsentiment.errors import ConfigError, InputFormatError

HOSTILE = [
    b"id;text;channel\n",
    b'1;"Great service, thanks";web\n',
    b'2;"multi\nline ""quoted"" comment";app\n',
    b"3;bad bytes \xff\xfe here;web\n",
    b"4;nul\x00byte;web\n",
    b"5;too;many;fields;here\n",
    b"6;short\n",
    b"7;;web\n",
    b"8;" + b"x" * 1_200_000 + b";web\n",
    "9;Пакет так и не пришёл;web\n".encode(),
]


@pytest.fixture
def hostile_csv(tmp_path):
    path = tmp_path / "hostile.csv"
    path.write_bytes(b"\xef\xbb\xbf" + b"".join(HOSTILE))  # with a BOM
    return path


def test_hostile_csv_loses_no_row_and_names_each_problem(hostile_csv, tmp_path):
    out = tmp_path / "out.parquet"
    summary = score_file(hostile_csv, out, chunk_size=4, stages="language", progress=False)
    df = pd.read_parquet(out)
    assert summary.rows_in == summary.rows_out == len(df) == 9
    assert list(df["id"]) == [str(i) for i in range(1, 10)]  # in order, BOM not in the first column's name
    assert df["text"].iloc[1] == 'multi\nline "quoted" comment'
    errors = dict(zip(df["id"], df["cx_error"], strict=True))
    assert df["cx_error"].isna().tolist() == [True, True, False, False, False, False, True, False, True]
    assert errors["3"] == "undecodable_bytes"
    assert errors["4"] == "nul_bytes"
    assert errors["5"].startswith("ragged_row") and df["channel"].iloc[4] == "many;fields;here"
    assert errors["6"].startswith("ragged_row") and df["channel"].iloc[5] == ""
    assert errors["8"].startswith("cell_too_large") and len(df["text"].iloc[7]) == 1_200_000  # kept untouched
    assert summary.errors_by_kind == {"ragged_row": 2, "undecodable_bytes": 1, "nul_bytes": 1, "cell_too_large": 1}
    assert df["cx_language"].iloc[8] == "ru"
    sidecar = json.loads((tmp_path / "out.parquet.summary.json").read_text())
    assert sidecar["rows_in"] == 9 and sidecar["rows_with_errors"] == 5
    assert not (tmp_path / "out.parquet.cx-job").exists()


def test_jsonl_with_a_bad_line_and_non_text_values(tmp_path):
    src = tmp_path / "in.jsonl"
    lines = [{"id": 1, "text": "Die Lieferung kam zu spät", "meta": {"stars": 2}}, "not json {", {"id": 3, "text": 42}]
    src.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    for suffix in (".jsonl", ".csv", ".parquet"):
        out = tmp_path / f"out{suffix}"
        s = score_file(src, out, stages="language", progress=False)
        assert s.rows_out == 3 and s.errors_by_kind == {"bad_json": 1, "not_text": 1}
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert rows[0]["meta"] == {"stars": 2} and rows[0]["cx_language"] == "de"  # JSON types kept
    assert rows[1]["_cx_raw"] == "not json {" and rows[2]["text"] == 42
    df = pd.read_parquet(tmp_path / "out.parquet")
    assert list(df.columns[:4]) == ["id", "text", "meta", "_cx_raw"] and df["meta"].iloc[0] == '{"stars": 2}'


@pytest.mark.parametrize("suffix", [".csv.gz", ".tsv.bz2", ".jsonl.xz", ".json.gz"])
def test_compressed_archives_are_read_as_they_stream(tmp_path, suffix):
    # an archive of comments is usually kept compressed; before, ".csv.gz" was "cannot tell the format"
    import bz2
    import gzip
    import lzma

    frame = pd.DataFrame(
        {"id": [1, 2, 3], "text": ["Die Lieferung kam zu spät", "Pakej belum sampai", "Thanks, a, lot"]}
    )
    kind = suffix.split(".")[1]
    raw = {
        "csv": frame.to_csv(index=False),
        "tsv": frame.to_csv(index=False, sep="\t"),
        "jsonl": frame.to_json(orient="records", lines=True),
        "json": frame.to_json(orient="records"),
    }[kind]
    pack = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}["." + suffix.split(".")[2]]
    src = tmp_path / f"in{suffix}"
    src.write_bytes(pack(raw.encode("utf-8")))
    s = score_file(src, tmp_path / "out.parquet", stages="language", progress=False, chunk_size=2)
    df = pd.read_parquet(tmp_path / "out.parquet")
    assert s.rows_in == 3 and s.errors_by_kind == {}
    assert df["text"].tolist() == frame["text"].tolist() and df["cx_language"].iloc[0] == "de"
    with pytest.raises(InputFormatError, match="compressed inside"):
        score_file(src, tmp_path / "out.parquet.gz", stages="language", progress=False)


def test_a_json_array_of_records_is_read_element_by_element(tmp_path):
    # DataFrame.to_json(orient="records") and many exports write one JSON array; before, the whole file was one
    # "bad_json" row and the CLI then failed on its own output
    from cxsentiment.batch.readers import _json_array_rows

    rows = [{"id": i, "text": f"Kommentar {i}: die Lieferung kam zu spät", "stars": i % 5} for i in range(7)]
    src = tmp_path / "in.json"
    src.write_text("\ufeff  " + json.dumps([*rows[:3], 42, *rows[3:]], ensure_ascii=False, indent=2), "utf-8")
    s = score_file(src, tmp_path / "out.jsonl", stages="language", progress=False, chunk_size=3)
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    assert s.rows_in == 8 and s.errors_by_kind == {"bad_json": 1}
    assert [r.get("id") for r in out] == [0, 1, 2, None, 3, 4, 5, 6] and out[4]["stars"] == 3
    assert out[3]["_cx_raw"] == "42" and out[0]["cx_language"] == "de"
    # an element cut across reads, an unclosed array, text after the array
    import io

    data = json.dumps(rows).encode()
    assert [o for o, _ in _json_array_rows(data[:5], io.BytesIO(data[5:]), block=7)] == rows
    cut = list(_json_array_rows(b"", io.BytesIO(data[:-30]), block=16))
    assert [o for o, e in cut if e is None] == rows[:-1] and cut[-1][1].startswith("bad_json")
    after = list(_json_array_rows(b"", io.BytesIO(data + b" [1]"), block=16))
    assert after[-1] == ({"_cx_raw": "[1]"}, "bad_json: text after the end of the JSON array")


def test_parquet_keeps_input_types_and_nests_topic_details(tmp_path):
    src = tmp_path / "in.parquet"
    table = pa.table({"n": pa.array([1, 2], pa.int32()), "text": ["The food was great but the waiter was rude.", ""]})
    pq.write_table(table, src)
    out = tmp_path / "out.parquet"
    score_file(src, out, progress=False)
    got = pq.read_table(out)
    assert got.schema.field("n").type == pa.int32()
    assert pa.types.is_list(got.schema.field("cx_topic_details").type)
    details = got.column("cx_topic_details").to_pylist()[0]
    assert {d["topic"] for d in details} >= {"product_quality", "staff_attitude"}
    csv_out = tmp_path / "out.csv"
    score_file(src, csv_out, progress=False)
    cell = pd.read_csv(csv_out)["cx_topic_details"].iloc[0]
    assert json.loads(cell)[0]["topic"] in {"product_quality", "staff_attitude"}  # JSON text in CSV


def test_an_unfinished_job_is_never_silently_replaced(hostile_csv, tmp_path):
    out = tmp_path / "o.csv"
    (tmp_path / "o.csv.cx-job").mkdir()
    with pytest.raises(InputFormatError, match="resume"):
        score_file(hostile_csv, out, stages="language", progress=False)
    with pytest.raises(ConfigError, match="unknown stages"):
        parse_stages("language,sentimnet")
    assert parse_stages(["signals"]) == ("language", "signals")


def _archive(tmp_path, sample, n=600):
    rows = pd.concat([sample] * (n // len(sample) + 1)).head(n).reset_index(drop=True)
    rows["row"] = range(len(rows))
    path = tmp_path / "archive.csv"
    rows.to_csv(path, index=False)
    return path


def test_killed_jobs_resume_to_identical_bytes(tmp_path, sample):
    src = _archive(tmp_path, sample)
    clean = tmp_path / "clean.parquet"
    score_file(src, clean, stages="language", chunk_size=50, progress=False)
    out = tmp_path / "killed.parquet"
    cmd = [sys.executable, "-m", "cxsentiment.cli", "score", str(src), str(out), "--stages", "language",
           "--chunk-size", "50", "--quiet", "--show", "0", "--resume"]  # fmt: skip
    rng = random.Random(7)
    kills = 0
    for _ in range(4):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(2.0, 6.0))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait()
        assert not out.exists() or proc.returncode == 0  # never a half-written output at its final path
        if out.exists():
            break
    if not out.exists():
        assert subprocess.run(cmd, capture_output=True).returncode == 0
    assert kills >= 1
    assert out.read_bytes() == clean.read_bytes()
    summary = json.loads((tmp_path / "killed.parquet.summary.json").read_text())
    assert summary["rows_out"] == 600


def test_datasets_path_matches_the_file_path(tmp_path, sample):
    datasets = pytest.importorskip("datasets")
    texts = sample["text"].fillna("").tolist()[:40]
    src = tmp_path / "s.parquet"
    pd.DataFrame({"text": texts}).to_parquet(src)
    out = tmp_path / "o.parquet"
    score_file(src, out, stages="language,sentiment", progress=False)
    ds = score_dataset(datasets.Dataset.from_dict({"text": texts}), stages="language,sentiment")
    want = pd.read_parquet(out)
    got = ds.to_pandas()
    for col in ("cx_language", "cx_sentiment", "cx_sentiment_score", "cx_error"):
        assert got[col].tolist() == want[col].tolist(), col
    with pytest.raises(InputFormatError, match="already has result columns"):
        score_dataset(ds, stages="language")


def test_chunks_are_bounded(tmp_path, sample):
    src = _archive(tmp_path, sample, n=250)
    sizes = [len(c) for c in read_chunks(src, chunk_size=100)]
    assert sizes == [100, 100, 50]


def test_worker_processes_give_the_same_bytes(tmp_path, hostile_csv):
    """Chunks scored in two spawned processes: byte-identical output and the same summary counts."""
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    s1 = score_file(hostile_csv, one, stages="language", chunk_size=3, progress=False)
    s2 = score_file(hostile_csv, two, stages="language", chunk_size=3, progress=False, workers=2)
    assert two.read_bytes() == one.read_bytes()
    assert (s2.rows_in, s2.rows_out, s2.errors_by_kind, s2.chunks) == (s1.rows_in, s1.rows_out, s1.errors_by_kind, 3)
    assert (s1.workers, s2.workers) == (1, 2)
    with pytest.raises(ConfigError, match="workers"):
        score_file(hostile_csv, tmp_path / "x.csv", workers=0, progress=False)
    with pytest.raises(ConfigError, match="auto"):
        score_file(hostile_csv, tmp_path / "x.csv", workers="all", progress=False)  # type: ignore[arg-type]


def test_auto_workers_counts_cores_chunks_and_memory(monkeypatch, tmp_path, hostile_csv):
    """workers="auto": one per usable core, capped by the file's chunks and by memory (each worker holds its
    own models; a CUDA copy needs more)."""
    from cxsentiment.batch import job

    monkeypatch.setattr("os.sched_getaffinity", lambda _: set(range(8)), raising=False)
    gib = 2**30
    pages = {"SC_PHYS_PAGES": 64 * gib // 4096, "SC_PAGE_SIZE": 4096}
    monkeypatch.setattr("os.sysconf", lambda name: pages[name])
    assert job.auto_workers("cpu") == 8
    assert job.auto_workers("cpu", chunks=3) == 3
    assert job.auto_workers("cpu", chunks=0) == 1
    pages["SC_PHYS_PAGES"] = 8 * gib // 4096  # 8 GiB: 80% holds two CPU workers (2.75 GiB) and one CUDA one
    assert job.auto_workers("cpu") == 2
    assert job.auto_workers("cuda") == 1
    pages["SC_PHYS_PAGES"] = 32 * gib // 4096  # 32 GiB and 8 cores: 9 CPU workers would fit, 8 cores run
    assert job.auto_workers("cpu") == 8
    pages["SC_PHYS_PAGES"] = 16 * gib // 4096  # 16 GiB: 4 CPU workers (12.8 / 2.75), not 8
    assert job.auto_workers("cpu") == 4
    monkeypatch.undo()
    # a 3-chunk file on this machine: min(cores, 3) processes, and the same bytes as one process
    one, auto = tmp_path / "one.csv", tmp_path / "auto.csv"
    score_file(hostile_csv, one, stages="language", chunk_size=3, progress=False)
    s = score_file(hostile_csv, auto, stages="language", chunk_size=3, progress=False, workers="auto")
    assert s.workers == job.auto_workers("cpu", chunks=3) and auto.read_bytes() == one.read_bytes()


def _blas_threads() -> list[int]:
    from threadpoolctl import threadpool_info

    return [p["num_threads"] for p in threadpool_info() if p["internal_api"] in ("openblas", "mkl")]


def test_workers_start_with_their_share_of_the_cores():
    """numpy is imported in a spawned worker before any initializer runs, so its BLAS thread pool takes its
    size from the environment the worker starts with: each of N workers gets cores // N threads, not all of
    them (15 workers x 16 BLAS threads was the full Analyzer's bottleneck on a 16-core GPU machine). The
    parent's environment is restored afterwards."""
    pytest.importorskip("threadpoolctl")
    from cxsentiment.batch import job
    from cxsentiment.batch.job import THREAD_ENV, _WorkerPool

    before = {k: os.environ.get(k) for k in THREAD_ENV}
    pool = _WorkerPool(2, {})
    try:
        counts = pool.pool.submit(_blas_threads).result()
    finally:
        pool.close()
    assert counts and all(n == max(1, job._usable_cores() // 2) for n in counts), counts
    assert {k: os.environ.get(k) for k in THREAD_ENV} == before
