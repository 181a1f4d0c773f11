"""Write the worked-example notebooks in notebooks/ from the cells below and execute them, so they are
committed with their outputs: ``python scripts/build_notebooks.py [NAME ...]``. tests/test_notebooks.py
runs them again from a clean copy in CI. Library logic never lives here: only calls of the public API."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent.parent / "notebooks"

SETUP = """\
import warnings
from importlib import resources

import pandas as pd

import cxsentiment as cx

pd.set_option("display.max_colwidth", 60)
pd.set_option("display.width", 160)
sample = pd.read_csv(resources.files("cxsentiment.data").joinpath("sample_comments.csv"))"""

NOTEBOOKS: dict[str, list[tuple[str, str]]] = {
    "01_quickstart": [
        ("md", """# Quick start: one comment, then a whole sample

cxsentiment reads customer comments in many languages and answers: which language, how the customer
feels, what part of the service the comment judges, and whether it is a complaint, a request, praise or a
churn threat. Everything runs offline; the models ship with the packages.

This notebook uses the bundled sample: 301 comments written for the project in 14 languages, plus a few
hostile rows (empty, emoji only, very long, mixed languages)."""),
        ("code", SETUP + "\nprint(cx.__version__, len(sample), 'comments')\nsample.head()"),
        ("md", """## Language identification
Malay vs Indonesian and Bokmål vs Nynorsk are told apart; `code=None` means *unsure*, never a guess."""),
        ("code", """for text in ["Saya dah tunggu dua jam, langsung tak ada orang angkat telefon",
             "Kenapa paket saya belum dikirim juga? Sudah 5 hari nih",
             "Eg har ikkje fått noko svar frå kundeservice",
             "Jeg har ikke fått noe svar fra kundeservice",
             "👍👍"]:
    lang = cx.detect_language(text)
    print(f"{str(lang.code):5} reliable={lang.reliable!s:5} conf={lang.confidence:.2f}  {text}")"""),
        ("md", "## One comment, fully analysed\nLoad the Analyzer once (it is thread-safe) and reuse it."),
        ("code", """az = cx.Analyzer()
r = az.analyze("The food was great but the waiter was rude, and I waited 40 minutes for the bill.")
print("language :", r.language.code, f"({r.language.confidence:.2f})")
print("sentiment:", r.sentiment.label, f"score {r.sentiment.score:+.2f}, {r.sentiment.stars:.1f} stars")
for m in r.topics:
    print(f"topic    : {m.topic:<16} {m.sentiment:<8} evidence: {r.text[m.start:m.end]!r}")
print("complaint:", r.signals.complaint.flag, f"{r.signals.complaint.score:.2f}")
print("emotion  :", r.signals.emotion.label if r.signals.emotion else None)"""),
        ("md", """## The whole sample as a DataFrame
`analyze_frame` keeps every input column and adds `cx_` columns."""),
        ("code", """scored = az.analyze_frame(sample, text="text", id_column="comment_id")
cols = ["comment_id", "language", "cx_language", "cx_sentiment", "cx_stars", "cx_topics", "cx_complaint", "text"]
scored[cols].head(10)"""),
        ("md", "How often does the detected language match the language each comment was written in?"),
        ("code", """known = scored[scored["language"].notna()]
agree = (known["language"] == known["cx_language"]).mean()
print(f"detected language = written language on {agree:.1%} of {len(known)} rows; "
      f"{known['cx_language'].isna().sum()} left as unsure")
pd.crosstab(known["language"], known["cx_language"].fillna("unsure"))"""),
        ("code", "cx.plot.language_census(scored);"),
        ("code", "cx.plot.sentiment_mix(scored, by=\"cx_language\");"),
    ],
    "02_service_quality_report": [
        ("md", """# Service-quality report for a manager

From scored comments to the figures a service manager acts on: net sentiment, CSAT and NPS proxies,
complaint and churn-risk rates, which topics pull satisfaction down (drivers), SERVQUAL dimensions, trends,
and a self-contained HTML report to send around."""),
        ("code", SETUP + """
az = cx.Analyzer()
scored = az.analyze_frame(sample, text="text", id_column="comment_id")
rep = cx.report(scored, by=["channel"])
rep.overview[["channel", "volume", "net_sentiment", "net_sentiment_lo", "net_sentiment_hi", "csat", "nps",
              "complaint_rate", "churn_risk_rate"]]"""),
        ("md", """## Drivers: which topics hurt satisfaction most
