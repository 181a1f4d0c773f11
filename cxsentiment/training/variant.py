"""Language variants of the fine-tuned sentiment model, stored as a low-rank difference from it.

``python -m cxsentiment.training variant --from DIR --language ms [--rank 16] [--out FOLDER]``

A variant is a ``finetune --init shipped`` run continued on one language's rows (for Malay: ``--pseudo-ms
--distill 1``, so it keeps the shipped model's answers elsewhere). Shipping it as a second int8 delta would
take another 21.7 MB; what it changed is close to low rank, so each weight matrix's difference from the
shipped model is kept as its top-``rank`` singular directions (``W_variant ~ W_shipped + B @ A``, ``A`` and
``B`` in float16: 2.8 MB for all twelve layers at rank 16). Biases, LayerNorms and the sentiment head are
kept whole. The file (``e5_finetuned.<language>.safetensors``, next to the delta) records the SHA-256 of
the delta it was taken against: a variant of another model is not applied to this one.

At run time (``sentiment/_finetuned.py``) a comment the language stage calls ``<language>``, with at least
``min_group_mass`` (0.99) of its probability on the language's confusable group (Malay and Indonesian), is
scored by the variant; the rest by the shipped model. The gate asks that the text be surely *in the group*,
not surely Malay: the Malay variant was distilled to keep the shipped model's Indonesian answers, so a
Malay/Indonesian mix-up costs little (SmSA 0.892 -> 0.891 with 40 of 1,260 Indonesian reviews routed),
while short Malay comments, which the detector rarely calls Malay *reliably*, are where the variant helps
("Staf sangat mesra.": 0.815 Malay, 0.185 Indonesian). Gating on ``reliable`` instead routed 37 of the 64
Malay-read check templates rather than 64 (malay_words 0.843 vs 0.863; RESULTS.md).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

from .finetune import CARD_FILE, DELTA_FILE, _load_delta, apply_delta, delta_folder

__all__ = [
    "VARIANT_FORMAT",
    "apply_variant",
    "extract_variant",
    "file_sha256",
    "low_rank_difference",
    "read_variant",
    "variant_file",
]

VARIANT_FORMAT = 1
_A, _B = ".lora_a", ".lora_b"  # B @ A is the difference of one weight matrix ([out, r] @ [r, in])
_HEAD_KEYS = ("head.weight", "head.bias")


def variant_file(language: str) -> str:
    """The variant's file name next to the delta: ``e5_finetuned.ms.safetensors``."""
    return DELTA_FILE.replace(".safetensors", f".{language}.safetensors")


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def low_rank_difference(tuned: dict[str, Any], start: dict[str, Any], rank: int) -> tuple[dict[str, Any], float]:
    """``tuned`` as a difference from ``start`` (state dicts of the same encoder layers): for every matrix the
    factors ``KEY.lora_a`` ``[rank, in]`` and ``KEY.lora_b`` ``[out, rank]`` (float16) of its best rank-``rank``
    approximation; every other tensor whole (float32). Also returns the share of the difference's squared
    Frobenius norm the factors keep, over all matrices.

    >>> import torch
    >>> g = torch.Generator().manual_seed(0)
    >>> start = {"w": torch.randn(6, 5, generator=g), "b": torch.zeros(6)}
    >>> change = torch.randn(6, 1, generator=g) @ torch.randn(1, 5, generator=g)  # rank 1
    >>> arrays, kept = low_rank_difference({"w": start["w"] + change, "b": torch.ones(6)}, start, rank=2)
    >>> sorted(arrays), round(kept, 3)
    (['b', 'w.lora_a', 'w.lora_b'], 1.0)
    """
    import torch

    out: dict[str, Any] = {}
    kept = total = 0.0
    for key, value in tuned.items():
        value = value.detach().float().cpu()
        if value.ndim != 2:
            out[key] = value.contiguous()
            continue
        d = value - start[key].detach().float().cpu()
        u, s, vh = torch.linalg.svd(d, full_matrices=False)
        r = min(rank, len(s))
        root = s[:r].sqrt()  # split the singular values evenly so neither factor's float16 range is strained
        out[key + _B] = (u[:, :r] * root).to(torch.float16).contiguous()
        out[key + _A] = (root[:, None] * vh[:r]).to(torch.float16).contiguous()
        kept += float((s[:r] ** 2).sum())
        total += float((s**2).sum())
    return out, (kept / total if total > 0 else 1.0)


def apply_variant(model: Any, arrays: dict[str, Any]) -> Any:
    """Add a variant's low-rank differences to ``model`` (the rebuilt fine-tuned BertModel) in place and copy
    its whole tensors; keys outside the model (the head) are ignored."""
    import torch

    state = model.state_dict()
    with torch.no_grad():
        for key, value in state.items():
            if key + _A in arrays:
                diff = arrays[key + _B].float() @ arrays[key + _A].float()
                value.add_(diff.to(value.dtype))
            elif key in arrays:
                value.copy_(arrays[key].to(value.dtype))
    return model


def read_variant(path: str | Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The arrays and card of a variant file (``ValueError`` when it is not one this version reads)."""
    from safetensors import safe_open
    from safetensors.torch import load_file

    with safe_open(str(path), framework="pt") as f:
        meta = f.metadata() or {}
    if meta.get("format") != str(VARIANT_FORMAT) or "card" not in meta:
        raise ValueError(f"{path}: not a cxsentiment variant of format {VARIANT_FORMAT}")
    return load_file(str(path)), json.loads(meta["card"])


def extract_variant(
    source: str | Path,
    language: str,
    *,
    rank: int = 16,
    min_group_mass: float = 0.99,
    against: str | Path = "shipped",
    out: str | Path | None = None,
) -> dict[str, Any]:
    """Write the variant file for ``language`` from the ``finetune --out`` folder ``source``, as a difference
    from the delta folder ``against`` (``"shipped"``: the package's); returns its card."""
    from safetensors.torch import save_file

    from ..encoders._e5_torch import build_e5_torch
    from ..language._codes import GROUPS
    from ..sentiment._finetuned import _copy_sharing_embeddings as _copy

    against_dir = delta_folder(against)
    out_dir = Path(out) if out else against_dir
    base, _ = build_e5_torch()
    start = apply_delta(_copy(base), _load_delta(against_dir)).state_dict()
    tuned_delta = _load_delta(source)
    tuned = apply_delta(_copy(base), tuned_delta).state_dict()
    layers = {k: v for k, v in tuned.items() if k.startswith("encoder.")}
    arrays, kept = low_rank_difference(layers, start, rank)
    arrays.update({k: tuned_delta[k].float().contiguous() for k in _HEAD_KEYS})
    trained = json.loads((Path(source) / CARD_FILE).read_text(encoding="utf-8"))
    card = {
        "format": VARIANT_FORMAT,
        "language": language,
        # routed: detected as `language` with >= min_group_mass on the group (the language alone outside groups)
        "gate": {
            "group": sorted(frozenset({language}).union(*(g for g in GROUPS if language in g))),
            "min_group_mass": min_group_mass,
        },
        "rank": rank,
        "energy_kept": round(kept, 4),
        "delta_sha256": file_sha256(against_dir / DELTA_FILE),
        "temperature": trained["temperature"],
        "date": date.today().isoformat(),
        "trained": {k: v for k, v in trained.items() if k not in ("dev_history", "test")},
        "dev_history": trained.get("dev_history"),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / variant_file(language)
    save_file(arrays, str(path), metadata={"format": str(VARIANT_FORMAT), "card": json.dumps(card)})
    card["file"] = str(path)
    card["megabytes"] = round(path.stat().st_size / 1e6, 2)
    return card
