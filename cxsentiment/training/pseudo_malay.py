"""Pseudo-Malay training rows: Indonesian sentences with the words the two languages do not share swapped.

The sentiment model has no Malay training data (the only Malay sets here are for evaluation), so it read
Malay through its Indonesian training rows and missed where the two differ: "Staf sangat mesra" (Malay:
friendly) came out 93% negative, and words only Malay uses ("selesa", comfortable; "teruk", bad; "cekap",
efficient) were guesses. :func:`to_malay` rewrites an Indonesian sentence with the project's word list
(``lexicons/id_to_ms.tsv``: 164 Indonesian words and phrases with their Malaysian Malay equivalents), keeping
its label; Malay and Indonesian share most of their vocabulary and grammar, so a substituted sentence reads
as plausible Malay. ``finetune --pseudo-ms`` adds such copies of the SmSA training rows.

>>> to_malay("pelayanan nya ramah banget , makanan enak dan harga terjangkau .")
('perkhidmatan nya mesra sangat , makanan sedap dan harga berpatutan .', 5)
>>> to_malay("Kamar mandi kotor sih, AC rusak")
('Bilik air kotor, AC rosak', 3)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from itertools import pairwise

from .sentiment_data import Example

__all__ = ["judging", "pseudo_malay", "pseudo_malay_pairs", "substitutions", "to_malay"]

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_LONGEST = 3  # words in the longest phrase of the list


@cache
def _lexicon() -> tuple[dict[str, str], frozenset[str]]:
    text = resources.files("cxsentiment.training").joinpath("lexicons/id_to_ms.tsv").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    judging: set[str] = set()
    for line in text.splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        source, target, *mark = line.split("\t")
        table[source.strip().lower()] = target.strip()
        if mark and mark[0].strip() == "+":
            judging.add(source.strip().lower())
    return table, frozenset(judging)


def substitutions() -> dict[str, str]:
    """The word list: lower-case Indonesian word or phrase -> Malay ("" deletes a particle)."""
    return _lexicon()[0]


def judging() -> frozenset[str]:
    """The Indonesian words of the list that carry a judgement ("ramah", "rusak", ...)."""
    return _lexicon()[1]


def to_malay(text: str, table: dict[str, str] | None = None) -> tuple[str, int]:
    """``text`` with every listed Indonesian word or phrase replaced (longest match first, case of the first
    letter kept), and how many were replaced."""
    new, swapped = _swap(text, substitutions() if table is None else table)
    return new, len(swapped)


def _swap(text: str, table: dict[str, str]) -> tuple[str, list[str]]:
    """``text`` with the listed words replaced, and the (lower-case) words and phrases that were."""
    words = list(_WORD.finditer(text))
    out: list[str] = []
    swapped: list[str] = []
    pos = i = 0
    while i < len(words):
        for k in range(min(_LONGEST, len(words) - i), 0, -1):
            span = words[i : i + k]
            if any(text[a.end() : b.start()].strip() for a, b in pairwise(span)):
                continue  # a phrase's words are separated by spaces only
            key = " ".join(m.group().lower() for m in span)
            if key not in table:
                continue
            new = table[key]
            start, end = span[0].start(), span[-1].end()
            if not new:  # drop the particle and the space before it (or after it, at the start)
                if start > pos and text[start - 1] == " ":
                    start -= 1
                elif end < len(text) and text[end] == " ":
                    end += 1
            elif span[0].group()[0].isupper():
                new = new[0].upper() + new[1:]
            out += [text[pos:start], new]
            swapped.append(key)
            pos, i = end, i + k
            break
        else:
            i += 1
    out.append(text[pos:])
    return "".join(out), swapped


_CLAUSE_END = re.compile(r"\s[.,!?;]\s|\s[.!?]$")


def pseudo_malay(rows: Iterable[Example], min_substitutions: int = 1, clauses: bool = False) -> list[Example]:
    """Malay copies of Indonesian rows with at least ``min_substitutions`` words swapped (same labels).

    ``clauses``: also each clause (SmSA's text is tokenised: " , " and " . " separate them) of 2-25 words of a
    positive or negative review in which a judging word was swapped ("pelayan nya mesra"), with the review's
    label. A whole review rarely rests on one word, so it teaches little about "mesra" that its other words do
    not say already; such a clause does."""
    return [row for row, _ in pseudo_malay_pairs(rows, min_substitutions, clauses)]


def pseudo_malay_pairs(
    rows: Iterable[Example], min_substitutions: int = 1, clauses: bool = False
) -> list[tuple[Example, str]]:
    """:func:`pseudo_malay`'s rows, each with the Indonesian text it was made from (the whole review or the
    clause), which a teacher model reads to give the Malay copy a soft label (``finetune --distill``).

    >>> row = Example("pelayan nya ramah , kamar nya bersih .", 2, "id", "indonlu_smsa")
    >>> [(e.text, e.dataset, src) for e, src in pseudo_malay_pairs([row], clauses=True)]
    [('pelayan nya mesra , bilik nya bersih .', 'pseudo_ms', 'pelayan nya ramah , kamar nya bersih .'), \
('pelayan nya mesra', 'pseudo_ms_clause', 'pelayan nya ramah')]
    """
    table, judge = _lexicon()
    out = []
    for row in rows:
        text, swapped = _swap(row.text, table)
        if len(swapped) >= min_substitutions:
            out.append((Example(text, row.label, "ms", "pseudo_ms"), row.text))
        if not clauses or row.label == 1:
            continue
        whole = len(row.text.split())
        for part in _CLAUSE_END.split(row.text):
            n_words = len(part.split())
            if 2 <= n_words <= 25 and n_words < whole:
                new, used = _swap(part.strip(), table)
                if judge.intersection(used):
                    out.append((Example(new, row.label, "ms", "pseudo_ms_clause"), part.strip()))
    return out
