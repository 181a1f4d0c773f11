"""Language-ID benchmark: accuracy per language and texts/s per backend on SIB-200 dev and lingua word pairs.

Usage: python benchmarks/language_id.py [--data ../shared/data] [--backends cx-ensemble.v1,cld2.v1,...]
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

from cxsentiment.language import LanguageDetector

SIB = {"arb_Arab": "ar", "deu_Latn": "de", "eng_Latn": "en", "fra_Latn": "fr", "ind_Latn": "id",
       "jpn_Jpan": "ja", "nno_Latn": "nn", "nob_Latn": "nb", "por_Latn": "pt", "rus_Cyrl": "ru",
       "spa_Latn": "es", "zho_Hans": "zh", "zho_Hant": "zh", "zsm_Latn": "ms"}
PAIR_LANGS = "id nb nn ru ja en es de fr pt zh ar da sv".split()


def sib_dev(data: Path) -> list[tuple[str, str, str]]:
    rows = []
    for variety, code in SIB.items():
        with (data / "sib200_flores_topic_langid" / "dev" / f"{variety}.tsv").open(encoding="utf-8") as fh:
            rows += [(r["text"], code, variety) for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]
    return rows


def word_pairs(data: Path) -> list[tuple[str, str, str]]:
    rows = []
    for code in PAIR_LANGS:
        path = data / "lingua_langid_testdata" / "word-pairs" / f"{code}.txt"
        rows += [(line.strip(), code, code) for line in path.open(encoding="utf-8") if line.strip()]
    return rows


def run(det: LanguageDetector, rows: list[tuple[str, str, str]]) -> tuple[dict[str, float], float, float]:
    det.detect_batch([t for t, _, _ in rows[:50]])  # warm-up: lingua loads models lazily
    start = time.perf_counter()
    out = det.detect_batch([t for t, _, _ in rows])
    rate = len(rows) / (time.perf_counter() - start)
    per: dict[str, list[int]] = {}
    rel = [0, 0]
    for lang, (_, code, group) in zip(out, rows, strict=True):
        ok = lang.code == code
        per.setdefault(group, []).append(ok)
        if lang.reliable:
            rel[0] += ok
            rel[1] += 1
    return {g: sum(v) / len(v) for g, v in per.items()}, rate, rel[0] / max(rel[1], 1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--backends", default="cx-ensemble.v1,cld2.v1,lingua.v1,langdetect.v1")
    args = ap.parse_args()
    data = Path(args.data)
    for name, rows in (("SIB-200 dev (14 varieties)", sib_dev(data)), ("lingua word pairs (14 languages)", word_pairs(data))):
        print(f"\n### {name}\n")
        groups = list(dict.fromkeys(g for _, _, g in rows))
        print("| backend | mean | reliable precision | texts/s | " + " | ".join(groups) + " |")
        print("|---" * (len(groups) + 4) + "|")
        for backend in args.backends.split(","):
            det = LanguageDetector(backend=backend, spans=(backend == "cx-ensemble.v1"))
            acc, rate, prec = run(det, rows)
            mean = sum(acc.values()) / len(acc)
            cells = " | ".join(f"{acc[g]:.3f}" for g in groups)
            print(f"| {backend} | {mean:.4f} | {prec:.4f} | {rate:,.0f} | {cells} |", flush=True)


if __name__ == "__main__":
    main()
