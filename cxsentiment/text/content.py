"""Non-answers: replies that say nothing about the service.

Open survey questions collect many answers like "n/a", "No comment", "nothing to add", "-", "Ingen kommentar",
"Sin comentarios", "特になし" or "tiada komen", and chats open with a bare "hi" or "你好". They are not comments
about anything: before this check the models read "No comment" as a negative complaint about communication, "?"
as a complaint and "hola" as praise, which inflates a report's rates with the archive's empty answers.
:func:`is_non_answer` recognises them, and the :class:`~cxsentiment.Analyzer` flags such a row ``no_content`` and
gives it no sentiment, topics or signals (``AnalyzerConfig.skip_non_answers``; the language is still detected). A
report then counts the row in its volume but not in its rates, as it counts an empty row.

Only the *whole* answer is matched, after case-folding and trimming punctuation and spaces, so "nothing works"
or "no one answered" are comments as before. The lists name the content-free answers of each language, written
for this project; words that are content elsewhere are left out ("tak" is Malay "no" but Danish "thanks").
Answers that carry an evaluation ("ok", "fine", "good", "👍") are not non-answers: their sentiment is kept.

>>> is_non_answer("N/A"), is_non_answer("No comment."), is_non_answer("  -  "), is_non_answer("特になし")
(True, True, True, True)
>>> is_non_answer("nothing works"), is_non_answer("ok"), is_non_answer("👍"), is_non_answer(":("), is_non_answer("")
(False, False, False, False, False)
"""

from __future__ import annotations

import unicodedata
from functools import cache

__all__ = ["BARE_EVALUATIONS", "GREETINGS", "NON_ANSWERS", "is_non_answer", "names_no_topic"]

