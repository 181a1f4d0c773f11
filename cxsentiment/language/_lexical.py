"""Word-frequency evidence: which candidate's vocabulary the words come from.

On a few words, character n-gram models (lingua, cld2) confuse close languages: "bancarios resolucion" reads
as Portuguese, "namnet partiet" as Swedish, a hashtag-laden tweet as anything. Whole-word frequencies settle
most of these, so wherever lingua ranks a script's candidates (text that cld2 could not settle), the
candidates' n-gram probabilities are multiplied by

    exp(LEXICAL_WEIGHT * (log P(words | language) - max over candidates))

with P(word | language) from `wordfreq`'s "small" lists (about 30,000 words a language, shipped in its wheel)
and a floor for words a list lacks (Serbian Cyrillic is looked up in wordfreq's Latin Serbo-Croatian list,
letter by letter transliterated). wordfreq has no Nynorsk list: Bokmål and Nynorsk both read the larger of
wordfreq's Norwegian frequency and a Nynorsk count list built from this project's training text
(``models/langid_nn_words.tsv``), so the stage tells Norwegian from Danish and Swedish and leaves Bokmål vs
Nynorsk to the pair specialist. Candidates with no list (Belarusian, Kazakh, Marathi, languages a user
adds...) are scored as the best listed candidate: the stage never counts against a language it knows
nothing about (scoring them at the mean cost Serbian sentences 0.998 -> 0.978 before Serbian had its list).

The weight (0.6) and the floor (3e-7) were chosen on adjacent-word pairs drawn from SIB-200 *train* sentences,
and applying the stage at every length rather than under 40 letters only on SIB-200 train's whole sentences
(benchmarks/RESULTS.md); lists load lazily, once per language per process.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from itertools import repeat
from typing import Any

from ..errors import MissingDependencyError, ModelFileError

LEXICAL_WEIGHT = 0.6
FLOOR = 3e-7  # the probability of a word a language's list lacks (the small lists stop near 1e-6)
NN_DISCOUNT = 0.5  # absolute discount on the Nynorsk counts, so a word seen once weighs 0.5 / total
# lingua ranks only the candidates whose words' log-likelihood is within this of the best (a weight of at
# least exp(-0.6 * 12) = 7e-4 from the reweighting that follows)
SHORTLIST_MARGIN = 12.0
# our code -> wordfreq's (its Serbo-Croatian list "sh" is in Latin letters: Serbian Cyrillic is transliterated)
_WORDFREQ_CODE = {"nn": "nb", "tl": "fil", "hr": "sh", "bs": "sh", "sr": "sh"}
_SERBIAN_LATIN = str.maketrans(
    {
        **dict(zip("абвгдђежзијклмнопрстћуфхцчш", "abvgdđežzijklmnoprstćufhcčš", strict=True)),
        **{"љ": "lj", "њ": "nj", "џ": "dž"},
    }
)

_LOCK = threading.Lock()
# word -> log P(word | language), one table per language, rounded to a frequency bin of 5 centibels (a factor
# of 10 ** 0.05; 0.115 in log space) and floored at log(FLOOR). Every table's values are the same few hundred
# float objects of _BIN_VALUE, so 1.6 million entries for the 40 listed default languages cost a pointer
# each (a third less than a float each), and a text's log-likelihood is one C-level ``sum(map(...))``.
_BIN_CB = 5
_LISTS: dict[str, dict[str, float]] = {}
_BIN_LOGP = [-(b * _BIN_CB + _BIN_CB / 2) / 100 * math.log(10) for b in range(400)]
_LOG_FLOOR = math.log(FLOOR)
_BIN_VALUE = [max(logp, _LOG_FLOOR) for logp in _BIN_LOGP]


def _bin(freq: float) -> int:
    return min(int(-100 * math.log10(freq)) // _BIN_CB, len(_BIN_LOGP) - 1)


def _wordfreq() -> Any:
    try:
        import wordfreq
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise MissingDependencyError("wordfreq is missing: pip install wordfreq") from exc
    return wordfreq


@cache
def _available() -> frozenset[str]:
    return frozenset(_wordfreq().available_languages("small"))


def has_list(code: str) -> bool:
    """Whether the language ``code`` (ours) has a word list.

    >>> has_list("nn"), has_list("sr"), has_list("be")
    (True, True, False)
    """
    return _WORDFREQ_CODE.get(code, code) in _available()


@cache
def nynorsk_counts() -> tuple[dict[str, int], int]:
    """The shipped Nynorsk word counts and their total (``python -m cxsentiment.training langid --words``)."""
    ref = resources.files("cxsentiment.models").joinpath("langid_nn_words.tsv")
    try:
        counts = {}
        for line in ref.read_text("utf-8").splitlines():
            if line and not line.startswith("#"):
                word, n = line.split("\t")
                counts[word] = int(n)
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise ModelFileError(
            f"the Nynorsk word list could not be read from {ref} ({exc}); reinstall cxsentiment or rebuild it "
            "with `python -m cxsentiment.training langid --words`"
        ) from exc
    return counts, sum(counts.values())


def _list_key(code: str) -> str:
    """The list one of our codes reads: Bokmål and Nynorsk share "no" (merged with the Nynorsk counts),
    Croatian, Bosnian and Serbian share wordfreq's "sh"."""
    return "no" if code in ("nb", "nn") else _WORDFREQ_CODE.get(code, code)


