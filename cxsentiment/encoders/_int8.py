"""int8 matrix products on the CPU for torch models (the e5 models, a named Hugging Face model; ``dtype="int8"``).

Every ``nn.Linear`` becomes :class:`Int8Linear`: int8 weights, one scale per output row, multiplied with
int8 activations by fbgemm's dynamic-quantised product (``quantized::linear_dynamic``: activations quantised
on the fly, 7 bits on x86 so that AVX2's 16-bit pair sums cannot saturate). On an AVX2 CPU that product
runs about 2x float32 (2 cores, 1,920 x 384 x 1,536: 18 ms -> 10 ms), and the linear layers are three
quarters of e5-small's time.

Plain dynamic quantisation (one activation scale per tensor) changes e5's sentiment decisions on 16-18% of
comments: the ``<s>`` and ``</s>`` tokens carry activations about 11x a typical token's (33 against a median
of 2.9 at the input of layer 0's output projection), so one scale for the whole batch leaves ordinary
tokens a handful of levels. Two exact rewrites fix most of it:

- **one scale per token**: ``W x = r * W (x / r)`` with ``r`` the token's largest absolute activation, so
  each token is quantised over its own range (fbgemm's single scale then fits every token);
- **SmoothQuant** (Xiao et al., 2023): ``W x = (W diag(s)) (x / s)`` with ``s_j = a_j^alpha / w_j^(1-alpha)``
  from each input channel's largest activation ``a_j`` (measured on calibration text) and largest weight
  ``w_j``, which moves a few outlier channels' range from the activations into the weights.

Measured on the fine-tuned sentiment model: see ``benchmarks/RESULTS.md`` ("int8 on the CPU").

``torch.ao`` quantisation is deprecated upstream; these are its kernels, called directly. Where a torch
build lacks them, :func:`int8_supported` says so and the encoder raises with what to use instead.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from ..errors import ConfigError

__all__ = [
    "Int8Linear",
    "int8_supported",
    "linear_input_absmax",
    "quantize_calibrated",
    "quantize_linears",
    "require_int8",
]

SMOOTH_ALPHA = 0.5  # 0.3-0.5 best on 400 comments (argmax agreement with float32 0.990; 0.7: 0.978)


def int8_supported() -> bool:
    """Whether this torch build has fbgemm's dynamic int8 product (x86 builds up to at least 2.13)."""
    try:
        return "fbgemm" in torch.backends.quantized.supported_engines and hasattr(torch.ops.quantized, "linear_dynamic")
    except (AttributeError, RuntimeError):  # pragma: no cover - a build without the quantized ops
        return False


class Int8Linear(nn.Module):
    """``linear(x)`` with int8 weights and per-token int8 activations (see the module docstring).

    ``absmax``: each input channel's largest absolute activation on calibration text (SmoothQuant's
    ``a``); ``None`` skips the migration (per-token scaling only).
    """

    def __init__(self, linear: nn.Linear, absmax: torch.Tensor | None = None, alpha: float = SMOOTH_ALPHA) -> None:
        super().__init__()
        w = linear.weight.detach().float()
        self.in_features, self.out_features = linear.in_features, linear.out_features
        if absmax is None:
            s = torch.ones(self.in_features)
        else:
            a = absmax.detach().float().clamp(min=1e-5)
            s = (a**alpha / w.abs().amax(0).clamp(min=1e-5) ** (1.0 - alpha)).clamp(min=1e-5)
        w = w * s[None, :]
        scale = (w.abs().amax(1) / 127.0).clamp(min=1e-12).double()
        with warnings.catch_warnings():  # quantised tensor creation is deprecated upstream, still supported
            warnings.simplefilter("ignore")
            qw = torch.quantize_per_channel(w, scale, torch.zeros_like(scale, dtype=torch.long), 0, torch.qint8)
            self._packed = torch.ops.quantized.linear_prepack(qw, None)
        self.inv_s: torch.Tensor
        self.bias: torch.Tensor
        self.register_buffer("inv_s", (1.0 / s).contiguous())
        bias = linear.bias.detach().float() if linear.bias is not None else torch.zeros(self.out_features)
        self.register_buffer("bias", bias.clone())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x * self.inv_s
        r = x.abs().amax(-1, keepdim=True).clamp_(min=1e-12)
        y = torch.ops.quantized.linear_dynamic(x.div_(r), self._packed, True)
        return torch.addcmul(self.bias, y, r)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, int8"


def linear_input_absmax(model: nn.Module, run: Callable[[], Any]) -> dict[str, torch.Tensor]:
    """Each ``nn.Linear``'s largest absolute input per channel while ``run()`` drives ``model``."""
    seen: dict[str, torch.Tensor] = {}

    def hook(name: str) -> Callable[..., None]:
        def record(_: nn.Module, inputs: tuple[torch.Tensor, ...]) -> None:
            x = inputs[0].detach()
            m = x.reshape(-1, x.shape[-1]).abs().amax(0).float().cpu()
            seen[name] = torch.maximum(seen[name], m) if name in seen else m

        return record

    handles = [m.register_forward_pre_hook(hook(n)) for n, m in model.named_modules() if isinstance(m, nn.Linear)]
    try:
        run()
    finally:
        for h in handles:
            h.remove()
    return seen


def quantize_linears(model: nn.Module, absmax: dict[str, torch.Tensor] | None = None) -> int:
    """Replace every ``nn.Linear`` in ``model`` (in place) with :class:`Int8Linear`; returns how many.
    ``absmax`` from :func:`linear_input_absmax` (keyed by module name) turns on SmoothQuant."""
    targets = [(name, module) for name, module in model.named_modules() if isinstance(module, nn.Linear) and name]
    for name, module in targets:
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name) if parent_name else model
        setattr(parent, child, Int8Linear(module, None if absmax is None else absmax.get(name)))
    return len(targets)


def require_int8(device: str) -> None:
    """Raise a :class:`ConfigError` saying what to use where int8 cannot run (not a CPU, no fbgemm)."""
    if device != "cpu":
        raise ConfigError(
            f"dtype='int8' is a CPU path, and this model runs on {device}: use dtype='auto' (bfloat16 on a GPU "
            "for the e5 models) or device='cpu'"
        )
    if not int8_supported():
        raise ConfigError(
            "dtype='int8' needs torch's fbgemm int8 kernels, which this torch build lacks "
            "(pip install torch==2.13.0 on x86): use dtype='float32'"
        )


def quantize_calibrated(model: nn.Module, run: Callable[[], Any]) -> int:
    """Measure each linear layer's input ranges while ``run()`` drives ``model`` in float32, then replace
    the layers with calibrated :class:`Int8Linear` (in place); returns how many."""
    return quantize_linears(model, linear_input_absmax(model, run))
