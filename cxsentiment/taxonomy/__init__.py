"""The CX taxonomy: what a comment can be about, as data.

The built-in ``cx-taxonomy.v1`` (``cx-taxonomy.v1.json`` beside this file) has the five SERVQUAL
dimensions and fifteen operational topics, each mapped to its dimensions, with a description, example
comments in many languages and keywords. Bring your own as a mapping or a JSON/YAML file::

    Analyzer(taxonomy={"wifi": "Internet on board: Wi-Fi, mobile signal",
                       "seats": {"description": "Seats and legroom", "examples": ["Kein Sitzplatz frei"]}})

or extend the built-in one with :meth:`Taxonomy.extend`.

A taxonomy may also list ``generic`` comments: praise, thanks, loyalty or anger about no part of the service in
particular ("You are the best", "Never again"). In the built-in taxonomy (92 of them, in 17 languages) and
taxonomies extended from it, a topic scored by its examples counts only when the comment's similarity to it
comes within 0.06 of its best match among the topics and these (``topics._model.PROTO_GAP``). In a custom
taxonomy of examples, a comment's best example must come within 0.1 of its best generic comment
(``FEW_SHOT_GENERIC_MARGIN``; the taxonomy's own ``generic`` list, else the built-in one), so "Danke!" names no topic.

A custom taxonomy may have a catch-all topic ("Allgemein", "General", "Other", "Sonstiges", "Lainnya", "その他"...):
a comment that names no other topic is filed under it (:attr:`Taxonomy.fallback`). A topic whose whole name
is one of :data:`CATCH_ALL_NAMES` is taken as the catch-all when it is the only such topic; ``"fallback": true``
names one explicitly, ``"fallback": false`` opts a topic out. Where most comments belong to the catch-all (GermEval's
"Allgemein": 74% of Deutsche Bahn comments), ``"fallback_prior": 1.0`` in the taxonomy file makes it the default
answer of a taxonomy with examples: another topic must beat it by that many log-odds (RESULTS.md: "Catch-all topics").

Keywords are matched as :mod:`cxsentiment.topics.lexicon` says: words, phrases, stems of 5 letters or more
(``verspätung`` also matches "verspätungen"), and words in double quotes that match only themselves
(``'"support"'`` matches "supports" but not "supporters").
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ConfigError

__all__ = ["BUILTIN_TAXONOMY", "CATCH_ALL_NAMES", "Dimension", "Taxonomy", "Topic", "TopicHead", "load_taxonomy"]

BUILTIN_TAXONOMY = "cx-taxonomy.v1"
# Names of catch-all categories in customer-feedback taxonomies, lower-cased, "_", "#", "-" and "/" read as spaces
CATCH_ALL_NAMES = frozenset({
    "general", "other", "others", "misc", "miscellaneous", "overall", "generic", "other topics",  # en
    "allgemein", "allgemeines", "sonstiges", "sonstige", "andere", "anderes",  # de
    "général", "generale", "autre", "autres", "divers",  # fr, it
    "otro", "otros", "otra", "otras", "varios", "geral", "outro", "outros", "altro", "altri", "varie",  # es, pt, it
    "algemeen", "overig", "overige",  # nl
    "generelt", "generell", "annet", "andet", "andre", "diverse", "övrigt", "övriga", "allmänt",  # no da sv
    "umum", "lainnya", "lain", "lain lain", "lain lainnya",  # id, ms
    "общее", "прочее", "другое", "разное",  # ru
    "その他", "全般", "一般", "其他", "其它", "综合", "通用",  # ja, zh
    "عام", "أخرى", "اخرى", "genel", "diğer", "ogólne", "inne",  # ar, tr, pl
})  # fmt: skip


@dataclass(frozen=True, slots=True)
class Dimension:
    """A SERVQUAL dimension (or any grouping of topics a custom taxonomy defines)."""

    name: str
    label: str
    description: str


@dataclass(frozen=True, slots=True)
class TopicHead:
    """A topic's decision fitted on a user's labelled comments (``calibrate_topics``, see
    :mod:`cxsentiment.topics.fitted`): a logistic unit over the comment's pooled vector from ``encoder`` (or a
    model that gives the same vectors), the topic model's score as log-odds and the topic's keyword hit."""

    encoder: str
    # one per vector dimension, then the score's log-odds, then the keyword hit (left out of the repr: 386 numbers)
    weights: tuple[float, ...] = field(repr=False)
    bias: float

    def to_dict(self) -> dict[str, Any]:
        return {"encoder": self.encoder, "bias": self.bias, "weights": list(self.weights)}

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], topic: str = "?") -> TopicHead:
        try:
            return cls(str(data["encoder"]), tuple(float(w) for w in data["weights"]), float(data["bias"]))
        except (KeyError, TypeError, ValueError) as e:
            raise ConfigError(
                f"topic {topic!r}: a head needs 'encoder', 'weights' (a list of numbers) and 'bias' ({e}); "
                "re-create it with cx.calibrate_topics"
            ) from None


@dataclass(frozen=True, slots=True)
class Topic:
    """One topic: ``description`` and ``examples`` are what the topic model compares comments with."""

    name: str
    label: str
    description: str
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()
    threshold: float | None = None  # this topic's own decision threshold (None: the taxonomy's)
    head: TopicHead | None = None  # a decision fitted on a user's labels; its probability meets the threshold
    fallback: bool | None = None  # the catch-all topic (True), never (False), or decided by its name (None)

    @property
    def prototypes(self) -> tuple[str, ...]:
        """The texts a comment is compared with: the description and every example."""
        return (self.description, *self.examples)


@dataclass(frozen=True)
class Taxonomy:
    """Topics (and the dimensions they roll up to), loaded from data.

    >>> tax = load_taxonomy()
    >>> tax.name, len(tax.topics), tax.topic("waiting_time").dimensions
    ('cx-taxonomy.v1', 15, ('responsiveness',))
    >>> custom = Taxonomy.from_mapping({"wifi": "Internet on the train", "seats": {"description": "Seats",
    ...                                 "examples": ["Kein Sitzplatz frei"]}})
    >>> [t.name for t in custom.topics], custom.builtin
    (['wifi', 'seats'], False)
    """

    name: str
    topics: tuple[Topic, ...]
    dimensions: tuple[Dimension, ...] = ()
    description: str = ""
    threshold: float = 0.5
    generic: tuple[str, ...] = ()  # comments about no topic, which topics' examples must read closer than
    # how much likelier the catch-all topic is than any other, as log-odds, where every topic has examples
    fallback_prior: float = 0.0
    _index: dict[str, Topic] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.topics:
            raise ConfigError("a taxonomy needs at least one topic")
        names = [t.name for t in self.topics]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ConfigError(f"topic names must be unique; repeated: {dupes}")
        known = {d.name for d in self.dimensions}
        for t in self.topics:
            unknown = [d for d in t.dimensions if d not in known]
            if unknown:
                raise ConfigError(f"topic {t.name!r} names unknown dimensions {unknown}; known: {sorted(known)}")
        self._index.update({t.name: t for t in self.topics})
        marked = [t.name for t in self.topics if t.fallback]
        if len(marked) > 1:
            raise ConfigError(f"at most one topic can be the catch-all ('fallback': true); marked: {marked}")

    @property
    def fallback(self) -> str | None:
        """The catch-all topic, named for a comment that names no other topic; ``None`` when there is none.

        >>> Taxonomy.from_mapping({"wifi": "Internet on board", "Allgemein": "Allgemeines zur Bahn"}).fallback
        'Allgemein'
        >>> Taxonomy.from_mapping({"RESTAURANT#GENERAL": "x", "SERVICE#GENERAL": "y"}).fallback is None
        True
        """
        marked = [t.name for t in self.topics if t.fallback]
        if marked:
            return marked[0]
        if self.builtin:
            return None
        named = [t.name for t in self.topics if t.fallback is None and _catch_all(t)]
        return named[0] if len(named) == 1 else None

    @property
    def builtin(self) -> bool:
        """True for the shipped taxonomy, whose topics also have trained heads."""
        return self.name == BUILTIN_TAXONOMY

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.topics)

    def thresholds(self) -> tuple[float, ...]:
        """Each topic's decision threshold: its own where it has one (see
        :func:`~cxsentiment.topics.calibrate.calibrate_topics`), else the taxonomy's.

        >>> load_taxonomy().with_thresholds({"price_value": 0.7}).thresholds()[:5]
        (0.5, 0.5, 0.5, 0.5, 0.7)
        """
        return tuple(self.threshold if t.threshold is None else t.threshold for t in self.topics)

    def with_thresholds(self, thresholds: Mapping[str, float], *, name: str | None = None) -> Taxonomy:
        """A copy whose topics in ``thresholds`` decide at their own threshold (in (0, 1)); the trained heads
        of the built-in topics still apply. Save it with :meth:`to_dict` (JSON) and load it anywhere."""
        for topic, value in thresholds.items():
            self.topic(topic)  # raises on an unknown topic, naming the known ones
            if not 0.0 < float(value) < 1.0:
                raise ConfigError(f"threshold of topic {topic!r} must lie in (0, 1); got {value}")
        topics = tuple(
            replace(t, threshold=float(thresholds[t.name])) if t.name in thresholds else t for t in self.topics
        )
        return replace(self, name=name or self.name, topics=topics, _index={})

    def with_heads(self, heads: Mapping[str, TopicHead | None], *, name: str | None = None) -> Taxonomy:
        """A copy whose topics in ``heads`` decide by their fitted head (``None`` removes one); see
        :func:`~cxsentiment.topics.calibrate.calibrate_topics`."""
        for topic in heads:
            self.topic(topic)
        topics = tuple(replace(t, head=heads[t.name]) if t.name in heads else t for t in self.topics)
        return replace(self, name=name or self.name, topics=topics, _index={})

    def prototypes(self) -> tuple[list[str], list[int]]:
        """Every topic's prototype texts, and the index of the topic each belongs to."""
        texts: list[str] = []
        owners: list[int] = []
        for i, topic in enumerate(self.topics):
            texts.extend(topic.prototypes)
            owners.extend([i] * len(topic.prototypes))
        return texts, owners

    def topic(self, name: str) -> Topic:
        try:
            return self._index[name]
        except KeyError:
            raise KeyError(f"no topic {name!r} in {self.name}; topics: {', '.join(self.names)}") from None

    def extend(self, topics: Mapping[str, Any], *, name: str | None = None) -> Taxonomy:
        """A new taxonomy with ``topics`` added (or, for an existing name, replaced); see :meth:`from_mapping`."""
        extra = _topics_from_mapping(topics)
        replaced = {t.name for t in extra}
        kept = tuple(t for t in self.topics if t.name not in replaced)
        return replace(self, name=name or f"{self.name}+custom", topics=kept + extra, _index={})

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "threshold": self.threshold,
            "dimensions": {d.name: {"label": d.label, "description": d.description} for d in self.dimensions},
            "topics": {
                t.name: {"label": t.label, "description": t.description, "examples": list(t.examples),
                         "keywords": list(t.keywords), "dimensions": list(t.dimensions),
                         **({} if t.threshold is None else {"threshold": t.threshold}),
                         **({} if t.head is None else {"head": t.head.to_dict()}),
                         **({} if t.fallback is None else {"fallback": t.fallback})}
                for t in self.topics
            },
            **({"generic": list(self.generic)} if self.generic else {}),
            **({"fallback_prior": self.fallback_prior} if self.fallback_prior else {}),
        }  # fmt: skip

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, name: str = "custom.v1") -> Taxonomy:
        """A taxonomy from ``{"name": "description"}`` or ``{"name": {"description": ..., "examples": [...]}}``,
        or from a full file's structure (``{"topics": {...}, "dimensions": {...}}``)."""
        if "topics" in data and isinstance(data["topics"], Mapping):
            dims = tuple(
                Dimension(k, str(v.get("label", k)), str(v.get("description", "")))
                for k, v in dict(data.get("dimensions") or {}).items()
            )
            return cls(
                name=str(data.get("name", name)),
                topics=_topics_from_mapping(data["topics"]),
                dimensions=dims,
                description=str(data.get("description", "")),
                threshold=float(data.get("threshold", 0.5)),
                generic=tuple(str(g).strip() for g in data.get("generic") or () if str(g).strip()),
                fallback_prior=_number(data.get("fallback_prior", 0.0), "fallback_prior"),
            )
        return cls(name=name, topics=_topics_from_mapping(data))


