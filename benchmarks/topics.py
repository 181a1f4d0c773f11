"""Topic and signal benchmark: topic micro/macro-F1 on the shared aspect sets against a keyword baseline,
a custom taxonomy built from GermEval 2017 dev categories (few examples each), complaint F1 and request F1.

    python benchmarks/topics.py --data ../shared/data [--encoder e5-small-torch-bf16.v1] [--shots 5]
                                [--parts builtin,fewshot,calibrated,signals] [--limit N] [--cal-rows N]

Every figure comes from the full Analyzer (clauses, vectors, heads), with the sentiment stage on because
topics carry aspect sentiment and signals read it. Test splits: HoASA / CaSA valid (their test labels are
masked upstream), our 10% review-id cut of the SemEval-2016 category XML, BANKING77 test; GermEval dev is
never used for training (licence), so all of it is test data here, bar the few examples per category.

``calibrated``: the built-in model fitted to the set's own labelled rows with :func:`cxsentiment.calibrate_topics`
(what a user with a labelled sample does), once with a threshold per topic (``fit_heads=False``) and once with
a head per topic (the default), against keywords learned from the same rows. Calibration rows:
HoASA / CaSA / BANKING77 train, the SemEval train cut (nothing is trained on SemEval; thresholds and heads
fitted here are not shipped), and for GermEval (dev only) one half of dev by text
hash, the other half being the test. ``--cal-rows`` caps the calibration rows per set (N rows by text hash).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

import cxsentiment as cx
from cxsentiment.encoders import Encoder, encoders
from cxsentiment.encoders._e5_torch import cpu_native_bfloat16
from cxsentiment.topics.baseline import KeywordBaseline
from cxsentiment.topics.discover import keywords_of
from cxsentiment.training import aspect_data as A
from cxsentiment.training.topics import f1_binary, topic_sets


def topic_counts(
    gold: Sequence[set[str]], pred: Sequence[set[str]], topics: Sequence[str]
) -> dict[str, tuple[int, int, int]]:
    """(true positives, false positives, false negatives) of each topic."""
    out = {}
    for t in topics:
        a = sum(1 for g, p in zip(gold, pred, strict=True) if t in g and t in p)
        b = sum(1 for g, p in zip(gold, pred, strict=True) if t not in g and t in p)
        c = sum(1 for g, p in zip(gold, pred, strict=True) if t in g and t not in p)
        out[t] = (a, b, c)
    return out


def scores(gold: Sequence[set[str]], pred: Sequence[set[str]], topics: Sequence[str]) -> tuple[float, float]:
    """Micro-F1, and macro-F1 over the topics the gold labels hold."""
    counts = topic_counts(gold, pred, topics).values()
    tp, fp, fn = (sum(c[k] for c in counts) for k in range(3))
    per = [2 * a / (2 * a + b + c) for a, b, c in counts if a + c]
    micro = 2 * tp / max(2 * tp + fp + fn, 1)
    return micro, float(np.mean(per)) if per else 0.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    # bfloat16 only where the CPU computes it natively (elsewhere torch emulates it, many times slower)
    ap.add_argument("--encoder", default="e5-small-torch-bf16.v1" if cpu_native_bfloat16() else "e5-small-torch.v1")
    ap.add_argument(
        "--shots", type=int, default=5, help="examples per category of the custom taxonomies (0: descriptions only)"
    )
    ap.add_argument("--limit", type=int, default=None, help="rows per set (a quick run)")
    ap.add_argument("--parts", default="builtin,fewshot,signals", help="builtin,fewshot,calibrated,signals")
    ap.add_argument("--cal-rows", type=int, default=None, help="calibration rows per set (calibrated part)")
    ap.add_argument(
        "--fallback-prior", type=float, default=0.0, help="custom taxonomies' fallback_prior (catch-all topics)"
    )
    args = ap.parse_args()
    root = Path(args.data)
    parts = set(args.parts.split(","))
    rows = []

    def run(name: str, texts: list[str], gold: list[set[str]], topics: list[str], az: cx.Analyzer,
            base: KeywordBaseline) -> None:  # fmt: skip
        texts, gold = texts[: args.limit], gold[: args.limit]
        t0 = time.perf_counter()
        got = [{m.topic for m in r.topics} & set(topics) for r in az.analyze_batch(texts)]
        secs = time.perf_counter() - t0
        kw = [p & set(topics) for p in base.predict(texts)]
        mi, ma = scores(gold, got, topics)
        bmi, bma = scores(gold, kw, topics)
        rows.append((name, len(texts), len(topics), mi, ma, bmi, bma, len(texts) / secs))
        print(
            f"{name:34s} {len(texts):5d} {len(topics):3d}  cx {mi:.3f}/{ma:.3f}  keywords {bmi:.3f}/{bma:.3f}",
            flush=True,
        )

    # 1. built-in taxonomy, each set's categories mapped to built-in topics; the baseline's keywords are
    # learned from the set's own training split (GermEval has none: the taxonomy's keyword lists)
    train = {s.name: s for s in topic_sets(root, "train")} if "builtin" in parts else {}
    az = cx.Analyzer(encoder=args.encoder, signals=False)
    tests = [A.hoasa(root, "valid"), A.casa(root, "valid"),
             *(A.semeval_categories(root, lang, dom, "test") for lang, dom in A._SEMEVAL_FILES),
             A.banking77(root, "test"), A.germeval(root, "dev")] if "builtin" in parts else []  # fmt: skip
    for s in tests:
        tr = train.get(s.name)
        base = (KeywordBaseline().fit(tr.texts, [set(r) for r in tr.topics()]) if tr is not None
                else KeywordBaseline.from_taxonomy(cx.load_taxonomy()))  # fmt: skip
        run(f"{s.name} (built-in)", s.texts, [set(r) for r in s.topics()], s.covered_topics, az, base)

    # 2. custom taxonomies from each set's own categories, `shots` examples per category; the rest is test
    def few_shot(s: A.AspectSet, label: str) -> None:
        cats = [c for c in s.categories if sum(c in r for r in s.aspects) >= args.shots + 2]
        order = sorted(range(len(s.texts)), key=lambda i: hashlib.sha1(s.texts[i].encode()).hexdigest())
        shots: dict[str, list[str]] = {c: [] for c in cats}
        used: set[int] = set()
        for i in order:
            for c in s.aspects[i]:
                if c in shots and len(shots[c]) < args.shots and i not in used:
                    shots[c].append(s.texts[i])
                    used.add(i)
        tax = {c: {"description": c.replace("_", " ").replace("#", " "), "examples": ex} for c, ex in shots.items()}
        rest = [i for i in range(len(s.texts)) if i not in used]
        if args.shots:
            kb = KeywordBaseline().fit([t for ex in shots.values() for t in ex],
                                       [{c} for c, ex in shots.items() for _ in ex])  # fmt: skip
        else:  # descriptions alone: the words of each category's name are its keywords
            kb = KeywordBaseline()
            kb.keywords_ = {c: tuple(w for w in keywords_of(d["description"]) if len(w) > 3) for c, d in tax.items()}
        taxonomy = {"topics": tax, "fallback_prior": args.fallback_prior} if args.fallback_prior else tax
        run(label, [s.texts[i] for i in rest], [set(s.aspects[i]) & set(cats) for i in rest], cats,
            cx.Analyzer(encoder=args.encoder, signals=False, taxonomy=taxonomy), kb)  # fmt: skip

    if "fewshot" in parts:
        few_shot(A.germeval(root, "dev"), f"germeval17 custom ({args.shots}-shot)")
        few_shot(A.hoasa(root, "valid"), f"hoasa custom ({args.shots}-shot)")
        few_shot(A.semeval_categories(root, "en", "restaurants", "test"), f"semeval en rest custom ({args.shots}-shot)")
    if "calibrated" in parts:
        memo = MemoEncoder.install(args.encoder)  # both variants read the same vectors: embed each text once
        for cal, test in calibration_pairs(root):
            memo.clear()
            cal = sample_rows(cal, args.cal_rows)
            covered = test.covered_topics
            labels = [set(r) & set(covered) for r in cal.topics()]
            az = cx.Analyzer(encoder=MemoEncoder.NAME, signals=False, sentiment=None)
            base = KeywordBaseline().fit(cal.texts, [set(r) for r in cal.topics()])
            gold = [set(r) for r in test.topics()]
            for fit_heads in (False, True):
                t0 = time.perf_counter()
                tuned = cx.calibrate_topics(az, cal.texts, labels, topics=covered, fit_heads=fit_heads)
                used = {t.name: (t.threshold, "head" if t.head else "") for t in tuned.topics if t.name in covered}
                print(f"{test.name}: {time.perf_counter() - t0:.0f} s, thresholds {used}", flush=True)
                # topic decisions do not read the sentiment stage
                tuned_az = cx.Analyzer(encoder=MemoEncoder.NAME, signals=False, taxonomy=tuned, sentiment=None)
                how = "heads fitted" if fit_heads else "thresholds calibrated"
                run(f"{test.name} (built-in, {how} on {cal.split})", test.texts, gold, covered, tuned_az, base)
            if cal.name == "germeval17":  # no train split: the taxonomy's keyword lists are a baseline too
                lists = KeywordBaseline.from_taxonomy(cx.load_taxonomy()).predict(test.texts)
                mi, ma = scores(gold, [p & set(covered) for p in lists], covered)
                print(f"  same rows, keywords from the taxonomy's lists: {mi:.3f} / {ma:.3f}", flush=True)
    if "signals" in parts:
        signals(root, args)
    print()
    print("| set | rows | topics | cx micro-F1 | cx macro-F1 | keyword micro-F1 | keyword macro-F1 | comments/s |")
    print("|---|---|---|---|---|---|---|---|")
    for name, n, k, mi, ma, bmi, bma, rate in rows:
        print(f"| {name} | {n} | {k} | {mi:.3f} | {ma:.3f} | {bmi:.3f} | {bma:.3f} | {rate:.0f} |")


class MemoEncoder:
    """The benchmark's encoder, remembering every vector it computed (the calibrated part scores each set's rows
    once per variant). It keeps the wrapped encoder's name, so the topic model's checks see the real one."""

    NAME = "benchmark-memo.v1"

    def __init__(self, inner: Encoder) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.memo: dict[str, np.ndarray] = {}

    @classmethod
    def install(cls, encoder: str) -> MemoEncoder:
        memo = cls(encoders.get(encoder)())
        encoders.register(cls.NAME, lambda **_: memo)
        return memo

    def clear(self) -> None:
        self.memo.clear()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self.memo]
        if todo:
            self.memo.update(zip(todo, self.inner.encode(todo), strict=True))
        return np.stack([self.memo[t] for t in texts])

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)


def sample_rows(s: A.AspectSet, n: int | None) -> A.AspectSet:
    """At most ``n`` rows of ``s`` in text-hash order (BANKING77's train file is sorted by intent: its first
    2,000 rows hold 17 of its 77 intents)."""
    if n is None or n >= len(s.texts):
        return s
    keep = sorted(sorted(range(len(s.texts)), key=lambda i: hashlib.sha1(s.texts[i].encode()).hexdigest())[:n])
    return dataclasses.replace(s, texts=[s.texts[i] for i in keep], aspects=[s.aspects[i] for i in keep])


def calibration_pairs(root: Path) -> list[tuple[A.AspectSet, A.AspectSet]]:
    """(labelled rows to calibrate on, test rows) per aspect set; GermEval's dev halves by text hash."""
    pairs = [(A.hoasa(root, "train"), A.hoasa(root, "valid")), (A.casa(root, "train"), A.casa(root, "valid"))]
    for lang, dom in A._SEMEVAL_FILES:
        pairs.append((A.semeval_categories(root, lang, dom, "train"), A.semeval_categories(root, lang, dom, "test")))
    pairs.append((A.banking77(root, "train"), A.banking77(root, "test")))
    ge = A.germeval(root, "dev")
    half = [int(hashlib.sha1(t.encode()).hexdigest(), 16) % 2 for t in ge.texts]

    def dev_half(h: int) -> A.AspectSet:
        rows = [i for i, x in enumerate(half) if x == h]
        return dataclasses.replace(ge, split=f"dev half {h}", texts=[ge.texts[i] for i in rows],
                                   aspects=[ge.aspects[i] for i in rows])  # fmt: skip

    pairs.append((dev_half(0), dev_half(1)))
    return pairs


