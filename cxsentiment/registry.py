"""Named, versioned backends.

A backend name carries a version (``"cx-ensemble.v1"``): changing behaviour means registering ``v2``,
never editing ``v1``, so a stored result names the exact logic that produced it. Third parties register
through the entry-point group of each registry, e.g. in their ``pyproject.toml``::

    [project.entry-points."cxsentiment.language_backends"]
    "mycompany-lid.v1" = "mypackage.lid:make_backend"
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from importlib import import_module
from importlib.metadata import entry_points
from typing import Any, Generic, TypeVar

from .errors import UnknownBackendError

__all__ = ["Registry", "encoders", "language_backends", "sentiment_backends"]

T = TypeVar("T")


class Registry(Generic[T]):
    """A name -> factory table, filled by decorators and, lazily, by entry points."""

    def __init__(self, kind: str, entry_point_group: str) -> None:
        self.kind = kind
        self.entry_point_group = entry_point_group
        self._factories: dict[str, Callable[..., T]] = {}
        self._entry_points_loaded = False
        self._aliases: dict[str, str] = {}
        self._lock = threading.Lock()

    def alias(self, short: str, name: str) -> None:
        """Let ``short`` (e.g. ``"hf"``) stand for the versioned ``name`` (``"hf.v1"``)."""
        self._aliases[short] = name

    def resolve(self, name: str) -> str:
        """The versioned name ``name`` stands for (itself when it is not an alias)."""
        return self._aliases.get(name, name)

    def register(self, name: str, factory: Callable[..., T] | None = None) -> Callable[..., T]:
        """Register ``factory`` under ``name``; usable as a decorator.

        >>> reg: Registry[int] = Registry("number", "cxsentiment.doctest_numbers")
        >>> @reg.register("one.v1")
        ... def one() -> int:
        ...     return 1
        >>> reg.get("one.v1")()
        1
        """
        if "." not in name or not name.rsplit(".", 1)[1].startswith("v"):
            raise ValueError(f"registry names carry a version suffix like 'name.v1', got {name!r}")

        def _add(f: Callable[..., T]) -> Callable[..., T]:
            with self._lock:
                self._factories[name] = f
            return f

        if factory is not None:
            return _add(factory)
        return _add  # type: ignore[return-value]

    def register_lazy(self, name: str, target: str, **fixed: Any) -> None:
        """Register ``target`` (``"package.module:Class"``) under ``name``, imported on first use, so that
        registering a backend costs no import. ``fixed`` keyword arguments are what the name stands for
        (``e5-small-torch-bf16.v1`` is bfloat16): they win over the caller's settings of the same name, which
        the pipeline passes to every factory alike.

        >>> reg: Registry[object] = Registry("thing", "cxsentiment.doctest_things")
        >>> reg.register_lazy("frac.v1", "fractions:Fraction", numerator=3)
        >>> reg.get("frac.v1")(denominator=4)
        Fraction(3, 4)
        >>> reg.get("frac.v1")(numerator=5, denominator=4)
        Fraction(3, 4)
        """
        module, _, attr = target.partition(":")

        def factory(**kwargs: Any) -> T:
            cls: Callable[..., T] = getattr(import_module(module), attr)
            return cls(**{**kwargs, **fixed})

        self.register(name, factory)

    def _load_entry_points(self) -> None:
        if self._entry_points_loaded:
            return
        with self._lock:
            for ep in entry_points(group=self.entry_point_group):
                self._factories.setdefault(ep.name, ep.load())
            self._entry_points_loaded = True

    def get(self, name: str) -> Callable[..., T]:
        """Return the factory registered as ``name`` (or an alias of it) or raise with the valid names."""
        name = self.resolve(name)
        if name not in self._factories:
            self._load_entry_points()
        try:
            return self._factories[name]
        except KeyError:
            raise UnknownBackendError(f"unknown {self.kind} {name!r}; available: {', '.join(self.names())}") from None

    def names(self) -> list[str]:
        """All registered names, sorted."""
        self._load_entry_points()
        return sorted(self._factories)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.resolve(name) in self.names()


language_backends: Registry[object] = Registry("language backend", "cxsentiment.language_backends")
encoders: Registry[object] = Registry("encoder", "cxsentiment.encoders")
sentiment_backends: Registry[object] = Registry("sentiment backend", "cxsentiment.sentiment_backends")
