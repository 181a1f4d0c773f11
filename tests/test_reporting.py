"""Plots, the HTML report and its check in a real headless browser."""

from __future__ import annotations

import os
import re
import shutil
import warnings
from pathlib import Path

import pytest

import cxsentiment as cx
from cxsentiment.errors import InputFormatError

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

PLOTS = [
    "sentiment_mix",
    "sentiment_trend",
    "complaint_trend",
    "drivers",
    "servqual_profile",
    "topic_heatmap",
    "language_census",
]


def _render(ax) -> list[str]:
    """Draw the figure; return the warnings matplotlib gave (a missing glyph is one)."""
    import io

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax.figure.savefig(io.BytesIO(), format="png")
    plt.close(ax.figure)
    return [str(w.message) for w in caught]


@pytest.mark.parametrize("name", PLOTS)
def test_every_plot_returns_its_axes_and_draws_real_data(scored_sample, name):
    ax = getattr(cx.plot, name)(scored_sample)
    assert isinstance(ax, matplotlib.axes.Axes)
    assert ax.get_title(loc="left")
    drawn = ax.patches or ax.images or ax.lines or ax.collections
    assert drawn, f"{name} drew nothing"
    assert _render(ax) == []


def test_plots_draw_into_a_given_axes(scored_sample):
    fig, axes = plt.subplots(1, 2)
    assert cx.plot.drivers(scored_sample, ax=axes[0]) is axes[0]
    assert cx.plot.sentiment_mix(scored_sample, by="channel", ax=axes[1]) is axes[1]
    plt.close(fig)


def test_driver_chart_puts_the_most_harmful_topic_first(scored_sample):
    rep = cx.report(scored_sample)
    ax = cx.plot.drivers(rep)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == rep.drivers["label"].iloc[0]
    assert rep.drivers["label"].iloc[0] in ax.get_title(loc="left")
    widths = [p.get_width() for p in ax.patches]
    assert widths[0] == min(widths) < 0
    plt.close(ax.figure)


def test_labels_in_every_script_render_without_missing_glyphs(scored_sample):
    """Group names in Japanese, Chinese, Cyrillic, Arabic, Hangul: no tofu (matplotlib warns on a glyph it
    cannot find in any font of the chain)."""
    frame = scored_sample.copy()
    names = ["電話窓口", "在线客服", "Телефон", "الهاتف المحمول", "고객센터", "Ålesund"]
    frame["channel"] = [names[i % len(names)] for i in range(len(frame))]
    for ax in (cx.plot.sentiment_mix(frame, by="channel"), cx.plot.topic_heatmap(frame, by="channel")):
        assert _render(ax) == []
    ax = cx.plot.sentiment_mix(frame, by="channel")
    shown = {t.get_text() for t in ax.get_yticklabels()}
    assert "電話窓口" in shown and "Телефон" in shown
    assert "الهاتف المحمول" not in shown  # Arabic is drawn shaped and in visual order
    assert any("\ufe8d" <= ch <= "\ufefc" for t in shown for ch in t)
    plt.close(ax.figure)


def test_plots_explain_wrong_input(scored_sample):
    with pytest.raises(InputFormatError, match="scored DataFrame"):
        cx.plot.sentiment_mix(cx.report(scored_sample))
    with pytest.raises(InputFormatError, match="run Analyzer"):
        cx.plot.drivers(scored_sample[["text"]])


def test_net_sentiment_interval():
    from cxsentiment.reporting import net_interval

    lo, hi = net_interval(10, 0, 10)
    assert lo < 1.0 and hi == 1.0
    lo, hi = net_interval(30, 30, 100)
    assert lo < 0 < hi and abs(lo + hi) < 1e-9


# --- HTML report ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def report_file(scored_sample, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    cx.report_html(scored_sample, path)
    return path


