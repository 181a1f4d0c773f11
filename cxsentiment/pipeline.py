"""The Analyzer: normalise -> detect language -> (sentiment, topics, signals as they land) -> CommentAnalysis."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Literal, overload

from .config import AnalyzerConfig
from .encoders import Encoder, resolve_encoder
from .errors import ConfigError, InputFormatError, InputTypeError, MissingDependencyError, ModelFileError
from .language import LanguageDetector
from .registry import encoders, sentiment_backends
from .sentiment import SentimentBackend, SentimentScorer
from .sentiment.scorer import ScoredBatch
from .signals import SignalModel
from .text import is_non_answer, names_no_topic, normalize
from .topics import TopicModel, TopicStage
from .types import CommentAnalysis, Flag, Language

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Analyzer", "analyze", "to_frame"]


def _add_flags(result: CommentAnalysis, *flags: str) -> CommentAnalysis:
    if not flags:
        return result
    return dataclasses.replace(result, flags=tuple(dict.fromkeys((*result.flags, *flags))))


def _failed(result: CommentAnalysis, exc: Exception) -> CommentAnalysis:
    return dataclasses.replace(
        result,
        flags=tuple(dict.fromkeys((*result.flags, Flag.ERROR))),
        error=f"{type(exc).__name__}: {exc}",
    )


def _error_language() -> Language:
    return Language(code=None, confidence=0.0, script=None, flags=(Flag.ERROR, Flag.LANGUAGE_UNKNOWN))


# Errors that say the Analyzer itself cannot run (a model missing or refusing this configuration), not that a
# row is bad: they propagate, where a row's failure is flagged on that row and the rest go on. A model is
# built on first use, so without this a batch job would flag every row of every chunk with the same error.
_SETUP_ERRORS = (ConfigError, MissingDependencyError, ModelFileError)


class Analyzer:
    """Reads customer comments and returns one :class:`CommentAnalysis` per comment, in order.

    Models load on first use (``preload()`` loads them now, for services); one Analyzer is safe to share
    between threads.

    >>> az = Analyzer()
    >>> az.analyze("Jeg har ikke fått noe svar fra kundeservice på tre uker.").language.code
    'nb'
    >>> [r.language.code for r in az.analyze_batch(["Terima kasih, layanan cepat sekali!", "", None])]
    ['id', None, None]
    """

    def __init__(self, config: AnalyzerConfig | None = None, **overrides: Any) -> None:
        if config is None:
            config = AnalyzerConfig.from_dict(overrides)
        elif overrides:
            config = config.replace(**overrides)
        self.config = config
        self._detector: LanguageDetector | None = None
        self._encoder: Encoder | None = None
        self._scorer: SentimentScorer | None = None
        self._topics: TopicStage | None = None
        self._signals: SignalModel | None = None
        self._lock = threading.RLock()

    @property
    def detector(self) -> LanguageDetector:
        if self._detector is None:
            with self._lock:
                if self._detector is None:
                    self._detector = LanguageDetector(
                        self.config.languages,
                        backend=self.config.language_backend,
                        spans=self.config.language_spans,
                    )
        return self._detector

    @property
    def encoder(self) -> Encoder:
        """The encoder whose vectors every stage shares (loaded on first use)."""
        if self._encoder is None:
            with self._lock:
                if self._encoder is None:
                    # every encoder gets the same settings and takes the ones it has a use for
                    name, dtype = self._encoder_choice()
                    self._encoder = encoders.get(name)(
                        threads=self.config.threads, device=self.config.device, dtype=dtype
                    )  # type: ignore[assignment]
        assert self._encoder is not None
        return self._encoder

    def _encoder_choice(self) -> tuple[str, str]:
        """The encoder's registry name and dtype (``encoder="auto"`` resolved against the sentiment backend)."""
        cfg = self.config
        sentiment = sentiment_backends.resolve(cfg.sentiment) if cfg.sentiment is not None else None
        return resolve_encoder(cfg.encoder, sentiment, cfg.dtype)

    @property
    def scorer(self) -> SentimentScorer | None:
        """The sentiment stage (``None`` when ``AnalyzerConfig.sentiment`` is ``None``)."""
        if self.config.sentiment is None:
            return None
        if self._scorer is None:
            with self._lock:
                if self._scorer is None:
                    self._scorer = self._build_scorer(self.config.sentiment)
        return self._scorer

    def _build_scorer(self, name: str) -> SentimentScorer:
        cfg = self.config
        # every backend gets the same settings and takes the ones it has a use for
        factory = sentiment_backends.get(name)
        backend: SentimentBackend = factory(
            encoder=self._encoder_choice()[0],
            model=cfg.sentiment_model,
            device=cfg.device,
            dtype=cfg.dtype,
            variants=cfg.sentiment_variants,
        )  # type: ignore[assignment]
        encoder = self.encoder if backend.needs_embeddings else None  # re-entrant: self._lock is an RLock
        return SentimentScorer(backend, encoder, per_sentence=cfg.sentence_sentiment)

    @property
    def topic_stage(self) -> TopicStage | None:
        """The topic stage (``None`` when neither topics nor signals are asked for)."""
        cfg = self.config
        if not (cfg.topics or cfg.signals):
            return None
        if self._topics is None:
            with self._lock:
                if self._topics is None:
                    from .taxonomy import load_taxonomy

                    scorer = self.scorer
                    model = TopicModel(load_taxonomy(cfg.taxonomy), self.encoder)
                    self._topics = TopicStage(model, self.encoder, scorer.backend if scorer else None)
        return self._topics

    @property
    def signal_model(self) -> SignalModel | None:
        if not self.config.signals:
            return None
        if self._signals is None:
            with self._lock:
                if self._signals is None:
                    self._signals = SignalModel(self.encoder, thresholds=self.config.signal_thresholds)
        return self._signals

    def preload(self) -> Analyzer:
        """Load every model now rather than on the first comment; returns ``self``."""
        self.detector.detect("Preloading the language models for every candidate script and pair.")
        if self.scorer is not None:
            self.scorer.score(["Preloading the sentiment models."])
            preload = getattr(self.scorer.backend, "preload", None)  # a backend may build more (its variants)
            if callable(preload):
                preload()
        if self.topic_stage is not None:
            self.topic_stage.run(["Preloading the topic models."])
        _ = self.signal_model
        return self

    # -- the stages ------------------------------------------------------------------------------------
    def _language(self, text: str, row_id: Any) -> CommentAnalysis:
        flags: list[str] = []
        n_chars = len(text)
        if n_chars > self.config.max_chars:
            text = text[: self.config.max_chars]
            flags.append(Flag.TRUNCATED)
        clean = normalize(text)
        lang = self.detector.detect(clean, expected=self.config.expected)
        flags.extend(lang.flags)  # why the language is unknown, mixed or undecided: what a user filters on
        return CommentAnalysis(text=clean, language=lang, flags=tuple(flags), row_id=row_id, n_chars=n_chars)

    def _analyze_chunk(self, items: list[tuple[Any, Any]]) -> list[CommentAnalysis]:
        """Every stage for a chunk of ``(text, row_id)`` rows; a row that fails is flagged, the rest go on."""
        results = [self._safe(text, row_id) for text, row_id in items]
        if self.config.skip_non_answers:
            results = [
                _add_flags(r, Flag.NO_CONTENT, Flag.NO_SENTIMENT) if r.ok and is_non_answer(r.text) else r
                for r in results
            ]
        scorer = self.scorer
        live = [i for i, r in enumerate(results) if r.ok and Flag.NO_CONTENT not in r.flags]
        if scorer is None:
            results = [_add_flags(r, Flag.NO_SENTIMENT) for r in results]
            return self._topics_and_signals(results, live, [])
        try:
            scored = [scorer.score([results[i].text for i in live], [results[i].language for i in live])]
            rows = [live]
        except _SETUP_ERRORS:
            raise
        except Exception:  # find the row that breaks the batch: score one by one
            scored, rows = [], []
            for i in live:
                try:
                    scored.append(scorer.score([results[i].text], [results[i].language]))
                    rows.append([i])
                except _SETUP_ERRORS:
                    raise
                except Exception as exc:
                    results[i] = _failed(results[i], exc)
        for batch, idx in zip(scored, rows, strict=True):
            for i, sentiment, partial in zip(idx, batch.results, batch.partial, strict=True):
                extra: tuple[str, ...] = (Flag.NO_SENTIMENT,) if sentiment is None else ()
                extra += (Flag.SENTIMENT_PARTIAL,) if partial else ()
                results[i] = dataclasses.replace(_add_flags(results[i], *extra), sentiment=sentiment)
        return self._topics_and_signals(results, live, scored)

    def _topics_and_signals(
        self, results: list[CommentAnalysis], live: list[int], scored: list[ScoredBatch]
    ) -> list[CommentAnalysis]:
        stage = self.topic_stage
        if stage is None:
            return results
        known: dict[str, Any] = {}
        known_sentiment: dict[tuple[str, str | None], Any] = {}
        for batch in scored:
            if batch.vectors is not None:
                known.update(zip(batch.unit_texts, batch.vectors, strict=True))
            known_sentiment.update(batch.known_sentiment())
        live = [i for i in live if results[i].ok]
        try:
            topics, vecs = stage.run(
                [results[i].text for i in live], known, known_sentiment, [results[i].language for i in live]
            )
            signals = self.signal_model
            texts = [results[i].text for i in live]
            sig = signals.score(texts, vecs.vectors, vecs.sentiment) if signals is not None else None
        except _SETUP_ERRORS:
            raise
        except Exception as exc:  # a failure here marks the rows; language and sentiment stay
            for i in live:
                results[i] = _failed(results[i], exc)
            return results
        keep_topics = self.config.topics
        for n, i in enumerate(live):
            if not results[i].text.strip():
                continue
            results[i] = dataclasses.replace(
                results[i],
                topics=topics[n] if keep_topics and not names_no_topic(results[i].text) else (),
                signals=sig[n] if sig is not None else None,
            )
        return results

    def analyze(self, text: str) -> CommentAnalysis:
        """Analyse one comment; a non-string raises a TypeError that says what to pass."""
        if not isinstance(text, str):
            hint = (
                "use analyze_frame(df, text='column')"
                if type(text).__name__ in ("DataFrame", "Series")
                else "use analyze_batch(list_of_texts)"
            )
            raise InputTypeError(f"analyze takes one comment as a str, got {type(text).__name__}; {hint}")
        return self._analyze_chunk([(text, None)])[0]

    def _safe(self, text: Any, row_id: Any) -> CommentAnalysis:
        if not isinstance(text, str):
            kind = "missing value" if _is_missing(text) else type(text).__name__
            return CommentAnalysis(
                text="",
                language=_error_language(),
                flags=(Flag.ERROR, Flag.LANGUAGE_UNKNOWN),
                row_id=row_id,
                error=f"not text ({kind}): pass strings; convert with str() or fill missing values",
            )
        try:
            return self._language(text, row_id)
        except _SETUP_ERRORS:
            raise
        except Exception as exc:  # a batch records the failure on its row and goes on
            return _failed(
                CommentAnalysis(text=text[:200], language=_error_language(), row_id=row_id, n_chars=len(text)), exc
            )

    # -- many comments ---------------------------------------------------------------------------------
    def analyze_batch(self, texts: Iterable[Any]) -> list[CommentAnalysis]:
        """One result per input, in order; a row that is not text gets the ``error`` flag."""
        if isinstance(texts, str):
            raise InputTypeError("analyze_batch takes a list of comments; for one comment use analyze(text)")
        return list(self.iter_analyze(texts))

    @overload
    def iter_analyze(self, items: Iterable[Any], *, as_tuples: Literal[False] = ...) -> Iterator[CommentAnalysis]: ...

    @overload
    def iter_analyze(
        self, items: Iterable[tuple[Any, Any]], *, as_tuples: Literal[True]
    ) -> Iterator[tuple[CommentAnalysis, Any]]: ...

    def iter_analyze(self, items: Iterable[Any], *, as_tuples: bool = False) -> Iterator[Any]:
        """Stream results lazily. With ``as_tuples=True`` items are ``(text, context)`` pairs and each
        result comes back as ``(analysis, context)``, the context also stored as ``row_id``."""
        iterator: Iterable[Any] = items
        if self.config.progress:
            from tqdm.auto import tqdm

            iterator = tqdm(items, desc="cxsentiment", unit="comments")
        chunk: list[tuple[Any, Any]] = []
        for item in iterator:
            if as_tuples:
                try:
                    text, context = item
                except (TypeError, ValueError):
                    raise InputTypeError(
                        f"with as_tuples=True each item is a (text, context) pair, got {item!r}"
                    ) from None
                chunk.append((text, context))
            else:
                chunk.append((item, None))
            if len(chunk) >= self.config.batch_size:
                yield from self._emit(chunk, as_tuples)
                chunk = []
        if chunk:
            yield from self._emit(chunk, as_tuples)

    def _emit(self, chunk: list[tuple[Any, Any]], as_tuples: bool) -> Iterator[Any]:
        for result, (_, context) in zip(self._analyze_chunk(chunk), chunk, strict=True):
            yield (result, context) if as_tuples else result

    def analyze_frame(
        self, df: pd.DataFrame | pd.Series, text: str | None = None, *, id_column: str | None = None
    ) -> pd.DataFrame:
        """Return ``df`` with ``cx_``-prefixed result columns added (existing columns are never overwritten).

        ``text`` names the comment column (default ``"text"``). A Series of comments (``df["comment"]``) is
        taken as a one-column frame."""
        import pandas as pd

        if isinstance(df, pd.Series):
            df = df.to_frame(name=df.name if df.name is not None else (text or "text"))
            text = str(df.columns[0])
        if not isinstance(df, pd.DataFrame):
            raise InputTypeError(
                f"analyze_frame takes a pandas DataFrame or Series, got {type(df).__name__}; "
                "for a list of comments use analyze_batch(texts)"
            )
        if text is None:
            if "text" not in df.columns:
                raise InputFormatError(
                    f"name the comment column: analyze_frame(df, text='...'); columns: {list(df.columns)}"
                )
            text = "text"
        if text not in df.columns:
            raise InputFormatError(f"column {text!r} not in the DataFrame; columns: {list(df.columns)}")
        ids = df[id_column].tolist() if id_column else list(df.index)
        results = [r for r, _ in self.iter_analyze(zip(df[text].tolist(), ids, strict=False), as_tuples=True)]
        out = to_frame(results)
        clash = sorted(set(out.columns) & set(df.columns))
        if clash:
            raise InputFormatError(f"the DataFrame already has result columns {clash}; rename or drop them first")
        # side by side by position, not joined on the index: an index with repeated labels (after a concat) would
        # pair every row with every result of the same label
        joined: pd.DataFrame = pd.concat([df.reset_index(drop=True), out], axis=1)
        joined.index = df.index
        return joined


def to_frame(results: Iterable[CommentAnalysis], index: Any = None) -> pd.DataFrame:
    """Flat ``cx_`` columns for a list of results (the same columns, with no rows, for an empty list)."""
    import pandas as pd

    from .batch.writers import result_types

    rows = [r.to_row() for r in results]
    frame: pd.DataFrame = pd.DataFrame(rows, index=index, columns=None if rows else list(result_types()))
    return frame


def _is_missing(value: Any) -> bool:
    """None, NaN (float or numpy), pandas' NA and NaT: what a DataFrame holds where a comment is missing.

    >>> _is_missing(None), _is_missing(float("nan")), _is_missing(5), _is_missing([1, 2])
    (True, True, False, False)
    """
    if value is None or type(value).__name__ == "NAType":  # pandas.NA: its comparisons are NA, not booleans
        return True
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except (TypeError, ValueError):  # e.g. an array, whose comparison is elementwise
        return False


_DEFAULT: Analyzer | None = None


def analyze(text: str) -> CommentAnalysis:
    """Analyse one comment with a shared default :class:`Analyzer`."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Analyzer()
    return _DEFAULT.analyze(text)
