"""Language-ID benchmark: accuracy per language, speed and memory per backend.

Data: SIB-200 dev (14 varieties), lingua's word pairs (14 languages), lingua's sentences (every language of
the default candidate set that lingua's test data has, Malay excluded: lingua's "ms" file is mostly
Indonesian web text), and short real comments: every text under 40 letters in the test (or, where there is
none, the evaluation-only) splits of the shared sentiment and aspect sets, scored per set (tweets, reviews,
news sentences; NoReC counts any Norwegian answer, nb, nn or no, as right since its labels do not split
them; xlmt's Hindi is left out, being romanised Hindi that no candidate covers).

Speed: texts/s over the whole set after one full pass (every lazily loaded model is in memory: steady state),
and the first pass (cold, models loading). For cx-ensemble.v1 both with and without per-sentence spans.
Memory: resident-set growth of a fresh process that imports cxsentiment and detects one comment, then one
short comment (its script's word lists load), then one comment in each of the benchmark's languages.

Usage: taskset -c 0 python benchmarks/language_id.py [--data ../shared/data] [--backends ...] [--per-language 500]
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from pathlib import Path

from cxsentiment.language import LanguageDetector

SIB = {
    "arb_Arab": "ar",
    "deu_Latn": "de",
    "eng_Latn": "en",
    "fra_Latn": "fr",
    "ind_Latn": "id",
    "jpn_Jpan": "ja",
    "nno_Latn": "nn",
    "nob_Latn": "nb",
    "por_Latn": "pt",
    "rus_Cyrl": "ru",
    "spa_Latn": "es",
    "zho_Hans": "zh",
    "zho_Hant": "zh",
    "zsm_Latn": "ms",
}
PAIR_LANGS = ["id", "nb", "nn", "ru", "ja", "en", "es", "de", "fr", "pt", "zh", "ar", "da", "sv"]


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


def sentences(data: Path, per_language: int) -> list[tuple[str, str, str]]:
    from cxsentiment.language._codes import DEFAULT_LANGUAGES

    rows = []
    for code in DEFAULT_LANGUAGES:
        path = data / "lingua_langid_testdata" / "sentences" / f"{code}.txt"
        if code == "ms" or not path.exists():
            continue
        lines = [line.strip() for line in path.open(encoding="utf-8") if line.strip()]
        rows += [(line, code, code) for line in lines[:per_language]]
    return rows


def short_comments(data: Path, max_letters: int = 40) -> list[tuple[str, str, str]]:
    """Texts of 3 to ``max_letters`` - 1 letters from the shared sets' test splits: (text, code(s), set)."""
    from cxsentiment.language._common import prepare

    def jsonl(path: Path, key: str = "text") -> list[str]:
        return [json.loads(line)[key] for line in path.open(encoding="utf-8") if line.strip()]

    def table(path: Path, delimiter: str = ",") -> list[str]:
        return [r["text"] for r in csv.DictReader(path.open(encoding="utf-8"), delimiter=delimiter)]

    sets: dict[str, tuple[str, list[str]]] = {}
    xlmt = {"arabic": "ar", "german": "de", "english": "en", "spanish": "es", "french": "fr", "italian": "it"}
    for folder, code in {**xlmt, "portuguese": "pt"}.items():
        sets[f"xlmt_{code}"] = (code, jsonl(data / "xlmt_umsab_tweets" / folder / "test.jsonl"))
    semeval = {"arabic": "ar", "dutch": "nl", "english": "en", "french": "fr", "russian": "ru", "spanish": "es"}
    for folder, code in {**semeval, "turkish": "tr"}.items():
        path = data / "semeval2016_absa_multilingual" / folder / "test.jsonl"
        sets[f"semeval_{code}"] = (code, sorted(set(jsonl(path, "sentence"))))
    smsa = data / "indonlu_smsa" / "valid_preprocess.tsv"
    sets["smsa_id"] = ("id", [line.split("\t")[0] for line in smsa.open(encoding="utf-8")])
    sets["nusax_id"] = ("id", table(data / "nusax_senti" / "indonesian" / "test.csv"))
    sets["nusax_en"] = ("en", table(data / "nusax_senti" / "english" / "test.csv"))
    malaya = data / "malaya_sentiment_ms"
    sets["malaya_tweets_ms"] = ("ms", table(malaya / "supervised-twitter-politics__data.csv", "\t"))
    sets["malaya_news_ms"] = ("ms", table(malaya / "news-sentiment-data-v2.csv"))
    norec = json.loads((data / "norec_sentence" / "3class" / "test.json").read_text(encoding="utf-8"))
    sets["norec_no"] = ("nb|nn|no", [r["text"] for r in norec])
    ru = data / "sentirueval2015_ru"
    sets["sentirueval_ru"] = ("ru", jsonl(ru / "banks_test.jsonl") + jsonl(ru / "telecom_test.jsonl"))
    return [
        (text, code, name)
        for name, (code, texts) in sets.items()
        for text in texts
        if 3 <= prepare(text).letters < max_letters
    ]


