"""Where one process spends its time on a GPU, and how several processes share one GPU.

    python benchmarks/gpu_breakdown.py [--n 20000] [--processes 1,4,8,15] [--device cuda]

Same texts as ``sentiment_speed.py`` (20-40 words). Prints, for one process: tokenising, the sentiment backend
on every text at once, the model alone in batches of 16,384 and 65,536 tokens, language ID, the Analyzer with
language + sentiment, a batch chunk (``_score_chunk``) and writing it as Parquet, then a profile of each.
Then N spawned processes (1 torch thread each) call the backend on 5,000 texts at a time, 8 calls each,
started together: comments per second all together and per process.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import time
from typing import Any

from sentiment_speed import texts_of_typical_length


def _profile(fn: Any, lines: int) -> str:
    pr = cProfile.Profile()
    pr.enable()
    fn()
    pr.disable()
    out = io.StringIO()
    pstats.Stats(pr, stream=out).sort_stats("tottime").print_stats(lines)
    return out.getvalue()


def _sync(device: str) -> None:
    if device.startswith("cuda"):
        import torch

        torch.cuda.synchronize()


def one_process(n: int, device: str) -> None:
    import pyarrow as pa

    import cxsentiment as cx
    from cxsentiment.batch.job import _score_chunk
    from cxsentiment.batch.writers import write_chunk
    from cxsentiment.encoders._e5_torch import length_batches
    from cxsentiment.sentiment._finetuned import FinetunedBackend

    texts = texts_of_typical_length(n)
    backend = FinetunedBackend(device=device)
    backend.predict(texts[:2000])
    enc = backend.encoder
    model, tok = enc._load()
    t = time.perf_counter()
    ids = tok.encode(["query: " + x for x in texts])
    print(f"tokenise: {n / (time.perf_counter() - t):,.0f} texts/s")
    for _ in range(2):
        t = time.perf_counter()
        backend.predict(texts)
        print(f"backend.predict, all {n} at once: {n / (time.perf_counter() - t):,.0f} comments/s")
    rows = sorted(ids, key=len)
    for budget in (16384, 65536):
        batches = length_batches([len(r) + 2 for r in rows], budget, None)
        _sync(device)
        t = time.perf_counter()
        for s, e in batches:
            enc._forward(model, tok, rows[s:e])
        _sync(device)
        print(f"model alone, {budget} tokens a batch ({len(batches)} batches): {n / (time.perf_counter() - t):,.0f}/s")
    print(_profile(lambda: backend.predict(texts), 15)[-3500:])
    az = cx.Analyzer(topics=False, signals=False, batch_size=5000, device=device)
    az.analyze_batch(texts)  # lingua loads each language's models on first use
    t = time.perf_counter()
    az.detector.detect_batch(texts)
    print(f"language ID: {n / (time.perf_counter() - t):,.0f}/s")
    t = time.perf_counter()
    az.analyze_batch(texts)
    print(f"Analyzer language + sentiment: {n / (time.perf_counter() - t):,.0f}/s")
    k = min(n, 5000)
    t = time.perf_counter()
    table, _ = _score_chunk(az, texts[:k], [None] * k)
    print(f"batch chunk (_score_chunk): {k / (time.perf_counter() - t):,.0f} rows/s")
    inputs = pa.table({"id": list(range(k)), "text": texts[:k]})
    t = time.perf_counter()
    write_chunk(inputs, table, "parquet")
    print(f"writing the chunk as Parquet: {k / (time.perf_counter() - t):,.0f} rows/s")
    print(_profile(lambda: az.analyze_batch(texts[: n // 2]), 22)[-5000:])


def _one_thread() -> None:
    os.environ.update({"OMP_NUM_THREADS": "1", "RAYON_NUM_THREADS": "1"})


def _worker(args: tuple[int, str, Any]) -> tuple[float, int]:
    n, device, barrier = args
    import torch

    from cxsentiment.sentiment._finetuned import FinetunedBackend

    torch.set_num_threads(1)
    texts = texts_of_typical_length(n)
    backend = FinetunedBackend(device=device)
    backend.predict(texts[:2000])
    barrier.wait()
    t = time.perf_counter()
    done = 0
    for r in range(8):
        start = (r * 5000) % max(n - 5000, 1)
        done += len(backend.predict(texts[start : start + 5000])[0])
    return time.perf_counter() - t, done


def processes(counts: list[int], n: int, device: str) -> None:
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    print("| processes | comments/s, all together | comments/s each |\n|---|---|---|")
    for count in counts:
        with ctx.Manager() as manager:
            barrier = manager.Barrier(count)
            with ctx.Pool(count, initializer=_one_thread) as pool:
                out = pool.map(_worker, [(n, device, barrier)] * count)
        secs, rows = max(o[0] for o in out), sum(o[1] for o in out)
        print(f"| {count} | {rows / secs:,.0f} | {rows / count / secs:,.0f} |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--processes", default="1,4,8,15")
    ap.add_argument("--device", default="cuda")
    args = ap.parse_args()
    one_process(args.n, args.device)
    processes([int(x) for x in args.processes.split(",") if x], min(args.n, 20000), args.device)


if __name__ == "__main__":
    main()
