"""Taxonomy, topics with aspect sentiment, quality signals, roll-ups and topic discovery (real models)."""

import contextlib
import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cxsentiment as cx
from cxsentiment.errors import ConfigError, InputFormatError
from cxsentiment.reporting.tables import wilson
from cxsentiment.signals._model import load_signal_heads
from cxsentiment.topics.baseline import KeywordBaseline
from cxsentiment.topics.discover import keywords_of
from cxsentiment.topics.lexicon import KeywordMatcher
from cxsentiment.training.topics import f1_binary, fit_logistic
from cxsentiment.types import SIGNAL_NAMES


# --- taxonomy --------------------------------------------------------------------------------------------------
def test_builtin_taxonomy_is_servqual_plus_operational_topics():
    tax = cx.load_taxonomy()
    assert [d.name for d in tax.dimensions] == ["reliability", "responsiveness", "assurance", "empathy", "tangibles"]
    assert {"staff_attitude", "waiting_time", "complaint_handling", "price_value", "delivery"} <= set(tax.names)
    for topic in tax.topics:
        assert topic.description and len(topic.examples) >= 8, topic.name
        assert set(topic.dimensions) <= {d.name for d in tax.dimensions}


def test_custom_taxonomy_forms_and_errors(tmp_path):
    tax = cx.Taxonomy.from_mapping({"wifi": "Internet on board", "seats": ["Kein Sitzplatz frei", "No seat"]})
    assert tax.names == ("wifi", "seats") and tax.topic("seats").description == "Kein Sitzplatz frei"
    extended = cx.load_taxonomy().extend({"parking": "Car park at the store"})
    assert "parking" in extended.names and len(extended.names) == 16
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"topics": {"a": {"description": "x"}}}))
    assert cx.load_taxonomy(path).names == ("a",)
    with pytest.raises(ConfigError, match="needs a description"):
        cx.Taxonomy.from_mapping({"empty": {}})
    with pytest.raises(ConfigError, match="neither"):
        cx.load_taxonomy("no_such_taxonomy.json")
    with pytest.raises(ConfigError, match="unknown dimensions"):
        cx.Taxonomy.from_mapping({"topics": {"a": {"description": "x", "dimensions": ["nope"]}}})
    with pytest.raises(ConfigError, match="a mapping like"):  # a list of names is not a taxonomy
        cx.Analyzer(taxonomy=["wifi", "seats"])
    broken = tmp_path / "broken.json"
    broken.write_text('{"wifi": "Internet on board",}')
    with pytest.raises(ConfigError, match="not valid JSON"):
        cx.load_taxonomy(broken)
    with pytest.raises(ConfigError, match="neither"):  # a folder is not a taxonomy file
        cx.load_taxonomy(tmp_path)


def test_generic_comments_name_fewer_topics_and_round_trip(tmp_path):
    """Praise, thanks and loyalty about no part of the service: the built-in taxonomy's generic comments
    compete with the topics' examples, so a topic read from its examples (complaint handling, communication,
    waiting time) is not named on them; comments about a topic keep it. The list survives to_dict / load."""
    import dataclasses

    tax = cx.load_taxonomy()
    assert len(tax.generic) >= 50
    generic = [
        "Thank you so much, you are wonderful!",
        "Takk for god hjelp!",
        "谢谢你们！",
        "Merci pour tout, vous êtes formidables.",
        "Спасибо вам большое за всё!",
        "Saya sangat gembira dengan perkhidmatan anda, terima kasih.",
        "I have told all my colleagues to switch to you.",
        "Ich bleibe euch für immer treu.",
        "Nunca os dejaré, sois geniales.",
        "Jeg anbefaler dere til alle jeg kjenner.",
        "Kalian yang terbaik, sukses terus!",
        "皆さんに感謝しています。",
        "Worst company ever, never again.",
        "Je ne reviendrai jamais chez vous.",
    ]
    specific = {
        "The parcel arrived two weeks late.": "delivery",
        "The staff at the counter were rude.": "staff_attitude",
        "I waited 50 minutes on hold before anyone picked up.": "waiting_time",
    }
    counts = {}
    for name, taxonomy in (("with", tax), ("without", dataclasses.replace(tax, generic=(), _index={}))):
        az = cx.Analyzer(taxonomy=taxonomy, signals=False, sentiment="cx-e5-heads.v1")
        results = az.analyze_batch(generic + list(specific))
        counts[name] = sum(len(r.topics) for r in results[: len(generic)])
        for r, topic in zip(results[len(generic) :], specific.values(), strict=True):
            assert topic in {m.topic for m in r.topics}, (name, r.text)
    # 5 and 11 topics on these 14 comments while four topics were named by prototypes alone; 3 and 3 since they have
    # heads (twenty-ninth session), which read these comments as about no topic without the generic list's help
    assert counts["with"] <= min(counts["without"], 3), counts
    path = tmp_path / "tax.json"
    path.write_text(json.dumps(tax.to_dict(), ensure_ascii=False), encoding="utf-8")
    assert cx.load_taxonomy(path).generic == tax.generic


# --- topics and aspect sentiment ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "positive", "negative"),
    [
        ("The food was great but the waiter was rude.", "product_quality", "staff_attitude"),
        ("Das Essen war lecker, aber der Kellner war sehr unfreundlich.", "product_quality", "staff_attitude"),
        ("Kamarnya bersih dan nyaman, tapi harganya terlalu mahal.", "cleanliness_facilities", "price_value"),
    ],
)
def test_each_topic_gets_the_sentiment_of_its_own_clause(analyzer, text, positive, negative):
    r = analyzer.analyze(text)
    topics = {m.topic: m for m in r.topics}
    assert topics[positive].sentiment == "positive", r.topics
    assert topics[negative].sentiment == "negative", r.topics
    evidence = text[topics[negative].start : topics[negative].end]
    assert evidence and evidence in text and evidence != text


def test_custom_taxonomy_in_the_analyzer():
    az = cx.Analyzer(
        taxonomy={
            "wifi": {"description": "Wi-Fi and mobile internet on the train", "examples": ["WLAN im Zug geht nicht"]},
            "seats": {"description": "Finding a seat, crowded trains", "examples": ["Kein Sitzplatz frei"]},
        },
        signals=False,
    )
    r = az.analyze("Das WLAN im ICE ist schon wieder ausgefallen.")
    assert [m.topic for m in r.topics][:1] == ["wifi"]
    assert {m.topic for m in r.topics} <= {"wifi", "seats"}


# a user's own scheme: every topic is about trains, a few examples each
RAIL = {
    name: {"description": description, "examples": examples}
    for name, description, examples in [
        ("wifi", "Wi-Fi and mobile internet on the train",
         ["WLAN im Zug geht nicht", "No signal on board", "Le wifi ne marche jamais", "Internet ciągle się rozłącza"]),
        ("seats", "Finding a seat, crowded trains",
         ["Kein Sitzplatz frei", "The train was packed", "Nos quedamos de pie todo el viaje", "Vagnen var overfylt"]),
        ("delays", "Late or cancelled trains, missed connections",
         ["Zug fällt aus", "Our train was 40 minutes late", "J'ai raté ma correspondance", "Поезд опоздал на час"]),
        ("tickets", "Buying tickets, fares",
         ["Der Automat nimmt keine Karte", "Tickets are too expensive", "El billete costó demasiado",
          "Billetten var dyr"]),
        ("staff", "Conductors and station staff",
         ["Der Schaffner war unfreundlich", "Helpful conductor", "Le contrôleur a été très poli",
          "Personalet var hjelpsomt"]),
    ]
}  # fmt: skip


@pytest.fixture(scope="module")
def rail_analyzer():
    return cx.Analyzer(taxonomy=RAIL, sentiment=None, signals=False)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Das WLAN im ICE ist schon wieder ausgefallen.", "wifi"),
        ("Schon wieder 30 Minuten Verspätung, Anschluss verpasst.", "delays"),
        ("The conductor shouted at an old lady.", "staff"),
        ("Kereta penuh sesak, saya berdiri selama dua jam.", "seats"),
        ("Die Fahrkarte war teuer und der Zug war voll.", "tickets"),
    ],
)
def test_custom_taxonomy_of_one_domain_names_the_right_topic_first(rail_analyzer, text, topic):
    # every topic is about trains, so every comment is close to all of them: the few-shot head decides which
    # (similarity alone put "delays" first for the last two)
    got = [m.topic for m in rail_analyzer.analyze(text).topics]
    assert got[:1] == [topic] and len(got) <= 2, got


def test_a_catch_all_topic_is_named_when_no_other_topic_is(rail_analyzer):
    az = cx.Analyzer(
        taxonomy={**RAIL, "Sonstiges": {"description": "Sonstiges", "examples": ["Bahnfahren halt", "Ich fahre oft"]}},
        sentiment=None,
        signals=False,
    )
    assert az.topic_stage.model.taxonomy.fallback == "Sonstiges"
    rows = az.analyze_batch(["Danke!", "Ich fahre morgen nach Hamburg.", "Das WLAN im ICE ist ausgefallen.", ""])
    got = [[m.topic for m in r.topics] for r in rows]
    assert got[0] == ["Sonstiges"] and got[1] == ["Sonstiges"], got
    assert got[2][:1] == ["wifi"] and "Sonstiges" not in got[2], got
    assert got[3] == []
    assert 0.5 <= rows[0].topics[0].score <= 1.0
    # without the catch-all the same comments name nothing
    plain = rail_analyzer.analyze_batch(["Danke!", "Ich fahre morgen nach Hamburg."])
    assert [[m.topic for m in r.topics] for r in plain] == [[], []]
    # a prior makes the catch-all the default answer: another topic must beat it by that many log-odds
    tax = cx.Taxonomy.from_mapping(
        {"topics": dict(az.topic_stage.model.taxonomy.to_dict()["topics"]), "fallback_prior": 8.0}
    )
    assert tax.fallback_prior == 8.0 and cx.Taxonomy.from_mapping(tax.to_dict()).fallback_prior == 8.0
    strict = cx.Analyzer(taxonomy=tax, sentiment=None, signals=False)
    assert [m.topic for m in strict.analyze("Das WLAN im ICE ist ausgefallen.").topics] == ["Sonstiges"]
    with pytest.raises(ConfigError, match="fallback_prior"):
        cx.Taxonomy.from_mapping({"topics": {"a": "x"}, "fallback_prior": "high"})


