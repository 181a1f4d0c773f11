"""Text normalisation.

``normalize`` is what every stage sees: Unicode NFC, control characters replaced by spaces, no leading
or trailing whitespace. ``clean_for_detection`` further removes what says nothing about the language of a
comment: URLs, e-mail addresses, @mentions, digits, emoji and markup.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean_for_detection", "normalize"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2028\u2029\ufeff]")
# URLs, e-mail addresses, @mentions and markup, in one pass.
_NOISE = re.compile(
    r"(?:https?://|www\.)\S+"  # URLs
    r"|\S+@\S+\.\w+"  # e-mail addresses
    r"|(?<!\w)@\w+"  # @mentions
    r"|<[^>\n]{1,80}>|&[a-z]{2,8};|&#\d{1,6};",  # tags and entities
    re.IGNORECASE,
)
# Anything that is not a letter, a combining mark or an apostrophe/hyphen inside a word separates words.
_NON_WORD = re.compile(r"[\W\d_]+")
# Fullwidth forms of ASCII (what Japanese, Chinese and Korean input methods type: "ｓｅｒｖｉｃｅ　ｂａｄ") and the
# ideographic space: read as the ASCII letters they are, or they look like no language at all.
_FULLWIDTH = re.compile("[\u3000\uff01-\uff5e]")
_FULLWIDTH_MAP = str.maketrans({"\u3000": " ", **{chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}})
_SPACES = re.compile(r"\s+")


def _may_hold_noise(text: str) -> bool:
    """False when ``text`` cannot hold a match of ``_NOISE`` (each holds ``@``, ``<``, ``&``, ``://`` or
    ``www.`` in any case; "ww." in any case is looked for, a superset). Most comments hold none, and these
    substring tests take a quarter of the time of one regex search, itself 5x cheaper than ``_NOISE``."""
    return (
        "@" in text or "<" in text or "&" in text or "://" in text
        or "ww." in text or "WW." in text or "wW." in text or "Ww." in text
    )  # fmt: skip


def normalize(text: str) -> str:
    """NFC, control characters to spaces, outer whitespace stripped.

    >>> normalize("  Cafe\\u0301\\x00 ok ")
    'Café  ok'
    """
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub(" ", text)
    return text.strip()


def clean_for_detection(text: str) -> str:
    """Keep only the words that carry language evidence, separated by single spaces.

    >>> clean_for_detection("Order #123 late!! see https://x.co/a @shopsupport 😡😡")
    'Order late see'
    >>> clean_for_detection("ｓｅｒｖｉｃｅ　ｉｓ　ｂａｄ！")
    'service is bad'
    """
    if not text.isascii() and _FULLWIDTH.search(text):
        text = text.translate(_FULLWIDTH_MAP)
    if _may_hold_noise(text):
        text = _NOISE.sub(" ", text)
    return _NON_WORD.sub(" ", text).strip()
