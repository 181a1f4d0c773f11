"""The CUDA paths, on a machine with a CUDA GPU (skipped elsewhere, so CI skips them: it has none).

The CPU suite covers the same code through the CPU device (batching, out-of-memory splits simulated, bf16 by
name); these check what only a GPU shows: bfloat16 on the device gives the CPU's answers, a real out-of-memory
error is recovered from, and spawned CUDA workers write the same file as one process.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

torch = pytest.importorskip("torch")
if not torch.cuda.is_available():
    pytest.skip("no CUDA GPU on this machine", allow_module_level=True)

import cxsentiment as cx  # noqa: E402


@pytest.fixture(scope="module")
def texts() -> list[str]:
    df = pd.read_csv(Path(str(resources.files("cxsentiment.data").joinpath("sample_comments.csv"))), dtype=str)
    return [t for t in df["text"].fillna("") if 10 <= len(t) <= 2000]


def test_the_gpu_gives_the_cpus_answers(texts: list[str]) -> None:
    """bfloat16 on the GPU vs float32 on the CPU: the same labels on nearly every comment, close probabilities,
    and the auto encoder (the frozen e5 in torch) on the GPU with vectors that still serve the heads."""
    gpu = cx.Analyzer(device="cuda")
    cpu = cx.Analyzer(device="cpu")
    g, c = gpu.analyze_batch(texts), cpu.analyze_batch(texts)
    assert gpu.encoder.name == "e5-small-torch.v1" and gpu.encoder._device.startswith("cuda")  # type: ignore[attr-defined]
    pg = np.array([r.sentiment.probabilities for r in g if r.sentiment is not None])
    pc = np.array([r.sentiment.probabilities for r in c if r.sentiment is not None])
    assert pg.shape == pc.shape and len(pg) > 250
    assert np.mean(pg.argmax(1) == pc.argmax(1)) >= 0.97
    # the sample's Malay comments went through the Malay variant, built on the GPU too
    variant = gpu.scorer.backend.variants["ms"].encoder  # type: ignore[union-attr]
    assert variant._device.startswith("cuda")
    assert np.abs(pg - pc).max() < 0.2 and np.abs(pg - pc).mean() < 0.02
    vg, vc = gpu.encoder.encode(texts[:200]), cpu.encoder.encode(texts[:200])
    assert (vg * vc).sum(axis=1).min() > 0.99
    flags_g = np.array([r.signals.complaint.flag for r in g if r.signals is not None])
    flags_c = np.array([r.signals.complaint.flag for r in c if r.signals is not None])
    assert len(flags_g) == len(flags_c) and np.mean(flags_g == flags_c) >= 0.95


def test_a_real_out_of_memory_error_splits_the_batch(texts: list[str]) -> None:
    """One forward pass of about 1.2 million tokens under a 1.5 GB cap runs out of memory; the encoder splits
    it and every text is still encoded, with the vectors of an uncapped run."""
    from cxsentiment.encoders._e5_torch import TorchE5Encoder

    many = (texts * 20)[:6000]
    ref = TorchE5Encoder(device="cuda").encode(many)
    enc = TorchE5Encoder(device="cuda", batch_tokens=4_000_000)
    total = torch.cuda.get_device_properties(0).total_memory
    torch.cuda.empty_cache()
    torch.cuda.set_per_process_memory_fraction(min(1.0, 1.5e9 / total))
    try:
        out = enc.encode(many)
    finally:
        torch.cuda.set_per_process_memory_fraction(1.0)
        torch.cuda.empty_cache()
    assert enc.oom_splits >= 1
    assert out.shape == ref.shape and (out * ref).sum(axis=1).min() > 0.999


def test_cuda_workers_write_what_one_process_writes(tmp_path: Path, texts: list[str]) -> None:
    from cxsentiment.batch import score_file

    src = tmp_path / "in.parquet"
    pd.DataFrame({"id": range(400), "text": (texts * 2)[:400]}).to_parquet(src)
    one, two = tmp_path / "one.parquet", tmp_path / "two.parquet"
    opts = {"stages": "language,sentiment", "device": "cuda", "chunk_size": 100, "progress": False}
    score_file(src, one, **opts)  # type: ignore[arg-type]
    score_file(src, two, workers=2, **opts)  # type: ignore[arg-type]
    a, b = pd.read_parquet(one), pd.read_parquet(two)
    assert len(a) == 400
    pd.testing.assert_frame_equal(a, b)
