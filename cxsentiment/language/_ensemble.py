"""The default backend ``cx-ensemble.v1``: script rules, cld2 first, lingua and trained specialists where
the first pass is known to be weak.

For one text:

1. letters are counted per Unicode script; kana mean Japanese, Han alone Chinese (Japanese if it holds kanji
   only Japanese writes, ``_kanji``), Hangul Korean, and
   other single-language scripts (Thai, Greek, Hebrew, Georgian...) name their language outright; Latin
   text full of Hindustani grammar words is Hindi or Urdu in Latin letters (``_romanised``);
2. in shared scripts (Latin, Cyrillic, Arabic, Devanagari) cld2 takes a first look. A long text (>= 40
   letters) that cld2 calls reliably, outside every confusable group, is settled there (fast path);
3. otherwise lingua, restricted to the candidates written in that script, ranks them (a long Latin text
   cld2 calls reliably but with a weak score: only the family of cld2's answer plus English). Word
   frequencies (``_lexical``: wordfreq's lists plus a Nynorsk list) first shortlist those candidates and
   then reweigh lingua's ranking: on a few words, or a tweet full of names and hashtags, vocabulary tells
   more than character n-grams. A long text
   cld2 puts in a confusable group gets lingua over that group only; when cld2 saw nothing but Norwegian
   there, the nb/nn pair decides, without lingua when the specialist and cld2 are decisive on their own;
4. when the leader is Malay or Indonesian, or Bokmål or Nynorsk, the pair's shipped specialist (a
   naive-Bayes table stacked with lingua, cld2 and, for Malay/Indonesian, wordfreq's two lists, trained on
   SIB-200 and NoReC) splits the pair's mass;
5. a market prior multiplies the probabilities. ``reliable`` means confidence >= 0.98; measured
   precision of reliable answers: 1.000 on SIB-200 dev, 0.996 on lingua word pairs (benchmarks/).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache

from ..types import Flag, Language
from ._cld2 import cld2_detect, cld2_pair_logodds
from ._codes import BY_SCRIPT, SCRIPT_OF, STATISTICAL
from ._common import BackendBase, Prepared, normalise, ranked, unknown
from ._kanji import japanese_probability
from ._lexical import lexical_reweight, lexical_shortlist, likelihoods
from ._lingua import lingua_pair_logodds, lingua_scores
from ._romanised import ROMANISED_HINDUSTANI, romanised_hindustani
from ._specialist import load_specialist, tokenize

LONG_LETTERS = 40
CLD2_FAST_SHARE = 0.9
# cld2's normalised score of its top language must reach this for the fast path: below it, fast-path
# accuracy fell to 0.91 (SIB-200 dev) and 0.80 (lingua sentences), against 0.97-0.98 above it.
CLD2_FAST_SCORE = 500.0
LINGUA_FAST_LETTERS = 60  # from this many letters lingua runs in low-accuracy (trigram) mode
NO_BAND = 0.55  # below this share of the Norwegian mass, neither Bokmål nor Nynorsk is named: "no"
# Below this share of the Malay + Indonesian mass the likelier of the two is named but flagged malay_undecided:
# answers under it were right 40-61% of the time (2026-12-07: ms/id short comments of the shared test splits,
# lingua's id word pairs, by band <0.55 / <0.6 / <0.7), above it 68-79% (0.7-0.8) and more.
MS_ID_BAND = 0.7
MIN_CONFIDENCE = 0.1  # below this calibrated confidence the answer is None ("ambiguous")
RELIABLE = 0.98
PAIRS = (("ms", "id", "ms_id"), ("nb", "nn", "nb_nn"))
ROMANISED_PATH = "romanised-hindustani"
# Groups where cld2 is wrong too often even on long sentences (SIB-200 dev: ms 0.83, id 0.88, nn 0.95),
# so lingua and a specialist take a closer look. Elsewhere cld2 is trusted on long text (ar, de, en, es,
# fr, pt, ja, zh, ru: >= 0.98 when it calls itself reliable).
CLD2_WEAK_GROUPS = (frozenset({"ms", "id"}), frozenset({"nb", "nn", "da", "sv"}))
# Log prior odds for the first language of each pair when the text says little. Bokmål is written by about
# 85-90% of Norwegians; a mild 65:35 prior helps short texts without hurting sentences. A Malay:Indonesian
# prior of 30:70 (speaker numbers) lifted word-pair Indonesian from 0.68 to 0.89 but cost SIB-200 dev
# Malay sentences 0.96 -> 0.92, so it is left neutral: pass expected=... for a market prior.
PAIR_PRIOR_LOGODDS = {"ms_id": 0.0, "nb_nn": math.log(0.65 / 0.35)}


# Latin-script families. A long text that cld2 calls reliably but with a weak score is nearly always in the
# family of cld2's answer, or English (cld2's usual wrong answer on accent-stripped text), so lingua ranks that
# family plus English instead of every Latin candidate (a third of the time on SIB-200 dev sentences). When
# cld2 says English, or a language outside these families, lingua ranks them all.
_LATIN_FAMILIES = (
    frozenset({"es", "pt", "gl", "ca", "it", "fr", "ro", "oc", "la", "eo", "eu"}),
    frozenset({"de", "nl", "af", "lb", "fy", "da", "sv", "nb", "nn", "is", "fo"}),
    frozenset({"pl", "cs", "sk", "hr", "bs", "sr", "sl"}),
    frozenset({"lt", "lv"}),
    frozenset({"fi", "et"}),
    frozenset({"ms", "id", "tl"}),
)
_FAMILY_OF = {c: fam | {"en"} for fam in _LATIN_FAMILIES for c in fam}


# Cyrillic letters each language's alphabet lacks: a text containing one rules that language out.
_NOT_IN_ALPHABET = {
    "ru": set("ђјљњћџѓќѕіїєґў"),
    "uk": set("ыэёъђјљњћџѓќѕў"),
    "be": set("ищъђјљњћџѓќѕїєґ"),
    "bg": set("ыэёђјљњћџѓќѕіїєґў"),
    "sr": set("ыэёъщйяюєїіґўѓќѕ"),
    "mk": set("ыэёъщйяюєїіґўђћ"),
    "kk": set("щђјљњћџѓќѕїєґў"),
}


def _alphabet_filter(text: str, pool: list[str]) -> list[str]:
    letters = set(text.lower())
    kept = [c for c in pool if not (letters & _NOT_IN_ALPHABET.get(c, set()))]
    return kept or pool


@lru_cache(maxsize=256)
def _pool(cands: frozenset[str], script: str | None) -> tuple[str, ...]:
    """The candidates written in ``script`` (computed once per candidate set and script)."""
    return tuple(sorted(c for c in cands if SCRIPT_OF.get(c) == script)) if script in STATISTICAL else ()


def length_bucket(letters: int) -> str:
    return "short" if letters < 15 else "medium" if letters < LONG_LETTERS else "long"


class EnsembleBackend(BackendBase):
    """Script rules + cld2 + lingua + pair specialists. Thread-safe; models load on first use."""

    name = "cx-ensemble.v1"

    def decide(self, prep: Prepared, cands: frozenset[str], prior: Mapping[str, float] | None) -> Language:
        dist, path = self.distribution(prep, cands)
        if not dist:
            return unknown(Flag.AMBIGUOUS, prep.script, self.name)
        return self._finish(dist, path, prep, prior)

    # -- the decision --------------------------------------------------------------------------------
    def distribution(self, prep: Prepared, cands: frozenset[str]) -> tuple[dict[str, float], str]:
        """Probabilities over the candidates and the name of the path that produced them."""
        script = prep.script
        if script == "Japanese" and "ja" in cands:
            return {"ja": 1.0}, "script"
        if script in ("Japanese", "Han"):
            han = [c for c in ("zh", "ja") if c in cands]
            if not han:
                return {}, "script"
            if len(han) == 1:
                return {han[0]: 1.0}, "script"
            ja = japanese_probability(prep.clean)  # kanji only Japanese (or Chinese) writes
            return {"zh": 1.0 - ja, "ja": ja}, "script"
        if script in BY_SCRIPT:
            code = BY_SCRIPT[script]
            return ({code: 1.0} if code in cands else {}), "script"
        if script == "Latin" and not cands.isdisjoint(ROMANISED_HINDUSTANI) and romanised_hindustani(prep.clean):
            return normalise({c: p for c, p in ROMANISED_HINDUSTANI.items() if c in cands}), ROMANISED_PATH
        pool = list(_pool(cands, script))
        if not pool:
            return {}, "script"
        if script == "Cyrillic":
            pool = _alphabet_filter(prep.clean, pool)
        if len(pool) == 1:
            return {pool[0]: 1.0}, "single"
        reliable, cld, cld_score = cld2_detect(prep.clean)
        # lingua's scores and the candidates they were computed over, reused for the pair below
        ling: dict[str, float] = {}
        lingua_pool: list[str] = []
        top = max(cld, key=cld.__getitem__) if cld else None
        confident = prep.letters >= LONG_LETTERS and reliable and top in pool and cld[top] >= CLD2_FAST_SHARE
        group = sorted(set().union(*(g for g in CLD2_WEAK_GROUPS if top in g)) & set(pool)) if confident else []
        if confident and len(group) < 2 and cld_score >= CLD2_FAST_SCORE:
            dist = {c: cld.get(c, 0.0) + 1e-4 for c in pool}
            path = "cld2"
        elif len(group) >= 2:
            named = {c for c in group if cld.get(c, 0.0) > 0.0} if len(group) > 2 else set()
            for a, b, _ in PAIRS:  # cld2 saw only one specialist pair's languages (Norwegian): that pair decides
                if named and named <= {a, b} <= set(group):
                    group = [c for c in group if c in (a, b)]
            if (fast := self._decisive_pair(prep, group, cld)) is not None:
                return fast
            # a closer look inside the confusable group, lingua and cld2 together
            ling = lingua_scores(prep.clean, group)
            lingua_pool = group
            dist = {c: ling.get(c, 0.0) * (cld.get(c, 0.0) + 0.05) for c in group}
            path = "group-long"
        else:
            # A sentence cld2 would have settled but for its weak score (e.g. Spanish with its accents
            # stripped) gets lingua's fast trigram mode, which is as good as the full one at that length.
            sentence = confident and prep.letters >= LINGUA_FAST_LETTERS
            if confident and script == "Latin" and top in _FAMILY_OF:
                pool = [c for c in pool if c in _FAMILY_OF[top]]
            ll = likelihoods(pool, tokenize(prep.clean, cleaned=True))
            if len(pool) > 2:  # candidates whose vocabulary the words are far from drop out
                pool = lexical_shortlist(pool, ll)
            dist = lingua_scores(prep.clean, pool, low_accuracy=sentence) if len(pool) > 1 else {pool[0]: 1.0}
            if len(dist) > 1:  # ... and the rest are reweighted by how common the words are in each
                dist = lexical_reweight(dist, ll)
            if not sentence:  # the pair specialists were stacked on the full models' scores
                ling, lingua_pool = dist, pool
            path = f"lingua-{length_bucket(prep.letters)}"
        dist = normalise(dist)
        if not dist:
            return {}, path
        leader = max(dist, key=dist.__getitem__)
        for a, b, name in PAIRS:
            if leader in (a, b) and a in dist and b in dist:
                spec = load_specialist(name)
                p = spec.probability(
                    prep.clean,
                    lingua_pair_logodds(prep.clean, a, b, ling if {a, b} <= set(lingua_pool) else None),
                    cld2_pair_logodds(cld, a, b),
                    prior_logodds=PAIR_PRIOR_LOGODDS[name],
                    cleaned=True,
                )
                mass = dist[a] + dist[b]
                dist[a], dist[b] = mass * p, mass * (1.0 - p)
                path = f"{name}-{length_bucket(prep.letters)}"
        return dist, path

    @staticmethod
    def _decisive_pair(prep: Prepared, group: list[str], cld: dict[str, float]) -> tuple[dict[str, float], str] | None:
        """A long text whose group is exactly one specialist's pair, settled without lingua when lingua could
        not change the answer (see :meth:`PairSpecialist.decisive`); ``None`` when lingua must look."""
        for a, b, name in PAIRS:
            if set(group) == {a, b}:
                p = load_specialist(name).decisive(
                    prep.clean, cld2_pair_logodds(cld, a, b), prior_logodds=PAIR_PRIOR_LOGODDS[name], cleaned=True
                )
                return None if p is None else ({a: p, b: 1.0 - p}, f"{name}-long-decisive")
        return None

    def _finish(self, dist: dict[str, float], path: str, prep: Prepared, prior: Mapping[str, float] | None) -> Language:
        if prior:
            dist = normalise({c: p * float(prior.get(c, 1.0)) for c, p in dist.items()}) or dist
        code = max(dist, key=lambda c: (dist[c], c))
        raw = dist[code]
        flags: tuple[str, ...] = (Flag.ROMANISED,) if path == ROMANISED_PATH else ()
        if code in ("nb", "nn") and "nb" in dist and "nn" in dist:
            mass = dist["nb"] + dist["nn"]
            if mass > 0 and raw / mass < NO_BAND:
                code, raw, flags = "no", mass, (Flag.NORWEGIAN_UNDECIDED,)
        elif code in ("ms", "id") and "ms" in dist and "id" in dist:
            mass = dist["ms"] + dist["id"]
            if mass > 0 and raw / mass < MS_ID_BAND:
                flags = (*flags, Flag.MALAY_UNDECIDED)
        confidence = raw
        alternatives = ranked(dist)
        if confidence < MIN_CONFIDENCE or math.isnan(confidence):
            return unknown(Flag.AMBIGUOUS, prep.script, self.name, alternatives)
        return Language(
            code=code,
            confidence=round(confidence, 4),
            script=prep.script,
            alternatives=alternatives,
            reliable=confidence >= RELIABLE,
            flags=flags,
            backend=self.name,
        )
