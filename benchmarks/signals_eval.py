"""The seeded signals (churn risk, recommendation) and the complaint flag on comments written for the project.

``benchmarks/data/signals_eval.jsonl`` holds 210 short comments in 10 languages (en, de, fr, es, nb, ms, id,
ru, ja, zh), written for cxsentiment (2026-11-24) and taken from no dataset. Per language: 4 churn threats,
4 loyalty statements (several of them negated switching: "I will never switch from you"), 2 complaints
without a threat to leave, 2 would-recommend, 2 would-not-recommend and 2 polite thanks or requests, which
alternate between a ``dev`` and a ``test`` split within each language and category (so the two splits hold
different kinds of churn threat: dev "fed up, switching" and "close my account", test "the last time I buy
here" and "when my contract ends I'm gone"); and a ``holdout`` split of 5 more a language (2 threats, 2
loyalty statements, 1 complaint) in new phrasings, written after the seeds were chosen on dev, to measure
them on rows nothing was tuned on. No public labelled set exists for these signals, so this is the only
measure of them; it is small (one row moves a language's figure a lot) and the same people wrote the seeds,
so read it as a check of known failure modes, not as an estimate for other data. Licence: the project's.

``benchmarks/data/requests_eval.tsv`` (2026-12-07, the project's, written after the request phrases of
``cxsentiment/signals/_phrases.py``) holds 24 requests or suggestions and 24 complaints or thanks in 14 languages:
``--requests`` prints how many of each the request flag takes. ``--banking77 DIR`` checks churn risk on a public
set: BANKING77 test (``DIR/banking77_en/test.csv``, CC BY 4.0), whose ``terminate_account`` intent (40 rows) is
the customer asking to close the account and whose 76 other intents are not leaving.

    python benchmarks/signals_eval.py [--split dev|test|holdout|all] [--rows] [--requests] [--banking77 ../shared/data]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).parent / "data" / "signals_eval.jsonl"
REQUESTS = Path(__file__).parent / "data" / "requests_eval.tsv"


def load(split: str) -> list[dict]:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if split == "all" or r["split"] == split]


def auc(pos: list[float], neg: list[float]) -> float:
    """P(a random positive scores above a random negative), ties counting half."""
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def f1(gold: list[int], pred: list[bool]) -> float:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum((not g) and p for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def evaluate(rows: list[dict], results: list) -> dict[str, float]:
    churn = [r.signals.churn_risk for r in results]
    comp = [r.signals.complaint for r in results]
    rec = [r.signals.recommendation for r in results]
    out: dict[str, float] = {}
    gold = [r["churn"] for r in rows]
    pairs = list(zip(churn, gold, strict=True))
    out["churn AUC"] = auc([s.score for s, g in pairs if g], [s.score for s, g in pairs if not g])
    out["churn F1 (flag)"] = f1(gold, [s.flag for s in churn])
    loyal = [s for s, r in zip(churn, rows, strict=True) if r["category"] == "loyal"]
    out["loyalty rows flagged churn"] = sum(s.flag for s in loyal) / max(1, len(loyal))
    threats = [s for s, r in zip(churn, rows, strict=True) if r["category"] == "churn"]
    out["churn rows flagged churn"] = sum(s.flag for s in threats) / max(1, len(threats))
    labelled = [(s, r["recommend"]) for s, r in zip(rec, rows, strict=True) if r["recommend"]]
    right = [s.flag and s.label == ("would_recommend" if g == "yes" else "would_not_recommend") for s, g in labelled]
    out["recommendation: flagged with the right label"] = sum(right) / len(right) if right else float("nan")
    none = [s for s, r in zip(rec, rows, strict=True) if not r["recommend"]]
    out["recommendation flagged on other rows"] = sum(s.flag for s in none) / max(1, len(none))
    gold_c = [r["complaint"] for r in rows]
    out["complaint F1 (flag)"] = f1(gold_c, [s.flag for s in comp])
    kind = defaultdict(list)
    for s, r in zip(comp, rows, strict=True):
        kind[r["category"]].append(s.flag)
    for cat in ("thanks", "loyal", "rec"):
        out[f"complaint flagged on {cat}"] = sum(kind[cat]) / max(1, len(kind[cat]))
    return out


def requests(analyzer) -> None:
    """Request flags on the project-written requests and non-requests, per language."""
    lines = REQUESTS.read_text(encoding="utf-8").splitlines()[1:]
    rows = [line.split("\t") for line in lines if line.strip()]
    results = analyzer.analyze_batch([r[2] for r in rows])
    by_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for (gold, lang, _), res in zip(rows, results, strict=True):
        cell = by_lang[lang]
        cell[0 if gold == "1" else 2] += 1
        cell[1 if gold == "1" else 3] += int(res.signals.request.flag)
    print("\n| language | requests flagged | complaints or thanks flagged |\n|---|---|---|")
    for lang, (n, k, m, j) in by_lang.items():
        print(f"| {lang} | {k} / {n} | {j} / {m} |")
    tot = [sum(c[i] for c in by_lang.values()) for i in range(4)]
    print(f"| all | {tot[1]} / {tot[0]} | {tot[3]} / {tot[2]} |")


def banking77(analyzer, root: Path) -> None:
    """Churn risk on BANKING77 test: terminate_account against the 76 other intents."""
    from cxsentiment.training.aspect_data import banking77 as load_banking77

    test = load_banking77(root, "test")
    churn = [r.signals.churn_risk for r in analyzer.analyze_batch(test.texts)]
    gold = ["terminate_account" in intents for intents in test.aspects]
    pos = [c.score for c, g in zip(churn, gold, strict=True) if g]
    neg = [c.score for c, g in zip(churn, gold, strict=True) if not g]
    flagged = [c.flag for c in churn]
    hit = sum(f for f, g in zip(flagged, gold, strict=True) if g)
    false = sum(f for f, g in zip(flagged, gold, strict=True) if not g)
    score = f1([int(g) for g in gold], flagged)
    print(f"\nBANKING77 test, churn risk: terminate_account flagged {hit} / {len(pos)}, other intents flagged "
          f"{false} / {len(neg)}, F1 {score:.3f}, ROC AUC {auc(pos, neg):.3f}")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="test", choices=("dev", "test", "holdout", "all"))
    ap.add_argument("--rows", action="store_true", help="print every row's scores")
    ap.add_argument("--requests", action="store_true", help="also the request flag on requests_eval.tsv")
    ap.add_argument("--banking77", type=Path, metavar="DATA", help="also churn risk on DATA/banking77_en/test.csv")
    args = ap.parse_args()
    import cxsentiment as cx

    rows = load(args.split)
    analyzer = cx.Analyzer(topics=False)
    results = analyzer.analyze_batch([r["text"] for r in rows])
    if args.rows:
        for r, res in zip(rows, results, strict=True):
            s = res.signals
            print(f"{r['id']:<16} churn {s.churn_risk.score:.2f} rec {s.recommendation.label or '-':<19} "
                  f"{s.recommendation.score:.2f} complaint {s.complaint.score:.2f} "
                  f"{res.sentiment.label if res.sentiment else '-':<8} {r['text'][:60]}")  # fmt: skip
    print(f"\n{args.split} split: {len(rows)} comments, {len({r['language'] for r in rows})} languages\n")
    print("| measure | value |\n|---|---|")
    for k, v in evaluate(rows, results).items():
        print(f"| {k} | {v:.3f} |")
    by_lang: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by_lang[r["language"]].append(i)
    print("\n| language | churn AUC | loyalty flagged churn | complaint F1 | complaint flagged on thanks |")
    print("|---|---|---|---|---|")
    for lang, idx in by_lang.items():
        m = evaluate([rows[i] for i in idx], [results[i] for i in idx])
        print(f"| {lang} | {m['churn AUC']:.2f} | {m['loyalty rows flagged churn']:.2f} | "
              f"{m['complaint F1 (flag)']:.2f} | {m['complaint flagged on thanks']:.2f} |")  # fmt: skip
    if args.requests:
        requests(analyzer)
    if args.banking77:
        banking77(analyzer, args.banking77)


if __name__ == "__main__":
    main()