def test_report_is_one_self_contained_page(report_file, scored_sample):
    page = report_file.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "the page must not fetch anything"
    assert "<script" not in page
    for section in ("headline", "drivers", "trends", "topics", "by-language", "by-channel", "quality"):
        assert f"id='{section}'" in page
    assert page.count('<img class="chart"') >= 8
    rep = cx.report(scored_sample)
    worst = rep.drivers["label"].iloc[0]
    assert f"<b>{worst}</b> pulls satisfaction down most" in page
    for topic in rep.drivers["topic"]:
        assert f'id="topic-{topic}"' in page
    assert page.count("<mark>") >= 2 * len(rep.drivers)
    assert 'lang="ja"' in page and 'dir="auto"' in page
    assert len(set(re.findall(r'<div dir="auto" lang="(\w+)"', page))) >= 6  # quotes in their own languages
    assert "@font-face{font-family:'cx-cjk'" in page  # CJK quotes carry their glyphs with them
    # the data-quality table counts the sample's emoji-only rows (the comments' flags repeat the language's)
    no_letters = re.search(r"flag: no_letters</td><td>([\d,]+)</td>", page)
    assert no_letters is not None and int(no_letters.group(1).replace(",", "")) >= 1
    assert not list(report_file.parent.glob("*.tmp"))


def test_report_cli_reads_a_scored_file(tmp_path, scored_sample, capsys):
    from cxsentiment.cli import main

    src = tmp_path / "scored.parquet"
    frame = scored_sample.copy()
    frame["cx_topic_details"] = frame["cx_topic_details"].map(lambda v: v)  # lists of dicts -> Arrow structs
    frame.to_parquet(src)
    assert main(["report", str(src), "-o", str(tmp_path / "r.html"), "--by", "channel"]) == 0
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "id='by-channel'" in page and "id='by-language'" not in page
    assert main(["report", str(tmp_path / "missing.parquet")]) == 2
    assert "does not exist" in capsys.readouterr().err


def _chromium() -> str | None:
    return os.environ.get("CXSENTIMENT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def test_report_opens_in_headless_chromium_and_every_chart_renders(report_file, tmp_path):
    """A real browser: no console error, no failed request, every chart decoded and painted."""
    browser_path = _chromium()
    required = os.environ.get("CXSENTIMENT_REQUIRE_BROWSER") == "1"
    if browser_path is None:
        if required:
            pytest.fail("CXSENTIMENT_REQUIRE_BROWSER=1 but no chromium found (apt-get install chromium)")
        pytest.skip("no chromium on this machine (Debian: apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    from PIL import Image

    problems: list[str] = []
    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=browser_path, headless=True, args=args)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url[:80]}"))
        page.goto(report_file.as_uri(), wait_until="load")
        charts = page.eval_on_selector_all(
            "img.chart", "els => els.map(e => [e.complete, e.naturalWidth, e.naturalHeight, e.alt])"
        )
        shot = tmp_path / "drivers.png"
        page.locator("#drivers img.chart").screenshot(path=str(shot))
        page.screenshot(path=str(tmp_path / "page.png"), full_page=True)
        browser.close()
    assert problems == []
    assert len(charts) >= 8
    for complete, width, height, alt in charts:
        assert complete and width > 300 and height > 150, alt
    img = Image.open(shot).convert("RGB")
    colours = img.getcolors(maxcolors=1 << 20) or []
    red = sum(n for n, (r, g, b) in colours if r > 180 and g < 90 and b < 80)  # the driver bars
    assert red > 0.02 * img.width * img.height, "the driver chart is not painted"
    if os.environ.get("CXSENTIMENT_SCREENSHOTS"):
        Path(os.environ["CXSENTIMENT_SCREENSHOTS"]).mkdir(parents=True, exist_ok=True)
        shutil.copy(tmp_path / "page.png", Path(os.environ["CXSENTIMENT_SCREENSHOTS"]) / "report_page.png")


def test_report_from_a_few_results_without_dates_or_channels(tmp_path):
    results = cx.Analyzer().analyze_batch(["Great staff, thank you!", "Terrible delivery, the parcel was lost.", ""])
    page = cx.report_html(results, tmp_path / "small.html", title="Three comments")
    assert "<title>Three comments</title>" in page and "id='by-channel'" not in page
    assert "no dated comments" not in page  # drawn into the chart, not the HTML
    assert page.count('<img class="chart"') >= 7
    rows = dict(re.findall(r'<td class="l">([^<]+)</td><td>(\d+)</td>', page))
    assert rows["rows"] == "3" and rows["no sentiment (empty, emoji only, error)"] == "1"


