"""One catalogue of cxsentiment errors.

Every error carries a stable ``code`` (``CX1xx`` configuration, ``CX2xx`` input, ``CX3xx`` models and
backends, ``CX4xx`` files) so messages are consistent and greppable, and every message says what to do.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "CxError",
    "InputFormatError",
    "InputTypeError",
    "MissingDependencyError",
    "ModelFileError",
    "UnknownBackendError",
    "UnknownLanguageError",
]


class CxError(Exception):
    """Base class of every error raised by cxsentiment."""

    code = "CX000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")


class ConfigError(CxError, ValueError):
    """A configuration value is invalid; the message quotes it."""

    code = "CX101"


class UnknownLanguageError(CxError, ValueError):
    """A language code is not one cxsentiment can detect."""

    code = "CX102"


class InputTypeError(CxError, TypeError):
    """A value of the wrong type was passed where text was expected."""

    code = "CX201"


class InputFormatError(CxError, ValueError):
    """An input file or table cannot be read as asked (missing column, unknown format...)."""

    code = "CX202"


class UnknownBackendError(CxError, LookupError):
    """A backend name is not registered; the message lists the available names."""

    code = "CX301"


class MissingDependencyError(CxError, ImportError):
    """An optional dependency is missing; the message holds the exact ``pip install`` line."""

    code = "CX302"


class ModelFileError(CxError, RuntimeError):
    """A shipped or user-given model file is missing or malformed."""

    code = "CX303"
