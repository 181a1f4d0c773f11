"""Keyword evidence: which of a taxonomy's keywords a text contains.

A taxonomy's ``keywords`` are written as a person would put them in a search box: whole words
(``refund``), phrases (``money back``), stems (``доставк``, ``verspät``) and CJK words (``返金``). Matching:

* a phrase (it has a space) or a keyword in a script without spaces (Chinese, Japanese, Thai...) matches as a
  substring of the lower-cased text;
* a word matches a text word that equals it or adds ``s`` / ``es``; a keyword of 5 letters or more, or one in
  a non-Latin alphabet (Cyrillic, Greek, Arabic... stems) of 3 letters or more, also matches words that start
  with it (``verspätung`` matches ``verspätungen``; ``app`` does not match ``apple``);
* a word in double quotes, as in a search box, matches only itself (and ``s`` / ``es``): ``"support"`` matches
  "supports" but not "supporters", ``"precio"`` not "precioso". Use it where a longer word that starts with
  the keyword means something else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

__all__ = ["KeywordMatcher"]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# letters of scripts written without spaces between words (Thai, Lao, Myanmar, kana, Han, Hangul): no word boundaries
NO_SPACES = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def _latin(word: str) -> bool:
    return all(ch.isascii() or "\u00c0" <= ch <= "\u024f" for ch in word)


class KeywordMatcher:
    """``hits(texts)`` -> (n_texts, n_groups) booleans: does the text contain a keyword of each group?"""

    def __init__(self, groups: Sequence[Sequence[str]]) -> None:
        self.n_groups = len(groups)
        self._exact: dict[str, set[int]] = {}
        self._prefix: dict[str, set[int]] = {}
        self._substring: dict[str, set[int]] = {}
        for g, keywords in enumerate(groups):
            for raw in keywords:
                k = raw.strip().lower()
                exact = len(k) > 2 and k[0] == k[-1] == '"'
                k = k[1:-1].strip() if exact else k
                if not k:
                    continue
                if " " in k or NO_SPACES.search(k):
                    self._substring.setdefault(k, set()).add(g)
                else:
                    self._exact.setdefault(k, set()).add(g)
                    if not exact and (len(k) >= 5 or (len(k) >= 3 and not _latin(k))):
                        self._prefix.setdefault(k, set()).add(g)
        self._prefix_lengths = sorted({len(k) for k in self._prefix})

    def __bool__(self) -> bool:
        return bool(self._exact or self._substring)

    def groups_of(self, text: str) -> set[int]:
        low = text.lower()
        found: set[int] = set()
        for k, gs in self._substring.items():
            if k in low:
                found |= gs
        for m in _WORD.finditer(low):
            w = m.group(0)
            for cand in (w, w[:-1] if w.endswith("s") else "", w[:-2] if w.endswith("es") else ""):
                if cand in self._exact:
                    found |= self._exact[cand]
            for n in self._prefix_lengths:
                if n >= len(w):
                    break
                if w[:n] in self._prefix:
                    found |= self._prefix[w[:n]]
        return found

    def hits(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.n_groups), dtype=bool)
        for i, text in enumerate(texts):
            for g in self.groups_of(text):
                out[i, g] = True
        return out
