"""L2-regularised logistic regression fitted with L-BFGS in torch (float64), as scikit-learn's ``lbfgs`` solver
would fit it: the objective is ``C * sum of log-losses + |w|^2 / 2`` (the bias is not penalised). The library
needs it in two places, the few-shot head of custom taxonomies and the per-topic heads fitted on a user's
labels, and keeps scikit-learn out of its dependencies.
"""

from __future__ import annotations

import numpy as np

__all__ = ["fit_binary", "fit_multinomial"]


def _fit(x: np.ndarray, y: np.ndarray, n_out: int, c: float, binary: bool) -> tuple[np.ndarray, np.ndarray]:
    import torch

    xt = torch.as_tensor(np.asarray(x), dtype=torch.float64)
    w = torch.zeros(xt.shape[1], n_out, dtype=torch.float64, requires_grad=True)
    b = torch.zeros(n_out, dtype=torch.float64, requires_grad=True)
    if binary:
        yt = torch.as_tensor(np.asarray(y, dtype=np.float64)).reshape(-1, 1)
    else:
        yt = torch.as_tensor(np.asarray(y), dtype=torch.long)
    opt = torch.optim.LBFGS([w, b], lr=1.0, max_iter=500, tolerance_grad=1e-9, line_search_fn="strong_wolfe")
    scale = 1.0 / (2.0 * c * max(len(xt), 1))  # the objective divided by C * n: same optimum, better conditioned

    def loss() -> torch.Tensor:
        opt.zero_grad()
        z = xt @ w + b
        if binary:
            data = torch.nn.functional.binary_cross_entropy_with_logits(z, yt)
        else:
            data = torch.nn.functional.cross_entropy(z, yt)
        out = data + (w * w).sum() * scale
        out.backward()  # type: ignore[no-untyped-call]
        return out

    opt.step(loss)  # type: ignore[no-untyped-call]
    return w.detach().numpy(), b.detach().numpy()


def fit_binary(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    """Weights (d,) and bias of a logistic regression of boolean ``y`` on rows ``x``.

    >>> x = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> w, b = fit_binary(x, np.array([False, False, True, True]), c=100.0)
    >>> bool(w[0] > 0), round(float(-b / w[0]), 1)  # the boundary lies between the classes
    (True, 1.5)
    """
    w, b = _fit(x, y, 1, c, binary=True)
    return w[:, 0], float(b[0])


def fit_multinomial(x: np.ndarray, y: np.ndarray, n_classes: int, c: float) -> tuple[np.ndarray, np.ndarray]:
    """Weights (d, n_classes) and biases (n_classes,) of a softmax regression of class indices ``y``."""
    return _fit(x, y, n_classes, c, binary=False)