Impact = the topic's share of comments x (its aspect sentiment - the overall mean). The most negative
impact is the first thing to fix."""),
        ("code", """overall = cx.report(scored)
overall.drivers[["rank", "label", "mentions", "aspect_sentiment", "pct_negative", "impact"]].head(8)"""),
        ("code", "cx.plot.drivers(overall);"),
        ("md", "## Trends, with 95% intervals (a change is only called significant when intervals do not overlap)"),
        ("code", """overall.trend[["period", "volume", "net_sentiment", "net_sentiment_lo", "net_sentiment_hi",
               "complaint_rate", "complaint_rate_change", "complaint_rate_significant"]]"""),
        ("code", """import matplotlib.pyplot as plt

fig, axes = plt.subplots(1, 2, figsize=(13, 3.6), layout="constrained")
cx.plot.sentiment_trend(scored, ax=axes[0])
cx.plot.complaint_trend(scored, ax=axes[1]);"""),
        ("md", "## Topics by channel, and the SERVQUAL profile"),
        ("code", "cx.plot.topic_heatmap(scored, by=\"channel\");"),
        ("code", "cx.plot.servqual_profile(overall);"),
        ("code", "cx.plot.sentiment_mix(scored, by=\"channel\");"),
        ("md", "## Representative comments per topic, in their original language"),
        ("code", "overall.examples[overall.examples[\"topic\"] == overall.drivers[\"topic\"].iloc[0]][[\"language\", \"sentiment\", \"evidence\", \"text\"]]"),
        ("md", """## The HTML report
One file, charts embedded, nothing fetched when it is opened; the same as
`cxsentiment report scored.parquet -o report.html` on the command line."""),
        ("code", """import tempfile
from pathlib import Path

out = Path(tempfile.mkdtemp()) / "quality_report.html"
cx.report_html(scored, out, title="Sample: customer service quality")
print(out.name, f"{out.stat().st_size / 1e6:.2f} MB")"""),
    ],
    "03_custom_taxonomy_and_models": [
        ("md", """# Your own topics, your own model, and a fair comparison

1. a custom taxonomy: topic name -> a description and a few example comments, in any language;
2. any Hugging Face sequence-classification model from a local folder as the sentiment backend;
3. backends compared on a labelled sample (NusaX test sentences in English, Indonesian and Javanese,
   CC BY-SA 4.0, see `data/SOURCE.md`)."""),
        ("code", SETUP),
        ("md", "## 1. A custom taxonomy for a rail operator"),
        ("code", """rail = {
    "wifi": {"description": "Wi-Fi and mobile internet on the train",
             "examples": ["WLAN im Zug geht nicht", "No wifi again on the 8:15", "Wifi di kereta mati"]},
    "seats": {"description": "Finding a seat, crowded or overbooked trains",
              "examples": ["Kein Sitzplatz frei, zwei Stunden gestanden", "The train was packed, no seats"]},
    "punctuality": {"description": "Delays, cancellations, missed connections",
                    "examples": ["Zug fällt schon wieder aus", "40 minutes late and no announcement"]},
    "food": {"description": "Food and drinks on board, the bistro car",
             "examples": ["Bordbistro geschlossen", "Coffee was cold and expensive"]},
}
rail_az = cx.Analyzer(taxonomy=rail)
texts = ["Das WLAN im ICE ist schon wieder ausgefallen und der Zug hatte 50 Minuten Verspätung.",
         "Il n'y avait aucune place assise, j'ai voyagé debout pendant deux heures.",
         "車内販売のコーヒーは高いのに冷めていました。",
         "Keretanya tepat waktu dan wifinya kencang, mantap!"]