def test_a_mention_whose_clauses_all_score_zero_gets_the_mean_sentiment(rail_analyzer):
    # the catch-all is named for want of another topic, so its own clause scores may all be 0 (they were divided
    # by their sum: a NaN sentiment and a RuntimeWarning on GermEval)
    senti = np.array([[0.1, 0.2, 0.7], [0.3, 0.4, 0.3]])
    m = rail_analyzer.topic_stage._mention(0, 0.7, [(0, 5), (6, 12)], np.zeros(2), [0, 1], senti)
    assert m.sentiment == "positive" and m.sentiment_score == pytest.approx(0.3)
    assert (m.start, m.end) == (0, 5)


def test_which_topic_is_the_catch_all():
    def fallback(topics):
        return cx.Taxonomy.from_mapping(topics).fallback

    assert fallback({"wifi": "Wi-Fi", "Allgemein": "Allgemeines"}) == "Allgemein"
    assert fallback({"wifi": "Wi-Fi", "lain-lain": "Hal lain"}) == "lain-lain"
    assert fallback({"wifi": "Wi-Fi", "misc": {"description": "x", "label": "Other"}}) == "misc"
    assert fallback({"RESTAURANT#GENERAL": "a", "SERVICE#GENERAL": "b"}) is None  # "general" of an entity
    assert fallback({"general": "a", "other": "b"}) is None  # two candidates: none is guessed
    assert fallback({"general": "a", "other": {"description": "b", "fallback": True}}) == "other"
    assert fallback({"wifi": "Wi-Fi", "Other": {"description": "x", "fallback": False}}) is None
    assert fallback({"wifi": "Wi-Fi", "seats": "Seats"}) is None
    assert cx.load_taxonomy().fallback is None
    tax = cx.Taxonomy.from_mapping({"wifi": "Wi-Fi", "rest": {"description": "x", "fallback": True}})
    assert cx.Taxonomy.from_mapping(tax.to_dict()).fallback == "rest"
    with pytest.raises(ConfigError, match="at most one"):
        cx.Taxonomy.from_mapping(
            {"a": {"description": "x", "fallback": True}, "b": {"description": "y", "fallback": True}}
        )
    with pytest.raises(ConfigError, match="true or false"):
        cx.Taxonomy.from_mapping({"a": {"description": "x", "fallback": "yes"}})


@pytest.fixture(scope="module")
def descriptions_analyzer():
    return cx.Analyzer(taxonomy={k: v["description"] for k, v in RAIL.items()}, sentiment=None, signals=False)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Das WLAN im ICE ist schon wieder ausgefallen.", "wifi"),
        ("Schon wieder 30 Minuten Verspätung, Anschluss verpasst.", "delays"),
        ("Kereta penuh sesak, saya berdiri selama dua jam.", "seats"),
        ("Le billet coûte beaucoup trop cher.", "tickets"),
        ("Personalet var svært hjelpsomme.", "staff"),
        ("Thanks!", None),
    ],
)
def test_a_taxonomy_of_descriptions_alone_names_topics(descriptions_analyzer, text, topic):
    # {"name": "description"} with no examples: a comment sits further from a short description than from another
    # comment, so before DESC_SHIFT most of these named no topic at all (4 of the 5 on topics here)
    got = [m.topic for m in descriptions_analyzer.analyze(text).topics]
    assert got[:1] == ([topic] if topic else []) and len(got) <= 2, got


def test_a_taxonomy_mixing_examples_and_descriptions_does_not_lose_the_description_topics():
    # the README's example: the few-shot regression learned "wifi" from one point, and gave its comments to "seats"
    az = cx.Analyzer(
        taxonomy={
            "wifi": "Internet on the train",
            "seats": {"description": "Seats", "examples": ["Kein Sitzplatz frei"]},
        },
        sentiment=None,
        signals=False,
    )
    assert [m.topic for m in az.analyze("Das WLAN im Zug funktioniert nie.").topics] == ["wifi"]
    assert [m.topic for m in az.analyze("Alle Plätze waren reserviert.").topics] == ["seats"]
    # there a topic with examples scores the mean of its description's similarity (read DESC_SHIFT higher) and its
    # best example's, not the best of its prototypes, which outbid the description-only topics
    from cxsentiment.topics._model import DESC_SHIFT, centred

    model = az.topic_stage.model
    x = centred(np.stack([model.index.vectors[0] + model.index.vectors[-1]]), np.zeros(model.index.vectors.shape[1]))
    sims = x @ model.index.vectors.T  # prototypes: wifi's description, seats' description, seats' example
    got = model._mixed_similarity(x) + model._shift
    assert np.allclose(got, [[sims[0, 0] + DESC_SHIFT, (sims[0, 1] + DESC_SHIFT + sims[0, 2]) / 2]], atol=1e-5)


def test_few_shot_head_separates_its_classes():
    from cxsentiment.topics._model import FewShotHead

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(3, 16))
    x = np.concatenate([c + 0.3 * rng.normal(size=(4, 16)) for c in centres])
    owners = np.repeat(np.arange(3), 4)
    share = FewShotHead(x, owners, 3).share(centres + 0.3 * rng.normal(size=(3, 16)))
    assert share.shape == (3, 3) and np.allclose(share.max(axis=1), 1.0)
    assert (share.argmax(axis=1) == np.arange(3)).all()
    assert (np.sort(share, axis=1)[:, -2] < 0.5).all()  # the runner-up is far behind


# --- signals -----------------------------------------------------------------------------------------------------
def test_signals_in_several_languages(analyzer):
    complaint = analyzer.analyze("I was charged twice and nobody answers my emails. Fix this now!")
    assert complaint.signals.complaint.flag and complaint.signals.complaint.score > 0.5
    shipped = float(load_signal_heads()["thresholds"][0])  # complaint's, chosen when the units were trained
    assert complaint.signals.complaint.threshold == pytest.approx(shipped)
    ru = analyzer.analyze("С карты списали деньги дважды, а поддержка молчит уже неделю.")
    assert ru.signals.complaint.flag
    praise = analyzer.analyze("Fantastisk service, tusen takk til alle sammen!")
    assert praise.signals.praise.flag and not praise.signals.complaint.flag
    question = analyzer.analyze("Bisakah saya mengubah alamat pengiriman?")
    assert question.signals.question.flag
    assert analyzer.analyze("How do I change my delivery address").signals.question.flag  # no "?" needed
    for statement in ("My card has not arrived yet.", "Ich warte seit drei Wochen auf meine Erstattung."):
        assert not analyzer.analyze(statement).signals.question.flag, statement  # a complaint, not a question
    churn = analyzer.analyze("I'm cancelling my contract and switching to your competitor.")
    assert churn.signals.churn_risk.flag and "churn_risk" in churn.signals.flagged()
    legal = analyzer.analyze("If this is not refunded by Friday I will contact my lawyer.")
    assert legal.signals.urgency.flag


def test_loyalty_is_not_churn_on_rows_nothing_was_tuned_on(analyzer):
    # benchmarks/data/signals_eval.jsonl's holdout split: comments in 10 languages written after the churn seeds
    # and their opposites (loyalty statements) were chosen. Before the opposites, "I will never switch from you,
    # best provider ever." was flagged as churn and this split's churn AUC was 0.54 (now 0.82).
    path = Path(__file__).parents[1] / "benchmarks" / "data" / "signals_eval.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r["split"] == "holdout" and r["category"] in ("churn", "loyal")]
    scores = [r.signals.churn_risk for r in analyzer.analyze_batch([r["text"] for r in rows])]
    threats = [s.score for s, r in zip(scores, rows, strict=True) if r["churn"]]
    loyal = [(s, r["text"]) for s, r in zip(scores, rows, strict=True) if not r["churn"]]
    assert len(threats) == len(loyal) == 20
    auc = sum((t > x.score) + 0.5 * (t == x.score) for t in threats for x, _ in loyal) / (len(threats) * len(loyal))
    assert auc >= 0.75, auc
    assert not any(x.flag for x, _ in loyal), [text for x, text in loyal if x.flag]
    assert not analyzer.analyze("I will never switch from you, best provider ever.").signals.churn_risk.flag


def test_short_switching_threats_are_churn_risk():
    """Plain "I'm going to a competitor" statements in several languages (none of them a seed): before the
    short churn seeds of 2026-12-07 one of these seven was flagged ("I'm switching to your competitor." scored
    0.07, nearer the loyalty seeds than the long churn seeds); loyalty statements stay unflagged."""
    az = cx.Analyzer(topics=False, sentiment="cx-e5-heads.v1")
    threats = [
        "We're moving to your competitor next month.",
        "Ich wechsle jetzt zu einem anderen Anbieter.",
        "我们要换到别的公司了。",
        "Kami akan pindah ke kompetitor.",
        "On passe chez un concurrent.",
        "Vi går over til en konkurrent.",
        "I am going to your rival.",
    ]
    flagged = [r.signals.churn_risk.flag for r in az.analyze_batch(threats)]
    assert sum(flagged) >= 4, list(zip(threats, flagged, strict=True))
    loyal = ["I'd never go to a competitor, you're great.", "I came to you from a competitor and I'm happy."]
    assert not any(r.signals.churn_risk.flag for r in az.analyze_batch(loyal))


