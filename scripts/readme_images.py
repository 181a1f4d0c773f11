"""The two plots shown in the README, from the bundled sample: ``python scripts/readme_images.py``."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import matplotlib
import pandas as pd

import cxsentiment as cx

matplotlib.use("Agg")
OUT = Path(__file__).resolve().parent.parent / "docs" / "images"

if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    sample = pd.read_csv(resources.files("cxsentiment.data").joinpath("sample_comments.csv"))
    scored = cx.Analyzer().analyze_frame(sample, text="text", id_column="comment_id")
    for name, ax in (("drivers", cx.plot.drivers(scored)), ("sentiment_mix_language", cx.plot.sentiment_mix(scored))):
        ax.figure.savefig(OUT / f"{name}.png", dpi=90)
        print("wrote", OUT / f"{name}.png")
