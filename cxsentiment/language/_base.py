"""The contract every language-identification backend implements."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

from ..types import Language


@runtime_checkable
class LanguageBackend(Protocol):
    """Text -> :class:`~cxsentiment.types.Language`.

    ``candidates`` restricts the answer to those ISO 639-1 codes (``None``: the backend's default set);
    ``prior`` multiplies the probability of the codes it names (a market prior). Backends never raise on
    odd text: empty, letterless or too short text gives ``code=None`` with a flag.
    """

    name: str

    def detect(
        self,
        text: str,
        candidates: Sequence[str] | None = None,
        prior: Mapping[str, float] | None = None,
    ) -> Language: ...

    def detect_batch(
        self,
        texts: Sequence[str],
        candidates: Sequence[str] | None = None,
        prior: Mapping[str, float] | None = None,
    ) -> list[Language]: ...
