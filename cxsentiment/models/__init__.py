"""Weight files shipped with cxsentiment, and the one reader every model uses for them."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from typing import TypeVar

import numpy as np

from ..errors import ModelFileError

__all__ = ["load_npz"]

T = TypeVar("T")


def load_npz(name: str, build: Callable[[dict[str, np.ndarray]], T], what: str, task: str) -> T:
    """``build`` applied to the arrays of the shipped ``name``; a missing or broken file (or a missing array)
    raises :class:`ModelFileError` saying how to rebuild it with ``python -m cxsentiment.training task``."""
    ref = resources.files("cxsentiment.models").joinpath(name)
    try:
        with ref.open("rb") as fh, np.load(fh, allow_pickle=False) as z:
            return build({k: z[k] for k in z.files})
    except (FileNotFoundError, KeyError, ValueError, OSError) as exc:
        raise ModelFileError(
            f"{what} {name!r} could not be loaded ({exc}); reinstall cxsentiment or rebuild it with "
            f"`python -m cxsentiment.training {task} --data ../shared/data`"
        ) from exc
