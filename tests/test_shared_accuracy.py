"""Accuracy floors on the shared data (skipped when ../shared is absent). Full tables: benchmarks/."""

import csv

import pytest

from cxsentiment.language import LanguageDetector

SIB = {
    "zsm_Latn": "ms",
    "ind_Latn": "id",
    "nob_Latn": "nb",
    "nno_Latn": "nn",
    "rus_Cyrl": "ru",
    "jpn_Jpan": "ja",
    "eng_Latn": "en",
    "arb_Arab": "ar",
}


@pytest.mark.shared_data
def test_sib200_dev_floors(shared_data):
    det = LanguageDetector()
    for variety, code in SIB.items():
        with (shared_data / "sib200_flores_topic_langid" / "dev" / f"{variety}.tsv").open(encoding="utf-8") as fh:
            texts = [r["text"] for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]
        acc = sum(det.detect(t).code == code for t in texts) / len(texts)
        floor = 0.93 if code in ("ms", "id", "nb", "nn") else 0.97
        assert acc >= floor, (variety, acc)
