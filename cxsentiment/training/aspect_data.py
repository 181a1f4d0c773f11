"""Loaders for the shared aspect, intent and complaint sets (``../shared/data``), and their mapping to the
built-in taxonomy's topics; and SIB-200's topic-labelled sentences as a multilingual archive (topic discovery).

Each loader returns :class:`AspectSet`: texts with their native labels (``{category: polarity}``), and
the same rows relabelled with built-in topic names via the set's ``*_TOPICS`` mapping (a native category
mapped to ``None`` is in no built-in topic, e.g. GermEval's ``Allgemein``). What each set may be used for
(training shipped weights, or evaluation only) is decided by its licence: see ``models/topics_MODEL_CARD.md``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "CASA_TOPICS",
    "COMPLAINT_INTENTS",
    "GERMEVAL_TOPICS",
    "HOASA_TOPICS",
    "AspectSet",
    "app_reviews",
    "banking77",
    "casa",
    "complaints",
    "germeval",
    "hoasa",
    "is_problem_intent",
    "semeval_categories",
    "semeval_topic",
    "sib_topic_archive",
]

_POLARITY = {"pos": "positive", "neg": "negative", "neut": "neutral", "positive": "positive",
             "negative": "negative", "neutral": "neutral", "neg_pos": "mixed", "conflict": "mixed"}  # fmt: skip


@dataclass
class AspectSet:
    """Rows of one labelled set: ``texts[i]`` with native labels ``aspects[i]`` ({category: polarity})."""

    name: str
    language: str
    split: str
    texts: list[str] = field(default_factory=list)
    aspects: list[dict[str, str]] = field(default_factory=list)
    mapping: Mapping[str, str | None] = field(default_factory=dict)

    @property
    def categories(self) -> list[str]:
        """Native categories that occur, most frequent first."""
        counts: dict[str, int] = {}
        for row in self.aspects:
            for c in row:
                counts[c] = counts.get(c, 0) + 1
        return sorted(counts, key=lambda c: (-counts[c], c))

    def topics(self) -> list[dict[str, str]]:
        """Rows relabelled with built-in topics ({topic: polarity}; several categories may map to one)."""
        out: list[dict[str, str]] = []
        for row in self.aspects:
            mapped: dict[str, str] = {}
            for cat, pol in row.items():
                topic = self.mapping.get(cat)
                if topic is None:
                    continue
                prev = mapped.get(topic)
                mapped[topic] = pol if prev in (None, pol) else "mixed"
            out.append(mapped)
        return out

    @property
    def covered_topics(self) -> list[str]:
        """Built-in topics this set can label (a row without one is a negative for it)."""
        return sorted({t for t in self.mapping.values() if t is not None})


# --- Indonesian hotel (HoASA) and car (CaSA) reviews --------------------------------------------------------
HOASA_TOPICS: dict[str, str | None] = {
    "ac": "cleanliness_facilities", "air_panas": "cleanliness_facilities", "bau": "cleanliness_facilities",
    "kebersihan": "cleanliness_facilities", "linen": "cleanliness_facilities", "tv": "cleanliness_facilities",
    "wifi": "cleanliness_facilities", "service": "staff_attitude", "sunrise_meal": "product_quality",
    "general": None,
}  # fmt: skip
CASA_TOPICS: dict[str, str | None] = {
    "fuel": "product_quality", "machine": "product_quality", "part": "product_quality", "price": "price_value",
    "service": "staff_attitude", "others": None,
}  # fmt: skip


def _indonlu(root: Path, folder: str, split: str, text_col: str, mapping: dict[str, str | None]) -> AspectSet:
    file = {"train": "train_preprocess.csv", "valid": "valid_preprocess.csv"}[split]
    out = AspectSet(folder.replace("indonlu_", ""), "id", split, mapping=mapping)
    with open(root / folder / file, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out.texts.append(row.pop(text_col).strip())
            out.aspects.append({k: _POLARITY[v] for k, v in row.items() if v not in ("neut", "neutral")})
    return out


def hoasa(root: Path, split: str) -> AspectSet:
    """HoASA hotel reviews (``train`` / ``valid``; the test labels are masked upstream)."""
    return _indonlu(root, "indonlu_hoasa", split, "review", HOASA_TOPICS)


def casa(root: Path, split: str) -> AspectSet:
    """CaSA car reviews (``train`` / ``valid``)."""
    return _indonlu(root, "indonlu_casa", split, "sentence", CASA_TOPICS)


# --- SemEval-2016 categories (English restaurants and laptops, Dutch restaurants) -----------------------------
_SEMEVAL_FILES = {
    ("en", "restaurants"): "ABSA16_Restaurants_Train_SB1_v2.xml",
    ("en", "laptops"): "ABSA16_Laptops_Train_SB1_v2.xml",
    ("nl", "restaurants"): "restaurants_dutch_training.xml",
}


def semeval_topic(category: str) -> str | None:
    """The built-in topic of a SemEval ``ENTITY#ATTRIBUTE`` category (``None``: general opinions)."""
    entity, _, attribute = category.partition("#")
    if attribute in ("PRICES", "PRICE"):
        return "price_value"
    if entity == "SERVICE":
        return "staff_attitude"
    if entity == "SUPPORT":
        return "complaint_handling"
    if entity == "SHIPPING":
        return "delivery"
    if entity == "WARRANTY":
        return "returns_refunds"
    if entity in ("AMBIENCE", "LOCATION"):
        return "cleanliness_facilities"
    if entity in ("RESTAURANT", "COMPANY") or (entity == "LAPTOP" and attribute in ("GENERAL", "MISCELLANEOUS")):
        return None
    return "product_quality"  # food, drinks, the laptop and its parts, software