# Whole answers that say nothing, by language (ISO 639-1), as _key writes them: case-folded ("weiß" -> "weiss"),
# one space between words, "'" for every apostrophe.
# fmt: off
NON_ANSWERS: dict[str, tuple[str, ...]] = {
    "en": (
        "n/a", "n.a", "n a", "na", "nil", "none", "nothing", "no", "nope", "nah", "no comment", "no comments",
        "no comment at this time", "nothing to add", "nothing to say", "nothing to report", "nothing else",
        "nothing more", "nothing further", "nothing at all", "nothing really", "nothing in particular",
        "nothing specific", "nothing comes to mind", "nothing at this time", "none at this time", "none really",
        "none at all", "no further comments", "no further comment", "no additional comments", "no other comments",
        "no feedback", "not applicable", "no idea", "don't know", "dont know", "i don't know", "idk", "dunno",
        "no opinion", "can't think of anything", "cant think of anything", "same as above", "see above",
        "as above", "test", "testing", "asdf", "xxx", "no thanks", "no thank you", "no suggestions", "no suggestion",
        "nothing for now", "none so far", "not at the moment", "nothing else to add", "nothing else to say",
        "no further feedback", "no additional feedback",
    ),
    "de": (
        "keine", "keiner", "keins", "nichts", "nein", "kein kommentar", "keine kommentare", "keine anmerkungen",
        "keine anmerkung", "keine angabe", "keine angaben", "nichts hinzuzufügen", "nichts weiter", "nichts zu sagen",
        "nichts zu ergänzen", "k.a", "weiss nicht", "keine ahnung", "entfällt", "nichts besonderes",
        "nein danke", "keine weiteren anmerkungen", "keine vorschläge", "nichts weiter hinzuzufügen",
    ),
    "fr": (
        "rien", "aucun", "aucune", "non", "aucun commentaire", "pas de commentaire", "pas de commentaires",
        "rien à ajouter", "rien a ajouter", "rien à dire", "rien a dire", "rien de plus", "rien de particulier",
        "sans commentaire", "sans objet", "je ne sais pas", "ne sais pas", "nsp", "néant", "aucune remarque",
        "non merci", "rien à signaler", "ras", "pas de remarque", "aucune suggestion",
    ),
    "es": (
        "nada", "ninguno", "ninguna", "sin comentarios", "sin comentario", "ningún comentario", "ningun comentario",
        "nada que añadir", "nada que agregar", "nada más", "nada mas", "nada que decir", "no sé", "no se",
        "no aplica", "ninguna observación", "ninguna observacion", "no gracias",
        "nada que comentar", "sin observaciones", "ninguna sugerencia",
    ),
    "pt": (
        "nada", "nenhum", "nenhuma", "não", "nao", "sem comentários", "sem comentarios", "sem comentário",
        "nada a acrescentar", "nada a declarar", "nada mais", "não sei", "nao sei", "não se aplica", "não obrigado",
    ),
    "it": (
        "niente", "nulla", "nessuno", "nessuna", "nessun commento", "niente da aggiungere", "nulla da aggiungere",
        "non so", "no grazie",
    ),
    "nl": (
        "niets", "geen", "nee", "geen opmerkingen", "geen opmerking", "geen commentaar", "niets toe te voegen",
        "weet niet", "weet ik niet", "n.v.t", "nvt", "nee dank je",
    ),
    "nb": (
        "ingen", "ingenting", "nei", "ingen kommentar", "ingen kommentarer", "ikke noe", "ingenting å tilføye",
        "ingenting å legge til", "ingen ting", "vet ikke", "nei takk",
        "ingenting å si", "ingen merknader", "ingen tilbakemelding",
    ),
    "nn": ("ingen kommentarar", "ikkje noko", "ingenting å leggje til", "veit ikkje"),
    "da": ("nej", "intet", "ingen kommentarer", "intet at tilføje", "ikke noget", "ved ikke", "nej tak"),
    "sv": ("inget", "inga", "inga kommentarer", "ingen kommentar", "inget att tillägga", "vet inte", "nej tack"),
    "fi": ("ei", "ei mitään", "ei kommentteja", "en tiedä", "ei ole"),
    "pl": ("nic", "brak", "nie", "brak uwag", "brak komentarza", "bez komentarza", "nie wiem", "nie dotyczy"),
    "tr": ("yok", "hayır", "yorum yok", "bir şey yok", "bilmiyorum", "yorumum yok"),
    "ru": (
        "нет", "ничего", "нету", "без комментариев", "нет комментариев", "нечего добавить", "не знаю", "никаких",
        "ничего не могу сказать", "нет спасибо",
    ),
    "uk": ("ні", "нічого", "без коментарів", "немає", "не знаю"),
    "ms": (
        "tiada", "tiada komen", "tiada ulasan", "tak ada", "takde", "tiada apa-apa", "tak tahu", "tidak tahu",
        "tiada apa", "tiada cadangan",
    ),
    "id": (
        "tidak ada", "tidak ada komentar", "gak ada", "ga ada", "nggak ada", "enggak ada", "tidak ada apa-apa",
        "tidak", "nggak", "gak", "ndak ada", "belum ada", "tidak tahu", "gak tahu", "ga tau", "gak tau",
        "tidak ada saran", "tidak ada masukan",
    ),
    "ja": (
        "なし", "無し", "特になし", "特に無し", "とくになし", "特にありません", "ありません", "ない", "特にない",
        "何もない", "なにもない", "何もありません", "無", "ノーコメント", "わからない", "分からない", "わかりません",
        "分かりません", "特になし です", "いいえ", "ないです", "特にないです",
    ),
    "zh": (
        "无", "無", "没有", "沒有", "暂无", "暫無", "无意见", "無意見", "没有意见", "沒有意見", "无评论", "無評論",
        "不知道", "没什么", "沒什麼", "没有了", "沒有了", "否", "没意见", "沒意見", "无建议", "無建議",
        "暂时没有", "暫時沒有",
    ),
    "ko": ("없음", "없습니다", "없어요", "없다", "모름", "해당 없음", "해당없음", "아니요", "특별히 없음"),
    "ar": ("لا", "لا شيء", "لا يوجد", "لا تعليق", "بدون تعليق", "لا أعرف", "لا اعرف", "لا شئ"),
}
# fmt: on

# Greetings alone, the opening line of many chats ("hi", "hola", "привет", "你好", "在吗"): they said nothing about the
# service either, and the models read 18 of 22 of them as praise ("helo" as a complaint about availability).
# fmt: off
GREETINGS: dict[str, tuple[str, ...]] = {
    "en": ("hi", "hello", "hey", "hi there", "hello there", "hey there", "hiya", "good morning", "good afternoon",
           "good evening"),
    "de": ("hallo", "guten tag", "guten morgen", "guten abend", "moin", "servus"),
    "fr": ("bonjour", "bonsoir", "salut", "coucou"),
    "es": ("hola", "buenos días", "buenos dias", "buenas tardes", "buenas noches", "buenas"),
    "pt": ("olá", "ola", "oi", "bom dia", "boa tarde", "boa noite"),
    "it": ("ciao", "buongiorno", "buonasera", "salve"),
    "nl": ("hoi", "goedemorgen", "goedemiddag", "goedenavond"),
    "nb nn da sv fi": ("hei", "hej", "god morgen", "god dag", "goddag", "heisann", "hejsan", "moi", "terve"),
    "pl tr": ("cześć", "dzień dobry", "merhaba", "selam", "iyi günler"),
    "ru uk": ("привет", "здравствуйте", "здрасте", "добрый день", "доброе утро", "добрый вечер", "привіт",
              "добрий день"),
    "ms id": ("hai", "halo", "helo", "selamat pagi", "selamat petang", "selamat siang", "selamat sore",
              "selamat malam", "assalamualaikum", "salam"),
    "ja": ("こんにちは", "こんばんは", "おはようございます", "もしもし"),
    "zh": ("你好", "您好", "你们好", "你們好", "在吗", "在嗎", "哈喽"),
    "ko": ("안녕하세요", "안녕"),
    "ar": ("مرحبا", "السلام عليكم", "أهلا", "اهلا", "صباح الخير", "مساء الخير"),
}
# fmt: on

