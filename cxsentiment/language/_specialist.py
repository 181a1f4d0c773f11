"""Small trained classifiers that decide inside a confusable pair (Malay vs Indonesian, Bokmål vs Nynorsk).

Two parts, both trained by ``python -m cxsentiment.training langid`` and shipped as ``.npz`` (no pickle):

* a naive-Bayes log-odds table over words and their character 1-4-grams. The model is additive over
  words, so each distinct word is scored once and cached;
* a stacker: logistic regression per length bucket over four log-odds (this table, lingua restricted to the
  pair, cld2, and the pair's word-frequency lists from ``wordfreq`` where the two languages have different
  lists: Malay and Indonesian do, Bokmål and Nynorsk share one), fitted on out-of-fold predictions, so the
  pair probability is calibrated and each detector covers the others' blind spots. The table learns from
  about 1,400 sentences a pair and weighs some common words far too heavily ("keadaan", "pegawai" read as
  Malay); wordfreq's lists come from much larger corpora and keep such words near even.
"""

from __future__ import annotations

import math
import threading
from functools import cache
from importlib import resources

import numpy as np

from ..errors import ModelFileError
from ..text import clean_for_detection
from ._lexical import likelihoods, shares_list
from ._lingua import LINGUA_LOGODDS_MAX

__all__ = [
    "BUCKETS",
    "STACK_INPUTS",
    "PairSpecialist",
    "length_bucket",
    "load_specialist",
    "tokenize",
    "word_features",
]

_CACHE_LIMIT = 200_000
NGRAM_MAX = 4
BUCKETS = (0, 15, 40)  # the stacker has one set of coefficients per length: <15, 15-39, >=40 letters
STACK_INPUTS = ("table", "lingua", "cld2", "wordfreq")  # the stacker's inputs, in this order


def length_bucket(letters: int) -> int:
    """Index of the length bucket for a text with ``letters`` letters.

    >>> length_bucket(3), length_bucket(20), length_bucket(400)
    (0, 1, 2)
    """
    return sum(letters >= b for b in BUCKETS) - 1


def word_features(word: str, ngram_max: int = NGRAM_MAX) -> list[str]:
    """The features of one lower-cased word: the word itself, then its padded character n-grams.

    >>> word_features("tak", 2)
    ['w:tak', ' ', 't', 'a', 'k', ' ', ' t', 'ta', 'ak', 'k ']
    """
    padded = f" {word} "
    feats = [f"w:{word}"]
    for n in range(1, ngram_max + 1):
        feats.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return feats


def tokenize(text: str, *, cleaned: bool = False) -> list[str]:
    """Lower-cased words of ``text`` with URLs, digits and symbols removed (``cleaned``: the text already went
    through :func:`~cxsentiment.text.clean_for_detection`, so only case and spaces are left to do)."""
    return (text if cleaned else clean_for_detection(text)).lower().split()


