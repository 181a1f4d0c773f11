"""Train the language-ID group specialists (Malay vs Indonesian, Bokmål vs Nynorsk).

Data (train splits only; the licence reasoning is in models/langid_MODEL_CARD.md):

* SIB-200 / FLORES-200 ``train`` split: ``zsm_Latn``, ``ind_Latn``, ``nob_Latn``, ``nno_Latn``
  (701 professionally translated sentences each; CC BY-SA 4.0 text, Apache-2.0 repository).
* NoReC book reviews ``train`` split (``norec_doc_rated_subset``), split into sentences, nb/nn by the
  corpus' own language field (CC BY-NC 4.0; the NoReC authors allow commercial use of trained models).
* The contrastive word lists in ``training/lexicons/`` written for this project (CC0).

Malay sources with no stated licence (malaya_sentiment_ms) are used for evaluation only. Informal
Indonesian reviews were tried and dropped: with no informal Malay to balance them the table learned
"informal means Indonesian" (SIB-200 dev Indonesian recall fell from 0.96 to 0.69).
"""

from __future__ import annotations

import csv
import json
import random
import re
from collections import Counter
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import numpy as np

from ..language._cld2 import cld2_pair_logodds, cld2_scores
from ..language._lingua import lingua_pair_logodds
from ..language._specialist import BUCKETS, NGRAM_MAX, STACK_INPUTS, PairSpecialist, tokenize, word_features

ALPHA = 0.1
MIN_COUNT = 2
LEXICON_REPEAT = 3
WORD_WEIGHT = 5.0  # a whole word counts as much as five of its character n-grams
FOLDS = 5

PAIRS = {
    "ms_id": (("ms", "id"), ("zsm_Latn", "ind_Latn")),
    "nb_nn": (("nb", "nn"), ("nob_Latn", "nno_Latn")),
}

_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")


def _sib(data: Path, variety: str, split: str = "train") -> list[str]:
    path = data / "sib200_flores_topic_langid" / split / f"{variety}.tsv"
    with path.open(encoding="utf-8") as fh:
        return [r["text"] for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]


def _lexicon(name: str) -> list[tuple[str, str]]:
    text = resources.files("cxsentiment.training").joinpath(f"lexicons/{name}.tsv").read_text("utf-8")
    rows = []
    for line in text.splitlines():
        if line and not line.startswith("#"):
            word, label = line.split("\t")
            rows.append((word, label))
    return rows