def run(det: LanguageDetector, rows: list[tuple[str, str, str]]) -> tuple[dict[str, float], float, float, float]:
    """Accuracy per group, cold texts/s, steady-state texts/s, precision of reliable answers."""
    texts = [t for t, _, _ in rows]
    start = time.perf_counter()
    det.detect_batch(texts)  # cold: lingua loads each language's models the first time it is a candidate
    cold = len(rows) / (time.perf_counter() - start)
    start = time.perf_counter()
    out = det.detect_batch(texts)
    rate = len(rows) / (time.perf_counter() - start)
    per: dict[str, list[int]] = {}
    rel = [0, 0]
    for lang, (_, code, group) in zip(out, rows, strict=True):
        ok = lang.code in code.split("|")
        per.setdefault(group, []).append(ok)
        if lang.reliable:
            rel[0] += ok
            rel[1] += 1
    return {g: sum(v) / len(v) for g, v in per.items()}, cold, rate, rel[0] / max(rel[1], 1)


_MEMORY_PROBE = """
import json, resource, sys
def rss():
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS")) / 1024
base = rss()
import cxsentiment as cx
after_import = rss()
cx.detect_language("Saya dah tunggu dua jam tapi tiada siapa yang jawab panggilan saya.")
one = rss()
cx.detect_language("Servis teruk, tiada jawapan")  # under 40 letters: every Latin candidate's word list loads
short = rss()
for text in json.loads(sys.argv[1]):
    cx.detect_language(text)
print(json.dumps({"import": after_import - base, "one": one - base, "short": short - base, "all": rss() - base}))
"""


def memory(samples: list[str]) -> dict[str, float]:
    """RSS growth in MB of a fresh interpreter: after import, after one comment, after one per language."""
    out = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE, json.dumps(samples)], capture_output=True, text=True, check=True
    )
    return dict(json.loads(out.stdout))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--backends", default="cx-ensemble.v1,cld2.v1,lingua.v1,langdetect.v1")
    ap.add_argument("--per-language", type=int, default=500, help="lingua sentences per language")
    args = ap.parse_args()
    data = Path(args.data)
    sets = (
        ("SIB-200 dev (14 varieties)", sib_dev(data)),
        ("lingua word pairs (14 languages)", word_pairs(data)),
        ("lingua sentences (default candidate languages)", sentences(data, args.per_language)),
        ("short comments (< 40 letters) from the shared test splits", short_comments(data)),
    )
    for name, rows in sets:
        groups = list(dict.fromkeys(g for _, _, g in rows))
        print(f"\n### {name}: {len(rows):,} texts, {len(groups)} languages\n")
        print("| backend | spans | mean | reliable precision | texts/s cold | texts/s | " + " | ".join(groups) + " |")
        print("|---" * (len(groups) + 6) + "|")
        configs = [(b, False) for b in args.backends.split(",")]
        if "cx-ensemble.v1" in args.backends:
            configs.insert(0, ("cx-ensemble.v1", True))
        for backend, spans in configs:
            det = LanguageDetector(backend=backend, spans=spans)
            acc, cold, rate, prec = run(det, rows)
            mean = sum(acc.values()) / len(acc)
            cells = " | ".join(f"{acc[g]:.3f}" for g in groups)
            print(
                f"| {backend} | {'on' if spans else 'off'} | {mean:.4f} | {prec:.4f} "
                f"| {cold:,.0f} | {rate:,.0f} | {cells} |",
                flush=True,
            )
    one_per_language = list({code: text for text, code, _ in sets[2][1]}.values())
    mem = memory(one_per_language)
    print("\n### Memory (RSS growth of a fresh process, MB)\n")
    print(
        "| after import | after one comment | then one short comment (< 40 letters) "
        f"| then one comment in each of {len(one_per_language)} languages |"
    )
    print("|---|---|---|---|")
    print(f"| {mem['import']:.0f} | {mem['one']:.0f} | {mem['short']:.0f} | {mem['all']:.0f} |")


if __name__ == "__main__":
    main()