def signals(root: Path, args: argparse.Namespace) -> None:
    """Complaint F1 on the complaints half (evaluation only) and request F1 on the app-review held-out slice."""
    texts, labels, domains = A.complaints(root)
    texts, labels, domains = texts[: args.limit], labels[: args.limit], domains[: args.limit]
    full = cx.Analyzer(encoder=args.encoder, topics=False)
    res = full.analyze_batch(texts)
    y = np.array(labels)
    pred = np.array([int(bool(r.signals and r.signals.complaint.flag)) for r in res])
    svc = np.array([not d.startswith("random") for d in domains])
    print()
    print("| complaints half | rows | complaint F1 | macro F1 | accuracy |")
    print("|---|---|---|---|---|")
    for name, m in (("9 service domains", svc), ("all (incl. random tweets)", np.ones(len(y), bool))):
        f_pos, f_neg = f1_binary(y[m], pred[m]), f1_binary(1 - y[m], 1 - pred[m])
        acc = float((y[m] == pred[m]).mean())
        print(f"| {name} | {int(m.sum())} | {f_pos:.3f} | {(f_pos + f_neg) / 2:.3f} | {acc:.3f} |")
    # the flag's trade-off: the same scores at other thresholds (README, "complaint threshold" table)
    score = np.array([r.signals.complaint.score if r.signals else 0.0 for r in res])
    shipped = full.signal_model.thresholds["complaint"] if full.signal_model else 0.5
    print()
    print("| complaint threshold | 9 service domains: F1 / precision / recall | non-complaints flagged "
          "| random tweets flagged |")  # fmt: skip
    print("|---|---|---|---|")
    for th in sorted({0.2, 0.3, 0.4, 0.5, 0.7, round(shipped, 2)}):
        p, ys = score[svc] >= th, y[svc] == 1
        prec = float((p & ys).sum() / max(1, p.sum()))
        rec = float((p & ys).sum() / max(1, ys.sum()))
        mark = " (default)" if abs(th - shipped) < 1e-6 else ""
        print(f"| {th:.2f}{mark} | {f1_binary(y[svc], p.astype(int)):.3f} / {prec:.3f} / {rec:.3f} | "
              f"{float(p[~ys].mean()):.1%} | {float((score[~svc] >= th).mean()):.1%} |")  # fmt: skip
    # requests: P3 'feature' sentences vs the rest and SHAH 'R' vs the rest, on the 10% slice training held out
    from cxsentiment.training.topics import _held_out

    for file, positive in (("P3", {"feature"}), ("SHAH", {"R", "M"})):
        t, lab = A.app_reviews(root, file)
        keep = [i for i in range(len(t)) if _held_out(t[i])]
        rr = full.analyze_batch([t[i] for i in keep])
        yy = np.array([int(lab[i] in positive) for i in keep])
        pp = np.array([int(bool(r.signals and r.signals.request.flag)) for r in rr])
        print(
            f"| request F1, {file} held-out slice | {len(keep)} | {f1_binary(yy, pp):.3f} | positives {int(yy.sum())} |"
        )


if __name__ == "__main__":
    main()