def shares_list(a: str, b: str) -> bool:
    """Whether two of our codes read the same word list (so it cannot tell them apart).

    >>> shares_list("nb", "nn"), shares_list("ms", "id")
    (True, False)
    """
    return _list_key(a) == _list_key(b)


def _list(code: str) -> dict[str, float]:
    """Binned log-frequencies of one of our codes' list, loaded once per list (see :func:`_list_key`)."""
    key = _list_key(code)
    table = _LISTS.get(key)
    if table is None:
        with _LOCK:
            table = _LISTS.get(key)
            if table is None:
                # wordfreq's buckets: bucket i holds the words of frequency 10 ** (-i / 100)
                buckets = _wordfreq().get_frequency_list(_WORDFREQ_CODE.get(code, code), "small")
                bins = {w: i // _BIN_CB for i, bucket in enumerate(buckets) for w in bucket}
                if key == "no":
                    counts, total = nynorsk_counts()
                    for word, n in counts.items():
                        bins[word] = min(bins.get(word, len(_BIN_LOGP)), _bin((n - NN_DISCOUNT) / total))
                table = _LISTS[key] = {w: _BIN_VALUE[b] for w, b in bins.items()}
    return table


def log_likelihood(words: Sequence[str], code: str) -> float:
    """Sum of log P(word | language) over ``words`` (lower-cased), unknown words at the floor."""
    table = _list(code)
    if code == "sr":
        words = [w.translate(_SERBIAN_LATIN) for w in words]
    return sum(map(table.get, words, repeat(_LOG_FLOOR, len(words))))


def likelihoods(codes: Iterable[str], words: Sequence[str]) -> dict[str, float]:
    """:func:`log_likelihood` of ``words`` for each of ``codes`` that has a list; empty when there are no words.

    Computed once per text and shared by :func:`lexical_shortlist` and :func:`lexical_reweight`; codes that
    read the same list (nb and nn; hr and bs) share one sum.
    """
    if not words:
        return {}
    out: dict[str, float] = {}
    done: dict[tuple[str, bool], float] = {}
    for c in codes:
        if has_list(c):
            key = (_list_key(c), c == "sr")  # Serbian reads "sh" after transliteration
            if key not in done:
                done[key] = log_likelihood(words, c)
            out[c] = done[key]
    return out


def lexical_shortlist(pool: Sequence[str], ll: Mapping[str, float], margin: float = SHORTLIST_MARGIN) -> list[str]:
    """The candidates of ``pool`` whose log-likelihood ``ll`` (from :func:`likelihoods`) is within ``margin`` of
    the best one's.

    Run before lingua: a candidate that far behind would get a weight below
    exp(-LEXICAL_WEIGHT * margin) from :func:`lexical_reweight` anyway, and leaving it out spares lingua
    loading its models (about 25 MB a language). The two best always stay, so lingua still has a say;
    candidates with no list stay too; with no words, or words no list knows, every candidate stays.

    >>> pool = ["en", "es", "pt", "it", "fr"]
    >>> lexical_shortlist(pool, likelihoods(pool, ["obrigado", "pela"]))
    ['es', 'pt']
    """
    known = [ll[c] for c in pool if c in ll]
    if len(known) < 2:
        return list(pool)
    top = max(known)
    runner_up = sorted(known)[-2]  # at least two candidates stay, so lingua still weighs the answer
    return [c for c in pool if ll.get(c, top) >= min(top - margin, runner_up)]


def lexical_reweight(scores: Mapping[str, float], ll: Mapping[str, float]) -> dict[str, float]:
    """``scores`` (probabilities over candidates) multiplied by the word-frequency likelihood ``ll`` (from
    :func:`likelihoods`), renormalised.

    Unchanged when there are no words or fewer than two of the candidates have a list.

    >>> out = lexical_reweight({"es": 0.3, "pt": 0.7}, likelihoods(["es", "pt"], ["bancarios", "nadie"]))
    >>> out["es"] > 0.9
    True
    """
    known = {c: ll[c] for c in scores if c in ll}
    if len(known) < 2:
        return dict(scores)
    top = max(known.values())
    out = {c: p * math.exp(LEXICAL_WEIGHT * (known.get(c, top) - top)) for c, p in scores.items()}
    total = sum(out.values())
    return {c: v / total for c, v in out.items()} if total > 0 else dict(scores)