@pytest.mark.parametrize(
    ("kind", "text", "phrase"),
    [
        ("churn", "Ich kündige, wenn das so weitergeht.", "Ich kündige"),
        ("churn", "Wenn das bis Freitag nicht geklärt ist, kündige ich meinen Vertrag.", "kündige ich"),
        ("churn", "Please delete my account.", "delete my account"),
        ("churn", "My account needs to be deleted.", "account needs to be deleted"),
        ("churn", "If this is not fixed by Friday, I am cancelling my subscription.", "cancelling my subscription"),
        ("churn", "Je vais résilier mon abonnement.", "résilier"),
        ("churn", "Jeg sier opp abonnementet.", "sier opp abonnementet"),
        ("churn", "Kalau tagihan ini tidak diperbaiki, saya pindah ke provider lain.", "saya pindah ke provider lain"),
        ("churn", "Если не исправите счёт, перейду к другому оператору.", "перейду к"),
        ("churn", "請求を直してもらえないなら、他社に乗り換えます。", "乗り換え"),
        ("churn", "如果还不更正账单，我就换别家运营商。", "换别家"),
        ("churn", "I will never shop here again.", "never shop here again"),
        ("churn", "I would never switch to another bank.", None),  # negation before
        ("churn", "Ich werde nicht kündigen.", None),
        ("churn", "Ich kündige nicht.", None),  # negation after (verb second)
        ("churn", "Jeg bytter ikke leverandør.", None),
        ("churn", "Einen Anbieterwechsel würde ich nie in Betracht ziehen.", None),
        ("churn", "Saya takkan tukar ke syarikat lain, servis anda terbaik.", None),  # negation inside the phrase's gap
        ("churn", "Kündigen? Niemals, ich bin sehr zufrieden.", None),  # asked and answered no
        ("churn", "退订？不可能，我非常满意。", None),
        ("churn", "解約するつもりはありません。", None),  # Japanese negation ends the verb
        ("churn", "Can I cancel my order?", None),  # cancelling an order or a transfer is not leaving
        ("churn", "I need to cancel a transaction.", None),
        ("churn", "Rechte Parteien kündigen eine Demo an.", None),  # ankündigen: to announce
        ("churn", "Plus de 200 villes renforcent leur résilience.", None),
        ("churn", "Lima kali tewas, calon Bebas guna logo pen tak serik.", None),
        # the end of a contract, then leaving (twenty-eighth session)
        ("churn", "As soon as my contract ends I'm gone.", "contract ends I'm gone"),
        ("churn", "Sobald der Vertrag ausläuft, bin ich weg.", "Vertrag ausläuft, bin ich weg"),
        ("churn", "Dès la fin de mon contrat, je pars.", "fin de mon contrat, je pars"),
        ("churn", "Как только закончится договор, я уйду.", "закончится договор, я уйду"),
        ("churn", "合同一到期我就走。", "合同一到期我就走"),
        ("churn", "When my contract ends I will not be leaving, you are great.", None),
        ("churn", "My contract ends in June, I am thinking of renewing.", None),
        ("churn", "Hvis ikke regningen blir rettet denne uken, bytter jeg leverandør.", "bytter jeg leverandør"),
        ("churn", "Cierren mi cuenta, ya abrí una en otro banco.", "Cierren mi cuenta"),
        ("churn", "Ini kali terakhir saya beli di kedai ini.", "Ini kali terakhir saya beli"),
        ("churn", "Terakhir kali saya beli di sini, rasanya enak.", None),  # a story, not a threat
        ("churn", "这是我最后一次在这家店买东西。", "最后一次在这家店买"),
        ("effort", "I had to call five times and explain everything again each time.", "call five times"),
        ("effort", "This is the third time I have called about this.", "third time I have called"),
        ("effort", "Ich habe mich schon dreimal beschwert und bekomme nur Standardantworten.", "dreimal beschwert"),
        ("effort", "C'est la troisième fois que j'appelle pour le même problème.", "troisième fois que j'appelle"),
        ("effort", "Dette er tredje gongen eg klagar på det same problemet.", "tredje gongen eg klagar"),
        ("effort", "Sudah berkali-kali telepon dan chat tapi dioper-oper terus.", "dioper-oper"),
        ("effort", "Это уже третья жалоба по одной и той же проблеме.", "третья жалоба"),
        ("effort", "同一个问题我已经投诉三次了。", "投诉三次"),
        ("effort", "何度も電話して同じ説明を繰り返させられた。", "何度も電話"),
        ("effort", "Pourriez-vous ajouter le paiement en plusieurs fois ?", None),  # instalments, not repeated contact
        ("effort", "I watched it five times, great film.", None),
        ("effort", "Dette gjentar seg flere ganger i filmen.", None),
        ("effort", "Saya sudah berkali-kali makan di sini, selalu enak.", None),
        ("effort", "I didn't have to call twice, it was fixed at once.", None),
        ("request", "Det hadde vært fint om appen hadde mørk modus.", "hadde vært fint om"),
        ("request", "Kamar kotor, mohon diperbaiki.", "mohon diperbaiki"),
        ("request", "How can you allow this? Terrible.", None),  # rhetorical, a complaint
        ("request", "Saya berharap SPRM dapat memastikan integriti terjaga.", None),  # a hope in the news
        # service requests: asking the company to do something (twenty-eighth session)
        ("request", "I'd like to change the date of my booking.", "I'd like to change"),
        ("request", "Can you send me a new card?", "Can you send"),
        ("request", "I want a refund.", "I want a refund"),
        ("request", "Ich möchte meine Buchung umbuchen.", "Ich möchte meine Buchung umbuchen"),
        ("request", "Quiero cambiar la fecha de mi reserva.", "Quiero cambiar"),
        ("request", "Saya mau ubah jadwal pemesanan saya.", "Saya mau ubah"),
        ("request", "Я хочу изменить бронь.", "Я хочу изменить"),
        ("request", "予約の日付を変更したいです。", "変更したい"),
        ("request", "我想改一下订单的地址。", "我想改"),
        ("request", "Kan jeg endre bestillingen min?", "Kan jeg endre"),
        ("request", "I'd like to say thank you to Anna.", None),  # not an action asked of the company
        ("request", "I want to know why my card was declined.", None),  # a question
        ("request", "How can I change my password?", None),  # asks how: a question
        ("request", "I need to get off Twitter.", None),
        ("request", "Thank you, I don't need to change anything.", None),  # negated
    ],
)
def test_signal_phrases(kind, text, phrase):
    """Churn phrases name leaving, not negations of it or other senses of its words; effort phrases name
    contacting again and again, and need a contact verb; request phrases ask or suggest (None: no phrase)."""
    from cxsentiment.signals import _phrases

    assert getattr(_phrases, f"{kind}_phrase")(text) == phrase


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Would recommend this shop to anyone looking for good service.", True),
        ("Highly recommended!", True),
        ("I can't recommend them enough.", True),
        ("I wouldn't hesitate to recommend them to anyone.", True),
        ("Ich kann den Laden nur empfehlen.", True),
        ("Kan varmt anbefales, topp service!", True),
        ("Sangat saya rekomendasikan, pelayanannya mantap!", True),
        ("友達にも勧めたいです。", True),
        ("I would not recommend this bank to anyone.", False),
        ("Kann ich leider niemandem empfehlen.", False),
        ("Jeg anbefaler dem ikke.", False),  # negation after the verb
        ("Saya tak akan cadangkan kedai ni.", False),
        ("Не советую никому.", False),
        ("誰にもおすすめできません。", False),
        ("我不会推荐给任何人。", False),
        ("Finger weg von diesem Laden!", False),  # a warning holds its own negation
        ("Stay away from this company.", False),
        ("The agent recommended I restart the router.", None),  # staff advice, not the customer recommending
        ("They recommended a different plan.", None),
        ("I recommend you add a dark mode.", None),  # a suggestion
        ("Can anyone recommend a cheaper plan?", None),  # asked, not said
        ("店員に勧められて買った。", None),  # recommended to the customer
        ("客服推荐给我一个新套餐。", None),
        ("Fikk gode anbefalinger fra betjeningen.", None),  # the noun
        # tenses beyond the present (none was found before the twenty-eighth session)
        ("No se lo recomendaría a nadie.", False),
        ("Ya se lo he recomendado a toda mi familia.", True),
        ("Lo hemos recomendado a todos nuestros amigos que no son pocos.", True),  # a relative clause, not "que no ..."
        ("Os recomiendo que no vayáis.", False),
        ("Não recomendaria a ninguém.", False),
        ("Non lo consiglierei a nessuno.", False),
        ("Ich habe Sie schon meiner ganzen Familie empfohlen.", True),
        ("Ich habe das Gerät wie empfohlen neu gestartet.", None),  # following advice
        ("Я уже посоветовал вас всем друзьям.", True),
        ("Никому не могу их посоветовать.", False),
        ("Мне посоветовал друг.", None),  # recommended to the customer
        ("友人には絶対に勧めません。", False),
    ],
)
def test_recommend_phrases(text, said):
    from cxsentiment.signals._phrases import recommend_phrase

    found = recommend_phrase(text)
    assert (found[1] if found else None) == said, (text, found)


def test_a_negated_recommendation_is_would_not_recommend(analyzer):
    """e5 hardly sees the negation: "Saya tak akan cadangkan kedai ni." was would_recommend at 0.92 and "Would
    recommend this shop to anyone ..." was not flagged (0.18) before the phrases."""
    out = analyzer.analyze_batch(
        ["Saya tak akan cadangkan kedai ni.", "Would recommend this shop to anyone looking for good service."]
    )
    assert [(r.signals.recommendation.flag, r.signals.recommendation.label) for r in out] == [
        (True, "would_not_recommend"),
        (True, "would_recommend"),
    ]


def test_recommendation_needs_a_phrase_or_a_close_paraphrase(analyzer):
    """Without a recommending phrase the seed comparison alone counts at ``RECOMMEND_SEED_ONLY`` x its score: it
    had flagged complaints, thanks and loyalty by their sentiment ("Frau Becker hat sich wirklich Zeit genommen und
    zugehört." was would_not_recommend at 0.52, "Die Abbuchung erfolgte doppelt ..." at 0.76). A paraphrase that
    reads close to the seeds still counts."""
    out = analyzer.analyze_batch(
        [
            "Frau Becker hat sich wirklich Zeit genommen und zugehört.",
            "Mir wurde ein Rückruf versprochen, der nie kam.",
            "Muy buena relación calidad-precio, repetiré sin duda.",
            "I've already told all my friends to sign up, you're great.",
        ]
    )
    assert [r.signals.recommendation.flag for r in out] == [False, False, False, True]
    assert out[3].signals.recommendation.label == "would_recommend"