def semeval_categories(root: Path, language: str, domain: str, split: str) -> AspectSet:
    """Sentences of the SemEval-2016 category XML (training data only upstream), cut by review id into
    ``train`` (80%), ``dev`` (10%) and ``test`` (10%) by a hash of the id, so the cut is stable."""
    path = root / "semeval2016_absa_multilingual" / "xml_with_categories" / _SEMEVAL_FILES[(language, domain)]
    out = AspectSet(f"semeval16_{language}_{domain}", language, split)
    cats: set[str] = set()
    for review in ET.parse(path).getroot().iter("Review"):
        bucket = int(hashlib.sha1(review.get("rid", "").encode()).hexdigest(), 16) % 10
        if {"train": bucket >= 2, "dev": bucket == 1, "test": bucket == 0}[split] is False:
            continue
        for sentence in review.iter("sentence"):
            if sentence.get("OutOfScope") == "TRUE":
                continue
            text = (sentence.findtext("text") or "").strip()
            if not text:
                continue
            row: dict[str, str] = {}
            for op in sentence.iter("Opinion"):
                cat = op.get("category", "")
                cats.add(cat)
                pol = _POLARITY.get(op.get("polarity", ""), "neutral")
                row[cat] = pol if row.get(cat) in (None, pol) else "mixed"
            out.texts.append(text)
            out.aspects.append(row)
    out.mapping = {c: semeval_topic(c) for c in sorted(cats)}
    return out


# --- GermEval 2017 (Deutsche Bahn feedback; evaluation only) -------------------------------------------------------
# Connectivity (Wi-Fi and mobile reception on board) is equipment on board, as HoASA's wifi is equipment of the
# room: cleanliness_facilities (until 2026-12-08 it mapped to account_technical, whose description then named Wi-Fi
# while the heads learned Wi-Fi = facilities from HoASA).
GERMEVAL_TOPICS: dict[str, str | None] = {
    "Allgemein": None, "Atmosphäre": None, "Sicherheit": None, "Gepäck": None, "Design": None, "QR-Code": None,
    "Reisen_mit_Kindern": None, "Barrierefreiheit": None,
    "Zugfahrt": "punctuality_disruptions", "Sonstige_Unregelmässigkeiten": "punctuality_disruptions",
    "Ticketkauf": "booking_ordering", "Service_und_Kundenbetreuung": "staff_attitude",
    "Informationen": "communication", "Connectivity": "cleanliness_facilities", "DB_App_und_Website": "website_app",
    "Auslastung_und_Platzangebot": "availability", "Komfort_und_Ausstattung": "cleanliness_facilities",
    "Toiletten": "cleanliness_facilities", "Gastronomisches_Angebot": "product_quality",
}  # fmt: skip


