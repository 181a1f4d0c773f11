"""Sentence and script-segment splitting with character offsets (Japanese and Chinese included)."""

from __future__ import annotations

import itertools
import re

from .script import CJK_SCRIPTS, script_of

__all__ = ["clause_spans", "one_sentence", "script_segments", "sentence_spans"]

# A sentence ends at Western punctuation followed by space, at CJK full stops (no space needed), or at
# a line break; not at the full stop of an initial ("George W. Bush"). Every branch starts with its character
# class (the initial is checked by a lookbehind after the first mark), so the engine skips ahead to candidate
# characters instead of trying the lookbehind at every position: half the time of the lookbehind-first form,
# with the same matches.
_END = re.compile(r"(?:[.!?…](?<!(?<!\w)[A-Z].)[.!?…]*[\"'”’)\]]*(?=\s|$)|[。！？!?]+[」』”’）)]*|\n+)")

# Characters _END can start with, and what may follow them at the very end of a sentence.
_END_CHAR = re.compile(r"[.!?…。！？\n]")
_CLOSING = ".!?…。！？\"'”’)]」』）"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the sentences of ``text``, outer whitespace excluded.

    >>> t = "Waited 2 hours. Nobody answered! 対応が遅い。返金してください"
    >>> [t[a:b] for a, b in sentence_spans(t)]
    ['Waited 2 hours.', 'Nobody answered!', '対応が遅い。', '返金してください']
    >>> sentence_spans("John F. Kennedy flew. I did too.")
    [(0, 21), (22, 32)]
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        _add(text, start, m.end(), spans)
        start = m.end()
    _add(text, start, len(text), spans)
    return spans


def one_sentence(text: str) -> bool:
    """Whether ``text`` is at most one sentence; one regex search, cheaper than :func:`sentence_spans`.

    >>> one_sentence("Waited 2 hours!! "), one_sentence("Waited. Nobody came."), one_sentence("")
    (True, False, True)
    """
    body = text.rstrip()
    first = _END_CHAR.search(body)
    if first is None or not body[first.start() :].strip(_CLOSING):
        return True  # no sentence-ending character, or only the final run of them
    m = _END.search(text)
    return m is None or not text[m.end() :].strip()


def _add(text: str, a: int, b: int, spans: list[tuple[int, int]]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        spans.append((a, b))


def _family(ch: str) -> str | None:
    s = script_of(ch)
    if s is None:
        return None
    return "CJK" if s in CJK_SCRIPTS else s


def script_segments(text: str, start: int, end: int, min_letters: int = 8) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` where the script family changes (e.g. English quoted in Japanese).

    Runs with fewer than ``min_letters`` letters stay with their neighbours, so a brand name does not
    make a segment of its own.

    >>> t = "このアプリは Please try again later としか表示されない"
    >>> [t[a:b] for a, b in script_segments(t, 0, len(t))]
    ['このアプリは', 'Please try again later', 'としか表示されない']
    """
    runs: list[tuple[int, int, str, int]] = []  # (start, end, family, weight)
    for i in range(start, end):
        fam = _family(text[i])
        if fam is None:
            continue
        weight = 3 if fam == "CJK" else 1  # a CJK character carries about a word's worth of evidence
        if runs and runs[-1][2] == fam:
            a, _, _, w = runs[-1]
            runs[-1] = (a, i + 1, fam, w + weight)
        else:
            runs.append((i, i + 1, fam, weight))
    # Runs too small to stand alone join the previous run (the first one joins the next), then
    # neighbours of the same family merge.
    merged: list[tuple[int, int, str, int]] = []
    for run in runs:
        if merged and (run[3] < min_letters or merged[-1][2] == run[2]):
            a, _, fam, w = merged[-1]
            merged[-1] = (a, run[1], fam, w + run[3])
        elif merged and merged[-1][3] < min_letters:
            a, _, _, w = merged[-1]
            merged[-1] = (a, run[1], run[2], w + run[3])
        else:
            merged.append(run)
    if len(merged) <= 1:
        return [(start, end)]
    bounds = [start] + [r[0] for r in merged[1:]] + [end]
    out: list[tuple[int, int]] = []
    for a, b in itertools.pairwise(bounds):
        _add(text, a, b, out)
    return out


# Words that turn a sentence to a new judgement ("great food, but the waiter was rude"): a clause starts at
# them. Lower-case, matched as whole words for alphabetic scripts and as substrings for CJK.
_CONTRAST_WORDS = (
    "but", "however", "although", "though", "whereas", "except", "aber", "jedoch", "allerdings", "doch",
    "sondern", "mais", "cependant", "pourtant", "sauf", "pero", "sino", "aunque", "mas", "porém", "contudo",
    "ma", "però", "tuttavia", "maar", "echter", "men", "dog", "tapi", "tetapi", "namun", "cuma", "hanya saja",
    "sayangnya", "но", "а", "однако", "зато", "хотя", "ama", "fakat", "ancak", "lakin", "لكن", "ولكن", "لكنه",
)  # fmt: skip
_CJK_CONTRAST = (
    "しかし",
    "でも",
    "けど",
    "けれど",
    "ですが",
    "が、",
    "但是",
    "可是",
    "不过",
    "但",
    "却",
    "하지만",
    "그러나",
)
_CLAUSE_START = re.compile(
    r"(?:(?<=[\s,;:(\-–—])(?:" + "|".join(re.escape(w) for w in _CONTRAST_WORDS) + r")(?=[\s,]))"
    r"|(?:" + "|".join(re.escape(w) for w in _CJK_CONTRAST) + r")"
    r"|(?<=[;；、，,])",
    re.IGNORECASE,
)
MIN_CLAUSE_LETTERS = 8


def clause_spans(text: str, max_clauses: int = 16) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the clauses of ``text``: sentences, cut again before contrast words
    (but, aber, tapi, но, しかし, 但是...) and at commas and semicolons. A piece with fewer than
    ``MIN_CLAUSE_LETTERS`` letters joins its neighbour, so "Great food, but rude staff" keeps two clauses
    while "Yes, fine" stays one. At most ``max_clauses`` (the rest joins the last).

    >>> t = "The food was great but the waiter was rude. 部屋は綺麗でしたが、朝食は最悪でした。"
    >>> [t[a:b] for a, b in clause_spans(t)]
    ['The food was great', 'but the waiter was rude.', '部屋は綺麗でしたが、', '朝食は最悪でした。']
    """
    pieces: list[tuple[int, int]] = []
    for a, b in sentence_spans(text):
        cuts = [a] + [m.start() for m in _CLAUSE_START.finditer(text, a, b) if a < m.start() < b] + [b]
        sentence: list[tuple[int, int]] = []
        for x, y in itertools.pairwise(cuts):
            _add(text, x, y, sentence)
        merged: list[tuple[int, int]] = []
        for x, y in sentence:
            if merged and (
                _letters(text, x, y) < MIN_CLAUSE_LETTERS or _letters(text, *merged[-1]) < MIN_CLAUSE_LETTERS
            ):
                merged[-1] = (merged[-1][0], y)
            else:
                merged.append((x, y))
        pieces.extend(merged)
    if len(pieces) > max_clauses:
        pieces = [*pieces[: max_clauses - 1], (pieces[max_clauses - 1][0], pieces[-1][1])]
    return pieces


def _letters(text: str, a: int, b: int) -> int:
    n = 0
    for ch in text[a:b]:
        if ch.isalpha():
            n += 3 if "\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" else 1
    return n