def test_phrases_that_name_leaving_flag_churn_risk():
    """Threats the seed comparison missed (scores 0.06-0.20 before the phrases): a German conditional threat and
    BANKING77-style account closing, which e5 reads far from the seeds, while "cancel a transaction" read near."""
    az = cx.Analyzer(topics=False, sentiment="cx-e5-heads.v1")
    threats = ["Ich kündige, wenn das so weitergeht.", "Please delete my account.", "My account needs to be deleted."]
    for r in az.analyze_batch(threats):
        assert r.signals.churn_risk.flag and r.signals.churn_risk.score >= 0.8, (r.text, r.signals.churn_risk)
    assert not az.analyze("Ich werde auf keinen Fall kündigen, alles bestens.").signals.churn_risk.flag
    # cancelling one order or transfer is not leaving (the seeds read "cancel a transaction" at 0.79)...
    for r in az.analyze_batch(["Cancel my order please.", "I need to cancel a transaction."]):
        assert not r.signals.churn_risk.flag, (r.text, r.signals.churn_risk)
    # ... unless the comment also names leaving
    both = az.analyze("Cancel my order and close my account, I am done with you.")
    assert both.signals.churn_risk.flag


def test_customer_effort_is_repeated_contact_not_praise(analyzer):
    """Before 2026-12-07 the effort score was the seed comparison alone: "Dette er tredje gang jeg klager på det
    samme problemet." scored 0.37, and quick-fix praise 0.54-0.56. Effort is now weighted by P(negative) and raised
    by repeated-contact phrases. (Praise the sentiment model reads as negative can still be flagged: "Rask og
    venleg hjelp på chatten ..." 0.56.)"""
    az = analyzer
    effort = ["Dette er tredje gang jeg klager på det samme problemet.", "同一个问题我已经投诉三次了。"]
    for r in az.analyze_batch(effort):
        assert r.signals.effort.flag, (r.text, r.signals.effort)
        assert r.signals.urgency.score >= 0.8, (r.text, r.signals.urgency)  # repeated contact is an escalation
    praise = [
        "Super schneller Service, das Problem war in zehn Minuten gelöst.",
        "チャットの対応が早くて、問題がすぐに解決しました。",
    ]
    for r in az.analyze_batch(praise):
        assert not r.signals.effort.flag, (r.text, r.signals.effort)


def test_urgency_is_raised_by_threats_and_damped_on_calm_praise(analyzer):
    """A threat to leave is an escalation: "Kalau tagihan ini tidak diperbaiki minggu ini, saya pindah ke provider
    lain." had urgency 0.04 and the French one 0.34. Praise and polite requests sat near the urgency seeds in
    Malay and Nynorsk: "Kakitangan di kaunter sangat mesra ..." 0.55, "Kan de sende rekninga ..." 0.69."""
    threats = [
        "Kalau tagihan ini tidak diperbaiki minggu ini, saya pindah ke provider lain.",
        "Si ma facture n'est pas corrigée, je change d'opérateur.",
    ]
    calm = [
        "Kakitangan di kaunter sangat mesra dan cepat membantu.",
        "Kan de sende rekninga med organisasjonsnummeret vårt?",
    ]
    out = analyzer.analyze_batch(threats + calm)
    assert [r.signals.urgency.flag for r in out] == [True, True, False, False], [r.signals.urgency for r in out]


def test_escalation_words_match_whole_words():
    """They were substrings: "court" raised urgency in "courteous" and "foodcourt", "срочно" in "досрочно" (early
    repayment), "Gericht" in "eingerichtet", "asap" in "berasap" (smoky)."""
    from cxsentiment.signals._model import _escalation_pattern

    pattern = _escalation_pattern()
    for text in (
        "The staff were very courteous.",
        "Makan di foodcourt, tempatnya berasap.",
        "Досрочное погашение кредита прошло без проблем.",
        "Das Zimmer war schön eingerichtet.",
        "Die Gerichte waren kalt.",
    ):
        assert pattern.search(text) is None, text
    for text in (
        "I will take you to court.",
        "My attorneys will contact you.",
        "Ich schalte meinen Rechtsanwalt ein.",
        "Срочно перезвоните мне!",
        "Saya akan bawa ke peguam saya.",
        "弁護士に相談します。",
        "Je vais saisir le médiateur.",
    ):
        assert pattern.search(text) is not None, text


def test_request_phrases_flag_requests_beyond_english(analyzer):
    """The request unit learned from English app reviews: before 2026-12-07 it flagged none of these (scores
    0.04-0.72); phrases that ask or suggest now raise it. Complaints and thanks stay unflagged."""
    requests = [
        "It would be great if I could pay with PayPal.",
        "Es wäre toll, wenn man in der App auch per PayPal zahlen könnte.",
        "Sería genial poder pagar con PayPal.",
        "Det hadde vært fint om appen hadde mørk modus.",
        "Tolong tambah pilihan bayar guna PayPal.",
        "ダークモードを追加してほしいです。",
    ]
    for r in analyzer.analyze_batch(requests):
        assert r.signals.request.flag, (r.text, r.signals.request)
    for r in analyzer.analyze_batch(["Die Lieferung kam zwei Tage zu spät.", "Terima kasih atas layanan yang baik."]):
        assert not r.signals.request.flag, (r.text, r.signals.request)


def test_requests_eval_rows_are_flagged_and_complaints_are_not(analyzer):
    """benchmarks/data/requests_eval.tsv: 24 requests and 24 complaints or thanks in 14 languages, written after the
    request phrases (before them 11 of the 24 requests were flagged; 2026-12-07: 22)."""
    path = Path(__file__).parents[1] / "benchmarks" / "data" / "requests_eval.tsv"
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    flags = [r.signals.request.flag for r in analyzer.analyze_batch([row[2] for row in rows])]
    asked = [f for f, row in zip(flags, rows, strict=True) if row[0] == "1"]
    other = [f for f, row in zip(flags, rows, strict=True) if row[0] == "0"]
    assert len(asked) == len(other) == 24
    assert sum(asked) >= 19 and sum(other) <= 1, (sum(asked), sum(other))


def test_few_shot_taxonomy_leaves_thanks_without_a_topic():
    """Before 2026-12-07 a few-shot custom taxonomy filed "Danke!" under customer service (0.68) and product
    quality (0.61): nothing competed with its topics. Generic comments now do, unless the taxonomy has a topic
    for them ("Lob", praise)."""
    tax = {
        "Lieferung": {
            "description": "Lieferung, Versand",
            "examples": ["Das Paket kam zu spät.", "Der Kurier kam nie."],
        },
        "Kundenservice": {"description": "Hotline, Beratung", "examples": ["Die Hotline war nie erreichbar."]},
        "Produktqualität": {"description": "Qualität, Material", "examples": ["Nach zwei Tagen war das Gerät kaputt."]},
    }
    az = cx.Analyzer(taxonomy=tax, sentiment=None, signals=False)
    thanks, late = az.analyze_batch(["Danke!", "Das Paket kam zwei Wochen zu spät."])
    assert thanks.topics == (), thanks.topics
    assert [m.topic for m in late.topics] == ["Lieferung"]
    praise_topic = {**tax, "Lob": {"description": "Lob, Dank", "examples": ["Vielen Dank, super!", "Alles bestens."]}}
    r = cx.Analyzer(taxonomy=praise_topic, sentiment=None, signals=False).analyze("Danke!")
    assert [m.topic for m in r.topics] == ["Lob"], r.topics


def test_wifi_on_the_premises_is_filed_under_facilities():
    """Wi-Fi in a room or on a train is equipment (cleanliness_facilities, as HoASA's wifi aspect maps). Until
    2026-12-08 account_technical's description, keywords and two examples named Wi-Fi while the heads learned it as
    facilities: on these eight comments (project-written) facilities was named on 6 and account_technical on 3."""
    texts = [
        "Das WLAN im ICE ist schon wieder ausgefallen.",
        "The hotel wifi kept dropping all night.",
        "Le wifi de la chambre ne marchait pas.",
        "El wifi del tren no funciona nunca.",
        "Wifi di kamar lemot sekali.",
        "Wi-Fi в номере не работал.",
        "Wifien på toget virket ikke.",
        "客室のWi-Fiが繋がらなかった。",
    ]
    az = cx.Analyzer(sentiment=None, signals=False)
    named = [{m.topic for m in r.topics} for r in az.analyze_batch(texts)]
    assert all("cleanliness_facilities" in n for n in named), list(zip(named, texts, strict=True))
    assert sum("account_technical" in n for n in named) <= 1, list(zip(named, texts, strict=True))
    tax = cx.load_taxonomy()
    assert "wi-fi" not in tax.topic("account_technical").description.lower()
    assert "wlan" in tax.topic("cleanliness_facilities").keywords


# A German few-shot taxonomy of an online shop (project-written, 2026-12-08), and comments in other languages
SHOP_TAXONOMY = {
    "Lieferung": {
        "description": "Lieferung und Versand",
        "examples": [
            "Das Paket kam drei Tage zu spät.",
            "Der Bote hat die Sendung einfach vor die Tür gelegt.",
            "Versand dauerte ewig.",
        ],
    },
    "Preis": {
        "description": "Preis und Preis-Leistung",
        "examples": [
            "Viel zu teuer für das, was man bekommt.",
            "Für den Preis absolut top.",
            "Die Versandkosten sind unverschämt hoch.",
        ],
    },
    "Kundenservice": {
        "description": "Kundenservice und Hotline",
        "examples": [
            "Die Dame an der Hotline war sehr freundlich.",
            "Niemand hat auf meine E-Mail geantwortet.",
            "Der Support konnte mir nicht helfen.",
        ],
    },
    "Produkt": {
        "description": "Qualität des Produkts",
        "examples": [
            "Die Jacke ist nach zwei Wäschen kaputt.",
            "Das Material fühlt sich billig an.",
            "Der Akku hält kaum einen Tag.",
        ],
    },
}