def _topics_from_mapping(data: Mapping[str, Any]) -> tuple[Topic, ...]:
    topics: list[Topic] = []
    for key, value in data.items():
        if isinstance(value, str):
            value = {"description": value}
        elif isinstance(value, Sequence) and not isinstance(value, str):
            value = {"examples": list(value)}
        if not isinstance(value, Mapping):
            raise ConfigError(
                f"topic {key!r}: give a description string, a list of example comments, or a mapping with "
                f"'description' and 'examples'; got {type(value).__name__}"
            )
        description = str(value.get("description") or "").strip()
        examples = tuple(str(e).strip() for e in value.get("examples") or () if str(e).strip())
        if not description and not examples:
            raise ConfigError(f"topic {key!r} needs a description or at least one example comment")
        topics.append(
            Topic(
                name=str(key),
                label=str(value.get("label") or str(key).replace("_", " ").capitalize()),
                description=description or examples[0],
                examples=examples,
                keywords=tuple(str(k) for k in value.get("keywords") or ()),
                dimensions=tuple(str(d) for d in value.get("dimensions") or ()),
                threshold=None if value.get("threshold") is None else float(value["threshold"]),
                head=None if value.get("head") is None else TopicHead.from_mapping(value["head"], str(key)),
                fallback=_flag(value.get("fallback"), str(key)),
            )
        )
    return tuple(topics)


