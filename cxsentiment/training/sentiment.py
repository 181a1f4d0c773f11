"""Train the shipped sentiment heads on multilingual-e5-small vectors (``models/sentiment_heads.npz``).

Data: the train splits of the sets in ``sentiment_data.TRAINABLE`` (xlmt tweets in 8 languages, NoReC
sentences, IndoNLU SmSA, chABSA), tuned on their dev splits; the star head on NoReC book-review ratings
(train split). Licence reasoning per set: ``models/sentiment_MODEL_CARD.md``. Test splits are never read
here. Deterministic given ``--seed`` (one CPU thread, fixed initialisation and batch order).

Needs torch (``pip install torch==2.13.0``); embeddings are cached in ``--cache`` between runs.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..encoders import DEFAULT_ENCODER, encoders
from ..sentiment._heads import softmax
from ..sentiment.units import units
from .embed_cache import cached_embeddings
from .sentiment_data import TRAINABLE, Example, load, norec_doc

HIDDEN = 512
EPOCHS = 80
LR = 1e-3
WEIGHT_DECAY = 1e-4
DROPOUT = 0.2
BATCH = 256
STAR_DOCS = 1000  # NoReC train reviews the star head is fitted on (each ~4 units to embed; 3 parameters)
CLASS_BALANCE = 0.5  # sample weight ~ count(dataset, class) ** -CLASS_BALANCE


def macro_f1(
    y: Sequence[int] | np.ndarray, pred: Sequence[int] | np.ndarray, classes: Sequence[int] = (0, 1, 2)
) -> float:
    """Mean F1 over ``classes`` (a class never predicted nor present scores 0).

    >>> macro_f1([0, 1, 2, 2], [0, 1, 2, 1])
    0.7777777777777777
    """
    y, pred = np.asarray(y), np.asarray(pred)
    f1s = []
    for c in classes:
        tp = float(np.sum((pred == c) & (y == c)))
        fp = float(np.sum((pred == c) & (y != c)))
        fn = float(np.sum((pred != c) & (y == c)))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(f1s))


def _embed(encoder: Any, examples: list[Example], cache: Path | None, label: str) -> np.ndarray:
    return cached_embeddings(encoder, [e.text for e in examples], cache, label)


def _weights(examples: list[Example]) -> np.ndarray:
    counts = Counter((e.dataset.split("_")[0], e.label) for e in examples)
    w = np.array([counts[(e.dataset.split("_")[0], e.label)] ** -CLASS_BALANCE for e in examples])
    out: np.ndarray = w / w.mean()
    return out


def train_classifier(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, dev: dict[str, tuple[np.ndarray, np.ndarray]], seed: int
) -> tuple[dict[str, np.ndarray], list[dict[str, Any]]]:
    import torch

    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    model = torch.nn.Sequential(
        torch.nn.Dropout(DROPOUT),
        torch.nn.Linear(x.shape[1], HIDDEN),
        torch.nn.ReLU(),
        torch.nn.Dropout(DROPOUT),
        torch.nn.Linear(HIDDEN, 3),
    )
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)
    X, Y, W = torch.from_numpy(x), torch.from_numpy(y).long(), torch.from_numpy(w).float()
    gen = torch.Generator().manual_seed(seed)
    history: list[dict[str, Any]] = []
    best: tuple[float, dict[str, np.ndarray], int] | None = None
    for epoch in range(EPOCHS):
        model.train()
        order = torch.randperm(len(X), generator=gen)
        for i in range(0, len(X), BATCH):
            idx = order[i : i + BATCH]
            loss = (torch.nn.functional.cross_entropy(model(X[idx]), Y[idx], reduction="none") * W[idx]).mean()
            opt.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            opt.step()
        model.eval()
        scores = {}
        with torch.no_grad():
            for name, (dx, dy) in dev.items():
                scores[name] = macro_f1(dy, model(torch.from_numpy(dx)).argmax(1).numpy())
        mean = float(np.mean(list(scores.values())))
        history.append(
            {"epoch": epoch + 1, "dev_mean_macro_f1": round(mean, 4), **{k: round(v, 4) for k, v in scores.items()}}
        )
        if best is None or mean > best[0]:
            lin1: Any = model[1]
            lin2: Any = model[4]
            best = (
                mean,
                {
                    "w1": lin1.weight.detach().numpy().T.copy(),
                    "b1": lin1.bias.detach().numpy().copy(),
                    "w2": lin2.weight.detach().numpy().T.copy(),
                    "b2": lin2.bias.detach().numpy().copy(),
                },
                epoch + 1,
            )
    assert best is not None
    best[1]["best_epoch"] = np.array(best[2])
    return best[1], history


def _logits(p: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.maximum(x @ p["w1"] + p["b1"], 0) @ p["w2"] + p["b2"]
    return out


def fit_temperature(z: np.ndarray, y: np.ndarray) -> float:
    """The temperature minimising dev log-loss (a grid: robust and deterministic)."""
    grid = np.exp(np.linspace(np.log(0.3), np.log(5.0), 120))
    losses = [-np.mean(np.log(softmax(z / t)[np.arange(len(y)), y] + 1e-12)) for t in grid]
    return float(grid[int(np.argmin(losses))])


def _rank(a: np.ndarray) -> np.ndarray:
    order = a.argsort(kind="stable")
    ranks = np.empty(len(a))
    ranks[order] = np.arange(len(a))
    for v in np.unique(a):  # average ties
        m = a == v
        ranks[m] = ranks[m].mean()
    return ranks


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(_rank(np.asarray(a, float)), _rank(np.asarray(b, float)))[0, 1])


def doc_vectors(
    encoder: Any, texts: list[str], cache: Path | None, label: str
) -> tuple[np.ndarray, list[list[int]], np.ndarray]:
    """Unit vectors of long documents, with each document's unit rows and weights (letters)."""
    pieces: list[str] = []
    rows: list[list[int]] = []
    weights: list[int] = []
    for text in texts:
        cut = units(text)
        rows.append(list(range(len(pieces), len(pieces) + len(cut))))
        pieces += [text[a:b] for a, b in cut]
        weights += [b - a for a, b in cut]
    return cached_embeddings(encoder, pieces, cache, label), rows, np.array(weights, dtype=float)


