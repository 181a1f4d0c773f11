"""Heavy imports and model builds (torch, transformers, safetensors): on first use, one thread at a time.

transformers resolves its public names lazily (its ``_LazyModule``) without a lock of its own: two threads that
import from it for the first time at once can get ``ImportError: cannot import name 'BertConfig' from
'transformers'`` with transformers installed (seen here: a service's first comments, in 4 threads, loading the
sentiment model and its Malay variant together). So every such import, and every model build that runs
transformers code for the first time, holds :data:`HEAVY_LOCK`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import MissingDependencyError

__all__ = ["HEAVY_LOCK", "heavy_imports"]

HEAVY_LOCK = threading.RLock()  # re-entrant: a build imports, and a variant's build rebuilds the model it adds to


@contextmanager
def heavy_imports(install: str) -> Iterator[None]:
    """Run the imports in the ``with`` block under :data:`HEAVY_LOCK`. A package that is not installed becomes a
    :class:`~cxsentiment.errors.MissingDependencyError` whose message is ``install`` (what to install) and the
    missing module; any other ``ImportError`` (an installed version that lacks a name) is raised as it is, since
    installing would not fix it.

    >>> with heavy_imports("pip install cxsentiment"):
    ...     import math
    >>> try:
    ...     with heavy_imports("pip install no-such-package"):
    ...         import no_such_package_xyz
    ... except MissingDependencyError as exc:
    ...     print(exc)
    [CX302] pip install no-such-package (missing module: no_such_package_xyz)
    """
    with HEAVY_LOCK:
        try:
            yield
        except ModuleNotFoundError as exc:
            raise MissingDependencyError(f"{install} (missing module: {exc.name})") from exc