def test_few_shot_taxonomy_reads_comments_in_other_languages_than_its_examples():
    """A comment in another language than the taxonomy's examples reads further from all of them, so the
    similarity gate alone left "The parcel was left in the rain at my door." and "Le colis n'est jamais arrivé."
    without a topic (7 of these 12 right before 2026-12-08). The built-in heads now vouch for a comment about a
    built-in topic the taxonomy's examples are about (delivery, here), and the few-shot regression reads their
    log-odds: 10 of 12 with the default encoder (e5-small-q4.v1; 8 of 12 with the fp32 torch port, whose parcel
    comments score just under 0.5)."""
    cases = [
        ("The parcel was left in the rain at my door.", "Lieferung"),
        ("Le colis n'est jamais arrivé.", "Lieferung"),
        ("El pedido llegó con dos semanas de retraso.", "Lieferung"),
        ("Pakken ble levert til feil adresse.", "Lieferung"),
        ("Harga terlalu mahal untuk kualitas seperti ini.", "Preis"),
        ("Troppo caro per quello che offre.", "Preis"),
        ("Цена явно завышена.", "Preis"),
        ("Ninguém respondeu aos meus e-mails durante duas semanas.", "Kundenservice"),
        ("サポートの対応がとても丁寧でした。", "Kundenservice"),
        ("De klantenservice hing gewoon op.", "Kundenservice"),
        ("The zipper broke the second time I used it.", "Produkt"),
        ("Le tissu s'est déchiré après un lavage.", "Produkt"),
    ]
    az = cx.Analyzer(taxonomy=SHOP_TAXONOMY, sentiment=None, signals=False)
    results = az.analyze_batch([t for t, _ in cases])
    first = [r.topics[0].topic if r.topics else None for r in results]
    right = sum(f == want for f, (_, want) in zip(first, cases, strict=True))
    assert right >= 9, list(zip(first, cases, strict=True))


def test_few_shot_regression_reads_the_built_in_heads():
    """The few-shot regression of a custom taxonomy reads the centred vector and the built-in heads' log-odds;
    the taxonomy's coverage of each built-in topic says which heads may vouch for a comment."""
    from cxsentiment.encoders import encoders
    from cxsentiment.taxonomy import load_taxonomy
    from cxsentiment.topics._model import TopicModel, load_topic_heads

    heads = load_topic_heads()
    encoder = encoders.get(heads.encoder)()
    model = TopicModel(load_taxonomy(SHOP_TAXONOMY), encoder, heads)
    assert model._few_shot is not None and model._coverage is not None
    assert model._few_shot.w.shape == (encoder.dim + int(heads.has_head.sum()), 4)
    names = [t for t, h in zip(heads.topics, heads.has_head, strict=True) if h]
    coverage = dict(zip(names, model._coverage, strict=True))
    # its parcels and prices, not invoices or apps (0.67, 0.94, 0.02, 0.12 on the fp32 encoder)
    assert coverage["delivery"] > 0.5 and coverage["price_value"] > 0.8, coverage
    assert coverage["billing_payment"] < 0.2 and coverage["website_app"] < 0.3, coverage


def test_opposite_seeds_count_against_their_signal_only():
    from cxsentiment.signals._model import SEEDED, opposed, seed_margins

    assert opposed() == ("churn_risk",)
    k = len(SEEDED)
    sim = np.zeros((1, k + 2), dtype=np.float32)
    sim[0, :k] = 0.5
    sim[0, k] = 0.2  # contrast
    sim[0, k + 1] = 0.6  # churn's opposites (loyalty)
    margin = seed_margins(sim)
    churn = SEEDED.index("churn_risk")
    assert margin[0, churn] == pytest.approx(-0.1)
    assert np.allclose(np.delete(margin[0], churn), 0.3)


def test_signal_thresholds_override_the_flags_not_the_scores():
    texts = [
        "I was charged twice and nobody answers my emails.",
        "Das Paket kam einen Tag zu spät.",
        "I'm cancelling my contract and switching to your competitor.",
        "Thanks, the staff were lovely.",
    ]
    light = {"sentiment": "cx-e5-heads.v1", "topics": False}
    base = cx.Analyzer(**light).analyze_batch(texts)
    custom = {"complaint": 0.99, "churn_risk": 0.05, "emotion": 1.0}
    strict = cx.Analyzer(**light, signal_thresholds=custom).analyze_batch(texts)
    assert base[0].signals.complaint.flag and base[2].signals.churn_risk.flag  # what the override must change
    for b, s in zip(base, strict, strict=True):
        for name in SIGNAL_NAMES:
            old, new = getattr(b.signals, name), getattr(s.signals, name)
            assert new.score == old.score and new.label == old.label
            want = custom.get(name, old.threshold)
            assert new.threshold == want and new.flag == (new.score >= want), name
    assert not any(s.signals.complaint.flag for s in strict)
    assert all(s.signals.churn_risk.flag == (s.signals.churn_risk.score >= 0.05) for s in strict)
    with pytest.raises(ConfigError, match="'complain' is not a signal"):
        cx.Analyzer(signal_thresholds={"complain": 0.5})
    with pytest.raises(ConfigError, match=r"threshold must be a number in \(0, 1\]"):
        cx.Analyzer(signal_thresholds={"complaint": 1.5})
    with pytest.raises(ConfigError, match="must be a mapping"):
        cx.Analyzer(signal_thresholds=0.5)
    cfg = cx.AnalyzerConfig(signal_thresholds={"complaint": 0.5})
    assert cx.AnalyzerConfig.from_dict(json.loads(json.dumps(cfg.to_dict()))) == cfg


def test_result_rows_and_dicts_carry_topics_and_signals(analyzer):
    r = analyzer.analyze("The parcel never arrived and I want my money back.")
    row = r.to_row()
    assert row["cx_complaint"] is True and isinstance(row["cx_complaint_score"], float)
    assert "returns_refunds" in row["cx_topics"].split(";")
    assert json.dumps(r.to_dict())  # serialisable
    off = cx.Analyzer(topics=False, signals=False).analyze("The parcel never arrived.")
    assert off.topics == () and off.signals is None


# --- roll-ups ----------------------------------------------------------------------------------------------------
def test_report_on_the_sample_has_every_table(scored_sample):
    rep = cx.report(scored_sample, by=["channel"])
    for name, table in rep.tables().items():
        assert len(table) > 0, name
    assert set(rep.overview["channel"]) == set(scored_sample["channel"])
    for col in ("net_sentiment", "mean_stars", "csat", "nps", "complaint_rate", "churn_risk_rate"):
        assert col in rep.overview.columns
    everyone = cx.report(scored_sample).overview.iloc[0]
    # the sample holds praise and anger: neither proxy may be stuck at an end of its scale
    assert 5 < everyone["csat"] < 60 and -95 < everyone["nps"] < 0, everyone[["csat", "nps", "mean_stars"]]
    d = rep.drivers
    assert list(d["impact"]) == sorted(d["impact"]) and d["rank"].tolist() == list(range(1, len(d) + 1))
    assert (d["impact"].iloc[0] < 0) and len(rep.dimensions) == 5
    assert "pct_negative_change" in rep.trend.columns and rep.trend["period"].is_monotonic_increasing
    by_month = cx.report(scored_sample, by=["language", "month"])
    assert {"language", "month"} <= set(by_month.overview.columns)
    with pytest.raises(InputFormatError, match="cannot group"):
        cx.report(scored_sample, by=["store"])
    undated = scored_sample.drop(columns=["created_at"])
    with pytest.raises(InputFormatError, match=r"need a date column.*date_column="):
        cx.report(undated, by=["month"])
    with pytest.raises(InputFormatError, match="date_column='sent' is not a column"):  # a KeyError before
        cx.report(undated, by=["month"], date_column="sent")


def test_report_reads_dates_written_in_mixed_iso_forms(scored_sample):
    # pandas infers one format from the first value: in a column mixing "...:00Z" with "...:00.123Z", or dates with
    # and without their time, every row in the other form became NaT and left the monthly tables (all but the
    # first row here, before)
    when = pd.to_datetime(scored_sample["created_at"], utc=True)
    mixed = scored_sample.assign(
        created_at=[
            t.strftime(("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.123Z", "%Y-%m-%d", "%Y-%m-%d %H:%M")[i % 4])
            for i, t in enumerate(when)
        ]
    )
    got = cx.report(mixed, by=["month"]).overview.set_index("month")["volume"]
    want = cx.report(scored_sample, by=["month"]).overview.set_index("month")["volume"]
    assert got.to_dict() == want.to_dict() and got.sum() == len(scored_sample)


def test_report_from_results_and_wilson():
    lo, hi = wilson(0, 10)
    assert lo == 0.0 and 0.25 < hi < 0.35
    results = cx.Analyzer().analyze_batch(["Great staff!", "Terrible delivery, parcel lost.", "Refund please"])
    rep = cx.report(results)
    assert rep.overview["volume"].iloc[0] == 3


# --- discovery and the keyword baseline --------------------------------------------------------------------------
def test_discovery_is_deterministic_and_cjk_keywords_are_words(sample):
    texts = sample["text"].tolist()
    a = cx.discover_topics(texts, 6, seed=3)
    b = cx.discover_topics(texts, 6, seed=3)
    assert [t.keywords for t in a] == [t.keywords for t in b] and sum(t.size for t in a) <= len(texts)
    cjk = [k for t in a for k in t.keywords if any("\u3040" <= ch <= "\u9fff" for ch in k)]
    assert cjk and all(len(k) <= 3 for k in cjk)