for r in rail_az.analyze_batch(texts):
    print(r.language.code, [(m.topic, m.sentiment) for m in r.topics], "|", r.text[:60])"""),
        ("md", """Descriptions alone work too, less well than with a few examples (`benchmarks/RESULTS.md`, "Custom
taxonomies given by descriptions alone"). The built-in taxonomy can also be extended instead of replaced:
`cx.load_taxonomy().extend({"parking": "Car park at the store"})`."""),
        ("code", """described = cx.Analyzer(taxonomy={name: spec["description"] for name, spec in rail.items()},
                        sentiment=None, signals=False)
for r in described.analyze_batch(texts):
    print([m.topic for m in r.topics], "|", r.text[:60])"""),
        ("md", """## What the taxonomy misses: topic discovery
Clusters of comments, each named by the words that set it apart, in the comments' own languages. Each
language's vectors are centred on that language's mean first, so clusters gather a topic across languages
rather than one language's comments."""),
        ("code", """found = cx.discover_topics(sample["text"].dropna(), n_topics=8, seed=0)
pd.DataFrame([{"size": t.size, "main language": t.language, "keywords": ", ".join(t.keywords[:6]),
               "most central comment": t.examples[0][:70]} for t in found])"""),
        ("md", "A cluster gathers several languages; its keywords within each of them:"),
        ("code", """{lang: ", ".join(words) for lang, words in found[0].keywords_by_language.items()}"""),
        ("md", """## 2. A Hugging Face model from a local folder
cxsentiment never downloads: `sentiment_model` is a folder (or a model already in the local Hugging Face
cache). To keep this notebook offline and fast we build and save a *tiny untrained* BERT classifier here;
put the path of your own fine-tuned checkpoint in its place. Labels are read from the model's config
(`negative/neutral/positive`, star ratings `1 star..5 stars`, or binary)."""),
        ("code", """import tempfile
from pathlib import Path

import torch
from tokenizers import Tokenizer, models, pre_tokenizers, processors
from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast

folder = Path(tempfile.mkdtemp()) / "my-sentiment-model"
words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "good", "bad", "slow", "rude", "great", "refund"]
vocab = {w: i for i, w in enumerate(words)}
tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
tok.pre_tokenizer = pre_tokenizers.Whitespace()
tok.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]",
                                                   special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                        sep_token="[SEP]", model_max_length=64).save_pretrained(folder)
labels = ["negative", "neutral", "positive"]
config = BertConfig(vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                    intermediate_size=32, max_position_embeddings=64, num_labels=3,
                    id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)})
torch.manual_seed(0)
BertForSequenceClassification(config).save_pretrained(folder)

hf_az = cx.Analyzer(sentiment="hf", sentiment_model=str(folder), topics=False, signals=False)
r = hf_az.analyze("great service")
print(r.sentiment.backend, r.sentiment.label, [round(p, 3) for p in r.sentiment.probabilities])"""),
        ("md", """## 3. Compare backends on a labelled sample
Macro-F1 per language for the default backend (heads on the frozen multilingual encoder), the shipped
fine-tuned encoder `cx-e5-finetuned.v1`, and the tiny untrained model above (a floor: it should sit near
chance)."""),
        ("code", """from sklearn.metrics import f1_score

gold = pd.read_csv("data/nusax_test_sample.csv")
backends = {"default (heads)": cx.Analyzer(topics=False, signals=False),
            "cx-e5-finetuned.v1": cx.Analyzer(sentiment="cx-e5-finetuned.v1", topics=False, signals=False),
            "tiny untrained HF model": hf_az}
rows = []
for name, analyzer in backends.items():
    pred = [r.sentiment.label if r.sentiment else "neutral" for r in analyzer.analyze_batch(list(gold["text"]))]
    g = gold.assign(pred=pred)
    for lang, part in g.groupby("language"):
        rows.append({"backend": name, "language": lang,
                     "macro_f1": f1_score(part["label"], part["pred"], average="macro")})
table = pd.DataFrame(rows).pivot(index="backend", columns="language", values="macro_f1")
table["mean"] = table.mean(axis=1)
table.round(3)"""),
        ("code", """ax = table.drop(columns="mean").T.plot.bar(figsize=(8, 3.4), rot=0, ylim=(0, 1))
ax.set_ylabel("macro-F1"); ax.set_title("Sentiment backends on NusaX test sentences", loc="left");"""),
    ],
    "04_scoring_an_archive": [
        ("md", """# Scoring an archive

`score_file` streams an archive in chunks (constant memory), writes one output row per input row in
order, records a failing row in `cx_error` and goes on, and can resume after a crash (`resume=True`).
`--stages` runs only what is asked for. The same through Hugging Face `datasets` with `score_dataset`."""),
        ("code", SETUP + """
import json
import tempfile
from pathlib import Path

import pyarrow.parquet as pq

work = Path(tempfile.mkdtemp())
archive = pd.concat([sample] * 4, ignore_index=True)           # 1,204 rows
archive["comment_id"] = [f"A{i:06d}" for i in range(len(archive))]
archive.to_parquet(work / "archive.parquet", row_group_size=300)
print(len(archive), "rows")"""),
        ("md", "## A language census of the archive: the language stage only, no model for sentiment"),
        ("code", """from cxsentiment.batch import score_file

summary = score_file(work / "archive.parquet", work / "languages.parquet", stages="language", chunk_size=400)
print(json.dumps({k: summary.to_dict()[k] for k in ("rows_in", "rows_out", "rows_with_errors", "rows_per_second")}))
pd.Series(summary.languages).head(8)"""),
        ("md", "## Language and sentiment, with a progress bar; the output keeps every input column"),
        ("code", """summary = score_file(work / "archive.parquet", work / "scored.parquet", stages=["language", "sentiment"],
                     chunk_size=400, progress=True)
out = pq.read_table(work / "scored.parquet")
print(summary.rows_out, "rows,", f"{summary.rows_per_second:.0f} rows/s;", out.num_columns, "columns")
print(json.loads((work / "scored.parquet.summary.json").read_text())["sentiment"])
out.to_pandas()[["comment_id", "cx_language", "cx_sentiment", "cx_stars", "text"]].head()"""),
        ("md", """## Resume after a crash
Start the same job in another process, kill it (SIGKILL) once two chunks are written, then resume here:
the finished chunks are not scored again and the output is byte-identical to the uninterrupted run."""),
        ("code", """import subprocess
import sys
import time

job = f\"\"\"
from cxsentiment.batch import score_file
score_file({str(work / 'archive.parquet')!r}, {str(work / 'killed.parquet')!r}, stages=['language', 'sentiment'],
           chunk_size=400, progress=False)
\"\"\"
proc = subprocess.Popen([sys.executable, "-c", job])
parts = work / "killed.parquet.cx-job"
while proc.poll() is None and len(list(parts.glob("part-[0-9][0-9][0-9][0-9][0-9][0-9]"))) < 2:
    time.sleep(0.2)
proc.kill()
proc.wait()
print("killed with", len(list(parts.glob("part-[0-9][0-9][0-9][0-9][0-9][0-9]"))), "chunks written; final file exists:",
      (work / "killed.parquet").exists())
resumed = score_file(work / "archive.parquet", work / "killed.parquet", stages=["language", "sentiment"],
                     chunk_size=400, resume=True, progress=False)
print(resumed.chunks_resumed, "of", resumed.chunks, "chunks kept from the killed run; identical bytes:",
      (work / "killed.parquet").read_bytes() == (work / "scored.parquet").read_bytes())"""),
        ("md", "## Hugging Face `datasets`: `map(batched=True)`, new columns never overwrite yours"),
        ("code", """import datasets

from cxsentiment.batch import score_dataset

ds = datasets.Dataset.from_pandas(sample[["comment_id", "channel", "text"]].head(120))
scored_ds = score_dataset(ds, text_column="text", stages=["language", "sentiment"])
print(scored_ds)
scored_ds.to_pandas()[["comment_id", "cx_language", "cx_sentiment", "text"]].head()"""),
        ("md", "The same rows give the same values through `score_file` and through `datasets`:"),
        ("code", """a = out.to_pandas().head(120)
b = scored_ds.to_pandas()
print("same language:", (a["cx_language"].fillna("") == b["cx_language"].fillna("")).all(),
      "| same sentiment:", (a["cx_sentiment"].fillna("") == b["cx_sentiment"].fillna("")).all())"""),
    ],
}


def build(name: str, execute: bool = True) -> float:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for kind, source in NOTEBOOKS[name]:
        cell = nbformat.v4.new_markdown_cell(source) if kind == "md" else nbformat.v4.new_code_cell(source)
        nb.cells.append(cell)
    seconds = 0.0
    if execute:
        t0 = time.perf_counter()
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(HERE)}}).execute()
        seconds = time.perf_counter() - t0
    for i, cell in enumerate(nb.cells):  # stable ids: rebuilding does not churn the diff
        cell["id"] = f"{name[:2]}-{i:02d}"
    nbformat.write(nb, HERE / f"{name}.ipynb")
    return seconds


if __name__ == "__main__":
    for n in sys.argv[1:] or list(NOTEBOOKS):
        print(f"{n}: executed in {build(n):.1f} s", flush=True)
