"""Customer-service sentiment: do complaints read negative, without praise and enquiries turning negative?

The shared sentiment sets are tweets, news-like review sentences and company reports; a customer who states a
failure without an emotional word ("My card has not arrived yet.") is neutral there. This benchmark measures
that axis for one or more sentiment models, side by side, on rows no shipped model trains on:

- BANKING77 test (3,080 queries): problem reports (``training.aspect_data.COMPLAINT_INTENTS``) read negative,
  enquiries read neutral / negative;
- the complaints half (English tweets to 9 companies' support, evaluation only): complaints read negative,
  non-complaints read negative, random tweets read negative;
- the bundled sample: how many comments get each label, and which labels change against the first model.

Usage: python benchmarks/service_sentiment.py [--data ../shared/data] [--models shipped,DIR,...] [--dtype float32]
       (``shipped`` = the default fine-tuned model; DIR = a folder written by ``training finetune --out``; the
       Malay variant is off for every model, so that the models compare like for like)
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import pandas as pd

import cxsentiment as cx
from cxsentiment.training.aspect_data import banking77, complaints, is_problem_intent


def share(labels: Sequence[str | None], label: str) -> str:
    return f"{sum(lab == label for lab in labels) / max(1, len(labels)):.3f}"


def labels(az: cx.Analyzer, texts: Sequence[str]) -> list[str | None]:
    return [r.sentiment.label if r.sentiment else None for r in az.analyze_batch(texts)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--models", default="shipped", help="comma-separated: shipped and/or `finetune --out` folders")
    ap.add_argument("--dtype", default="float32")
    ap.add_argument("--show", type=int, default=20, help="sample comments whose label changed, to print")
    args = ap.parse_args()
    root = Path(args.data)

    b77 = banking77(root, "test")
    problem = [is_problem_intent(next(iter(a))) for a in b77.aspects]
    texts, gold, domains = complaints(root)
    service = [not d.startswith("random") for d in domains]
    sample = pd.read_csv(Path(str(resources.files("cxsentiment.data").joinpath("sample_comments.csv"))), dtype=str)
    sample_texts = sample["text"].fillna("").tolist()

    rows: dict[str, list[str]] = {}
    first: list[str | None] | None = None
    changed: list[str] = []
    for model in args.models.split(","):
        az = cx.Analyzer(
            sentiment_model=None if model == "shipped" else model, sentiment_variants=False, topics=False,
            signals=False, dtype=args.dtype,
        )  # fmt: skip
        b, c, s = labels(az, b77.texts), labels(az, texts), labels(az, sample_texts)
        counts = Counter(lab for lab in s if lab)
        rows[model] = [
            share([x for x, p in zip(b, problem, strict=True) if p], "negative"),
            share([x for x, p in zip(b, problem, strict=True) if not p], "neutral"),
            share([x for x, p in zip(b, problem, strict=True) if not p], "negative"),
            share([x for x, g, v in zip(c, gold, service, strict=True) if v and g == 1], "negative"),
            share([x for x, g, v in zip(c, gold, service, strict=True) if v and g == 0], "negative"),
            share([x for x, v in zip(c, service, strict=True) if not v], "negative"),
            f"{counts['negative']} / {counts['neutral']} / {counts['positive']}",
        ]
        if first is None:
            first = s
        else:
            pairs = zip(sample_texts, first, s, strict=True)
            diff = [f"- {model}: {a} -> {z}: {t[:120]}" for t, a, z in pairs if a != z]
            rows[model].append(str(len(diff)))
            changed += diff[: args.show]
    n_problem, n_enquiry = sum(problem), len(problem) - sum(problem)
    n_c = sum(v and g == 1 for g, v in zip(gold, service, strict=True))
    n_nc = sum(v and g == 0 for g, v in zip(gold, service, strict=True))
    names = [
        f"BANKING77 test: problem reports read negative ({n_problem})",
        f"BANKING77 test: enquiries read neutral ({n_enquiry})",
        "BANKING77 test: enquiries read negative",
        f"complaints half, 9 domains: complaints read negative ({n_c})",
        f"complaints half, 9 domains: non-complaints read negative ({n_nc})",
        f"complaints half: random tweets read negative ({len(service) - n_c - n_nc})",
        f"bundled sample ({len(sample_texts)}): negative / neutral / positive",
        "bundled sample: labels changed against the first model",
    ]
    models = list(rows)
    print(f"| measure | {' | '.join(models)} |")
    print("|---|" + "---|" * len(models))
    for i, name in enumerate(names):
        print(f"| {name} | {' | '.join(rows[m][i] if i < len(rows[m]) else '-' for m in models)} |")
    if changed:
        print()
        print("\n".join(changed))


if __name__ == "__main__":
    main()