def _number(value: Any, key: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        out = math.nan
    if not math.isfinite(out) or isinstance(value, bool):
        raise ConfigError(f"{key!r} must be a number (log-odds, e.g. 1.0); got {value!r}")
    return out


def _flag(value: Any, topic: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise ConfigError(f"topic {topic!r}: 'fallback' must be true or false; got {value!r}")


def _catch_all(topic: Topic) -> bool:
    """Is the topic's whole name (or label) a catch-all name ("Allgemein", "Other", "lain-lain")?"""
    return any(re.sub(r"[_#/\s-]+", " ", n).strip().lower() in CATCH_ALL_NAMES for n in (topic.name, topic.label))


@cache
def _builtin() -> Taxonomy:
    ref = resources.files("cxsentiment.taxonomy").joinpath(f"{BUILTIN_TAXONOMY}.json")
    return Taxonomy.from_mapping(json.loads(ref.read_text(encoding="utf-8")))


def load_taxonomy(source: str | Path | Mapping[str, Any] | Taxonomy | None = None) -> Taxonomy:
    """The built-in taxonomy (``None`` or its name), a :class:`Taxonomy`, a mapping, or a JSON/YAML file."""
    if source is None or source == BUILTIN_TAXONOMY:
        return _builtin()
    if isinstance(source, Taxonomy):
        return source
    if isinstance(source, Mapping):
        return Taxonomy.from_mapping(source)
    if not isinstance(source, (str, Path)):
        raise ConfigError(
            f"taxonomy must be None (the built-in one), a Taxonomy, a mapping like {{'wifi': 'Internet on the "
            f"train', 'seats': {{'description': ..., 'examples': [...]}}}} or a JSON/YAML file; got "
            f"{type(source).__name__}"
        )
    path = Path(source)
    if not path.is_file():
        raise ConfigError(f"taxonomy {str(source)!r} is neither {BUILTIN_TAXONOMY!r} nor an existing file")
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            import yaml  # type: ignore[import-untyped]
        except ImportError:
            raise ConfigError("reading a YAML taxonomy needs PyYAML: pip install pyyaml (or use JSON)") from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not valid YAML ({exc})") from None
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}: not valid JSON ({exc}); a .yaml/.yml name reads it as YAML") from None
    if not isinstance(data, Mapping):
        raise ConfigError(f"{path}: a taxonomy file holds a mapping of topics")
    return Taxonomy.from_mapping(data, name=path.stem)
