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


def test_sentence_ends_match_the_lookbehind_first_pattern_they_replaced():
    # The shipped pattern checks the initial ("W. Bush") after the first mark, for speed; the older form put the
    # lookbehind first. Both must cut every text at the same places, initials and runs of marks included.
    import random
    import re

    from cxsentiment.text.sentences import _END

    old = re.compile(r"(?:(?<!(?<!\w)[A-Z])[.!?…]+[\"'”’)\]]*(?=\s|$)|[。！？!?]+[」』”’）)]*|\n+)")
    rng = random.Random(0)
    texts = ["George W. Bush came. He left.", "A. B.. c W... x", "Ok!? Yes… 'No.' (Fine.) 好。」next\n\nend"]
    alphabet = "aB W. .. !? …\n。！」)\"' x"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    for t in texts:
        assert [m.span() for m in _END.finditer(t)] == [m.span() for m in old.finditer(t)], t
    assert sentence_spans("John F. Kennedy flew. I did too.") == [(0, 21), (22, 32)]


def test_letter_evidence_and_noise_prefilter_agree_with_the_script_counts():
    from cxsentiment.text import letter_evidence, script_evidence
    from cxsentiment.text.normalize import _NOISE, _may_hold_noise

    for t in ["ok 対応", "Привет, world 123", "ＡＢＣ ª º ー々", "", "🙂🙂", "Ünïcödé ok", "ŉ ǅ ǈ"]:
        assert letter_evidence(t) == sum(script_evidence(t).values()), t
    for t in ["see WWW.x.com", "mail a@b.co", "x &amp; y", "<b>hi</b>", "ftp://x", "plain text", "Www.X.no"]:
        assert _may_hold_noise(t) or _NOISE.search(t) is None, t
    assert not _may_hold_noise("plain text, nothing to strip")
    assert clean_for_detection("Go to WwW.shop.no now") == "Go to now"


def test_non_answers_are_whole_answers_that_say_nothing():
    from cxsentiment.text import is_non_answer, names_no_topic

    says_nothing = ["n/a", "N/A.", "No comment!", " nothing ", "Nothing to add", "-", "?", "...", "Ingen kommentar",
                    "Ingen kommentarar", "Sin comentarios", "Keine Angabe", "k.a.", "Rien à ajouter", "Нет.",
                    "без комментариев", "tiada komen", "Tidak ada", "特になし。", "无", "لا تعليق",
                    "I don’t know", "Hi!", "Hola", "Привет!", "你好！"]  # fmt: skip
    says_something = ["Nothing works", "No one answered my email", "nothing to add except the app crashes",
                      "Ingen svarte", "Tak", "Hi, my parcel is late", ":)", ":-(", "-_-", "👍", "ok", "10/10", "",
                      "   "]  # fmt: skip
    assert [t for t in says_nothing if not is_non_answer(t)] == []
    assert [t for t in says_something if is_non_answer(t)] == []
    assert not is_non_answer("No comment " * 10)  # long text is a comment, whatever it says
    # bare evaluations and letterless answers keep their sentiment but name no topic
    assert all(names_no_topic(t) for t in ["OK", "ok!", "okey", "meh", "Sehr gut.", "普通", "0", "10/10", "N/A"])
    assert not any(names_no_topic(t) for t in ["Rude", "Expensive", "Delivery was late", "ok but the app crashes"])


def test_the_lists_hold_lower_case_trimmed_phrases():
    from cxsentiment.text.content import BARE_EVALUATIONS, GREETINGS, NON_ANSWERS, _key

    listed = [p for lists in (NON_ANSWERS, GREETINGS) for group in lists.values() for p in group]
    for phrase in listed + list(BARE_EVALUATIONS):
        assert _key(phrase) == phrase, phrase  # a phrase the key cannot produce would never match