def pooled_probs(
    heads: dict[str, np.ndarray], t: float, vecs: np.ndarray, rows: list[list[int]], weights: np.ndarray
) -> np.ndarray:
    p = softmax(_logits(heads, vecs) / t)
    return np.stack([np.average(p[r], axis=0, weights=weights[r]) for r in rows])


def train_all(
    data: str | Path, out: str | Path | None = None, cache: str | Path | None = None, seed: int = 13
) -> dict[str, Any]:
    root = Path(data)
    cache_dir = Path(cache) if cache else None
    out_dir = Path(out) if out else Path(str(resources.files("cxsentiment.models")))
    encoder = encoders.get(DEFAULT_ENCODER)()
    t0 = time.time()
    train: list[Example] = []
    dev: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    xs = []
    for name in TRAINABLE:
        ex = load(name, root, "train")
        train += ex
        xs.append(_embed(encoder, ex, cache_dir, f"{name}-train"))
        dex = load(name, root, "dev")
        dx = _embed(encoder, dex, cache_dir, f"{name}-dev")
        if name == "xlmt":  # one dev score per language, as the target is the mean over languages
            for lang in sorted({e.lang for e in dex}):
                m = np.array([e.lang == lang for e in dex])
                dev[f"xlmt_{lang}"] = (dx[m], np.array([e.label for e in dex])[m])
        else:
            dev[name] = (dx, np.array([e.label for e in dex]))
    x = np.concatenate(xs).astype(np.float32)
    y = np.array([e.label for e in train])
    heads, history = train_classifier(x, y, _weights(train), dev, seed)
    dz = np.concatenate([_logits(heads, dx) for dx, _ in dev.values()])
    dy = np.concatenate([dy for _, dy in dev.values()])
    temperature = fit_temperature(dz, dy)

    # the star head: expected rating from the pooled class probabilities, fitted on NoReC ratings
    doc_train = norec_doc(root, "train")[:STAR_DOCS]
    vecs, rows, weights = doc_vectors(encoder, [d.text for d in doc_train], cache_dir, "norec_doc-train")
    p = pooled_probs(heads, temperature, vecs, rows, weights)
    target = 1.0 + 4.0 * (np.array([d.rating for d in doc_train], float) - 1.0) / 5.0
    design = np.column_stack([np.ones(len(p)), p[:, 0], p[:, 2]])
    coef, *_ = np.linalg.lstsq(design, target, rcond=None)
    stars_w = np.zeros(x.shape[1] + 3, dtype=np.float32)
    stars_w[x.shape[1] + 0] = coef[1]
    stars_w[x.shape[1] + 2] = coef[2]
    report = {
        "date": date.today().isoformat(),
        "encoder": DEFAULT_ENCODER,
        "seed": seed,
        "train_rows": dict(Counter(e.dataset for e in train)),
        "best_epoch": int(heads["best_epoch"]),
        "temperature": round(temperature, 4),
        "stars": {
            "intercept": round(float(coef[0]), 4),
            "p_negative": round(float(coef[1]), 4),
            "p_positive": round(float(coef[2]), 4),
        },
        "dev_history": history,
        "seconds": round(time.time() - t0, 1),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    np.savez(
        out_dir / "sentiment_heads.npz",
        encoder=np.array(DEFAULT_ENCODER),
        w1=heads["w1"].astype(np.float32),
        b1=heads["b1"].astype(np.float32),
        w2=heads["w2"].astype(np.float32),
        b2=heads["b2"].astype(np.float32),
        temperature=np.array(temperature, dtype=np.float32),
        stars_w=stars_w,
        stars_b=np.array(coef[0], dtype=np.float32),
    )
    (out_dir / "sentiment_training.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return report