class PairSpecialist:
    """Decides between two languages ``classes = (a, b)``; probabilities are for ``a``."""

    def __init__(
        self,
        classes: tuple[str, str],
        features: list[str],
        weights: np.ndarray,
        stack_coef: np.ndarray,
        stack_intercept: np.ndarray,
        ngram_max: int = NGRAM_MAX,
    ) -> None:
        self.classes = classes
        self.ngram_max = ngram_max
        coef = np.asarray(stack_coef, dtype=np.float64).reshape(len(BUCKETS), -1)
        if coef.shape[1] > len(STACK_INPUTS):
            raise ValueError(f"stacker has {coef.shape[1]} inputs, at most {len(STACK_INPUTS)} are known")
        # a file written before the wordfreq input existed has three: the missing ones weigh nothing
        self.stack_coef = np.pad(coef, ((0, 0), (0, len(STACK_INPUTS) - coef.shape[1])))
        self.stack_intercept = np.asarray(stack_intercept, dtype=np.float64).reshape(len(BUCKETS))
        self._lexical = not shares_list(*classes)  # two lists to compare (ms/id), not one shared (nb/nn)
        self._index = {f: i for i, f in enumerate(features)}
        self._weights = np.asarray(weights, dtype=np.float64)
        self._word_cache: dict[str, float] = {}
        self._lock = threading.Lock()
        self._last = threading.local()

    def _word_score(self, word: str) -> float:
        score = self._word_cache.get(word)
        if score is None:
            index = self._index
            score = float(
                sum(self._weights[i] for f in word_features(word, self.ngram_max) if (i := index.get(f)) is not None)
            )
            if len(self._word_cache) >= _CACHE_LIMIT:
                with self._lock:
                    self._word_cache.clear()
            self._word_cache[word] = score
        return score

    def _table(self, words: list[str]) -> float:
        return sum(self._word_score(w) for w in words)

    def wordfreq_logodds(self, words: list[str]) -> float:
        """log P(words | a) - log P(words | b) from the pair's wordfreq lists (0.0 when they share one)."""
        if not self._lexical or not words:
            return 0.0
        a, b = self.classes
        ll = likelihoods(self.classes, words)
        return ll[a] - ll[b] if a in ll and b in ll else 0.0

    def _evidence(self, text: str, cleaned: bool) -> tuple[float, float, int]:
        """(table log-odds, wordfreq log-odds, length bucket) of ``text``.

        The ensemble asks twice for the same text (:meth:`decisive`, then :meth:`probability` when lingua had
        to look), so each thread keeps its last answer.
        """
        last = getattr(self._last, "value", None)
        if last is not None and last[0] == text and last[1] == cleaned:
            return last[2]  # type: ignore[no-any-return]
        words = tokenize(text, cleaned=cleaned)
        out = (self._table(words), self.wordfreq_logodds(words), length_bucket(sum(len(w) for w in words)))
        self._last.value = (text, cleaned, out)
        return out

    def inputs(
        self, text: str, lingua_logodds: float, cld2_logodds: float, *, cleaned: bool = False
    ) -> tuple[np.ndarray, int]:
        """The stacker's inputs for ``text`` (in :data:`STACK_INPUTS` order) and its length bucket."""
        table, wordfreq, bucket = self._evidence(text, cleaned)
        return np.array((table, lingua_logodds, cld2_logodds, wordfreq)), bucket

    def probability(
        self,
        text: str,
        lingua_logodds: float,
        cld2_logodds: float,
        prior_logodds: float = 0.0,
        *,
        cleaned: bool = False,
    ) -> float:
        """Calibrated probability of ``classes[0]`` given lingua's and cld2's pair log-odds (the table and
        wordfreq are read from ``text``).

        The stacker was fitted on balanced classes; ``prior_logodds`` adds the log prior odds of a market.
        ``cleaned``: ``text`` is already the output of :func:`~cxsentiment.text.clean_for_detection`.

        >>> m = load_specialist("ms_id")
        >>> m.probability("Saya nak tukar pakej sebab perkhidmatan teruk sangat", 0.0, 0.0) > 0.9
        True
        """
        x, bucket = self.inputs(text, lingua_logodds, cld2_logodds, cleaned=cleaned)
        return _sigmoid(self.stack_intercept[bucket] + prior_logodds + float(np.dot(self.stack_coef[bucket], x)))

    def decisive(
        self, text: str, cld2_logodds: float, prior_logodds: float = 0.0, margin: float = 4.6, *, cleaned: bool = False
    ) -> float | None:
        """:meth:`probability` without asking lingua, when lingua's answer could not change it; else ``None``.

        lingua's pair log-odds are bounded (``LINGUA_LOGODDS_MAX``), so its term in the stacker is too. When
        the table, cld2 and wordfreq alone put the decision more than that bound plus ``margin`` (4.6: p >= 0.99) from
        the boundary, the expensive lingua call is skipped and the probability is taken at lingua's worst
        case, never overstating confidence.
        """
        x, bucket = self.inputs(text, 0.0, cld2_logodds, cleaned=cleaned)  # lingua's input 0: its bound is below
        coef = self.stack_coef[bucket]
        z = self.stack_intercept[bucket] + prior_logodds + float(np.dot(coef, x))
        slack = abs(z) - abs(coef[1]) * LINGUA_LOGODDS_MAX
        if slack < margin:
            return None
        return _sigmoid(math.copysign(slack, z))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, float(z)))))


@cache
def load_specialist(name: str) -> PairSpecialist:
    """Load the shipped specialist ``name`` (``"ms_id"`` or ``"nb_nn"``) once per process."""
    ref = resources.files("cxsentiment.models").joinpath(f"langid_{name}.npz")
    try:
        with ref.open("rb") as fh, np.load(fh, allow_pickle=False) as z:
            a, b = (str(c) for c in z["classes"])
            return PairSpecialist(
                classes=(a, b),
                features=[str(f) for f in z["features"]],
                weights=z["weights"],
                stack_coef=z["stack_coef"],
                stack_intercept=z["stack_intercept"],
                ngram_max=int(z["ngram_max"]),
            )
    except (FileNotFoundError, KeyError, ValueError, OSError) as exc:
        raise ModelFileError(
            f"language specialist {name!r} could not be loaded from {ref} ({exc}); reinstall cxsentiment "
            "or rebuild it with `python -m cxsentiment.training langid`"
        ) from exc