# six comments a language on each of two topics (written for this test)
DELIVERY = {
    "en": [
        "My parcel is two weeks late.",
        "The delivery never arrived.",
        "Still waiting for my package after ten days.",
        "The courier lost my order.",
        "My order was delivered to the wrong address.",
        "Shipping took forever, the box came a month late.",
    ],
    "de": [
        "Mein Paket ist zwei Wochen zu spät.",
        "Die Lieferung ist nie angekommen.",
        "Ich warte seit zehn Tagen auf meine Sendung.",
        "Der Paketdienst hat meine Bestellung verloren.",
        "Die Bestellung wurde an die falsche Adresse geliefert.",
        "Der Versand hat ewig gedauert, das Paket kam einen Monat später.",
    ],
    "id": [
        "Paket saya terlambat dua minggu.",
        "Kirimannya tidak pernah sampai.",
        "Sudah sepuluh hari menunggu paket saya.",
        "Kurirnya menghilangkan pesanan saya.",
        "Pesanan saya dikirim ke alamat yang salah.",
        "Pengirimannya lama sekali, paketnya datang sebulan kemudian.",
    ],
}
STAFF = {
    "en": [
        "The cashier was extremely rude to me.",
        "The staff ignored us and laughed.",
        "The manager shouted at my mother.",
        "Nobody at the counter bothered to greet us.",
        "The waiter was arrogant and unfriendly.",
        "The employee rolled her eyes when I asked a question.",
    ],
    "de": [
        "Die Kassiererin war extrem unhöflich zu mir.",
        "Das Personal hat uns ignoriert und gelacht.",
        "Der Filialleiter hat meine Mutter angeschrien.",
        "Niemand am Schalter hat uns begrüßt.",
        "Der Kellner war arrogant und unfreundlich.",
        "Die Mitarbeiterin hat die Augen verdreht, als ich etwas fragte.",
    ],
    "id": [
        "Kasirnya sangat kasar kepada saya.",
        "Stafnya mengabaikan kami dan tertawa.",
        "Manajernya membentak ibu saya.",
        "Tidak ada yang di loket menyapa kami.",
        "Pelayannya sombong dan tidak ramah.",
        "Pegawainya memutar mata ketika saya bertanya.",
    ],
}


def _two_topics_three_languages() -> tuple[list[str], list[int], list[int]]:
    texts, topic, language = [], [], []
    for t, by_language in enumerate((DELIVERY, STAFF)):
        for lang, comments in enumerate(by_language.values()):
            texts += comments
            topic += [t] * len(comments)
            language += [lang] * len(comments)
    return texts, topic, language


def test_discovery_clusters_topics_not_languages():
    # e5 vectors carry the language: vectors whose language part outweighs their topic part (as on SIB-200, where
    # the clusters were 0.653 language and 0.028 topic by NMI) grouped languages before; each language's vectors
    # are now centred on their own mean
    texts, topic, language = _two_topics_three_languages()
    rng = np.random.default_rng(0)
    lang_dirs, topic_dirs = rng.normal(size=(3, 64)) * 3.0, rng.normal(size=(2, 64))
    vectors = lang_dirs[language] + topic_dirs[topic] + 0.3 * rng.normal(size=(len(texts), 64))
    found = cx.TopicDiscovery(2, seed=0).fit(texts, vectors=vectors)
    groups = {frozenset(np.flatnonzero(found.labels_ == j)) for j in range(2)}
    assert groups == {frozenset(np.flatnonzero(np.array(topic) == t)) for t in range(2)}, found.labels_


def test_discovery_keywords_are_not_function_words_and_clusters_are_not_empty():
    texts, _, _ = _two_topics_three_languages()
    found = cx.discover_topics(texts, 2, seed=0)
    words = {w for t in found for w in t.keywords}
    assert words and not words & {"and", "the", "was", "dan", "und", "war", "ist", "tidak", "saya"}, words
    from cxsentiment.topics.discover import _Stopwords

    stop = _Stopwords()  # wordfreq has no Nynorsk: the shipped Nynorsk counts give its function words
    assert {"ikkje", "eg", "frå"} <= stop.of("nn") and "ikke" in stop.of("nn") and "ikkje" not in stop.of("nb")
    # a cluster spans languages: its keywords within each language, in that language
    delivery = next(t for t in found if "paket" in t.keywords)
    assert set(delivery.keywords_by_language) == {"en", "de", "id"}, delivery.keywords_by_language
    assert "late" in delivery.keywords_by_language["en"] and "bestellung" in delivery.keywords_by_language["de"]
    # fewer distinct comments than topics asked for: no empty cluster (there were two, with NaN centres), and the
    # words of two repeated comments are their keywords (each was in 50% of the comments: dropped as too common)
    found = cx.discover_topics(["same text here"] * 15 + ["another comment about delivery"] * 15, n_topics=4)
    assert sorted(t.size for t in found) == [15, 15]
    assert {"delivery", "text"} <= {w for t in found for w in t.keywords}


def test_discovery_leaves_non_answers_out():
    texts, _, _ = _two_topics_three_languages()
    junk = ["No comment", "n/a", "-", "Nothing to add.", "Ingen kommentar", "keine Angabe"] * 3
    found = cx.TopicDiscovery(2, seed=0).fit(texts + junk)
    assert (found.labels_[len(texts) :] == -1).all() and (found.labels_[: len(texts)] >= 0).all()
    assert sum(t.size for t in found.topics_) == len(texts)


def test_keyword_helpers():
    assert keywords_of("配達が遅い") == ["配達", "達が", "が遅", "配達が", "達が遅"][:1] + keywords_of("配達が遅い")[1:]
    base = KeywordBaseline(n_keywords=2).fit(
        ["late parcel", "parcel lost", "rude staff", "staff rude again"],
        [{"delivery"}, {"delivery"}, {"staff"}, {"staff"}],
    )
    assert base.predict(["my parcel", "the staff", "nothing"]) == [{"delivery"}, {"staff"}, set()]


@pytest.mark.parametrize(
    ("text", "topic", "expected"),
    [
        ("Цена слишком высокая", "price_value", True),
        ("Ценник вырос вдвое", "price_value", True),
        ("Офис в центре города", "price_value", False),  # "цен" was a stem of "центр"
        ("Der Zug hatte lediglich zehn Minuten Verspätung", "availability", False),  # "ledig"
        ("Es gab kein Essen im Zug", "product_quality", True),
        ("Ich wohne in Essener Straße", "product_quality", False),
        ("The support was useless", "complaint_handling", True),
        ("Thank you to all our supporters", "complaint_handling", False),
        ("Un precio justo", "price_value", True),
        ("Una playa preciosa", "price_value", False),
        ("The charger stopped working", "billing_payment", False),
        ("You charge me twice", "billing_payment", True),
        ("Kami sudah pesan kamar", "booking_ordering", True),
        ("Anak saya di pesantren", "booking_ordering", False),
        ("I got a full refund", "availability", False),
        ("The hotel was full", "availability", True),
        ("Kept on hold for an hour", "waiting_time", True),
        ("Please hold my card", "waiting_time", False),
        ("Vi kommer tilbake neste år", "returns_refunds", False),
        ("Jeg vil ha pengene tilbake", "returns_refunds", True),
        ("J'ai pris le train", "price_value", False),
        ("Prisen var altfor høy", "price_value", True),
        ("Big sale this weekend", "cleanliness_facilities", False),
        ("La chambre était pas propre", "cleanliness_facilities", True),
        ("La chambre était sale", "cleanliness_facilities", True),
        ("Personalen var otrevlig", "staff_attitude", True),
        ("I am personally disappointed", "staff_attitude", False),
        ("Hold time was 40 minutes", "waiting_time", True),
    ],
)
def test_builtin_keywords_match_words_not_longer_words_that_start_with_them(text, topic, expected):
    tax = cx.load_taxonomy()
    matcher = KeywordMatcher([t.keywords for t in tax.topics])
    found = {tax.topics[g].name for g in matcher.groups_of(text)}
    assert (topic in found) is expected, found


def test_a_quoted_keyword_matches_only_itself():
    m = KeywordMatcher([['"support"', "verspätung"], ["app"]])
    found = [sorted(m.groups_of(t)) for t in ("supports", "supporters", "Verspätungen", "apple", "apps")]
    assert found == [[0], [], [0], [], [1]]


def test_training_helpers_learn():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 5)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.float32)
    w, b = fit_logistic(x, y, epochs=200)
    pred = ((x @ w + b)[:, 0] > 0).astype(int)
    assert f1_binary(y.astype(int), pred) > 0.95


def test_weak_negatives_outside_the_balance_do_not_make_positives_weigh_more():
    """``fit_logistic`` evens out positives and negatives; rows left out of ``balance_rows`` (the topic heads'
    clause fragments) are fitted but do not shift that balance. Counted, 100 weak negatives far from both classes
    made the 10 positives weigh four times as much as the 10 negatives they border, and the point between those
    two read as positive."""
    x = np.r_[np.ones(10), -np.ones(10), np.full(100, -3.0)].reshape(-1, 1).astype(np.float32)
    y = np.r_[np.ones(10), np.zeros(110)].astype(np.float32)
    mask = np.r_[np.ones(20), np.full(100, 0.3)].astype(np.float32)
    between = np.array([[0.0]], dtype=np.float32)

    def p_between(balance: np.ndarray | None) -> float:
        w, b = fit_logistic(x, y, mask, epochs=300, l2=0.0, balance_rows=balance)
        return float(1 / (1 + np.exp(-(between @ w + b)[0, 0])))

    counted, left_out = p_between(None), p_between(np.r_[np.ones(20), np.zeros(100)])
    assert counted > left_out + 0.02, (counted, left_out)
    assert p_between(np.ones(120)) == counted


