"""Hindi and Urdu written in Latin letters ("kya hua, haar bardaash nahi hua").

Romanised Hindustani is how much of South Asia types; no shipped detector knows it (cld2 and lingua read
Hindi and Urdu only in their own scripts), so it came out as whichever Latin language its letters resembled:
of the 870 xlmt Hindi test tweets the ensemble called 175 Malay (10 of them reliably), and many others
English, Tagalog, Indonesian or Turkish. Its grammar words are distinctive, so a text is taken for romanised
Hindustani when at least two different *strong* marker words (verbs, pronouns, postpositions and particles
that no default Latin-script language uses as words: "hai", "nahi", "kya", "mujhe"...) appear, and the
strong plus *weak* markers (short words other languages share: "ke", "ki", "se", "ye"...) make up at least a
quarter of its words (@mentions, #hashtags and links left out).

Measured (``benchmarks/language_id.py`` and RESULTS.md): none of 1,000-sentence lingua files in 75 languages,
their word pairs and single words, SIB-200's dev and train sentences, the malaya, SmSA, NusaX, Malay check
sets or the bundled sample is taken for it; 270 of the xlmt Hindi test tweets are (105 of the 175 once
called Malay). Hindi and Urdu cannot be told apart in Latin letters: the answer is ``hi`` at 0.6 with ``ur``
at 0.4 (never ``reliable``).
"""

from __future__ import annotations

import re

__all__ = ["ROMANISED_HINDUSTANI", "romanised_hindustani"]

_STRONG = frozenset(
    [
        "hai",
        "hain",
        "hoon",
        "hun",
        "hu",
        "nahi",
        "nahin",
        "nhi",
        "kya",
        "kyu",
        "kyun",
        "kyon",
        "bhi",
        "mein",
        "aur",
        "tha",
        "thi",
        "liye",
        "mujhe",
        "mujhko",
        "tujhe",
        "tujhko",
        "aap",
        "apna",
        "apni",
        "apne",
        "raha",
        "rahi",
        "rahe",
        "rha",
        "rhi",
        "karo",
        "karna",
        "karte",
        "karta",
        "karti",
        "bahut",
        "bohot",
        "bahot",
        "hota",
        "hoti",
        "hote",
        "hoga",
        "hogi",
        "gaya",
        "gayi",
        "gaye",
        "diya",
        "kiya",
        "kiye",
        "wala",
        "wali",
        "wale",
        "yaar",
        "hum",
        "humko",
        "humein",
        "unko",
        "usko",
        "isko",
        "iske",
        "uske",
        "jab",
        "toh",
        "agar",
        "lekin",
        "magar",
        "kuch",
        "kuchh",
        "kaise",
        "kaisa",
        "kitna",
        "kahan",
        "yahan",
        "wahan",
        "abhi",
        "sirf",
        "matlab",
        "accha",
        "acha",
        "achha",
        "pyar",
        "pyaar",
        "mera",
        "meri",
        "mere",
        "tera",
        "teri",
        "tere",
        "hamara",
        "tumhara",
        "unka",
        "uska",
        "iska",
        "jaisa",
    ]
)
_WEAK = frozenset(
    [
        "ke",
        "ki",
        "ka",
        "ko",
        "se",
        "ye",
        "yeh",
        "tu",
        "wo",
        "woh",
        "na",
        "to",
        "hi",
        "ho",
        "main",
        "mai",
        "ek",
        "jo",
        "par",
        "bhai",
        "ji",
        "yar",
        "ab",
        "sab",
        "aa",
        "kar",
    ]
)
ROMANISED_HINDUSTANI = {"hi": 0.6, "ur": 0.4}  # the distribution given to a text taken for it
_MIN_STRONG = 2  # different strong markers
_MIN_SHARE = 0.25  # strong + weak markers among the words
_WORD = re.compile(r"[^\W\d_]+")
_NOT_WORDS = re.compile(r"https?://\S+|[@#]\w+")
# a cheap first look: most texts have no strong marker at all and stop here
_ANY_STRONG = re.compile(r"\b(?:" + "|".join(sorted(_STRONG, key=len, reverse=True)) + r")\b", re.IGNORECASE)


def romanised_hindustani(text: str) -> bool:
    """Whether Latin-script ``text`` reads as Hindi or Urdu in Latin letters.

    >>> romanised_hindustani("kya hua??? haar bardaash nahi hua")
    True
    >>> romanised_hindustani("Staf sangat mesra dan membantu.")
    False
    >>> romanised_hindustani("Ho raha moritshwana ke ho bulela dikgomo")  # Sesotho: one strong marker
    False
    """
    if _ANY_STRONG.search(text) is None:
        return False
    words = _WORD.findall(_NOT_WORDS.sub(" ", text.lower()))
    strong = [w for w in words if w in _STRONG]
    if len(set(strong)) < _MIN_STRONG:
        return False
    weak = sum(w in _WEAK for w in words)
    return (len(strong) + weak) / len(words) >= _MIN_SHARE
