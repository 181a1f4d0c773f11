from cxsentiment.text import clean_for_detection, normalize, script_counts, script_segments, sentence_spans


def test_sentence_spans_cover_cjk_and_western_punctuation():
    t = "Paket belum sampai. Sudah 5 hari!  配送が遅い。返金してください\nThanks"
    assert [t[a:b] for a, b in sentence_spans(t)] == [
        "Paket belum sampai.",
        "Sudah 5 hari!",
        "配送が遅い。",
        "返金してください",
        "Thanks",
    ]


def test_script_segments_split_quoted_english_in_japanese():
    t = "画面には Please try again later と表示されるだけです"
    segs = [t[a:b] for a, b in script_segments(t, 0, len(t))]
    assert segs == ["画面には", "Please try again later", "と表示されるだけです"]


def test_brand_names_do_not_make_segments():
    t = "iPhoneの画面が割れました"
    assert script_segments(t, 0, len(t)) == [(0, len(t))]


def test_cleaning_and_scripts():
    assert clean_for_detection("Refund #A12 pls!!! https://t.co/x @help 😡") == "Refund A pls"
    assert normalize("\ufeff  hei\x00 ") == "hei"
    assert script_counts("Привет, world") == {"Cyrillic": 6, "Latin": 5}