def test_clauses_about_nothing_name_few_topics(analyzer):
    """Project-written comments that are about no part of a service, in seven languages. Before the heads learned
    from clause fragments of tweets and SIB-200 sentences (2026-12-07), they named 6 topics on these ten ("Der
    Bürgermeister hat ... einen Brief geschrieben" communication 0.63, "Die Stadt feiert im Mai ihr Jubiläum"
    availability 0.88); now 4."""
    texts = [
        "Der Bürgermeister hat am Montag einen Brief geschrieben, und die Zeitung hat darüber berichtet.",
        "Die Stadt feiert im Mai ihr Jubiläum, mit Musik und Theater.",
        "Er sagte, dass er morgen kommt, aber niemand glaubte ihm.",
        "Le maire a écrit une lettre lundi, et le journal en a parlé.",
        "My cousin got married last summer, and the whole family came.",
        "Kemarin hujan deras, jadi kami tinggal di rumah.",
        "Вчера шёл дождь, поэтому мы остались дома.",
        "昨日は雨が降ったので、家にいました。",
        "Ayer llovió mucho, así que nos quedamos en casa.",
        "I read the news this morning, then I called my mother.",
    ]
    results = analyzer.analyze_batch(texts)
    named = [(r.text[:30], m.topic, round(m.score, 2)) for r in results for m in r.topics]
    assert len(named) <= 4, named
    assert not results[0].topics, named


def test_sentences_that_name_a_place_are_mostly_not_availability(analyzer):
    """Availability's only labelled rows are BANKING77's "which countries / cards are supported" queries, and its head
    learned "a place is named": all ten of these project-written sentences named availability with 0e2998d's heads,
    7 once it was blended with its prototypes, 6 once those rows weighed NARROW_ROW_WEIGHT (2026-12-07). Still open:
    the goal is none."""
    texts = [
        "Wir wohnen seit zehn Jahren in Köln, alle Schulen gibt es im Umkreis.",
        "All the schools are in the area, and my sister lives nearby.",
        "Weltweit haben das inzwischen viele Städte getan, sagt der Bericht.",
        "Toutes les écoles sont dans les environs, et le parc aussi.",
        "Nous sommes allés à Lyon en mai, avec mes parents.",
        "Mi hermano vive en Sevilla, y mi madre en Madrid.",
        "Kami pergi ke Melaka pada bulan Mei, bersama keluarga saya.",
        "Мы живём в этом районе десять лет, и все школы рядом.",
        "去年五月我们去了上海，和父母一起。",
        "Vi flyttet til Bergen i fjor, og barna går på skolen der.",
    ]
    named = [r.text[:30] for r in analyzer.analyze_batch(texts) if any(m.topic == "availability" for m in r.topics)]
    assert len(named) <= 6, named


def _identity_model(*topics: str):  # type: ignore[no-untyped-def]
    """A topic model whose probabilities are the encoder's vectors themselves (one column per topic)."""
    from types import SimpleNamespace

    taxonomy = cx.Taxonomy.from_mapping({t: t for t in topics})
    return SimpleNamespace(taxonomy=taxonomy, probabilities=lambda mat, strings: np.asarray(mat, np.float64))


def test_a_clause_names_only_its_own_top_topic():
    """The stage's decision rule on fixed probabilities: a clause that scores high on two topics names only
    its likelier one; the comment as a whole can still name the other."""
    from cxsentiment.topics.stage import TopicStage

    text = "The food was great but the waiter was rude."  # two clauses
    probs = {  # columns: product_quality, staff_attitude, price_value
        text: [0.30, 0.40, 0.10],
        "The food was great": [0.95, 0.90, 0.05],
        "but the waiter was rude.": [0.20, 0.97, 0.30],
    }
    model = _identity_model("product_quality", "staff_attitude", "price")

    class Encoder:
        name, dim = "fixed", 3

        def encode(self, texts):  # type: ignore[no-untyped-def]
            return np.array([probs[t] for t in texts], dtype=np.float32)

    mentions, _ = TopicStage(model, Encoder(), None).run([text])  # type: ignore[arg-type]
    named = {m.topic: m.score for m in mentions[0]}
    # product quality from the first clause (0.95 squared); staff attitude from the second (0.97 squared), not
    # from the first clause's 0.90, whose own top topic is product quality
    assert named == pytest.approx({"product_quality": 0.9025, "staff_attitude": 0.9409}, abs=1e-4)
    assert [text[m.start : m.end] for m in mentions[0]] == ["but the waiter was rude.", "The food was great"]

    probs["but the waiter was rude."] = [0.20, 0.60, 0.30]  # now only the first clause is sure of staff attitude
    mentions, _ = TopicStage(model, Encoder(), None).run([text])  # type: ignore[arg-type]
    assert [m.topic for m in mentions[0]] == ["product_quality"]  # 0.60 squared < 0.5; the 0.90 does not count


def test_topic_stage_scores_only_the_clauses_the_sentiment_stage_did_not():
    """Aspect sentiment reuses the sentiment stage's unit probabilities (a fine-tuned backend would otherwise
    run its encoder over every unit twice) and scores only the clauses that are evidence for a named topic;
    the reused rows give the mention's sentiment exactly as if they had been scored again."""
    from cxsentiment.topics.stage import TopicStage

    text = "The food was great but the waiter was rude."
    clauses = ["The food was great", "but the waiter was rude."]
    model = _identity_model("staff")

    class Encoder:
        name, dim = "fixed", 1

        def encode(self, texts):  # type: ignore[no-untyped-def]
            return np.array([[0.9 if "rude" in t else 0.1] for t in texts], dtype=np.float32)

    class Backend:
        name, needs_embeddings = "counting", False

        def __init__(self) -> None:
            self.seen: list[str] = []

        def predict(self, texts, embeddings=None):  # type: ignore[no-untyped-def]
            self.seen.extend(texts)
            p = np.array([[0.8, 0.1, 0.1] if "rude" in t else [0.1, 0.1, 0.8] for t in texts])
            return p, np.full(len(texts), 3.0)

    backend = Backend()
    fresh, _ = TopicStage(model, Encoder(), backend).run([text])  # type: ignore[arg-type]
    # the first clause (0.1) is no evidence for the one named topic (0.9 from the second): never scored
    assert sorted(backend.seen) == sorted([text, clauses[1]])
    backend.seen.clear()
    known = {(text, None): np.array([0.3, 0.3, 0.4])}  # (unit text, variant): the backend's own model
    reused, vecs = TopicStage(model, Encoder(), backend).run([text], None, known)  # type: ignore[arg-type]
    assert backend.seen == [clauses[1]]  # the whole comment's probabilities came from `known`
    assert reused == fresh and reused[0][0].sentiment == "negative"
    assert np.allclose(vecs.sentiment[0], known[(text, None)])


def test_a_clause_longer_than_a_unit_is_read_through_the_units():
    """clause_spans joins everything after its 16th clause; that remainder (or a sentence with no
    punctuation) is read through the comment's own units, which are embedded already, not embedded whole."""
    from cxsentiment.sentiment.units import UNIT_CHARS, units
    from cxsentiment.text import clause_spans
    from cxsentiment.topics.stage import TopicStage, bounded

    text = "The staff were kind, the room was clean. " * 400
    whole = units(text, limit=UNIT_CHARS)
    clauses = bounded(clause_spans(text), whole)
    assert max(b - a for a, b in clauses) <= UNIT_CHARS
    assert clauses[-1][1] == len(text.rstrip()) or clauses[-1] in whole
    assert set(clauses) - set(clause_spans(text)) <= set(whole)

    model = _identity_model("staff")
    embedded: list[str] = []

    class Encoder:
        name, dim = "fixed", 1

        def encode(self, texts):  # type: ignore[no-untyped-def]
            embedded.extend(texts)
            return np.full((len(texts), 1), 0.9, dtype=np.float32)

    mentions, _ = TopicStage(model, Encoder(), None).run([text])  # type: ignore[arg-type]
    assert [m.topic for m in mentions[0]] == ["staff"]
    assert embedded and max(len(t) for t in embedded) <= UNIT_CHARS


def test_booking_changes_are_booking_and_ordering(analyzer):
    """Changing a booking or an order, the commonest request in ticket queues, read as account problems or waiting
    time ("I'd like to change the date of my booking." was account_technical 0.82; the Spanish, Indonesian and
    Norwegian ones named no booking at all) before the taxonomy gained 147 examples (twenty-eighth session)."""
    texts = [
        "I'd like to change the date of my booking.",
        "Ich möchte meine Buchung umbuchen.",
        "Quiero cambiar la fecha de mi reserva.",
        "Saya mau ubah jadwal pemesanan saya.",
        "Kan jeg endre bestillingen min?",
    ]
    for r in analyzer.analyze_batch(texts):
        assert "booking_ordering" in {m.topic for m in r.topics}, (r.text, r.topics)


def test_coming_back_again_is_not_a_delay(analyzer):
    """A clause names its own likeliest topic, and "jeg handler gjerne her igjen" ("I'll gladly shop here again") read
    closest to the delay examples ("Toget var forsinket igjen."): punctuality 0.86. The taxonomy's generic comments
    gained 29 "I'll be back" and "it all went smoothly" comments in 15 languages (twenty-eighth session)."""
    texts = ["Rask levering, jeg handler gjerne her igjen.", "Buen precio, repetiré sin duda."]
    for r in analyzer.analyze_batch(texts):
        assert "punctuality_disruptions" not in {m.topic for m in r.topics}, (r.text, r.topics)


def test_failures_that_are_not_delays_are_not_punctuality(analyzer):
    """punctuality_disruptions had no labelled rows and was named by prototypes alone: any clause that said something
    failed read closest to a delay (a call cut off after 40 minutes on hold 0.89, a shower or air conditioning that
    did not work 0.72 / 0.83), while "火车晚点了两个小时" (the train was two hours late) named only waiting_time. Since
    the twenty-ninth session every topic has a head; this one learned from the taxonomy's 68 examples."""
    not_delays = [
        "Висел на линии сорок минут, а потом звонок просто сбросили.",
        "Saya tunggu dalam talian 40 minit, lepas tu panggilan terputus.",
        "Rommet var skittent og dusjen fungerte ikke.",
        "В номере было грязно, кондиционер не работал.",
    ]
    delays = ["Der Zug hatte wieder 40 Minuten Verspätung und es gab keine Durchsage.", "火车晚点了两个小时。"]
    for r in analyzer.analyze_batch(not_delays):
        assert "punctuality_disruptions" not in {m.topic for m in r.topics}, (r.text, r.topics)
    for r in analyzer.analyze_batch(delays):
        assert "punctuality_disruptions" in {m.topic for m in r.topics}, (r.text, r.topics)


