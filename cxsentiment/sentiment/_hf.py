"""Any Hugging Face ``AutoModelForSequenceClassification`` as a sentiment backend (``hf``).

The model is loaded from a local folder or from the local Hugging Face cache; nothing is downloaded.
Its labels are mapped into negative/neutral/positive and an expected 1-5 rating from ``config.id2label``
(see :func:`label_mapping`).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .._imports import HEAVY_LOCK, heavy_imports
from ..config import check_device
from ..errors import ConfigError, ModelFileError
from ._base import CLASS_STARS

__all__ = ["HFBackend", "label_mapping", "resolve_device"]

_NEG = {"negative", "neg", "bad", "negativ", "negatif"}
_NEU = {"neutral", "neu", "neutre", "netral", "mixed", "none"}
_POS = {"positive", "pos", "good", "positiv", "positif"}
_STARS = re.compile(r"^(\d+)\s*(?:stars?|★)?$")
_GENERIC = re.compile(r"^label\s*(\d+)$")


def label_mapping(id2label: Mapping[int, str]) -> tuple[np.ndarray, np.ndarray]:
    """``(M, s)`` for a model's labels: class probabilities ``p`` become ``p @ M`` (negative, neutral,
    positive) and the expected rating ``p @ s`` (1-5).

    >>> M, s = label_mapping({0: "1 star", 1: "2 stars", 2: "3 stars", 3: "4 stars", 4: "5 stars"})
    >>> M.argmax(axis=1).tolist(), s.tolist()
    ([0, 0, 1, 2, 2], [1.0, 2.0, 3.0, 4.0, 5.0])
    >>> label_mapping({0: "LABEL_0", 1: "LABEL_1"})[0].tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    >>> label_mapping({0: "Very Negative", 1: "negative", 2: "neutral", 3: "positive", 4: "very positive"})[1].tolist()
    [1.0, 2.0, 3.0, 4.0, 5.0]
    """
    names = [re.sub(r"[_\-]+", " ", str(id2label[i])).strip().lower() for i in range(len(id2label))]
    n = len(names)
    M = np.zeros((n, 3))
    s = np.zeros(n)
    stars = [_STARS.match(x) for x in names]
    if all(stars) and n >= 2:
        values = np.array([int(m.group(1)) for m in stars if m], dtype=float)
        lo, hi = values.min(), values.max()
        s = 1.0 + 4.0 * (values - lo) / max(hi - lo, 1.0)
        for i, v in enumerate(s):
            M[i, 0 if v < 2.5 else 1 if v <= 3.5 else 2] = 1.0
        return M, s
    generic = [_GENERIC.match(x) for x in names]
    if all(generic):
        if n in (2, 3):
            M = np.array([[1.0, 0, 0], [0, 0, 1.0]]) if n == 2 else np.eye(3)
            return M, M @ CLASS_STARS
        if n == 5:
            return label_mapping({i: f"{i + 1} stars" for i in range(5)})
        raise ConfigError(f"cannot map {n} generic labels (LABEL_0..) to sentiment; set id2label in the model config")
    for i, name in enumerate(names):
        very = name.startswith(("very ", "strongly ", "extremely "))
        core = name.split()[-1] if very else name
        if core in _NEG:
            M[i, 0], s[i] = 1.0, 1.0 if very else 2.0
        elif core in _NEU:
            M[i, 1], s[i] = 1.0, 3.0
        elif core in _POS:
            M[i, 2], s[i] = 1.0, 5.0 if very else 4.0
        else:
            raise ConfigError(
                f"cannot map the model's label {id2label[i]!r} to negative/neutral/positive; known forms: "
                "negative/neutral/positive, '1 star'..'5 stars', LABEL_0..LABEL_n"
            )
    if not any(n.startswith(("very ", "strongly ", "extremely ")) for n in names):
        s = M @ CLASS_STARS  # plain 3-class or binary: 1 / 3 / 5
    return M, s


def resolve_device(device: str) -> str:
    """``auto`` picks cuda, then mps, then cpu; an explicit device is checked against what this torch can use.

    A device that is not there raises a ConfigError before any model loads (rather than every comment
    failing on its own).
    """
    import torch

    check_device(device)
    mps = getattr(torch.backends, "mps", None)
    mps_ok = mps is not None and mps.is_available()
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "mps" if mps_ok else "cpu"
    kind, _, index = device.partition(":")
    if kind == "cuda":
        if not torch.cuda.is_available():
            raise ConfigError(
                f"device={device!r}, but torch {torch.__version__} sees no CUDA GPU (torch.cuda.is_available() "
                "is False): use device='auto' or 'cpu', or install a CUDA build of torch on a machine with a GPU"
            )
        count = torch.cuda.device_count()
        if index and int(index) >= count:
            raise ConfigError(f"device={device!r}, but torch sees {count} CUDA GPU(s): use cuda:0 .. cuda:{count - 1}")
    if kind == "mps" and not mps_ok:
        raise ConfigError(f"device='mps', but this torch ({torch.__version__}) cannot use Apple's MPS: use 'cpu'")
    return device


class HFBackend:
    """A sequence-classification model from a local folder or the local Hugging Face cache.

    Batches are sorted by length (less padding) and results restored to input order; a unit longer than
    the model's window is cut into overlapping windows whose probabilities are averaged.
    """

    name = "hf"
    needs_embeddings = False

    def __init__(
        self,
        model: str | None = None,
        device: str = "auto",
        batch_size: int = 32,
        max_length: int | None = None,
        dtype: str = "auto",
        **_: object,
    ) -> None:
        """``dtype``: ``auto`` and ``float32`` keep the model's float32 weights; ``bfloat16`` / ``float16`` cast
        them; ``int8`` (CPU) runs its linear layers as int8 products calibrated on the bundled sample comments
        (``encoders/_int8.py``)."""
        if not model:
            raise ConfigError("the hf backend needs a model: a Hugging Face id or a local folder")
        with heavy_imports('the hf backend needs torch and transformers: pip install torch==2.13.0 "cxsentiment[hf]"'):
            import torch
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        self.model_name = model
        self.device = resolve_device(device)
        path = os.path.expanduser(model)
        if model.startswith(("/", "./", "../", "~", "\\")) or os.path.splitdrive(model)[0]:
            if not os.path.isdir(path):
                raise ModelFileError(
                    f"the Hugging Face model folder {model!r} does not exist: pass the folder that holds config.json "
                    "(e.g. what save_pretrained wrote), or a hub id already in the local cache"
                )
            model = path
        try:
            with HEAVY_LOCK:  # from_pretrained's first call imports the model's classes through transformers
                self.tokenizer = AutoTokenizer.from_pretrained(model, local_files_only=True)
                self.model = AutoModelForSequenceClassification.from_pretrained(model, local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ModelFileError(
                f"could not load the Hugging Face model {model!r} offline ({type(exc).__name__}: {exc}). "
                "cxsentiment never downloads at run time: pass a local folder, or fetch the model once on a "
                f"connected machine (huggingface-cli download {model}) so it is in the local cache"
            ) from exc
        self.model.to(self.device).eval()
        self.M, self.stars = label_mapping(self.model.config.id2label)
        window = getattr(self.tokenizer, "model_max_length", 512)
        limit = getattr(self.model.config, "max_position_embeddings", 512) or 512
        self.max_length = int(max_length or min(window if window < 100_000 else 512, limit, 512))
        self.batch_size = batch_size
        self.name = f"hf:{model}"
        self._torch: Any = torch
        self._lock = threading.Lock()
        if dtype == "int8":
            from ..encoders._e5_torch import calibration_texts
            from ..encoders._int8 import quantize_calibrated, require_int8

            require_int8(self.device)
            quantize_calibrated(self.model, lambda: self.predict(calibration_texts()))
            self.name = f"hf:{model}:int8"
        elif dtype not in ("auto", "float32"):
            from ..encoders._e5_torch import torch_dtype

            self.model.to(dtype=torch_dtype(dtype, self.device))
            self.name = f"hf:{model}:{dtype}"

    def predict(self, texts: Sequence[str], embeddings: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        n = len(texts)
        probs = np.zeros((n, self.M.shape[0]))
        for idx in self._batches(texts):
            probs[idx] = self._batch([texts[i] for i in idx])
        return probs @ self.M, probs @ self.stars

    def _batches(self, texts: Sequence[str]) -> list[list[int]]:
        """Row indices per forward pass. On a CPU with a fast tokenizer: sorted by token count and split where
        padding would cost more than another pass (``encoders._e5_torch.length_batches``; the per-pass cost
        was measured on e5-small, and is a smaller share of a larger model's time, so larger models get
        somewhat fewer, fuller passes than ideal). Otherwise: sorted by characters, ``batch_size`` at a time."""
        n = len(texts)
        if self.device == "cpu" and getattr(self.tokenizer, "is_fast", False) and n > 1:
            from ..encoders._e5_torch import CPU_BATCH_TOKENS, CPU_CALL_TOKENS, length_batches

            ids = self.tokenizer(list(texts), truncation=False, verbose=False)["input_ids"]
            tokens = [min(len(x), self.max_length) for x in ids]
            order = sorted(range(n), key=lambda i: tokens[i])
            budget = max(CPU_BATCH_TOKENS, self.max_length)
            cuts = length_batches([tokens[i] for i in order], budget, CPU_CALL_TOKENS)
            return [order[a:b] for a, b in cuts]
        order = sorted(range(n), key=lambda i: len(texts[i]))
        return [order[start : start + self.batch_size] for start in range(0, n, self.batch_size)]

    def _batch(self, texts: list[str]) -> np.ndarray:
        torch = self._torch
        windows: dict[str, Any] = (
            {"stride": min(64, self.max_length // 4), "return_overflowing_tokens": True}
            if getattr(self.tokenizer, "is_fast", False)
            else {}  # slow tokenizers cannot window a batch: the units are short enough to fit anyway
        )
        enc = self.tokenizer(
            texts, truncation=True, max_length=self.max_length, padding=True, return_tensors="pt", **windows
        )
        mapping = enc.pop("overflow_to_sample_mapping", None)
        enc.pop("offset_mapping", None)
        inputs = {k: v.to(self.device) for k, v in enc.items()}
        with self._lock, torch.inference_mode():
            window_probs = torch.softmax(self.model(**inputs).logits.float(), dim=-1).cpu().numpy()
        if mapping is None:
            return np.asarray(window_probs, dtype=np.float64)
        out = np.zeros((len(texts), window_probs.shape[1]))
        counts = np.zeros(len(texts))
        for row, sample in enumerate(mapping.tolist()):
            out[sample] += window_probs[row]
            counts[sample] += 1
        return out / counts[:, None]