# Whole answers that judge without saying what they judge ("ok", "meh", "普通"): their sentiment and signals are
# kept, but they name no topic. The built-in topic heads read "ok", "okey" and "meh" as availability (0.72-0.81),
# "prima" as booking and "还行" as waiting time; these words say nothing about which part of the service it was.
BARE_EVALUATIONS: tuple[str, ...] = (
    "ok", "okay", "okey", "oke", "okej", "okk", "k", "kk", "ok thanks", "ok thank you", "okay thanks", "ok je",
    "okay lah", "ok lah", "ok la", "meh", "fine", "good", "very good", "great", "bad", "very bad", "nice", "cool",
    "excellent", "perfect", "terrible", "awful", "average", "so-so", "so so", "alright", "all right", "not bad",
    "satisfied", "happy", "all good", "good job", "well done", "bra", "greit", "fint", "helt ok", "godt", "dårlig",
    "bien", "très bien", "tres bien", "pas mal", "moyen", "bof", "nul", "gut", "sehr gut", "ganz gut", "schlecht",
    "passt", "geht so", "bueno", "muy bien", "regular", "malo", "bom", "ótimo", "otimo", "ruim", "bene", "male",
    "prima", "goed", "slecht", "bagus", "baik", "biasa", "biasa saja", "biasa je", "lumayan", "teruk", "buruk",
    "хорошо", "нормально", "норм", "плохо", "отлично", "так себе", "良い", "よい", "普通", "まあまあ", "最高", "最悪",
    "不错", "不錯", "好", "很好", "一般", "还行", "還行", "还可以", "還可以", "差", "جيد", "ممتاز", "سيء",
    "iyi", "kötü", "dobrze", "źle", "좋아요", "보통", "별로",
)  # fmt: skip

_MAX_CHARS = 60  # longer answers are comments, whatever they say
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})


@cache
def _phrases() -> frozenset[str]:
    return frozenset(p for lists in (NON_ANSWERS, GREETINGS) for group in lists.values() for p in group)


@cache
def _bare() -> frozenset[str]:
    return frozenset(BARE_EVALUATIONS)


def _is_filler(ch: str) -> bool:
    """Punctuation, spaces and maths signs: what a non-answer may be made of or wrapped in."""
    category = unicodedata.category(ch)
    return ch.isspace() or category[0] == "P" or category == "Sm"


def _key(text: str) -> str:
    start, end = 0, len(text)
    while start < end and _is_filler(text[start]):
        start += 1
    while end > start and _is_filler(text[end - 1]):
        end -= 1
    return " ".join(text[start:end].casefold().translate(_APOSTROPHES).split())


def _emoticon(text: str) -> bool:
    """Punctuation that draws a face (":)", ";-(", ":/", "-_-", "=]") says how the customer feels."""
    return "_" in text or (any(c in text for c in ":;=") and any(c in text for c in ")(][/\\|*"))


def is_non_answer(text: str) -> bool:
    """Whether ``text`` says nothing: a listed non-answer ("n/a", "No comment", "Ingen kommentar", "特になし"), a
    greeting alone ("hi", "hola", "你好") or punctuation alone ("-", "?", "..."; not a face such as ":)"). Empty
    text is not a non-answer (it has its own ``empty`` flag)."""
    if not text or len(text) > _MAX_CHARS or not text.strip():
        return False
    if all(_is_filler(ch) for ch in text):
        return not _emoticon(text)
    return _key(text) in _phrases()


def names_no_topic(text: str) -> bool:
    """Whether ``text`` cannot be about any part of the service: a non-answer, a bare evaluation ("ok", "meh",
    "sehr gut", "普通") or no letters at all ("10/10", "0", "👍"). Its sentiment and signals still count.

    >>> names_no_topic("OK!"), names_no_topic("10/10"), names_no_topic("Delivery was late"), names_no_topic("Rude")
    (True, True, False, False)
    """
    if not any(ch.isalpha() for ch in text):  # punctuation alone, faces, digits, emoji, empty
        return True
    if len(text) > _MAX_CHARS:
        return False
    key = _key(text)  # once for both lists (is_non_answer would compute it again)
    return key in _phrases() or key in _bare()
