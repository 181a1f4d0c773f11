"""Topic discovery: do the clusters of a multilingual archive follow topics or languages, and what keywords name them.

    python benchmarks/discovery.py --data ../shared/data [--seeds 3] [--k 7,10]

1. SIB-200 *train* (the shared topic-classification set: the same FLORES sentences in 14 varieties, 7 topics).
   Each sentence id is given to one variety at random (seed 0), so the archive holds no translation pairs:
   about 700 sentences, about 50 a language. ``cx.TopicDiscovery`` clusters them with the languages it detects;
   the table gives the normalised mutual information (NMI) of the clusters with the topic (higher is better)
   and with the language (lower is better), mean over seeds, for the shipped centring (each language on its
   own mean) and for the one-mean centring used before 2026-12-07.
2. The keywords of the first clusters of the bundled sample (14 languages) and, when the shared data is there,
   of 1,200 English support tweets (complaints_twitter_en dev half) and 1,200 app-review sentences (SHAH).

SIB vectors come from the fp32 torch encoder (``e5-small-torch.v1``), embedded once; the keyword archives go
through ``cx.discover_topics`` with its default encoder.
"""

from __future__ import annotations

import argparse
import csv
import time
from importlib import resources
from pathlib import Path

import numpy as np

import cxsentiment as cx
from cxsentiment.encoders import encoders
from cxsentiment.topics import discover
from cxsentiment.training.aspect_data import sib_topic_archive


def nmi(a: list, b: list) -> float:
    """Normalised mutual information (arithmetic mean of the entropies, as scikit-learn's default)."""
    _, ia = np.unique(np.asarray(a, dtype=str), return_inverse=True)
    _, ib = np.unique(np.asarray(b, dtype=str), return_inverse=True)
    joint = np.zeros((ia.max() + 1, ib.max() + 1))
    np.add.at(joint, (ia, ib), 1)
    p = joint / joint.sum()
    pa, pb = p.sum(axis=1), p.sum(axis=0)
    nz = p > 0
    mi = float((p[nz] * np.log(p[nz] / np.outer(pa, pb)[nz])).sum())
    ha = -float((pa[pa > 0] * np.log(pa[pa > 0])).sum())
    hb = -float((pb[pb > 0] * np.log(pb[pb > 0])).sum())
    return mi / max((ha + hb) / 2, 1e-12)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--k", default="7,10")
    args = ap.parse_args()
    root = Path(args.data)
    encoder = encoders.get("e5-small-torch.v1")()
    if (root / "sib200_flores_topic_langid").is_dir():
        texts, topics, varieties = sib_topic_archive(root)
        t0 = time.perf_counter()
        vectors = encoder.encode(texts)
        print(f"SIB-200 train: {len(texts)} sentences, {len(set(varieties))} varieties, {len(set(topics))} topics "
              f"(embedded in {time.perf_counter() - t0:.0f} s)\n")  # fmt: skip
        print("| centring | k | NMI topic | NMI language |\n|---|---|---|---|")
        for name, min_comments in (("one mean for all (before)", 10**9), ("each language's own mean (shipped)", None)):
            keep = discover.MIN_LANGUAGE_COMMENTS
            if min_comments is not None:
                discover.MIN_LANGUAGE_COMMENTS = min_comments  # no language reaches it: one mean, as before
            try:
                for k in (int(x) for x in args.k.split(",")):
                    labels = [
                        cx.TopicDiscovery(k, seed=s).fit(texts, vectors=vectors).labels_ for s in range(args.seeds)
                    ]
                    by_topic = np.mean([nmi(topics, lab) for lab in labels])
                    by_language = np.mean([nmi(varieties, lab) for lab in labels])
                    print(f"| {name} | {k} | {by_topic:.3f} | {by_language:.3f} |", flush=True)
            finally:
                discover.MIN_LANGUAGE_COMMENTS = keep
    archives = {"bundled sample": _sample()}
    archives.update(_shared_archives(root))
    for name, texts in archives.items():
        found = cx.discover_topics(texts, 8, seed=0)
        print(f"\n{name} ({len(texts)} comments), 8 clusters, seed 0:")
        for t in found:
            print(f"  {t.size:4d}  {t.language or '-':3s}  {', '.join(t.keywords)}")


def _sample() -> list[str]:
    ref = resources.files("cxsentiment.data").joinpath("sample_comments.csv")
    with ref.open(encoding="utf-8") as fh:
        return [r["text"] for r in csv.DictReader(fh) if r["text"].strip()]


def _shared_archives(root: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    tweets = root / "complaints_twitter_en" / "complaints-data.dev-half.csv"
    if tweets.exists():
        with tweets.open(encoding="utf-8") as fh:
            out["support tweets"] = [row[1] for row in csv.reader(fh)][:1200]
    shah = root / "app_review_feedback_en" / "SHAH_sentences.csv"
    if shah.exists():
        with shah.open(encoding="utf-8") as fh:
            out["app-review sentences (SHAH)"] = [r["reviews"] for r in csv.DictReader(fh)][:1200]
    return out


if __name__ == "__main__":
    main()