def germeval(root: Path, split: str, *, relevant_only: bool = True) -> AspectSet:
    """GermEval 2017 ``dev`` or ``test`` (categories with ``#attribute`` stripped; irrelevant rows dropped)."""
    out = AspectSet("germeval17", "de", split, mapping=GERMEVAL_TOPICS)
    with open(root / "germeval2017_db_de" / f"{split}.tsv", encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 4 or not cols[1].strip():
                continue
            if relevant_only and cols[2] != "true":
                continue
            row: dict[str, str] = {}
            for item in (cols[4] if len(cols) > 4 else "").split():
                cat, _, pol = item.rpartition(":")
                cat = cat.split("#")[0]
                row[cat] = pol if row.get(cat) in (None, pol) else "mixed"
            out.texts.append(cols[1].strip())
            out.aspects.append(row)
    return out


# --- BANKING77 (English customer queries) ----------------------------------------------------------------------
_B77_PREFIX = (
    ("card_arrival", "delivery"), ("card_delivery_estimate", "delivery"),
    ("request_refund", "returns_refunds"), ("refund_not_showing_up", "returns_refunds"),
    ("reverted_card_payment", "returns_refunds"),
    ("passcode", "account_technical"), ("pin_blocked", "account_technical"), ("change_pin", "account_technical"),
    ("verify", "account_technical"), ("why_verify", "account_technical"), ("unable_to_verify", "account_technical"),
    ("edit_personal", "account_technical"), ("terminate_account", "account_technical"),
    ("compromised_card", "account_technical"), ("lost_or_stolen", "account_technical"),
    ("card_not_working", "account_technical"), ("contactless_not_working", "account_technical"),
    ("virtual_card_not_working", "account_technical"), ("card_swallowed", "account_technical"),
    ("activate_my_card", "account_technical"), ("card_linking", "account_technical"),
    ("apple_pay", "website_app"), ("exchange_via_app", "website_app"),
    ("fiat_currency", "availability"), ("country_support", "availability"), ("atm_support", "availability"),
    ("supported_cards", "availability"), ("card_acceptance", "availability"), ("age_limit", "availability"),
    ("visa_or_mastercard", "availability"),
    ("exchange_rate", "price_value"), ("exchange_charge", "price_value"), ("card_payment_fee_charged", "price_value"),
    ("transfer_fee_charged", "price_value"), ("cash_withdrawal_charge", "price_value"),
    ("top_up_by_card_charge", "price_value"), ("top_up_by_bank_transfer_charge", "price_value"),
    ("order_physical_card", "booking_ordering"), ("get_physical_card", "booking_ordering"),
    ("getting_spare_card", "booking_ordering"), ("getting_virtual_card", "booking_ordering"),
    ("get_disposable_virtual_card", "booking_ordering"),
)  # fmt: skip


def _banking77_topic(intent: str) -> str | None:
    name = intent.lower().rstrip("?")
    for prefix, topic in _B77_PREFIX:
        if name.startswith(prefix):
            return topic
    # payments, transfers, top-ups, withdrawals, statements: money moving through the account
    if any(w in name for w in ("payment", "transfer", "top_up", "topping_up", "cash", "charged", "balance",
                               "debit", "statement", "receiving_money", "beneficiary", "funds", "cheque")):  # fmt: skip
        return "billing_payment"
    return None


# BANKING77 intents that report a problem (a complaint in the sense of Preoţiuc-Pietro et al.: reality fell
# short of what the customer expected); the other intents are questions and requests.
COMPLAINT_INTENTS = (
    "card_not_working", "declined", "transaction_charged_twice", "wrong_amount", "extra_charge", "not_recognised",
    "refund_not_showing", "balance_not_updated", "card_swallowed", "compromised", "failed_transfer",
    "top_up_failed", "top_up_reverted", "reverted_card", "transfer_not_received", "contactless_not_working",
    "virtual_card_not_working", "pin_blocked", "wrong_exchange", "card_payment_wrong", "unable_to_verify",
    "pending", "card_arrival", "lost_or_stolen",
)  # fmt: skip


def is_problem_intent(intent: str) -> bool:
    """Whether a BANKING77 intent reports a problem (``COMPLAINT_INTENTS``) rather than asks or requests.

    >>> is_problem_intent("card_payment_wrong_exchange_rate"), is_problem_intent("top_up_limits")
    (True, False)
    """
    name = intent.lower()
    return any(c in name for c in COMPLAINT_INTENTS)


def banking77(root: Path, split: str) -> AspectSet:
    """BANKING77 ``train`` / ``test``; each row's one intent is its category (polarity ``neutral``)."""
    out = AspectSet("banking77", "en", split)
    with open(root / "banking77_en" / f"{split}.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out.texts.append(row["text"].strip())
            out.aspects.append({row["category"]: "neutral"})
    cats = json.loads((root / "banking77_en" / "categories.json").read_text(encoding="utf-8"))
    out.mapping = {c: _banking77_topic(c) for c in cats}
    return out


# --- complaints and app-review feedback (English) ---------------------------------------------------------------
def complaints(root: Path, *, service_domains_only: bool = False) -> tuple[list[str], list[int], list[str]]:
    """The shared half of Preoţiuc-Pietro et al. (2019): texts, 1 = complaint, and the domain of each row."""
    texts: list[str] = []
    labels: list[int] = []
    domains: list[str] = []
    with open(root / "complaints_twitter_en" / "complaints-data.dev-half.csv", encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            if len(row) < 4:
                continue
            if service_domains_only and row[3].startswith("random"):
                continue
            texts.append(row[1])
            labels.append(int(row[2]))
            domains.append(row[3])
    return texts, labels, domains


def app_reviews(root: Path, file: str) -> tuple[list[str], list[str]]:
    """``SHAH`` (sentences: rate, E, B, R, M) or ``P3`` (quality, none, Stability, feature, performance)."""
    name = {"SHAH": "SHAH_sentences.csv", "P3": "P3_golden.csv"}[file]
    texts: list[str] = []
    labels: list[str] = []
    with open(root / "app_review_feedback_en" / name, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            text = (row.get("reviews") or "").strip()
            if text:
                texts.append(text)
                labels.append(row["labels"].strip())
    return texts, labels


# --- SIB-200 topics in 14 varieties (for topic discovery) ------------------------------------------------------
def sib_topic_archive(root: Path, split: str = "train", seed: int = 0) -> tuple[list[str], list[str], list[str]]:
    """SIB-200 sentences as an archive without translation pairs: each sentence id given to one of the varieties
    at random (``seed``), so each language holds different sentences. Texts, their topics and their varieties."""
    import random

    rows: dict[str, list[dict[str, str]]] = {}
    for path in sorted((root / "sib200_flores_topic_langid" / split).glob("*.tsv")):
        with path.open(encoding="utf-8") as fh:
            rows[path.stem] = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    rng = random.Random(seed)
    owner = {r["index_id"]: rng.choice(sorted(rows)) for r in rows["eng_Latn"]}
    picked = [(r["text"], r["category"], v) for v, rs in rows.items() for r in rs if owner.get(r["index_id"]) == v]
    texts, topics, varieties = (list(x) for x in zip(*picked, strict=True))
    return texts, topics, varieties
