import pytest

import cxsentiment as cx
from cxsentiment.language import SUPPORTED, LanguageDetector
from cxsentiment.registry import language_backends
from cxsentiment.types import Flag

HOSTILE = ["", "   ", "👍", "😡😡😡 !!!", "12345", "ok", "?!", "https://example.com/x"]


@pytest.mark.parametrize("text", HOSTILE)
def test_letterless_or_tiny_text_is_unknown_never_a_guess(text):
    lang = cx.detect_language(text)
    assert lang.code is None and lang.confidence == 0.0 and not lang.reliable
    assert Flag.LANGUAGE_UNKNOWN in lang.flags
    assert {Flag.EMPTY, Flag.NO_LETTERS, Flag.TOO_SHORT} & set(lang.flags)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Saya dah tunggu dua jam, langsung tak ada orang angkat telefon", "ms"),
        ("Kenapa paket saya belum dikirim juga? Sudah 5 hari nih, parah banget", "id"),
        ("Jeg har ikke fått noe svar fra kundeservice på tre uker.", "nb"),
        ("Eg har ikkje fått noko svar frå kundeservice på tre veker.", "nn"),
        ("Доставка опоздала на три дня, никто не извинился", "ru"),
        ("Доставка запізнилася на три дні, ніхто не вибачився", "uk"),
        ("配達が三日も遅れたのに、謝罪もありませんでした。", "ja"),
        ("快递晚了三天，也没有人道歉。", "zh"),
        ("التوصيل تأخر ثلاثة أيام ولم يعتذر أحد", "ar"),
        ("A entrega atrasou três dias e ninguém pediu desculpa.", "pt"),
        ("La entrega se retrasó tres días y nadie pidió disculpas.", "es"),
    ],
)
def test_clear_comments(text, code):
    lang = cx.detect_language(text)
    assert lang.code == code, lang
    assert 0.0 <= lang.confidence <= 1.0
    assert lang.alternatives[0][0] == code


def test_confidences_and_alternatives_are_well_formed():
    lang = cx.detect_language("Pesanan saya belum sampai")
    probs = [p for _, p in lang.alternatives]
    assert probs == sorted(probs, reverse=True)
    assert all(0.0 <= p <= 1.0 for p in probs) and sum(probs) <= 1.0001
    assert lang.script == "Latin"


def test_expected_restricts_and_reweights():
    text = "Saya tunggu lama di kaunter"
    assert cx.detect_language(text, expected=["id", "en"]).code == "id"
    assert cx.detect_language(text, expected=["ms", "en"]).code == "ms"
    boosted = cx.detect_language(text, expected={"ms": 50.0})
    assert boosted.code == "ms"
    with pytest.raises(TypeError, match=r"expected=\['ms'\]"):
        cx.detect_language(text, expected="ms")


def test_norwegian_written_both_ways_can_be_undecided():
    lang = cx.detect_language("Kan de sende fakturaen?", expected=["nb", "nn"])
    assert lang.code in {"nb", "nn", "no"}
    if lang.code == "no":
        assert Flag.NORWEGIAN_UNDECIDED in lang.flags


def test_mixed_language_spans_and_dominant_language():
    text = "このアプリは「Please try again later」としか表示されない。本当に使えません。"
    lang = cx.detect_language(text)
    assert lang.code == "ja"
    assert Flag.MIXED_LANGUAGE in lang.flags
    codes = [s.code for s in lang.spans]
    assert "en" in codes and "ja" in codes
    en = next(s for s in lang.spans if s.code == "en")
    assert "Please try again later" in text[en.start : en.end]


def test_malay_english_code_switching_spans():
    text = (
        "Saya dah telefon khidmat pelanggan tiga kali tapi masalah masih tak selesai. "
        "The agent was extremely rude, did not listen at all and then hung up on me twice."
    )
    lang = cx.detect_language(text)
    assert {s.code for s in lang.spans} >= {"ms", "en"}
    assert Flag.MIXED_LANGUAGE in lang.flags


def test_names_in_another_script_are_not_a_second_language():
    # more Latin letters than Han characters, but the Latin words are a hotel's name
    text = "我们在 Hilton Park Lane 住了三晚，前台服务很好。"
    lang = cx.detect_language(text)
    assert lang.code == "zh" and not lang.unknown
    assert Flag.MIXED_LANGUAGE not in lang.flags and Flag.LANGUAGE_UNKNOWN not in lang.flags
    name = next(s for s in lang.spans if "Hilton" in text[s.start : s.end])
    assert name.code is None
    lang = cx.detect_language("退款找 Amazon Customer Service 完全没用，等了两周！")
    assert lang.code == "zh" and Flag.MIXED_LANGUAGE not in lang.flags


def test_single_language_text_has_one_span():
    text = "Kundeservice svarte raskt. Problemet ble løst samme dag."
    lang = cx.detect_language(text)
    assert len(lang.spans) == 1 and lang.spans[0].code == lang.code
    assert Flag.MIXED_LANGUAGE not in lang.flags


def test_very_long_text_is_fast_enough_and_correct():
    text = "Hvorfor svarer ingen på telefonen? " * 2000
    lang = cx.detect_language(text)
    assert lang.code == "nb"


def test_deterministic():
    texts = ["Pelayanan lambat sekali", "Servis lambat betul", "Tjenesten var treg", "ok", "Obrigado pela ajuda"]
    first = [cx.detect_language(t) for t in texts]
    assert [cx.detect_language(t) for t in texts] == first
    assert cx.detect_languages(texts) == first


def test_non_string_raises_type_error_with_advice():
    with pytest.raises(TypeError, match="detect_languages"):
        cx.detect_language(123)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", language_backends.names())
def test_backend_contract(name):
    det = LanguageDetector(backend=name, spans=False)
    texts = ["", "👍", "The parcel never arrived and nobody answers", "Посылка так и не пришла", "荷物が届きません"]
    out = det.detect_batch(texts)
    assert len(out) == len(texts)
    assert out[0].code is None and out[1].code is None
    for lang in out:
        assert lang.code is None or lang.code in SUPPORTED
        assert 0.0 <= lang.confidence <= 1.0
        assert lang.backend == name
    assert out[2].code == "en" and out[3].code == "ru" and out[4].code == "ja"
    assert det.detect_batch(texts) == out


def test_langdetect_is_seeded_and_has_no_malay_or_nynorsk():
    det = LanguageDetector(backend="langdetect.v1", spans=False)
    texts = ["Saya tunggu lama sangat di kaunter itu", "Eg har venta lenge på svar frå dykk"]
    first = det.detect_batch(texts)
    for _ in range(3):
        assert det.detect_batch(texts) == first
    assert all(lang.code not in {"ms", "nn"} for lang in first)


def test_sample_languages(sample):
    rows = sample[sample["language"] != ""]
    det = LanguageDetector()
    got = [det.detect(t).code for t in rows["text"]]
    right = sum(g == e for g, e in zip(got, rows["language"], strict=True))
    assert right / len(rows) >= 0.95
    for code in ("ms", "id", "nb", "nn"):
        sub = [(g, e) for g, e in zip(got, rows["language"], strict=True) if e == code]
        assert sum(g == e for g, e in sub) / len(sub) >= 0.85, code
