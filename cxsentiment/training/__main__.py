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
    sen = sub.add_parser("sentiment", help="train the sentiment heads on multilingual-e5-small vectors")
    sen.add_argument("--data", default="../shared/data", help="folder with the shared datasets")
    sen.add_argument("--out", default=None, help="output folder (default: the package's models/)")
    sen.add_argument("--cache", default=None, help="folder to cache embeddings in between runs")
    sen.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    if args.task == "langid":
        from .langid import train_all

        train_all(args.data, args.out, seed=args.seed)
    elif args.task == "sentiment":
        import json

        from .sentiment import train_all as train_sentiment

        report = train_sentiment(args.data, args.out, cache=args.cache, seed=args.seed)
        print(json.dumps({k: v for k, v in report.items() if k != "dev_history"}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
