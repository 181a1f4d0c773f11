"""Batch scoring benchmark: rows/s and peak RSS of `cxsentiment score` on generated archives.

    python benchmarks/batch.py [--sizes 10000,100000] [--stages language] [--formats csv,parquet] [--workers 1,2]
                               [--ray] [--device cuda] [--dtype int8] [--typical] [--chunk-size 5000]

On a GPU machine, ``--stages language,sentiment --workers 1,4,8 --device cuda`` measures the multi-process
path to the GPU: each spawned worker holds its own CUDA copy of the model and does its own language ID and
tokenisation, the CPU work that caps one process.

Archives are built from the bundled sample (rows repeated, with a realistic length spread: each row is the
sample text, or two or three sample texts joined, chosen by a seeded generator). ``--typical`` builds them
from comments of typical length instead (20-40 words, 120-250 characters, each in one language: the texts of
``sentiment_speed.py``), the length the issue's end-to-end GPU target names. Each run is a fresh process
(`python -m cxsentiment.cli score ...`); peak RSS is the largest maximum resident set size of that process
and its worker processes (each worker holds its own models: with N workers the job uses about N times it).
``--ray`` adds a run through ``--ray local`` (a Ray instance started by the job, one actor per core less
one); its peak RSS only covers the processes the job waited for, so it is not comparable and not shown.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

import pandas as pd


def make_archive(n: int, path: Path, seed: int = 0, typical: bool = False) -> None:
    if typical:
        from sentiment_speed import texts_of_typical_length  # benchmarks/ is on sys.path when run as a script

        rng = random.Random(seed)
        pool = texts_of_typical_length(min(n, 20_000), seed=seed + 7)
        texts = [pool[i] if i < len(pool) else rng.choice(pool) for i in range(n)]
        ids = range(n)
        df = pd.DataFrame({"id": ids, "channel": [rng.choice(("web", "app", "email", "chat")) for _ in ids],
                           "text": texts})  # fmt: skip
    else:
        sample = pd.read_csv(Path(str(resources.files("cxsentiment.data").joinpath("sample_comments.csv"))), dtype=str)
        texts = [t for t in sample["text"].fillna("") if len(t) < 5000]
        rng = random.Random(seed)
        rows = []
        for i in range(n):
            k = rng.choices((1, 2, 3), weights=(70, 20, 10))[0]
            rows.append({"id": i, "channel": rng.choice(("web", "app", "email", "chat")),
                         "text": " ".join(rng.choice(texts) for _ in range(k))})  # fmt: skip
        df = pd.DataFrame(rows)
    if path.suffix == ".parquet":
        df.to_parquet(path)
    else:
        df.to_csv(path, index=False)


def run(
    src: Path, out: Path, stages: str | None, workers: int = 1, ray: bool = False, options: tuple[str, ...] = ()
) -> tuple[float, float, float]:
    """``(seconds of the whole process, peak RSS MiB, the job's own rows/s)``; the job's rate (from its summary
    file) leaves out interpreter start-up and imports, not the workers' start-up or the model loading."""
    cmd = [sys.executable, "-m", "cxsentiment.cli", "score", str(src), str(out), "--quiet", "--show", "0",
           "--overwrite", *options] + (["--stages", stages] if stages else [])  # fmt: skip
    cmd += ["--ray", "local"] if ray else ["--workers", str(workers)]
    # a fresh parent per run, so that its children's peak RSS is this run's alone
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL);"
             " print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")  # fmt: skip
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", probe, *cmd], check=True, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    summary = out.with_name(out.name + ".summary.json")
    job_rate = json.loads(summary.read_text("utf-8"))["rows_per_second"] if summary.exists() else float("nan")
    return secs, int(done.stdout.split()[-1]) / 1024, job_rate  # MiB (ru_maxrss is KiB on Linux)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--stages", default="language")
    ap.add_argument("--formats", default="csv,parquet")
    ap.add_argument("--workers", default="1", help="worker counts to compare, e.g. 1,2")
    ap.add_argument("--ray", action="store_true", help="also run each archive through --ray local")
    ap.add_argument("--device", default=None, help="passed to cxsentiment score (auto, cpu, cuda)")
    ap.add_argument("--dtype", default=None, help="passed to cxsentiment score (auto, float32, bfloat16, int8)")
    ap.add_argument("--typical", action="store_true", help="rows of typical length (20-40 words, one language)")
    ap.add_argument("--chunk-size", type=int, default=None, help="passed to cxsentiment score")
    ap.add_argument("--no-spans", action="store_true", help="passed to cxsentiment score (no per-sentence spans)")
    args = ap.parse_args()
    stages = None if args.stages == "all" else args.stages
    options = tuple(
        x
        for k in ("device", "dtype", "chunk_size")
        if getattr(args, k)
        for x in (f"--{k.replace('_', '-')}", str(getattr(args, k)))
    ) + (("--no-spans",) if args.no_spans else ())
    print("| format | rows | stages | workers | seconds (incl. start-up) | rows/s | job's rows/s "
          "| peak RSS MiB (largest process) |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats.split(","):
            for n in (int(x) for x in args.sizes.split(",")):
                src = Path(tmp) / f"a{n}.{fmt}"
                make_archive(n, src, typical=args.typical)
                for w in (int(x) for x in args.workers.split(",")):
                    secs, rss, job = run(src, Path(tmp) / f"o{n}.{fmt}", stages, w, options=options)
                    row = (
                        f"| {fmt} | {n:,} | {args.stages} | {w} | {secs:.1f} | {n / secs:.0f} | {job:.0f} | {rss:.0f} |"
                    )
                    print(row, flush=True)
                if args.ray:
                    secs, _, job = run(src, Path(tmp) / f"ray{n}", stages, ray=True, options=options)
                    row = f"| {fmt} | {n:,} | {args.stages} | Ray local | {secs:.1f} | {n / secs:.0f} | {job:.0f} | – |"
                    print(row, flush=True)


if __name__ == "__main__":
    main()
