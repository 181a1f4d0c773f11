"""Language code tables: the default candidate set, scripts, confusable groups, code aliases."""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import UnknownLanguageError

# Languages decided by statistics inside their script (lingua + cld2 know all of these).
LATIN = (
    "en",
    "es",
    "pt",
    "fr",
    "de",
    "it",
    "nl",
    "ca",
    "sv",
    "da",
    "nb",
    "nn",
    "fi",
    "pl",
    "cs",
    "sk",
    "ro",
    "hu",
    "tr",
    "id",
    "ms",
    "tl",
    "vi",
    "hr",
)
CYRILLIC = ("ru", "uk", "bg", "be", "sr", "mk", "kk")
ARABIC = ("ar", "fa", "ur")
DEVANAGARI = ("hi", "mr")
# Languages told by their script alone (one candidate per script in the default set).
BY_SCRIPT: dict[str, str] = {
    "Japanese": "ja",
    "Han": "zh",
    "Hangul": "ko",
    "Thai": "th",
    "Greek": "el",
    "Hebrew": "he",
    "Georgian": "ka",
    "Armenian": "hy",
    "Bengali": "bn",
    "Tamil": "ta",
    "Telugu": "te",
    "Gujarati": "gu",
    "Gurmukhi": "pa",
    "Khmer": "km",
    "Lao": "lo",
    "Myanmar": "my",
    "Ethiopic": "am",
    "Sinhala": "si",
    "Kannada": "kn",
    "Malayalam": "ml",
}
STATISTICAL: dict[str, tuple[str, ...]] = {
    "Latin": LATIN,
    "Cyrillic": CYRILLIC,
    "Arabic": ARABIC,
    "Devanagari": DEVANAGARI,
}
DEFAULT_LANGUAGES: tuple[str, ...] = LATIN + CYRILLIC + ARABIC + DEVANAGARI + tuple(BY_SCRIPT.values())

SCRIPT_OF: dict[str, str] = {c: s for s, codes in STATISTICAL.items() for c in codes}
SCRIPT_OF.update({c: s for s, c in BY_SCRIPT.items()})

# Every language lingua can model (ISO 639-1), so users may add any of them to the candidates.
LINGUA_EXTRA_LATIN = (
    "af",
    "az",
    "bs",
    "cy",
    "eo",
    "et",
    "eu",
    "ga",
    "is",
    "la",
    "lg",
    "lt",
    "lv",
    "mi",
    "sl",
    "sn",
    "so",
    "sq",
    "st",
    "sw",
    "tn",
    "ts",
    "xh",
    "yo",
    "zu",
)
LINGUA_EXTRA_CYRILLIC = ("mn",)
for _c in LINGUA_EXTRA_LATIN:
    SCRIPT_OF[_c] = "Latin"
for _c in LINGUA_EXTRA_CYRILLIC:
    SCRIPT_OF[_c] = "Cyrillic"
SUPPORTED: frozenset[str] = frozenset(SCRIPT_OF)

# Groups where the first pass is not trusted and a closer look decides.
GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"ms", "id"}),
    frozenset({"nb", "nn", "da", "sv"}),
    frozenset({"ru", "uk", "bg", "be", "sr", "mk"}),
    frozenset({"es", "pt", "ca", "it"}),
    frozenset({"cs", "sk"}),
    frozenset({"hr", "sr", "bs", "sl"}),
    frozenset({"ar", "fa", "ur"}),
    frozenset({"hi", "mr"}),
)

ALIASES = {
    "no": ("nb", "nn"),
    "nob": ("nb",),
    "nno": ("nn",),
    "nor": ("nb", "nn"),
    "zsm": ("ms",),
    "msa": ("ms",),
    "may": ("ms",),
    "zlm": ("ms",),
    "ind": ("id",),
    "in": ("id",),
    "iw": ("he",),
    "heb": ("he",),
    "jpn": ("ja",),
    "rus": ("ru",),
    "zho": ("zh",),
    "chi": ("zh",),
    "cmn": ("zh",),
    "zh-hans": ("zh",),
    "zh-hant": ("zh",),
    "zh-cn": ("zh",),
    "zh-tw": ("zh",),
    "ara": ("ar",),
    "arb": ("ar",),
    "eng": ("en",),
    "spa": ("es",),
    "deu": ("de",),
    "ger": ("de",),
    "fra": ("fr",),
    "fre": ("fr",),
    "por": ("pt",),
    "pt-br": ("pt",),
    "pt-pt": ("pt",),
    "fil": ("tl",),
    "tgl": ("tl",),
    "dan": ("da",),
    "swe": ("sv",),
    "ukr": ("uk",),
    "kor": ("ko",),
    "tha": ("th",),
    "vie": ("vi",),
    "tur": ("tr",),
    "ita": ("it",),
    "nld": ("nl",),
    "dut": ("nl",),
    "pol": ("pl",),
    "fin": ("fi",),
    "hin": ("hi",),
    "ben": ("bn",),
    "fas": ("fa",),
    "per": ("fa",),
    "urd": ("ur",),
    "bul": ("bg",),
    "bel": ("be",),
    "ell": ("el",),
    "gre": ("el",),
    "ces": ("cs",),
    "cze": ("cs",),
    "ron": ("ro",),
    "rum": ("ro",),
    "hun": ("hu",),
    "en-us": ("en",),
    "en-gb": ("en",),
    "es-mx": ("es",),
    "fr-ca": ("fr",),
}


def resolve_codes(codes: Iterable[str]) -> tuple[str, ...]:
    """Normalise user-given codes (``"no"``, ``"zsm"``, ``"pt-BR"``...) to the ISO 639-1 set we detect. A locale
    or BCP-47 tag is read by its language subtag (``"nb-NO"``, ``"zh-Hant-TW"``, ``"fil_PH"``).

    >>> resolve_codes(["no", "MS", "zsm", "en-GB"])
    ('nb', 'nn', 'ms', 'en')
    >>> resolve_codes(["nb-NO", "zh-Hant-TW", "fil_PH", "nno-NO"])
    ('nb', 'zh', 'tl', 'nn')
    """
    out: list[str] = []
    for raw in codes:
        if not isinstance(raw, str):
            raise UnknownLanguageError(f"language codes are strings like 'ms' or 'nb', got {raw!r}")
        code = raw.strip().lower().replace("_", "-")
        primary = code.split("-", 1)[0]
        expanded = ALIASES.get(code) or ALIASES.get(primary) or (primary,)
        for c in expanded:
            if c not in SUPPORTED:
                raise UnknownLanguageError(
                    f"cannot detect language {raw!r}; use ISO 639-1 codes, one of: {', '.join(sorted(SUPPORTED))}"
                )
            if c not in out:
                out.append(c)
    return tuple(out)