def test_report_of_a_frame_whose_index_repeats_labels(tmp_path, scored_sample):
    """Two scored exports concatenated repeat index labels; the report finds rows by position and names them by
    the user's labels (before, the HTML report failed with "The truth value of a Series is ambiguous")."""
    import pandas as pd

    twice = pd.concat([scored_sample.head(60), scored_sample.head(60)])
    assert twice.index.has_duplicates
    rep = cx.report(twice)
    assert len(rep.examples) and all(isinstance(t, str) for t in rep.examples["text"])
    assert set(rep.examples["row"]) <= set(twice.index)
    page = cx.report_html(twice, tmp_path / "twice.html")
    assert page.count('<img class="chart"') >= 7


def test_plots_of_comments_scored_without_topics_say_so(tmp_path):
    """A file scored with ``--stages language,sentiment`` has no topics: the heat maps say "no topics found"
    instead of drawing an empty grid (matplotlib warned "identical low and high ylims" on every such report)."""
    import pandas as pd

    results = cx.Analyzer(topics=False).analyze_batch(["Great staff, thank you!", "Die Lieferung kam zu spät."])
    frame = cx.to_frame(results)
    frame["channel"] = ["email", "chat"]
    rep = cx.report(frame, by=["channel"])  # empty topic tables keep their columns (a KeyError before)
    assert rep.topics.empty and list(rep.topics.columns[:3]) == ["channel", "topic", "label"]
    assert rep.examples.empty and "evidence" in rep.examples.columns
    for ax in (cx.plot.topic_heatmap(frame), cx.plot.topic_heatmap(frame, by="channel"), cx.plot.drivers(frame)):
        assert "no topics found" in [t.get_text() for t in ax.texts]
        assert _render(ax) == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        page = cx.report_html(pd.DataFrame(frame), tmp_path / "no_topics.html")
    assert page.count('<img class="chart"') >= 7


def test_report_with_a_custom_taxonomy_has_no_servqual_profile(tmp_path, scored_sample):
    # a custom taxonomy maps no topic to a SERVQUAL dimension: report_html raised KeyError 'score'
    custom = cx.Taxonomy.from_mapping({"delivery": "Parcels and couriers", "staff": "Rude or helpful staff"})
    rep = cx.report(scored_sample, taxonomy=custom)
    assert rep.dimensions.empty and "score" in rep.dimensions.columns
    ax = cx.plot.servqual_profile(rep)
    assert "the taxonomy maps no topic to a SERVQUAL dimension" in [t.get_text() for t in ax.texts]
    assert _render(ax) == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        page = cx.report_html(scored_sample, tmp_path / "custom.html", taxonomy=custom)
    assert "SERVQUAL dimension profile" not in page and "What hurts satisfaction most" in page


def test_reports_of_empty_or_unscored_data_fail_clearly_or_say_so(tmp_path):
    """A filter that leaves no rows, or a file scored with the language stage only: ``to_frame([])`` keeps the
    result columns, ``report`` gives tables with their columns, the sentiment chart says there is nothing to
    show (KeyError 'net_sentiment' before) and ``report_html`` of no rows says so (KeyError 'volume' before)."""
    empty = cx.to_frame([])
    assert empty.empty and {"cx_language", "cx_sentiment", "cx_topic_details"} <= set(empty.columns)
    rep = cx.report(empty, by=["language"])
    assert rep.overview.empty and list(rep.overview.columns) == ["language", "volume", "scored"]
    with pytest.raises(InputFormatError, match="no comments"):
        cx.report_html(empty, tmp_path / "empty.html")
    unscored = cx.to_frame(cx.Analyzer(sentiment=None, topics=False).analyze_batch(["Hallo, wie geht's?", "Merci"]))
    ax = cx.plot.sentiment_mix(unscored)
    assert "no comments with a sentiment" in [t.get_text() for t in ax.texts]
    assert _render(ax) == []
    page = cx.report_html(unscored, tmp_path / "unscored.html")
    assert page.count('<img class="chart"') >= 7


def test_embedding_the_cjk_font_closes_its_file():
    """fontTools' lazy font kept the CJK font file open until garbage collection; the ResourceWarning that
    followed made another test's render check fail at random (2026-12-07)."""
    import gc

    from cxsentiment.reporting.fonts import cjk_font_file, subset_font_css

    if cjk_font_file() is None:
        pytest.skip("no CJK font on this machine")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert "@font-face" in subset_font_css("日本語のテキスト")
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]