def _norec_sentences(data: Path, split: str) -> list[tuple[str, str]]:
    rows = []
    with (data / "norec_doc_rated_subset" / f"{split}.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            for s in _SENT_SPLIT.split(doc["text"]):
                if len(s.split()) >= 4:
                    rows.append((s.strip(), doc["language"]))
    return rows


def extra_rows(data: Path, group: str, rng: random.Random) -> list[tuple[str, str]]:
    """Rows beyond SIB-200: the project's lexicons and, for nb/nn, NoReC sentences (balanced)."""
    rows: list[tuple[str, str]] = [(w, lab) for w, lab in _lexicon(group) for _ in range(LEXICON_REPEAT)]
    if group == "nb_nn":
        norec = _norec_sentences(data, "train")
        nn = [r for r in norec if r[1] == "nn"]
        nb = [r for r in norec if r[1] == "nb"]
        rng.shuffle(nb)
        rows += nn + nb[: len(nn)]
    return rows


def fit_table(rows: Iterable[tuple[str, str]], classes: tuple[str, str]) -> tuple[list[str], np.ndarray]:
    """Naive-Bayes log-odds of ``classes[0]`` per feature seen >= MIN_COUNT times (words scaled up)."""
    per_class: list[Counter[str]] = [Counter(), Counter()]
    for text, label in rows:
        counter = per_class[classes.index(label)]
        for w in tokenize(text):
            counter.update(word_features(w, NGRAM_MAX))
    total = per_class[0] + per_class[1]
    feats = sorted(f for f, n in total.items() if n >= MIN_COUNT)
    counts = np.array([[per_class[0].get(f, 0), per_class[1].get(f, 0)] for f in feats], dtype=np.float64)
    vocab = len(total)
    logp = np.log(counts + ALPHA) - np.log(counts.sum(axis=0) + ALPHA * vocab)
    weights = logp[:, 0] - logp[:, 1]
    weights[[f.startswith("w:") for f in feats]] *= WORD_WEIGHT
    keep = np.abs(weights) > 0.05
    return [f for f, k in zip(feats, keep, strict=False) if k], weights[keep].astype(np.float32)


def _snippet(text: str, rng: random.Random, n_words: int) -> str | None:
    words = text.split()
    if len(words) < n_words:
        return None
    i = rng.randrange(len(words) - n_words + 1)
    return " ".join(words[i : i + n_words])


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, iters: int = 50) -> np.ndarray:
    """Newton-Raphson logistic regression with an intercept (last coefficient); deterministic."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ w, -50, 50)))
        grad = xb.T @ (p - y) + l2 * w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + l2 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def _detector_logodds(text: str, a: str, b: str) -> tuple[float, float]:
    _, scores = cld2_scores(text)
    return lingua_pair_logodds(text, a, b), cld2_pair_logodds(scores, a, b)


def train_pair(data: Path, group: str, seed: int) -> tuple[PairSpecialist, dict[str, float]]:
    """Fit the table on all training rows and the stacker on out-of-fold table scores.

    SIB-200 is parallel (sentence i says the same thing in every language), so folds split by sentence
    index: a sentence and its translation are never on both sides of a fold.
    """
    (a, b), (va, vb) = PAIRS[group]
    rng = random.Random(seed)
    sib_a, sib_b = _sib(data, va), _sib(data, vb)
    extra = extra_rows(data, group, rng)
    order = list(range(len(sib_a)))
    rng.shuffle(order)
    fold_of = {i: k % FOLDS for k, i in enumerate(order)}
    feats_x: list[np.ndarray] = []
    labels: list[float] = []
    buckets: list[int] = []
    for k in range(FOLDS):
        fit_rows = [(sib_a[i], a) for i in range(len(sib_a)) if fold_of[i] != k]
        fit_rows += [(sib_b[i], b) for i in range(len(sib_b)) if fold_of[i] != k]
        feats, weights = fit_table(fit_rows + extra, (a, b))
        probe = PairSpecialist(
            (a, b), feats, weights, np.zeros((len(BUCKETS), len(STACK_INPUTS))), np.zeros(len(BUCKETS))
        )
        for i in (i for i in range(len(sib_a)) if fold_of[i] == k):
            for text, lab in ((sib_a[i], a), (sib_b[i], b)):
                # each held-out sentence, plus one 1-, 2- and 4-word snippet of it for short texts
                for piece in (text, _snippet(text, rng, 1), _snippet(text, rng, 2), _snippet(text, rng, 4)):
                    if piece:
                        x, bucket = probe.inputs(piece, *_detector_logodds(piece, a, b))
                        feats_x.append(x)
                        labels.append(1.0 if lab == a else 0.0)
                        buckets.append(bucket)
    x, y, bk = np.array(feats_x), np.array(labels), np.array(buckets)
    n_in = len(STACK_INPUTS)
    coef = np.zeros((len(BUCKETS), n_in))
    intercept = np.zeros(len(BUCKETS))
    correct = 0.0
    for i in range(len(BUCKETS)):
        sel = bk == i
        w = fit_logistic(x[sel], y[sel])
        coef[i], intercept[i] = w[:n_in], w[n_in]
        p = 1.0 / (1.0 + np.exp(-(x[sel] @ w[:n_in] + w[n_in])))
        correct += float(((p > 0.5) == (y[sel] > 0.5)).sum())
    all_rows = [(t, a) for t in sib_a] + [(t, b) for t in sib_b] + extra
    feats, weights = fit_table(all_rows, (a, b))
    model = PairSpecialist((a, b), feats, weights, coef, intercept)
    oof_acc = correct / len(y)
    return model, {"rows": len(all_rows), "features": len(feats), "oof_accuracy": oof_acc}


# The stacker's coefficients are rounded to this many decimals when saved: BLAS may sum in a different
# order from one run to the next (last-bit differences of about 1e-15), and rounding makes a rebuild
# reproduce the shipped file bit for bit.
STACK_DECIMALS = 9


def save(model: PairSpecialist, features: list[str], weights: np.ndarray, path: Path) -> None:
    """Write the specialist atomically as a compressed ``.npz`` of plain arrays (stacker rounded to
    ``STACK_DECIMALS``, so rebuilds are byte-identical)."""
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as fh:
        np.savez_compressed(
            fh,
            classes=np.array(model.classes),
            features=np.array(features),
            weights=weights.astype(np.float32),
            stack_coef=np.round(model.stack_coef.astype(np.float64), STACK_DECIMALS),
            stack_intercept=np.round(model.stack_intercept.astype(np.float64), STACK_DECIMALS),
            ngram_max=np.array(model.ngram_max),
        )
    tmp.replace(path)


def nynorsk_word_counts(data: Path) -> Counter[str]:
    """Word counts of the Nynorsk training text (SIB-200 nno train, NoReC train's Nynorsk sentences)."""
    counts: Counter[str] = Counter()
    for text in _sib(data, "nno_Latn"):
        counts.update(tokenize(text))
    for text, lang in _norec_sentences(data, "train"):
        if lang == "nn":
            counts.update(tokenize(text))
    return counts


def save_word_counts(counts: Counter[str], path: Path) -> None:
    """Write ``word<TAB>count`` lines, most frequent first (ties by word): deterministic, diffable."""
    lines = [
        "# Nynorsk word counts for cxsentiment's lexical language-ID stage: SIB-200 nno_Latn train (CC BY-SA 4.0)",
        "# and NoReC train's Nynorsk sentences (CC BY-NC 4.0, trained models may be used commercially).",
        "# Rebuilt by `python -m cxsentiment.training langid --words`.",
    ]
    lines += [f"{w}\t{n}" for w, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)


def train_all(
    data: str | Path, out: str | Path | None, seed: int = 13, words_only: bool = False
) -> dict[str, dict[str, float]]:
    """Rebuild the pair specialists and the Nynorsk word list (``words_only``: the list alone)."""
    data = Path(data)
    if not (data / "sib200_flores_topic_langid").is_dir():
        raise SystemExit(f"no shared datasets under {data}; pass --data PATH/TO/shared/data")
    out_dir = Path(out) if out else Path(str(resources.files("cxsentiment.models")))
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = nynorsk_word_counts(data)
    save_word_counts(counts, out_dir / "langid_nn_words.tsv")
    print(f"nn words: {len(counts)} distinct, {sum(counts.values())} tokens")
    report: dict[str, dict[str, float]] = {"nn_words": {"words": len(counts), "tokens": sum(counts.values())}}
    if words_only:
        return report
    for group in PAIRS:
        model, info = train_pair(data, group, seed)
        feats = sorted(model._index, key=model._index.__getitem__)
        save(model, feats, model._weights, out_dir / f"langid_{group}.npz")
        print(
            f"{group}: {info['rows']} rows, {info['features']} features, out-of-fold accuracy "
            f"{info['oof_accuracy']:.4f}\n  stacker per length bucket (table, lingua, cld2, wordfreq, intercept):\n"
            + np.array2string(np.hstack([model.stack_coef, model.stack_intercept[:, None]]), precision=3)
        )
        report[group] = info
    return report
