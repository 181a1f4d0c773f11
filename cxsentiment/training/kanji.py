"""Kanji that only Japanese writes, and Han characters that only Chinese writes: ``models/langid_ja_kanji.txt``.

Japanese simplified many characters its own way after 1946 (shinjitai): 悪 where Chinese writes 恶 or 惡,
対 for 对 / 對, 気 for 气 / 氣. A comment written in kanji alone ("最悪", "接客態度最悪") has no kana to say
it is Japanese; these forms do. Chinese, in turn, writes forms Japanese never uses (买, 东, 這, 對). Built from:

* Japanese-only: OpenCC's ``JPVariants.txt`` (traditional form -> Japanese form; Apache-2.0; shipped in the
  ``opencc-python-reimplemented`` wheel, ``opencc/dictionary/``), minus every character of OpenCC's
  ``STCharacters.txt`` and ``TSCharacters.txt`` (simplified <-> traditional Chinese: forms Chinese writes too,
  乱, 来, 内...), minus characters whose summed word frequency in wordfreq's Chinese list is 1e-5 or more;
* Chinese-only: every character of those two OpenCC tables that is not a Japanese form of ``JPVariants.txt``
  and whose summed frequency in wordfreq's Japanese list is under 3e-6.

It also measures the rates the detector needs, on SIB-200 train: the share of Han characters on each list in
``jpn_Jpan`` and in ``zho_Hans`` + ``zho_Hant``; a list never seen in a language gets the rule-of-three bound
(3 / the characters counted). Rebuild:

    pip install opencc-python-reimplemented==0.1.7
    python -m cxsentiment.training kanji --data ../shared/data
"""

from __future__ import annotations

import unicodedata
from importlib import resources
from pathlib import Path

__all__ = ["build_kanji_list", "chinese_only_han", "japanese_only_kanji"]

MAX_OTHER_FREQ = 1e-5  # a Japanese-only form: its summed frequency in wordfreq's Chinese list stays under this
MAX_JA_FREQ = 3e-6  # a Chinese-only form: its summed frequency in wordfreq's Japanese list stays under this


def _opencc_dictionary() -> Path:
    try:
        import opencc  # opencc-python-reimplemented
    except ImportError as exc:
        raise SystemExit("needs OpenCC's tables: pip install opencc-python-reimplemented==0.1.7") from exc
    folder = Path(opencc.__file__).parent / "dictionary"
    if not (folder / "JPVariants.txt").exists():
        raise SystemExit(f"no JPVariants.txt in {folder}: install opencc-python-reimplemented==0.1.7")
    return folder


def _columns(path: Path) -> tuple[list[str], set[str]]:
    """The first characters of the right column (candidates) and every character of both columns."""
    right: list[str] = []
    every: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            left, targets = line.split("\t", 1)
            right.append(targets.split()[0])
            every |= set(left) | set("".join(targets.split()))
    return right, every


def _char_frequencies(lang: str) -> dict[str, float]:
    import wordfreq

    out: dict[str, float] = {}
    for word, freq in wordfreq.get_frequency_dict(lang, "small").items():
        for ch in word:
            out[ch] = out.get(ch, 0.0) + freq
    return out


def japanese_only_kanji(opencc_dir: Path) -> str:
    """The Japanese-only characters, sorted."""
    candidates, _ = _columns(opencc_dir / "JPVariants.txt")
    _, simplified = _columns(opencc_dir / "STCharacters.txt")
    _, traditional = _columns(opencc_dir / "TSCharacters.txt")
    zh = _char_frequencies("zh")
    chosen = {c for c in candidates if c not in simplified and c not in traditional and zh.get(c, 0.0) < MAX_OTHER_FREQ}
    return "".join(sorted(chosen))


def chinese_only_han(opencc_dir: Path) -> str:
    """The Chinese-only characters (simplified or traditional forms Japanese does not write), sorted."""
    _, chinese = _columns(opencc_dir / "STCharacters.txt")
    chinese |= _columns(opencc_dir / "TSCharacters.txt")[1]
    japanese_forms, _ = _columns(opencc_dir / "JPVariants.txt")
    ja = _char_frequencies("ja")
    chosen = {c for c in chinese if c not in japanese_forms and ja.get(c, 0.0) < MAX_JA_FREQ and _han([c])}
    return "".join(sorted(chosen))


def _han(text: str | list[str]) -> list[str]:
    return [c for c in text if unicodedata.name(c, "").startswith("CJK UNIFIED")]


def _rate(listed: set[str], chars: list[str]) -> float:
    """The share of ``chars`` on the list; the rule-of-three bound when none is."""
    seen = sum(c in listed for c in chars)
    return (seen or 3) / len(chars)


def build_kanji_list(data: Path, out: Path | None = None) -> dict[str, float]:
    """Write ``langid_ja_kanji.txt``: a header, the four rates, then each list on one line."""
    from .langid import _sib

    folder = _opencc_dictionary()
    ja_chars, zh_chars = japanese_only_kanji(folder), chinese_only_han(folder)
    ja_text = [c for t in _sib(data, "jpn_Jpan") for c in _han(t)]
    zh_text = [c for v in ("zho_Hans", "zho_Hant") for t in _sib(data, v) for c in _han(t)]
    rates = {
        "ja_in_ja": _rate(set(ja_chars), ja_text),
        "ja_in_zh": _rate(set(ja_chars), zh_text),
        "zh_in_ja": _rate(set(zh_chars), ja_text),
        "zh_in_zh": _rate(set(zh_chars), zh_text),
    }
    lines = [
        "# Han characters only Japanese writes (ja_chars) and only Chinese writes (zh_chars), for telling",
        "# kanji-only Japanese from Chinese. From OpenCC's JPVariants.txt, STCharacters.txt and TSCharacters.txt",
        f"# (Apache-2.0) and wordfreq's frequencies (Japanese-only: Chinese frequency under {MAX_OTHER_FREQ:g};",
        f"# Chinese-only: Japanese frequency under {MAX_JA_FREQ:g}). Rates: the share of Han characters on each list",
        f"# in SIB-200 train jpn_Jpan ({len(ja_text)} characters) and zho_Hans + zho_Hant ({len(zh_text)});",
        "# a list never seen in a language gets 3 / n.",
        "# Rebuilt by `python -m cxsentiment.training kanji` (cxsentiment/training/kanji.py).",
        *(f"{k}\t{v:.6f}" for k, v in rates.items()),
        f"ja_chars\t{ja_chars}",
        f"zh_chars\t{zh_chars}",
    ]
    path = out or Path(str(resources.files("cxsentiment.models"))) / "langid_ja_kanji.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(ja_chars)} Japanese-only, {len(zh_chars)} Chinese-only characters; rates {rates}")
    return {"ja_chars": len(ja_chars), "zh_chars": len(zh_chars), **rates}
