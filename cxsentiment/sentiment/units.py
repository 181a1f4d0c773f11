"""Cutting a comment into the units sentiment is scored on, with character offsets."""

from __future__ import annotations

import re

import numpy as np

from ..text import letter_evidence, sentence_spans

__all__ = ["UNIT_CHARS", "unit_weights", "units"]

# A comment up to this long is scored whole (a customer's few sentences read best together); a longer one
# is cut at sentence ends into groups up to this long, each scored and the results pooled. 600 characters
# are about 150-250 e5 tokens, well inside its 512-token window, so nothing is ever truncated.
UNIT_CHARS = 600
_SPACE = re.compile(r"\s")


def units(text: str, *, per_sentence: bool = False, limit: int = UNIT_CHARS) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the units of ``text``; every unit is at most ``limit`` characters.

    ``per_sentence=True`` makes each sentence its own unit (for per-sentence results). A sentence longer
    than ``limit`` is cut at the last whitespace before the limit (or at the limit, for text without spaces
    such as Japanese without punctuation).

    >>> t = "Waited two hours. Nobody answered! 対応が遅い。"
    >>> [t[a:b] for a, b in units(t)]
    ['Waited two hours. Nobody answered! 対応が遅い。']
    >>> [t[a:b] for a, b in units(t, per_sentence=True)]
    ['Waited two hours.', 'Nobody answered!', '対応が遅い。']
    """
    stripped = text.strip()
    if not stripped:
        return []
    if not per_sentence and len(text) <= limit:
        start = len(text) - len(text.lstrip())
        return [(start, start + len(stripped))]
    pieces: list[tuple[int, int]] = []
    for a, b in sentence_spans(text):
        pieces.extend(_cut(text, a, b, limit))
    if per_sentence:
        return pieces
    grouped: list[tuple[int, int]] = []
    for a, b in pieces:
        if grouped and b - grouped[-1][0] <= limit:
            grouped[-1] = (grouped[-1][0], b)
        else:
            grouped.append((a, b))
    return grouped


def unit_weights(text: str, cut: list[tuple[int, int]]) -> np.ndarray:
    """Each unit's share of a pooled result: its letters (CJK x3, :func:`~cxsentiment.text.letter_evidence`),
    at least 1, normalised to sum to 1.

    >>> unit_weights("Slow. Very slow delivery!", [(0, 5), (6, 25)]).round(3).tolist()
    [0.2, 0.8]
    """
    weights = np.array([max(1, letter_evidence(text[a:b])) for a, b in cut], dtype=np.float64)
    out: np.ndarray = weights / weights.sum()
    return out


def _cut(text: str, a: int, b: int, limit: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    while b - a > limit:
        window = text[a : a + limit]
        spaces = [m.start() for m in _SPACE.finditer(window)]
        cut = spaces[-1] if spaces and spaces[-1] > limit // 2 else limit
        out.append((a, a + cut))
        a += cut
        while a < b and text[a].isspace():
            a += 1
    if b > a:
        out.append((a, b))
    return out
