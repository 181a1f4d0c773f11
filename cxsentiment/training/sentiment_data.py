"""Loaders for the labelled sentiment sets in ``../shared/data`` (see each folder's SOURCE.md).

Every loader returns :class:`Example` rows with labels in the common schema (0 negative, 1 neutral,
2 positive). ``TRAINABLE`` lists the sets whose terms allow shipping a model trained on them; the others are
for evaluation only (the model card gives the reasoning per set).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["EVALUATION", "LABELS", "TRAINABLE", "Example", "Loader", "Rated", "banking77_service", "load", "norec_doc"]

LABELS = ("negative", "neutral", "positive")
_LABEL = {"negative": 0, "neutral": 1, "positive": 2}

XLMT_LANGS = {
    "arabic": "ar", "english": "en", "french": "fr", "german": "de",
    "hindi": "hi", "italian": "it", "portuguese": "pt", "spanish": "es",
}  # fmt: skip
SEMEVAL_LANGS = {
    "arabic": "ar",
    "dutch": "nl",
    "english": "en",
    "french": "fr",
    "russian": "ru",
    "spanish": "es",
    "turkish": "tr",
}


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    label: int
    lang: str
    dataset: str


@dataclass(frozen=True, slots=True)
class Rated:
    text: str
    rating: int  # 1-6 dice score
    lang: str


def _label(value: str) -> int:
    return _LABEL[value.strip().lower()]


def _bucket(key: str) -> int:
    """A stable 0-99 bucket for deterministic held-out slices."""
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16) % 100


def xlmt(root: Path, split: str) -> list[Example]:
    name = {"train": "train", "dev": "val", "test": "test"}[split]
    out = []
    for folder, lang in XLMT_LANGS.items():
        with (root / "xlmt_umsab_tweets" / folder / f"{name}.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                out.append(Example(row["text"], _label(row["label"]), lang, f"xlmt_{lang}"))
    return out


def norec_sentence(root: Path, split: str) -> list[Example]:
    rows = json.loads((root / "norec_sentence" / "3class" / f"{split}.json").read_text(encoding="utf-8"))
    return [Example(r["text"], _label(r["label"]), "no", "norec_sentence") for r in rows]


def indonlu_smsa(root: Path, split: str) -> list[Example]:
    """SmSA has train and valid only: valid is the test split here, and dev is a fixed 10% of train."""
    name = "valid" if split == "test" else "train"
    out = []
    with (root / "indonlu_smsa" / f"{name}_preprocess.tsv").open(encoding="utf-8") as fh:
        for text, label in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if split != "test" and (_bucket(text) < 10) != (split == "dev"):
                continue
            out.append(Example(text, _label(label), "id", "indonlu_smsa"))
    return out


def chabsa(root: Path, split: str) -> list[Example]:
    """Sentence polarity = the majority polarity of a sentence's opinions (ties dropped); documents are split
    80/10/10 into train/dev/test by a hash of their id."""
    want = {"train": range(0, 80), "dev": range(80, 90), "test": range(90, 100)}[split]
    out = []
    for path in sorted((root / "chabsa_ja" / "json").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if _bucket(doc["header"]["document_id"]) not in want:
            continue
        for sent in doc["sentences"]:
            votes = Counter(o["polarity"] for o in sent.get("opinions", []))
            top = votes.most_common(2)
            if not top or (len(top) == 2 and top[0][1] == top[1][1]):
                continue
            out.append(Example(sent["sentence"], _label(top[0][0]), "ja", "chabsa_ja"))
    return out


def nusax(root: Path, split: str) -> list[Example]:
    name = {"train": "train", "dev": "valid", "test": "test"}[split]
    out = []
    for folder, lang in (("indonesian", "id"), ("english", "en")):
        with (root / "nusax_senti" / folder / f"{name}.csv").open(encoding="utf-8") as fh:
            out += [Example(r["text"], _label(r["label"]), lang, f"nusax_{lang}") for r in csv.DictReader(fh)]
    return out


def semeval2016(root: Path, split: str) -> list[Example]:
    """Sentence level: the majority polarity of a sentence's aspect terms; sentences with a tie are dropped."""
    out = []
    for folder, lang in SEMEVAL_LANGS.items():
        votes: dict[str, Counter[str]] = {}
        with (root / "semeval2016_absa_multilingual" / folder / f"{split}.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                if row["polarity"] in _LABEL:
                    votes.setdefault(row["sentence"], Counter())[row["polarity"]] += 1
        for sentence, counter in votes.items():
            top = counter.most_common(2)
            if len(top) == 2 and top[0][1] == top[1][1]:
                continue
            out.append(Example(sentence, _LABEL[top[0][0]], lang, f"semeval2016_{lang}"))
    return out


def sentirueval(root: Path, split: str) -> list[Example]:
    out = []
    for domain in ("banks", "telecom"):
        with (root / "sentirueval2015_ru" / f"{domain}_{split}.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                if row["tweet_label"] in _LABEL:
                    out.append(Example(row["text"], _LABEL[row["tweet_label"]], "ru", f"sentirueval_{domain}"))
    return out


def malaya(root: Path, split: str) -> list[Example]:
    """Malay tweets (3-class) and news sentences (binary); no splits, so evaluation only (``split`` ignored)."""
    folder = root / "malaya_sentiment_ms"
    out = []
    with (folder / "supervised-twitter-politics__data.csv").open(encoding="utf-8") as fh:
        out += [
            Example(r["text"], _label(r["sentiment"]), "ms", "malaya_twitter")
            for r in csv.DictReader(fh, delimiter="\t")
        ]
    with (folder / "news-sentiment-data-v2.csv").open(encoding="utf-8") as fh:
        out += [Example(r["text"], _label(r["label"]), "ms", "malaya_news") for r in csv.DictReader(fh)]
    return out


def germeval(root: Path, split: str) -> list[Example]:
    """GermEval 2017 (Deutsche Bahn): only its dev split is here, used for evaluation."""
    out = []
    with (root / "germeval2017_db_de" / "dev.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 4 and row[3] in _LABEL:
                out.append(Example(row[1].strip('"'), _LABEL[row[3]], "de", "germeval2017"))
    return out


def banking77_service(root: Path, split: str, limit: int | None = None) -> list[Example]:
    """BANKING77 (CC BY 4.0) as customer-service sentiment: an intent that reports a problem ("my transfer has
    not arrived", ``aspect_data.COMPLAINT_INTENTS``) is negative, an enquiry neutral. ``train`` is BANKING77's
    train split minus a 10% hash slice, which is ``dev``; ``limit`` keeps the first rows in text-hash order."""
    from .aspect_data import banking77, is_problem_intent

    b77 = banking77(root, "train")
    rows = [
        Example(text, 0 if is_problem_intent(next(iter(aspects))) else 1, "en", "banking77")
        for text, aspects in zip(b77.texts, b77.aspects, strict=True)
        if (_bucket(text) < 10) == (split == "dev")
    ]
    rows.sort(key=lambda e: hashlib.sha1(e.text.encode("utf-8")).hexdigest())
    return rows[:limit] if limit is not None else rows


def norec_doc(root: Path, split: str) -> list[Rated]:
    with (root / "norec_doc_rated_subset" / f"{split}.jsonl").open(encoding="utf-8") as fh:
        return [Rated(r["text"], int(r["rating"]), r["language"]) for r in map(json.loads, fh)]


Loader = Callable[[Path, str], list[Example]]
TRAINABLE: dict[str, Loader] = {
    "xlmt": xlmt,
    "norec_sentence": norec_sentence,
    "indonlu_smsa": indonlu_smsa,
    "chabsa_ja": chabsa,
}
EVALUATION: dict[str, tuple[Loader, str]] = {  # loader and the split reported
    "xlmt": (xlmt, "test"),
    "norec_sentence": (norec_sentence, "test"),
    "indonlu_smsa": (indonlu_smsa, "test"),
    "chabsa_ja": (chabsa, "test"),
    "nusax_senti": (nusax, "test"),
    "semeval2016_absa": (semeval2016, "test"),
    "sentirueval2015_ru": (sentirueval, "test"),
    "malaya_sentiment_ms": (malaya, "all"),
    "germeval2017_db_de": (germeval, "dev"),
}


def load(name: str, root: Path, split: str) -> list[Example]:
    loader = TRAINABLE.get(name) or EVALUATION[name][0]
    return loader(root, split)