def test_topics_without_labelled_rows_blend_their_example_head_with_prototypes():
    """Every built-in topic has a head; the four that no training set labels learned from the taxonomy's examples and
    count EXAMPLE_HEAD_WEIGHT of their probability (the rest: prototypes), and so does availability, whose labelled
    rows teach one narrow sense of it (NARROW_LABELS). A file from before per-topic weights (one ``head_weight``,
    topics without a head) reads as prototypes for those topics."""
    import json
    from importlib import resources

    import numpy as np

    from cxsentiment.topics._model import TopicHeads, load_topic_heads
    from cxsentiment.training.topics import EXAMPLE_HEAD_WEIGHT, NARROW_LABELS

    heads = load_topic_heads()
    report = json.loads(resources.files("cxsentiment.models").joinpath("topics_training.json").read_text("utf-8"))
    from_examples = set(report["topics_rebuilt"]["topics"]["heads_from_examples_only"])
    assert from_examples == {"waiting_time", "communication", "complaint_handling", "punctuality_disruptions"}
    assert heads.has_head.all()
    weights = dict(zip(heads.topics, heads.head_weights.tolist(), strict=True))
    assert NARROW_LABELS == ("availability",)
    assert {t for t, w in weights.items() if w == EXAMPLE_HEAD_WEIGHT} == from_examples | set(NARROW_LABELS)
    assert all(w == 1.0 for t, w in weights.items() if t not in from_examples | set(NARROW_LABELS))
    arrays = {
        "encoder": np.array(heads.encoder), "center": heads.center, "proto_scale": np.array(heads.proto_scale),
        "proto_offset": np.array(heads.proto_offset), "head_weight": np.array(1.0), "topics": np.array(heads.topics),
        "w": heads.w, "b": heads.b, "has_head": np.array([t not in from_examples for t in heads.topics]),
    }  # fmt: skip
    legacy = TopicHeads(arrays)
    assert dict(zip(legacy.topics, legacy.head_weights.tolist(), strict=True)) == {
        t: 0.0 if t in from_examples else 1.0 for t in heads.topics
    }


def test_a_comment_as_a_whole_names_topics_near_its_likeliest(analyzer):
    """The topic heads are independent units: "Clean" was cleanliness 0.91 and account_technical 0.60. The comment
    as a whole names a topic only at WHOLE_SHARE (0.7) of its likeliest one; each clause still names its own."""
    clean, mixed = analyzer.analyze_batch(["Clean", "Friendly staff, but the room was dirty."])
    assert {m.topic for m in clean.topics} == {"cleanliness_facilities"}
    assert {m.topic: m.sentiment for m in mixed.topics} == {
        "staff_attitude": "positive",
        "cleanliness_facilities": "negative",
    }


def _cut_between(values, lo: float, hi: float, above: float = 0.0) -> float:
    """A score cut in [lo, hi] with a gap of at least 0.03 on each side (so a grid threshold fits in it), below
    which some score of at least ``above`` lies."""
    v = sorted(set(values.tolist()))
    for a, b in itertools.pairwise(v):
        if lo <= b <= hi and b - a >= 0.06 and a >= above:
            return (a + b) / 2
    raise AssertionError(f"no gap in the scores between {lo} and {hi}: {v}")


def test_calibrated_thresholds_reproduce_a_stricter_and_a_looser_labelling(tmp_path, sample, analyzer):
    """Labels drawn at another line than 0.5 (delivery only when sure, another topic also when the model
    hesitates): calibrate_topics finds thresholds that reproduce them, the Analyzer applies them, and they survive
    JSON. The looser topic is the first (price, then billing, waiting time, ...) whose scores on these comments
    leave a gap to draw the line in (price's did until the heads rebuilt on 2026-12-07 scored it 0.095 / 0.137 /
    0.625)."""
    from cxsentiment.topics.calibrate import calibrate_topics

    texts = [t for t in sample.text.fillna("").tolist() if 10 < len(t) < 200][:80]
    az = analyzer
    names = az.topic_stage.model.taxonomy.names
    scores = az.topic_stage.scores(texts)
    d = names.index("delivery")
    strict = _cut_between(scores[:, d], 0.6, 0.95, above=0.5)
    cuts = {}
    for name in ("price_value", "billing_payment", "waiting_time", "product_quality", "returns_refunds"):
        with contextlib.suppress(AssertionError):
            cuts[name] = _cut_between(scores[:, names.index(name)], 0.1, 0.49)
    assert cuts, "no topic's scores leave a gap between 0.1 and 0.49 on these comments"
    looser, loose = next(iter(cuts.items()))
    p = names.index(looser)
    labels = [({"delivery"} if s[d] >= strict else set()) | ({looser} if s[p] >= loose else set()) for s in scores]
    assert sum(looser in row for row in labels) > sum(s[p] >= 0.5 for s in scores)  # looser than 0.5

    tuned = calibrate_topics(az, texts, labels, fit_heads=False)
    th = dict(zip(tuned.names, tuned.thresholds(), strict=True))
    assert th["delivery"] > 0.5 > th[looser]  # stricter and looser than the default
    assert th["staff_attitude"] == 0.5  # not labelled: untouched
    assert tuned.name == "cx-taxonomy.v1"  # the built-in heads still apply

    path = tmp_path / "tuned.json"
    path.write_text(json.dumps(tuned.to_dict()), encoding="utf-8")
    got = cx.Analyzer(taxonomy=path, signals=False, sentiment=None).analyze_batch(texts)
    assert [{m.topic for m in r.topics} & {"delivery", looser} for r in got] == labels


def test_fitted_heads_learn_a_labelling_no_threshold_can_draw(tmp_path, sample, analyzer):
    """A labeller's scheme the model's scores cannot express (here: "delivery" means a Chinese or Japanese
    comment): no threshold on the delivery score draws it, a head fitted on the labelled rows learns it from
    the comment vectors and names it on comments it was not fitted on; the heads survive JSON, and a head
    fitted on another encoder's vectors is refused."""
    from cxsentiment.taxonomy import TopicHead
    from cxsentiment.topics._model import TopicModel
    from cxsentiment.topics.calibrate import best_threshold, calibrate_topics

    rows = sample[sample.text.str.len() >= 10].iloc[::2]
    texts = rows.text.tolist()
    gold = np.array([lang in ("ja", "zh") for lang in rows.language])
    labels = [{"delivery"} if g else set() for g in gold]
    cut = 2 * len(texts) // 3
    assert gold[cut:].sum() >= 5

    stage = analyzer.topic_stage
    base = stage.scores(texts, fitted=False)[:, stage.model.taxonomy.names.index("delivery")]
    assert best_threshold(base, gold)[1] < 0.5  # even chosen on these very rows

    fitted = calibrate_topics(analyzer, texts[:cut], labels[:cut], topics=["delivery"])  # heads by default
    head = fitted.topic("delivery").head
    assert head is not None and head.encoder == analyzer.encoder.name
    assert len(head.weights) == analyzer.encoder.dim + 2
    assert fitted.topic("staff_attitude").head is None  # not labelled: untouched
    path = tmp_path / "fitted.json"
    path.write_text(json.dumps(fitted.to_dict()), encoding="utf-8")
    az = cx.Analyzer(taxonomy=path, signals=False, sentiment=None)
    assert az.topic_stage.model.taxonomy == fitted  # the weights round-trip exactly
    got = np.array(["delivery" in {m.topic for m in r.topics} for r in az.analyze_batch(texts[cut:])])
    assert f1_binary(gold[cut:].astype(int), got.astype(int)) >= 0.9

    for wrong, match in (
        (TopicHead("another-encoder.v1", head.weights, head.bias), "fitted on 'another-encoder.v1' vectors"),
        (TopicHead(head.encoder, head.weights[:-1], head.bias), "fit it again"),
    ):
        with pytest.raises(ConfigError, match=match):
            TopicModel(fitted.with_heads({"delivery": wrong}), analyzer.encoder)


def test_calibration_errors_say_what_to_fix(analyzer):
    from cxsentiment.topics.calibrate import calibrate_topics

    with pytest.raises(ConfigError, match=r"lacks.*'wifi'"):
        calibrate_topics(analyzer, ["Slow wifi"], [{"wifi"}])
    with pytest.raises(ConfigError, match="one set of topics per text"):
        calibrate_topics(analyzer, ["a", "b"], [set()])
    with pytest.raises(ConfigError, match="topic stage"):
        calibrate_topics(cx.Analyzer(topics=False, signals=False), ["a"], [set()])
    with pytest.raises(ConfigError, match=r"in \(0, 1\)"):
        cx.load_taxonomy().with_thresholds({"delivery": 1.5})
    with pytest.raises(KeyError, match="no topic 'wifi'"):
        cx.load_taxonomy().with_thresholds({"wifi": 0.6})
    # too few examples of a topic: its threshold stays
    tuned = calibrate_topics(analyzer, ["The parcel never came", "Fine"], [{"delivery"}, set()])
    assert tuned.topic("delivery").threshold is None


def test_question_labels_for_the_signal_units():
    from cxsentiment.training.topics import _INTERROGATIVE, _with_question

    # a review sentence or tweet: no question mark is a statement, one with a question mark may be rhetorical
    assert _with_question([1, 0, 0], "The app crashes every time I pay.") == [1, 0, 0, 0]
    assert _with_question([1, 0, 0], "Why does the app crash every time?") == [1, 0, -1, 0]
    assert _with_question([0, 0, 1], "素晴らしい対応でした？") == [0, 0, -1, 1]
    # a BANKING77 query without "?" is a question when it opens like one, otherwise a statement
    assert _INTERROGATIVE.match("How do I link my card") and _INTERROGATIVE.match("can you send me a new PIN")
    assert not _INTERROGATIVE.match("My card has not arrived yet.") and not _INTERROGATIVE.match("Howdy, card broke")
