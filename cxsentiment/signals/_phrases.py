"""Phrases that state an intent to leave (churn risk), repeated contact (customer effort) or a request.

The seeded churn score compares a comment's e5 vector with seed threats and loyalty statements. e5 reads
"I need to cancel a transaction" as close to "I'm cancelling my subscription" (0.79 on BANKING77's
cancel_transfer rows) and "Please delete my account." as far from it (10 of BANKING77's 40 terminate_account
test rows reached the flag), and it hardly sees negation. These phrases, written from each language's
grammar for this project (not taken from an evaluation file), name the act of leaving itself: cancelling a
subscription or contract, closing one's account, switching to another provider, "never again". A phrase
raises churn risk to :data:`PHRASE_SCORE` unless a negation stands next to it ("I would never switch",
"Ich kündige nicht", "解約しません") or it is asked and answered no ("Kündigen? Niemals.").

Two kinds:

* ``LEAVE``: the act itself, which a negation close before it (four words, in the same clause) or close
  after it (two words for verb-second languages: "jeg bytter ikke"; the rest of the clause for Japanese and
  Korean, whose negation ends the verb) cancels;
* ``NEVER_AGAIN``: phrases that hold their own negation ("I will never shop here again", "больше не
  куплю", "二度と"), which count as they are;
* ``NOT_LEAVING``: cancelling one order, transfer or booking ("cancel my order", "stornieren"), which keeps churn
  risk under its flag unless a ``LEAVE`` phrase is there too.

``EFFORT`` phrases ("called five times", "dreimal angerufen", "troisième fois que j'appelle", "何度も電話",
"投诉三次", "dioper-oper") raise customer effort the same way; repetition counts only next to a contact verb
("flere ganger", "berkali-kali" and "over and over" alone are as common in reviews and news).

``REQUEST`` phrases ("it would be great if", "please add", "es wäre toll, wenn", "ce serait bien de", "det hadde
vært fint om", "mohon diperbaiki", "было бы здорово", "追加してほしい", "希望能增加") raise the trained request unit
to :data:`REQUEST_PHRASE_SCORE`: it learned requests from English app reviews and missed most of them in other
languages.

Each language's list is kept narrow on purpose: "cancel my order", "switch to dark mode" and "ich kündige
den Termin an" are not threats to leave. Measured in ``benchmarks/RESULTS.md`` ("Churn risk: phrases that
name leaving", "Customer effort: weighted by sentiment, raised by repeated contact" and "Requests beyond
English"); ``python benchmarks/signals_eval.py --requests --banking77 ../shared/data`` repeats the checks.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

__all__ = [
    "NOT_LEAVING_CAP",
    "PHRASE_SCORE",
    "REQUEST_PHRASE_SCORE",
    "cancels_a_transaction",
    "churn_phrase",
    "effort_phrase",
    "recommend_phrase",
    "request_phrase",
]

# the churn or effort score a phrase gives (the seeded score counts when higher); escalation words give urgency 0.8
PHRASE_SCORE = 0.8
# the request score a request phrase gives: above the trained unit's threshold (0.8 in signals_heads.npz)
REQUEST_PHRASE_SCORE = 0.9
# the most churn risk a comment that only cancels a transaction keeps (under the 0.5 flag)
NOT_LEAVING_CAP = 0.3

_EN_OBJECT = r"(?:subscription|account|contract|membership|plan|service|policy|insurance|broadband|line|package)s?"
_EN_ACCOUNT_GONE = r"(?:deleted|closed|terminated|removed|cancell?ed)"
# gaps inside a phrase ("saya ... pindah") must not hide a negation ("saya takkan pindah"): see _negated

LEAVE: dict[str, tuple[str, ...]] = {
    "en": (
        rf"\bcancel(?:l?ing|l?ed|s)?\s+(?:my|our|this)\s+(?:\w+\s+)?{_EN_OBJECT}\b",
        r"\b(?:close|closing|shut|shutting|terminate|terminating|delete|deleting|remove|removing|quit|quitting)"
        r"\s+(?:out\s+|down\s+)?(?:my|our|this)\s+(?:\w+\s+)?accounts?\b",
        rf"\b(?:want|need|would\s+like|wish|like)\s+(?:\w+\s+){{0,2}}accounts?\s+(?:to\s+be\s+)?{_EN_ACCOUNT_GONE}\b",
        rf"\baccounts?\s+needs?\s+to\s+be\s+{_EN_ACCOUNT_GONE}\b",
        r"\bget\s+rid\s+of\s+(?:my|this)\s+(?:\w+\s+)?accounts?\b",
        r"\bterminat(?:e|ing)\s+(?:my|our|the)\s+(?:contract|agreement|service|subscription|membership)\b",
        r"\bswitch(?:ing|ed)?\s+(?:over\s+)?(?:to\s+)?(?:another|a\s+different|a\s+new|a\s+cheaper|a\s+competitor"
        r"|your\s+competitors?|the\s+competition|other)\b",
        r"\b(?:switch(?:ing)?|chang(?:e|ing))\s+(?:providers?|suppliers?|banks|carriers|networks|insurers|companies)\b",
        r"\b(?:mov(?:e|ing)|tak(?:e|ing))\s+(?:my|our)\s+(?:business|money|custom|accounts?)\s+(?:elsewhere|to\s+"
        r"(?:another|a\s+different|a\s+competitor|your\s+competitor))",
        r"\bleav(?:e|ing)\s+(?:you\s+)?for\s+(?:another|a\s+different|a\s+competitor|your\s+competitor"
        r"|the\s+competition)\b",
        r"\bgo(?:ing)?\s+(?:over\s+)?to\s+(?:a|the|your)\s+competitors?\b",
        r"\bport(?:ing)?\s+(?:out\s+)?my\s+number\b",
        r"\blooking\s+for\s+(?:a\s+)?(?:new|another|different)\s+(?:provider|bank|supplier|carrier|company|insurer)\b",
    ),
    "de": (
        r"\b(?:ich|wir)\s+(?:\w+\s+){0,3}kündig\w*",
        r"\bkündig(?:e|en)\s+(?:ich|wir|sie)\b",
        r"\bkündigung\w*|\bgekündigt\b",
        r"\b(?:vertrag|abo|konto|mitgliedschaft|bahncard|abonnement|tarif|versicherung|girokonto|handyvertrag)\w*"
        r"\s+(?:\w+\s+){0,3}kündig\w*",
        r"\bkündig\w*\s+(?:\w+\s+){0,3}(?:vertrag|abo|konto|mitgliedschaft|abonnement|tarif|versicherung)\w*",
        r"\b(?:anbieter|bank|versicherungs|tarif|vertrags)wechsel\w*",
        r"\bwechs(?:le|eln|el)\s+(?:\w+\s+){0,2}(?:zu\s+(?:einem|einer)\s+ander|zur\s+konkurrenz|den\s+anbieter"
        r"|die\s+bank)",
        r"\bzur\s+konkurrenz\b",
        r"\b(?:konto|abo|abonnement|vertrag|mitgliedschaft)\s+(?:\w+\s+)?(?:auflösen|schließen|beenden|löschen)\b",
    ),
    "fr": (
        r"\brésili(?:er|e|é|ée|és|ées|ation|ons|ez|erai|erons|erais|ais|ai)\b",
        r"\bchang(?:er|e|erai)\s+d[e']\s*(?:opérateur|fournisseur|banque|assureur|crèmerie)",
        r"\b(?:chez|à)\s+(?:un\s+|une\s+|la\s+|le\s+)?concurren\w+",
        r"\b(?:clôturer|fermer|supprimer)\s+(?:mon|notre)\s+compte\b",
        r"\bje\s+vous\s+quitte\b",
        r"\bdésabonn\w+|\bme\s+désinscri\w+",
    ),
    "es": (
        r"\bdar(?:me)?\s+de\s+baja\b|\bme\s+doy\s+de\s+baja\b|\bdarse\s+de\s+baja\b",
        r"\bcancelar\s+(?:mi|la|el)\s+(?:cuenta|suscripción|contrato|línea|póliza)\b",
        r"\b(?:cambiarme|me\s+cambio|cambiar(?:é|me)?)\s+(?:de|a)\s+(?:compañía|banco|operador|operadora"
        r"|proveedor|otra|otro|la\s+competencia)\b",
        r"\ba\s+la\s+competencia\b",
        r"\bcerrar\s+(?:mi|la)\s+cuenta\b|\b(?:cierren|cierre|cierro)\s+mi\s+cuenta\b",
        r"\b(?:cancelen|cancele|cancelo)\s+(?:mi|la|el)\s+(?:cuenta|suscripción|contrato|línea|póliza)\b",
    ),
    "pt": (
        r"\bcancelar\s+(?:minha|a|o\s+meu|o|meu)\s+(?:conta|assinatura|contrato|plano|linha)\b",
        r"\bmudar\s+de\s+(?:operadora|banco|fornecedor|empresa)\b",
        r"\bpara\s+a\s+concorr[êe]ncia\b|\bpra\s+concorr[êe]ncia\b",
        r"\bencerrar\s+(?:minha|a)\s+conta\b",
    ),
    "it": (
        r"\bdisdett\w+|\bdisdire\b",
        r"\bcambiare\s+(?:operatore|gestore|banca|fornitore)\b",
        r"\balla\s+concorrenza\b",
        r"\bchiudere\s+(?:il\s+mio|il)\s+conto\b",
    ),
    "nl": (
        r"\bopzeg\w*|\bzeg\s+\w+\s+(?:abonnement|contract)\s+op\b",
        r"\bover(?:stappen|stap)\s+naar\b|\bstap\s+over\s+naar\b",
    ),
    "no da sv": (
        r"\b(?:si|sier|seie|seier|sa|sagt|säga|säger|sagde)\s+(?:jeg\s+|eg\s+|vi\s+|jag\s+)?opp?\s+(?:avtalen"
        r"|abonnementet|kontoen|forsikringen|medlemskapet|avtala|abonnementa|kontrakten|abonnemanget|avtalet"
        r"|kontot)\b",
        r"\b(?:oppsigelse|oppseiing|opsigelse|uppsägning)\w*|\bopsig(?:e|er)\b",
        r"\b(?:bytt(?:er|e|a|et)?|skift(?:er|e)|byter|byta)\s+(?:jeg\s+|eg\s+|vi\s+|jag\s+)?(?:til\s+|till\s+)?"
        r"(?:en\s+|ein\s+)?(?:annen|anna"
        r"|anden|annan|ny|konkurrent|leverandør|leverantör|bank|selskap|operatør|operatör|mobilselskap"
        r"|forsikringsselskap)\w*",
        r"\b(?:avslutt(?:e|er|ar)?|lukk(?:e|er)?|stenge|stenger|stänga|avsluta)\s+(?:kontoen|avtalen|abonnementet"
        r"|kontot|abonnemanget|avtala)\b",
    ),
    "ms id": (
        r"\bberhenti\s+(?:langganan|berlangganan|guna|pakai|menggunakan|melanggan)\b",
        r"\b(?:tutup|menutup|padam|hapus|batalkan|batal|membatalkan)\s+(?:akaun|akun|rekening|langganan|kontrak"
        r"|pelan|keahlian)\b",
        r"\b(?:pindah|tukar|beralih|berpindah)\s+(?:ke\s+)?(?:provider|syarikat|bank|telco|operator|kompetitor"
        r"|pesaing|aplikasi|perusahaan)\s*(?:lain|sebelah)?\b",
        r"\b(?:saya|aku|kami|gue|gua|gw|sy)\s+(?:\w+\s+){0,3}(?:pindah|tukar|beralih|berpindah)\s+ke\s+(?:\w+\s+)?"
        r"(?:lain|sebelah)\b",
        r"\b(?:kapok|serik)\b",  # "learned my lesson, never again" (negated: "tak serik")
    ),
    "ru": (
        r"\bрасторг\w*",
        r"\b(?:закр(?:ыть|ою|ойте|оем)|удал(?:ить|ите|ю))\s+(?:мой\s+|свой\s+|наш\s+)?(?:сч[её]т|аккаунт|договор"
        r"|вклад)\w*",
        r"\b(?:уйду|ухожу|уходим|уйдём)\s+к\b|\b(?:перейду|перехожу|переходим|перейдём)\s+(?:к|в|на)\b",
        r"\b(?:уйду|ухожу)\s+(?:в|на)\s+(?:другой|другую|другое|другому)\b",
        r"\bк\s+конкурентам\b",
        r"\bотказ(?:аться|ываюсь|ываемся)\s+от\s+(?:ваших\s+)?(?:услуг|подписки|договора|тарифа)\w*",
    ),
    "ja": (r"解約|退会|乗り換え|乗り換える|乗り換えます|他社に(?:変え|替え|移り|移る|移ります|します)",),
    "zh": (
        r"注销|退订|销户|换(?:一家|别家|到别|成别|运营商|银行)|转(?:到|投)(?:别家|其他|竞争)"
        r"|取消(?:订阅|会员|合约|账户|套餐)",
    ),
    "ko": (r"해지|탈퇴|다른\s*(?:회사|통신사|은행)(?:로|으로)",),
    "ar": (r"إلغاء\s+(?:الاشتراك|اشتراكي|الحساب|حسابي|العقد)|سأنتقل\s+إلى|إغلاق\s+حسابي",),
    "tr": (
        r"aboneliğimi\s+iptal|hesabımı\s+kapat\w*|başka\s+(?:bir\s+)?(?:operatöre|bankaya|firmaya|şirkete)"
        r"\s+geç\w*",
    ),
}

# "when my contract ends, I'm gone": the end of a contract or tie-in, then leaving in the same sentence (a LEAVE phrase:
# a negation inside it, "then I'll still not switch", cancels it)
_THEN = r"[^.!?。！？]{0,40}?"
CONTRACT_END: dict[str, tuple[str, ...]] = {
    "en": (
        r"\b(?:contract|plan|subscription|term|lock-in|tie-in|minimum\s+term)\s+(?:\w+\s+){0,2}(?:ends|is\s+up|expires"
        rf"|runs\s+out|is\s+over|finishes)\b{_THEN}\b(?:i'm|i\s+am|we're|we\s+are|i'll|we'll|i\s+will|we\s+will)\s+"
        r"(?:\w+\s+)?(?:gone|leaving|out\s+of\s+here|switching|moving|off|done\s+with\s+you)\b",
    ),
    "de": (
        r"\b(?:vertrag|vertragslaufzeit|mindestlaufzeit|abo|bindung)\w*\s+(?:\w+\s+){0,3}(?:ausläuft|abläuft|endet"
        rf"|vorbei\s+ist|rum\s+ist)\b{_THEN}\b(?:bin\s+ich\s+weg|ich\s+bin\s+weg|wechsle\s+ich|kündige\s+ich"
        r"|gehe\s+ich|bin\s+ich\s+raus)\b",
    ),
    "fr": (
        r"\b(?:fin|terme|échéance)\s+de\s+(?:mon|notre|mes|l')\s*(?:contrat|engagement|abonnement|forfait)s?\b"
        rf"{_THEN}\b(?:je\s+pars|je\s+m'en\s+vais|je\s+change|je\s+résilie|je\s+vous\s+quitte|on\s+part)\b",
    ),
    "es pt": (
        r"\b(?:termine|acabe|venza|finalice|se\s+acabe|se\s+termine|terminar|acabar)\s+(?:el|mi|la)\s+(?:contrato"
        rf"|permanencia)\b{_THEN}\b(?:me\s+cambio|me\s+voy|me\s+largo|me\s+doy\s+de\s+baja|me\s+marcho)\b",
        r"\b(?:acabar|terminar|vencer)\s+(?:o\s+)?(?:meu\s+)?(?:contrato|fidelização)\b"
        rf"{_THEN}\b(?:vou\s+embora|mudo\s+de|saio|cancelo)\b",
    ),
    "no da sv": (
        r"\b(?:bindingstid|avtale|avtala|kontrakt|avtal|abonnement)\w*\s+(?:\w+\s+){0,2}(?:er\s+over|går\s+ut|utløper"
        rf"|löper\s+ut|tar\s+slut|er\s+slut|går\s+ud)\b{_THEN}\b(?:er\s+(?:jeg|eg)\s+borte|är\s+jag\s+borta"
        r"|bytter\s+(?:jeg|eg)|byter\s+(?:jag|eg)|går\s+(?:jeg|eg|jag)|er\s+jeg\s+væk)\b",
    ),
    "ms id": (
        rf"\b(?:habis|tamat|selesai|berakhir)\s+(?:je\s+|saja\s+)?kontrak\b{_THEN}\b(?:pindah|tukar|berhenti|cabut)\b",
        r"\bkontrak\s+(?:\w+\s+){0,2}(?:habis|tamat|selesai|berakhir)\b"
        rf"{_THEN}\b(?:pindah|tukar|berhenti|cabut)\b",
    ),
    "ru": (
        r"\b(?:закончится|кончится|истечёт|истечет|истечения|окончания)\s+(?:мой\s+|срок\s+)?(?:договор|контракт)\w*"
        rf"{_THEN}\b(?:уйду|ухожу|перейду|расторгну|сменю|уйдём|уйдем)\b",
        rf"\b(?:договор|контракт)\s+(?:\w+\s+)?(?:закончится|кончится|истечёт|истечет){_THEN}\b(?:уйду|ухожу|перейду"
        r"|расторгну|сменю)\b",
    ),
    "ja": (r"契約が(?:切れ|終わ|満了)[^。！？]{0,20}?(?:解約|乗り換え|他社|やめ|辞め)",),
    "zh": (r"(?:合同|合约)一?(?:到期|结束)[^。！？，]{0,3}(?:我)?就?(?:走|换|退|解约|不续)",),
}

NEVER_AGAIN: dict[str, tuple[str, ...]] = {
    "en": (
        r"\bnever\s+(?:\w+\s+)?(?:buy|buying|shop|shopping|order|ordering|fly|flying|book|booking|use|using|stay"
        r"|staying|eat|eating|come|coming|go|going|return|returning|deal|dealing|bank|banking)\b(?:\s+\w+){0,5}"
        r"\s+again\b",
        r"\b(?:last|final)\s+time\s+(?:i|we)(?:'ll|\s+will)?\s+(?:ever\s+)?(?:buy|shop|order|fly|book|use|stay"
        r"|eat|come|deal|bank)\w*",
        r"\b(?:won't|will\s+not|wont)\s+be\s+(?:back|returning|coming\s+back|ordering\s+again|using\s+you)\b",
        r"\bnever\s+(?:coming|going)\s+back\b",
        r"\blost\s+(?:me\s+as\s+)?a\s+(?:\w+\s+)?customer\b|\byou(?:'ve|\s+have)\s+lost\s+(?:me|my\s+business)\b",
    ),
    "de": (
        r"\bnie\s+(?:wieder|mehr)\s+(?:\w+\s+){0,3}(?:bestell|buch|kauf|flieg|fahr|komm|nutz|benutz|verwend"
        r"|einkauf|kund)\w*",
        r"\bnie\s+(?:wieder|mehr)\s+(?:bei|mit|hier)\b",
        r"\b(?:bestelle|kaufe|buche|fliege|fahre|komme|nutze)\s+(?:\w+\s+){0,3}nie\s+(?:wieder|mehr)\b",
        r"\bzum\s+letzten\s+mal\s+(?:\w+\s+){0,2}(?:bestellt|gekauft|gebucht|geflogen|bei)\b",
    ),
    "fr": (
        r"\bplus\s+jamais\s+(?:chez|avec|ici|je\s+ne|on\s+ne)\b|\b(?:ne|n')\s*(?:\w+\s+){0,2}plus\s+jamais\b",
        r"\bdernière\s+fois\s+que\s+(?:j'|je|nous)\s*(?:\w+\s+){0,2}(?:achète|commande|viens|utilise|réserve"
        r"|prends|chez)",
    ),
    "es pt it nl": (
        r"\bnunca\s+más\s+(?:vuelvo|volveré|compro|compraré|pido|pediré|uso|usaré|vengo|vendré|voy|iré|a\s|en\s"
        r"|con\s)|\bjamás\s+volver\w*|\bno\s+vuelvo\s+a\s+(?:comprar|pedir|venir|usar)\b"
        r"|\búltima\s+vez\s+que\s+(?:compro|pido|vengo|uso)\b",
        r"\bnunca\s+mais\s+(?:volto|voltarei|compro|comprarei|peço|uso|venho|vou|irei|na\s|no\s|com\s)"
        r"|\bnão\s+(?:volto|compro)\s+mais\b",
        r"\bmai\s+più\s+(?:da|con|qui|in)\b|\bnon\s+(?:tornerò|comprerò|ordinerò)\s+più\b",
        r"\bnooit\s+meer\s+(?:bij|naar|met|iets)\b",
    ),
    "no da sv": (
        r"\baldri\s+(?:mer|meir|igjen)\s+(?:hos|fra|frå|med|her)\b|\baldrig\s+(?:mer|igen|mere)\s+(?:hos|från"
        r"|med|här|her)\b",
        r"\b(?:handler|bestiller|kjøper|bruker|kommer|flyr|handlar|beställer|köper)\s+(?:\w+\s+){0,2}aldrig?\s+"
        r"(?:mer|meir|igjen|igen)\b",
        r"\bsiste\s+gang\s+(?:jeg|eg|vi)\s+(?:handler|bestiller|kjøper|bruker|flyr|handla)",
    ),
    "ms id": (
        r"\b(?:tidak|tak|takkan|gak|nggak|ga|enggak|tdk|x)\s+(?:akan\s+|mau\s+|nak\s+|lagi\s+)?(?:beli|belanja"
        r"|guna|pakai|order|datang|balik|kembali|menggunakan|langganan)\w*(?:\s+\w+){0,3}\s+lagi\b",
        # "ini kali terakhir saya beli" (the last time I buy), not a story ("terakhir kali saya beli di sini, ...")
        r"\b(?:ini|itu|ni|tu)\s+(?:adalah\s+|merupakan\s+|yang\s+)?(?:terakhir\s+kali(?:nya)?|kali\s+terakhir)\s+"
        r"(?:saya\s+|aku\s+|kami\s+)?(?:beli|belanja|guna|pakai|order|datang)\b",
    ),
    "ru": (
        r"\bбольше\s+(?:никогда\s+)?не\s+(?:буду|куплю|приду|закажу|обращусь|воспользуюсь|полечу|пользуюсь)\w*",
        r"\bв\s+последний\s+раз\b|\bпоследний\s+раз,?\s+когда\s+(?:я|мы)\b",
    ),
    "ja": (
        r"二度と|もう(?:利用し|使わ|買わ|行か|頼ま)(?:ない|ません)"
        r"|(?:買う|頼む|利用する|使う)のは(?:これが|今回が|今回で)最後",
    ),
    "zh": (r"再也不|不再(?:用|买|来|使用|光顾)|最后一次(?:在\S{1,6}?)?(?:买|用|来|光顾|订)",),
    "ko tr": (r"다시는|bir\s+daha\s+asla",),
}

_CONTACT_EN = (
    r"(?:call|called|calling|rang|phoned|wrote|written|emailed|e-mailed|messaged|contacted|complained|chased"
    r"|visited|explained|asked|reported|contact|complain|write|email|ask|explain|chase|report)"
)
_TIMES_EN = r"(?:\d+|two|three|four|five|six|ten|several|multiple|many|numerous|countless|a\s+dozen)\s+times\b"
_CONTACT_DE = (
    r"(?:angerufen|anrufen|telefoniert|geschrieben|gemailt|gemeldet|beschwert|reklamiert|nachgefragt|erklärt"
    r"|kontaktiert|mails?|e-mails?)"
)
_REPEAT_DE = r"(?:zweimal|dreimal|viermal|fünfmal|zehnmal|mehrmals|mehrfach|x-mal|zigmal|zum\s+(?:\w+ten)\s+mal)"

# customer effort: contacting again and again, being passed around, explaining it all again. Repetition counts
# only next to a contact verb ("called five times", "dreimal angerufen"): "flere ganger", "berkali-kali" and
# "over and over" alone are as common in reviews and news as in customer service.
EFFORT: dict[str, tuple[str, ...]] = {
    "en": (
        rf"\b{_CONTACT_EN}\b(?:\s+\w+){{0,4}}\s+{_TIMES_EN}",
        rf"\b(?:third|fourth|fifth|sixth|\d+(?:rd|th))\s+time\s+(?:that\s+)?(?:i|we)(?:'ve|\s+have)?\s+(?:\w+\s+)?"
        rf"{_CONTACT_EN}\b",
        r"\b(?:transferred|passed|bounced|pushed)\s+(?:\w+\s+){0,3}(?:from\s+one|to\s+another|between)\s+"
        r"(?:department|person|agent|team|people|departments|agents|teams)",
        r"\bexplain(?:ed|ing)?\s+(?:\w+\s+){0,3}(?:all\s+over\s+again|again\s+each\s+time|each\s+time|every\s+time)\b",
        r"\b(?:keep|kept|had\s+to|have\s+to|been)\s+chas(?:e|ed|ing)\b",
    ),
    "de": (
        rf"\b{_REPEAT_DE}\s+(?:\w+\s+){{0,3}}{_CONTACT_DE}\b",
        rf"\b{_CONTACT_DE}\s+(?:\w+\s+){{0,2}}{_REPEAT_DE}",
        r"\bweiterverbunden\b|\bhin\s+und\s+her\s+(?:verbunden|geschickt)\b",
    ),
    "fr": (
        r"\b(?:deuxième|troisième|quatrième|cinquième|énième)\s+fois\s+que\s+(?:j'|je\s+)(?:appelle|écris|relance"
        r"|réclame|contacte|explique|signale|me\s+plains)",
        r"\b(?:appelé|relancé|écrit|réclamé|contacté|expliqué|téléphoné)\s+(?:\w+\s+){0,3}(?:plusieurs|trois|quatre"
        r"|cinq|dix|maintes)\s+fois\b",
        r"\bplusieurs\s+relances\b|\bbaladé\w*\s+d'un\s+service",
    ),
    "es pt": (
        r"\b(?:tercera|cuarta|quinta|enésima)\s+vez\s+que\s+(?:llamo|escribo|reclamo|explico|pregunto|me\s+quejo)",
        r"\b(?:terceira|quarta|quinta)\s+vez\s+que\s+(?:ligo|escrevo|reclamo|explico)",
        r"\b(?:llamado|llamé|escrito|escribí|reclamado|reclamé|explicado|expliqué|liguei|escrevi|reclamei|expliquei)"
        r"\s+(?:\w+\s+){0,3}(?:varias|muchas|tres|cuatro|cinco|mil|várias|muitas|três|quatro)\s+(?:veces|vezes)\b",
        r"\bme\s+(?:pasan|pasaron|van\s+pasando)\s+de\s+un\b",
    ),
    "no da sv": (
        r"\b(?:tredje|fjerde|femte)\s+(?:gang|gong|gangen|gongen|gången)\s+(?:jeg|eg|jag|vi)\s+(?:ringer|klager"
        r"|klagar|skriver|kontakter|purrer|tar\s+kontakt)",
        r"\b(?:ringt|ringe|ringde|skrevet|skrive|skrev|klaget|klaga|purret|kontaktet|kontakta)\s+(?:\w+\s+){0,3}"
        r"(?:flere|fleire|mange|tre|fire|fem|flera|många)\s+(?:ganger|gonger|gange|gånger)\b",
        r"\bpurr(?:e|er|a|et|ing)\b|\bmåtte\s+(?:\w+\s+){0,2}(?:ringe|purre|forklare)\b",
    ),
    "ms id": (
        r"\bkali\s+(?:ketiga|keempat|kelima|ke-\d+)\s+(?:saya|aku|sy|kami)\s+(?:\w+\s+)?(?:call|telefon|telepon"
        r"|hubungi|buat\s+aduan|komplain|mengadu|datang|pergi)",
        r"\b(?:call|telefon|telepon|hubungi|menghubungi|komplain|aduan|mengadu|email|chat)\w*\s+(?:\w+\s+){0,3}"
        r"(?:(?:dua|tiga|empat|lima|banyak|\d+)\s+kali|berkali-kali|berulang\s+kali)\b",
        r"\bdioper-oper\b|\bdilempar\s+(?:ke\s+)?sana\s+sini\b",
    ),
    "ru": (
        r"\b(?:третий|четвёртый|четвертый|пятый|энный)\s+раз\s+(?:звоню|пишу|обращаюсь|жалуюсь|объясняю)",
        r"\b(?:третья|четвёртая|пятая)\s+жалоба\b",
        r"\b(?:звонил|звонила|звоню|писал|писала|пишу|обращался|обращалась|жаловался|жаловалась|объяснял|объясняла)"
        r"\w*\s+(?:\w+\s+){0,3}(?:несколько|много|три|четыре|пять|десять)\s+раз",
        r"\bфутбол(?:ят|или)\b",
    ),
    "ja": (r"(?:何度も|何回も)(?:電話|連絡|問い合わせ|説明|メール)|たらい回し|同じ説明を",),
    "zh": (
        r"(?:打|投诉|联系|反映|催)了?(?:好几次|多次|[三四五]次)|第[三四五]次(?:打|投诉|联系|反映)|踢皮球"
        r"|反复(?:打|解释|投诉)|一遍又一遍地?(?:解释|打)",
    ),
}

# cancelling one order, transfer or booking is not leaving: without a LEAVE phrase, churn risk stays under its flag
# ("I need to cancel a transaction" read 0.79 against the churn seeds; BANKING77's cancel_transfer rows)
NOT_LEAVING: dict[str, tuple[str, ...]] = {
    "en": (
        r"\bcancel\w*\s+(?:\w+\s+){0,2}(?:orders?|transactions?|transfers?|payments?|bookings?|reservations?|flights?"
        r"|appointments?|deliver(?:y|ies)|purchases?|top-?ups?|requests?|debits?|withdrawals?)\b",
        r"\b(?:order|transaction|transfer|payment|booking|reservation|top-?up|debit|withdrawal)s?\s+(?:\w+\s+){0,3}"
        r"(?:cancell?ed|canceled)\b",
        r"\bget\s+it\s+cancell?ed\b",
    ),
    "de fr es no ms id": (
        r"\bstornier\w*|\bannuler\s+(?:ma|mon|la|le|cette|ce)\s+(?:commande|réservation|virement|paiement|vol"
        r"|rendez-vous)\b|\bcancelar\s+(?:mi|el|la|este|esta)\s+(?:pedido|reserva|transferencia|pago|vuelo|cita"
        r"|compra)\b|\bavbestill\w*|\bbatalkan\s+(?:pesanan|tempahan|order|transaksi|pembayaran)\b",
    ),
}

# a request or suggestion: "it would be great if", "please add", "could you add", "es wäre toll, wenn", "ce serait
# bien de", "det hadde vært fint om", "tolong tambah", "было бы здорово", "追加してほしい", "希望能增加"
REQUEST: dict[str, tuple[str, ...]] = {
    "en": (
        r"\b(?:it\s+)?would\s+be\s+(?:really\s+|so\s+|very\s+)?(?:great|nice|good|helpful|awesome|better|cool|useful"
        r"|handy|lovely)\s+(?:if|to)\b",
        r"\bplease\s+(?:add|make|bring|include|allow|consider|provide|introduce|enable|support|offer)\b",
        r"(?<!how\s)\b(?:could|can|would)\s+you\s+(?:please\s+)?(?:add|include|allow|provide|introduce|enable|support|consider"
        r"|offer)\b",
        r"\bi\s+wish\s+(?:you|there|they|it)\s+(?:would|could|had|was|were)\b",
        r"\b(?:you|they)\s+should\s+(?:add|bring|include|allow|offer|provide|introduce)\b",
        r"\bfeature\s+request\b|\bbring\s+back\s+the\b",
    ),
    "de": (
        r"\b(?:es\s+)?wäre\s+(?:echt\s+|sehr\s+)?(?:toll|schön|gut|super|hilfreich|praktisch|klasse|besser|nett)\s*,?"
        r"\s+(?:wenn|falls)\b",
        r"\bbitte\s+(?:fügt|fügen|bietet|bieten|ermöglicht|ermöglichen|baut|bauen|führt|führen)\b",
        r"\b(?:könntet\s+ihr|könnten\s+sie|können\s+sie|könnt\s+ihr)\s+(?:bitte\s+)?(?:\w+\s+){0,3}(?:hinzufügen|einbauen"
        r"|anbieten|ermöglichen|einführen)\b",
        r"\bich\s+wünsche\s+mir\b|\bwünschenswert\b",
    ),
    "fr": (
        r"\bce\s+serait\s+(?:vraiment\s+)?(?:bien|super|génial|top|pratique|utile|mieux|sympa)\s+(?:de|d'|si|que)",
        r"\b(?:pourriez|pouvez)-vous\s+(?:\w+\s+){0,2}(?:ajouter|mettre|proposer|permettre|intégrer)\b",
        r"\bmerci\s+d'ajouter\b|\bil\s+faudrait\s+(?:ajouter|pouvoir|proposer|mettre)\b|\bj'aimerais\s+(?:pouvoir|que"
        r"|qu')",
    ),
    "es pt it nl": (
        r"\bser[íi]a\s+(?:genial|bueno|ideal|estupendo|útil|mejor|bien|ótimo|bom|legal|bacana|interessante|melhor)"
        r"\s+(?:poder|que|si|se)\b",
        r"\bpor\s+favor\s*,?\s+(?:añadan|agreguen|pongan|incluyan|habiliten|adicionem|coloquem|incluam)\b",
        r"\b(?:podrían|pueden|poderiam|podem)\s+(?:\w+\s+){0,2}(?:añadir|agregar|incluir|habilitar|adicionar|colocar)\b",
        r"\b(?:estaría\s+bien\s+(?:que|poder)|deberían\s+(?:añadir|agregar|poner|incluir)|deveriam\s+(?:adicionar"
        r"|colocar|incluir))\b",
        r"\bsarebbe\s+(?:bello|utile|fantastico|ottimo|comodo|meglio)\s+(?:se|poter|avere)\b|\b(?:potreste|potete)\s+"
        r"(?:\w+\s+){0,2}(?:aggiungere|inserire)\b",
        r"\bzou\s+(?:fijn|mooi|handig|leuk|goed)\s+zijn\s+(?:als|om)\b|\b(?:kunnen|kunt)\s+jullie\s+(?:\w+\s+){0,2}"
        r"toevoegen\b",
    ),
    "no da sv": (
        r"\b(?:hadde|hade|ville)\s+(?:vært|vore|være|varit)\s+(?:veldig\s+|svært\s+)?(?:fint|flott|bra|greit|nyttig|kjekt"
        r"|topp|bättre|bedre|skönt|praktisk|rart)\s+(?:om|hvis|viss|dersom|at|med)\b",
        r"\bkan\s+(?:dere|de|ni|I)\s+(?:\w+\s+){0,2}(?:legge\s+til|innføre|tilby|lägga\s+till|tilføje)\b",
        r"\b(?:vennligst|venligst|gjerne)\s+(?:legg|legge)\s+til\b|\bønsker\s+meg\b|\bönskar\s+mig\b",
    ),
    "ms id": (
        r"\b(?:tolong|mohon|harap|sila|minta)\s+(?:\w+\s+)?(?:tambah|tambahkan|sediakan|adakan|perbaiki|upgrade|baiki"
        r"|tingkatkan)\b",
        r"\b(?:semoga|harap|mohon|moga)\s+(?:\w+\s+){0,3}(?:ditambah|ditambahkan|disediakan|diperbaiki|dibaiki"
        r"|ditingkatkan|di\s+perbaiki|di\s+sediakan|di\s+tambah)\b",
        r"\bsaran\s+(?:saya|aku|kami)\b|\bcadangan\s+(?:saya|kami)\b|\bkalau\s+boleh\s+(?:tambah|ada|buat)\b",
        r"\b(?:alangkah|akan\s+lebih)\s+(?:baik|bagus)\w*\s+(?:jika|kalau|kalo|bila|apabila)\b",
    ),
    "ru": (
        r"\bбыло\s+бы\s+(?:здорово|хорошо|удобно|неплохо|круто|отлично|лучше|классно)\b",
        r"\b(?:добавьте|сделайте\s+(?:возможность|так|опцию)|верните)\b",
        r"\b(?:можно|нельзя)\s+ли\s+(?:добавить|сделать|ввести)\b|\bпрошу\s+(?:добавить|сделать|ввести)\b",
        r"\bхотелось\s+бы\b",
    ),
    "ja": (
        r"(?:して|追加して|対応して|改善して|作って|付けて)(?:ほしい|欲しい|ください|いただけると|頂けると)"
        r"|(?:あると|があれば)(?:嬉しい|うれしい|助かり|助かる|便利)|希望します|要望",
    ),
    "zh": (
        r"希望(?:能|可以|增加|添加|提供|支持|尽快)|建议(?:增加|添加|提供|支持|你们)|能不能(?:增加|添加|提供|支持)"
        r"|可不可以(?:增加|添加|提供)|请(?:增加|添加)",
    ),
    "ko ar tr": (r"추가해\s*주세요|있으면\s*좋겠|أتمنى\s+(?:أن|لو)|يرجى\s+إضافة|أرجو\s+إضافة|eklerseniz|eklenmesini",),
}

# service requests: the customer asks the company to do something for them (change, cancel, send, refund, call
# back), not only to add a feature. Verbs of action only: "I'd like to say thanks" and "I want to know why" are not
# requests ("know" is a question's verb; the question signal has those)
_ACT_EN = (
    r"(?:change|cancel|update|amend|modify|reschedule|move|rebook|book|order|return|exchange|swap|replace|refund|send"
    r"|resend|receive|get\s+(?:a|an|my|the|this|it|some|back|in\s+touch)|speak|talk|transfer|add|remove|close|upgrade|downgrade|switch|reset|unlock|unblock"
    r"|reactivate|activate|redeem|claim|arrange|collect|confirm|check|extend|pause|postpone|split|waive)"
)
# not after a question word: "how can I change it" asks how ("can I change my order?" asks for it)
_NOT_ASKED_HOW = r"(?<!how\s)(?<!why\s)(?<!what\s)(?<!where\s)(?<!when\s)"
SERVICE_REQUEST: dict[str, tuple[str, ...]] = {
    "en": (
        rf"\b(?:i'd|i\s+would|we'd|we\s+would)\s+(?:really\s+)?like\s+(?:to\s+{_ACT_EN}|a\s+(?:refund|replacement"
        r"|call\s*back|new|copy|receipt|invoice))\b",
        rf"\b(?:i|we)\s+(?:want|need|wish|would\s+like)\s+to\s+{_ACT_EN}\b",
        r"\b(?:i|we)\s+(?:want|need)\s+(?:a|my|our)\s+(?:refund|replacement|money\s+back|new\s+card|call\s*back"
        r"|receipt|invoice|copy)\b",
        rf"\bplease\s+(?:could\s+you\s+|can\s+you\s+)?(?:{_ACT_EN}|call|contact|ring|email|let\s+me\s+know)\b",
        rf"{_NOT_ASKED_HOW}\b(?:could|can|would)\s+you\s+(?:please\s+|kindly\s+)?(?:{_ACT_EN}|call|contact|ring"
        r"|email)\b",
        rf"{_NOT_ASKED_HOW}\b(?:can|could|may)\s+(?:i|we)\s+(?:please\s+)?{_ACT_EN}\b",
        r"\b(?:kindly|pls|plz)\s+(?:\w+\s+)?(?:refund|send|cancel|change|call|resend)\b",
    ),
    "de": (
        r"\b(?:ich|wir)\s+(?:möchte|möchten|würde\s+gerne|würden\s+gerne|will|wollen|brauche|hätte\s+gerne)\s+"
        r"(?:\w+\s+){0,4}(?:ändern|stornieren|umbuchen|zurückgeben|umtauschen|erstatten|bestellen|buchen|zurückschicken"
        r"|verschieben|kündigen|zurück|haben|bekommen|erhalten|sprechen|korrigieren|verlängern|löschen|sperren"
        r"|entsperren|reklamieren)\b",
        r"\bbitte\s+(?:\w+\s+){0,3}(?:ändern|stornieren|schicken|senden|zusenden|überweisen|erstatten|zurückrufen"
        r"|prüfen|korrigieren|löschen|umbuchen)\b|\bbitte\s+rufen\b",
        r"\b(?:können|könnten)\s+sie\s+(?:mir\s+)?(?:bitte\s+)?(?:\w+\s+){0,3}(?:ändern|stornieren|schicken|senden"
        r"|zusenden|überweisen|erstatten|zurückrufen|prüfen|korrigieren|umbuchen)\b",
    ),
    "fr": (
        r"\b(?:je\s+voudrais|j'aimerais|je\s+souhaite|je\s+souhaiterais|nous\s+voudrions|je\s+veux)\s+(?:\w+\s+){0,2}"
        r"(?:modifier|annuler|changer|recevoir|obtenir|être\s+rembours\w+|réserver|commander|retourner|échanger"
        r"|résilier|parler|récupérer|reporter|décaler)\b",
        r"\bmerci\s+de\s+(?:bien\s+vouloir\s+)?(?:me\s+|m')?(?:modifier|annuler|envoyer|rappeler|rembourser|corriger"
        r"|vérifier|contacter)\w*",
        r"\b(?:pouvez|pourriez)-vous\s+(?:me\s+|m')?(?:\w+\s+)?(?:modifier|annuler|envoyer|rappeler|rembourser"
        r"|corriger|vérifier|changer)\b",
    ),
    "es pt it nl": (
        r"\b(?:quiero|quisiera|me\s+gustaría|necesito|queremos|quisiéramos)\s+(?:\w+\s+){0,1}(?:cambiar|cancelar"
        r"|modificar|anular|recibir|devolver|reservar|pedir|reclamar|hablar|aplazar|cambiarme|darme|que\s+me)\b",
        r"\bpor\s+favor\s*,?\s+(?:cambien|cancelen|envíen|envíenme|llámenme|revisen|devuélvanme|corrijan|alterem"
        r"|cancelem|enviem|liguem)\b",
        r"\b(?:pueden|podrían|puede|podría)\s+(?:usted(?:es)?\s+)?(?:por\s+favor\s+)?(?:cambiar|cancelar|enviarme"
        r"|revisar|devolverme|llamarme|modificar)\b",
        r"\b(?:quero|gostaria\s+de|preciso|queria)\s+(?:\w+\s+){0,1}(?:alterar|cancelar|mudar|trocar|receber|devolver"
        r"|reservar|falar|o\s+reembolso|meu\s+dinheiro)\b",
        r"\bvorrei\s+(?:\w+\s+){0,1}(?:cambiare|modificare|annullare|ricevere|prenotare|restituire|disdire|parlare)\b",
        r"\bik\s+(?:wil|zou)\s+(?:graag\s+)?(?:\w+\s+){0,3}(?:wijzigen|annuleren|veranderen|ontvangen|omruilen"
        r"|terugsturen|retourneren|opzeggen)\b",
    ),
    "no da sv": (
        r"\b(?:jeg|eg|jag|vi)\s+(?:vil|ville|ønsker|önskar|skal)\s+(?:gjerne\s+|gärna\s+|gerne\s+)?(?:\w+\s+){0,1}"
        r"(?:endre|avbestille|kansellere|bytte|returnere|ha|få|ändra|avboka|byta|returnera|ændre|aflyse)\b",
        r"\bkan\s+(?:jeg|eg|jag|vi)\s+(?:endre|avbestille|bytte|returnere|få|ändra|avboka|byta|ændre)\b",
        r"\bkan\s+(?:dere|de|dykk|ni|I)\s+(?:\w+\s+)?(?:endre|sende|ringe|refundere|ändra|skicka|ringa|sjekke"
        r"|kontrollere)\b",
    ),
    "ms id": (
        r"\b(?:saya|aku|kami|sy)\s+(?:mau|ingin|nak|hendak|perlu|mahu|pengen|minta)\s+(?:\w+\s+){0,1}(?:ubah|tukar"
        r"|batalkan|batal|cancel|ganti|refund|pesan|tempah|booking|reschedule|kembalikan|pulangkan|jadwal\s+ulang"
        r"|dikembalikan|ditukar|diubah)\b",
        r"\b(?:tolong|mohon|sila|harap|minta)\s+(?:\w+\s+)?(?:ubah|tukar|batalkan|kirim|hantar|cek|semak|proses|refund"
        r"|kembalikan|hubungi|telefon|telepon|dibantu|diproses|dicek|diubah|ditukar|dibatalkan|dikembalikan)\b",
    ),
    "ru": (
        r"\b(?:я\s+)?(?:хочу|хотел\s+бы|хотела\s+бы|прошу|нужно|необходимо)\s+(?:\w+\s+){0,1}(?:изменить|отменить"
        r"|поменять|вернуть|перенести|оформить|заказать|забронировать|заменить|обменять|расторгнуть|перевыпустить)\b",
        r"\b(?:пожалуйста\s*,?\s+)?(?:измените|отмените|пришлите|верните|перезвоните|проверьте|поменяйте|замените"
        r"|перенесите)\b",
        r"\b(?:можете|могли\s+бы)\s+(?:\w+\s+)?(?:изменить|отменить|прислать|вернуть|перезвонить|проверить)\b",
    ),
    "ja": (
        r"(?:変更|キャンセル|返品|交換|返金|予約|送付|発送|再送|解約|確認|修正)(?:したい|させて|して(?:ほしい|欲しい|ください"
        r"|下さい|いただけ|頂け)|をお願い|をしたい|を希望)",
    ),
    "zh": (
        r"我(?:想|要|需要)(?:把)?\S{0,4}?(?:改|取消|退|换|修改|预订|订|更改|退款|补发|重发)|请(?:帮我|帮忙)?(?:改|取消|退|修改"
        r"|发|寄|处理|确认|更改|补发|重发|退款)|麻烦(?:帮我|您)?(?:改|取消|退|修改|发|寄|处理|更改|补发|退款)",
    ),
}

# the customer recommends, or (negated: "can't recommend", "kann ich niemandem empfehlen", "не рекомендую",
# "tak akan syorkan", "おすすめできません", "不推荐") does not; the speaker is the customer ("I'd recommend", "highly
# recommended"), not staff who recommended a fix ("the agent recommended I restart it")
RECOMMEND: dict[str, tuple[str, ...]] = {
    "en": (
        r"\b(?:i|we|i'd|we'd|i'll|we'll|i've|we've|would|wouldn't|will|won't|can|can't|cannot|could|couldn't"
        r"|highly|strongly|definitely|totally|absolutely|gladly|happily|fully|heartily|thoroughly|hereby)\s+"
        r"(?:(?!you\b)\w+\s+)?recommend(?:ed|ing|s)?\b"
        r"(?!\s+(?:that\b|(?:i|we|he|she|they)\s+\w+|you\s+(?!guys\b|to\b|all\b)\w+|(?:a|an|the)\s+(?:different|new"
        r"|another|other|reset|restart)))",
        r"\brecommend(?:ed|s)?\s+(?:\w+\s+){0,3}to\s+(?:anyone|anybody|everyone|everybody|all|friends|family|others"
        r"|people|my|every|no\s*one|nobody)\b",
        r"\b(?:highly|strongly|definitely|totally|well|much|hugely)\s+recommended\b|\brecommended\s*[!]"
        r"|\bwould\s+recommend\b|\bwouldn't\s+recommend\b",
    ),
    "de": (
        r"\b(?:ich|wir)\s+(?:\w+\s+){0,3}(?:weiter)?(?:empfehle|empfehlen|empfohlen)\b|\bempfehle\s+(?:ich|wir)\b"
        r"|\bweiterempfehl(?:e|en|ung)\b"
        r"|\bweiterempfohlen\b|\b(?:ich|wir)\s+(?:habe|haben|hab)\s+(?:(?!wie\b)\w+\s+){0,6}(?:weiter)?empfohlen\b"
        r"(?=\s*(?:[.,!;:)]|$)|\s+(?:und|aber)\b)",
        r"\b(?:kann|können|würde|würden|werde|werden)\s+(?:\w+\s+){0,4}(?:weiter)?empfehlen\b",
        r"\bempfehlenswert\b|\b(?:klare|absolute|uneingeschränkte|volle|echte)\s+(?:kauf)?empfehlung\b"
        r"|\bzu\s+empfehlen\b",
    ),
    "fr": (
        r"\b(?:je|j'|nous|on)\s*(?:vous\s+|le\s+|la\s+|les\s+|l'|ne\s+|n')*(?:\w+\s+){0,2}recommand(?:e|es|ons|ez"
        r"|erais|erai|erions|é|ée|és|ées|er)\b"
        r"|\brecommand(?:e|é|ée|és|ées)\s*!|\bà\s+recommander\b|\bje\s+recommande\b|\brecommandable\b",
    ),
    "es": (
        r"\b(?:lo|la|los|las|se\s+lo|se\s+la|te\s+lo|os\s+lo)\s+recomiend\w*|\brecomiendo\b|\brecomendad\w*\s*!"
        r"|\b(?:muy|totalmente|altamente|100%)\s+recomendable\b|\brecomendable\b"
        r"|\b(?:les|te|os)\s+recomiendo\b"
        r"|\brecomendar(?:ía|íamos|é|emos)\b|\b(?:he|hemos)\s+recomendado\b|\brecomendé\b",
    ),
    "pt": (
        r"\brecomendo\b|\brecomendar(?:ia|íamos|ei|emos)\b|\brecomendei\b|\b(?:super|muito|altamente)\s+recomend\w*"
        r"|\brecomendad[oa]\s*!|\brecomendável\b",
    ),
    "it": (
        r"\b(?:lo|la|li|le|ve\s+lo|te\s+lo)\s+consiglio\b|\bconsiglio\s+vivamente\b|\bconsigliatissim\w*"
        r"|\bda\s+consigliare\b|\b(?:lo|la)\s+raccomando\b|\b(?:consiglierei|consiglierò|raccomanderei)\b"
        r"|\b(?:ho|abbiamo)\s+(?:\w+\s+){0,2}consigliato\b",
    ),
    "nl": (r"\baanrader\b|\b(?:ik|wij|we)\s+(?:\w+\s+){0,3}aanbevel\w*|\baan\s+te\s+(?:raden|bevelen)\b",),
    "nb nn da sv": (r"\b(?:anbefal(?:e|er|es|te|t|ast)|tilrå(?:r|s|dde)?|rekommender(?:ar|as|ade|a))\b",),
    "ru uk": (
        r"\b(?:по)?рекоменд(?:ую|уем)\b(?!\s+\w+ть\b)|\b(?:по)?совет(?:ую|уем)\b(?!\s+\w+ть\b)|\bрекомендовать\b"
        r"|\bсоветовать\b|\bрекомендуємо\b|\bраджу\b"
        r"|\b(?:я|мы)\s+(?:\w+\s+){0,2}(?:по)?(?:советовал|рекомендовал)(?:а|и)?\b"
        r"|\b(?:могу|можем|буду|будем|бы)\s+(?:\w+\s+){0,2}(?:по)?(?:советовать|рекомендовать)\b(?!\s+\w+ть\b)",
    ),
    "ms id": (
        r"\b(?:meng)?syorkan\b|\b(?:sangat|amat|tidak|tak|memang)\s+(?:di)?syorkan\b(?!\s+oleh)"
        r"|\bsaya\s+(?:\w+\s+){0,2}(?:meng)?syorkan\b"
        r"|\b(?:saya|kami|aku|sy|gue|gua)\s+(?:(?!kurang\b)\w+\s+){0,2}(?:me)?rekomendasikan\b"
        r"|\b(?:sangat|amat|patut|layak|wajib|tidak|tak|kurang)\s+(?:di)?rekomendasikan\b(?!\s+oleh)"
        r"|\b(?:sangat|memang|amat|highly|very|super)\s+recommended\b|\brekomen(?:ded)?\b"
        r"|\b(?:sangat|amat)\s+rekomendasi\b|\brekomendasi\s+(?:banget|sekali|bgt)\b"
        r"|\bcadangkan\s+(?:kedai|tempat|syarikat|servis|produk|restoran|hotel)\b",
    ),
    "ja": (
        r"(?:おすすめ|お勧め|お薦め|オススメ|勧め|薦め)(?:し|でき|します|できます|したい|です|ます|たい|ています)",
        r"推薦(?:し|でき)",
    ),
    "zh": (
        r"(?:值得|强烈|強烈|极力|極力|大力|真心|非常|会|會|都|很)\S{0,2}?推[荐薦]|推[荐薦](?:给|給)(?!我)|推[荐薦]大家"
        r"|安利",
    ),
    "ko": (r"추천(?:합니다|해요|드려요|드립니다|하고|할|해|하지)",),
    "ar tr": (r"(?:أنصح|انصح|أوصي|اوصي)\s*(?:بشدة\s+)?(?:به|بها|بهذا|بهذه|الجميع|كل)|tavsiye\s+ederim|öneririm",),
}

# warnings to others, which hold their own negation: would not recommend
WARN_OFF: dict[str, tuple[str, ...]] = {
    "en": (
        r"\bstay\s+(?:well\s+|far\s+)?away\s+from\b|\bsteer\s+clear\b|\bavoid\s+(?:at\s+all\s+costs|like\s+the\s+plague)\b"
        r"|\bavoid\s+(?:this|these)\s+(?:company|companies|place|shop|store|restaurant|hotel|bank|airline|app|provider"
        r"|seller)\b|\bdo\s+not\s+recommend\b|\bdon't\s+recommend\b|\bnot\s+recommended\b",
    ),
    "de": (
        r"\bfinger\s+weg\b|\b(?:ich|wir)\s+raten?\s+(?:\w+\s+){0,3}ab\b|\brate\s+(?:ich|wir)\s+(?:\w+\s+){0,3}ab\b"
        r"|\babzuraten\b|\babraten\b|\bnicht\s+empfehlenswert\b",
    ),
    "fr": (r"\bdéconseill\w*|\bfuyez\b|\bà\s+éviter\b",),
    "es": (r"\bdesaconsej\w*|\bno\s+(?:lo|la|los|las)?\s*recomiendo\b|\bhuyan\b",),
    "pt": (r"\bnão\s+recomendo\b|\bfujam\b",),
    "it": (r"\bsconsigli\w*",),
    "nl": (
        r"\bafrader\b|\bblijf\s+(?:hier\s+)?weg\b|\b(?:ik|we|wij)\s+raad\w*\s+(?:\w+\s+){0,3}af\b"
        r"|\braad\s+ik\s+(?:\w+\s+){0,3}af\b",
    ),
    "nb nn da sv": (
        r"\bhold\s+(?:deg|dere|dykk|dig|jer)\s+unna\b|\bstyr\s+unna\b|\bfrarå\w*|\bhåll\s+(?:dig|er)\s+borta\b",
    ),
    "ru uk": (
        r"\bне\s+(?:со|по)?(?:советую|рекомендую)\b|\bобходите\s+стороной\b|\bне\s+связывайтесь\b"
        r"|\bдержитесь\s+подальше\b",
    ),
    "ms id": (
        r"\bkurang\s+(?:me|di)?rekomendasikan\b|\bkurang\s+(?:di)?syorkan\b"
        r"|\belakkan\s+(?:syarikat|kedai|tempat|servis|produk|restoran|hotel|diri)\b|\bhindari\s+(?:perusahaan|toko|tempat"
        r"|layanan|produk|restoran|hotel)\b",
    ),
    "ja": (
        r"避けた方が|やめた方が|行かない方が"
        r"|(?:おすすめ|お勧め|お薦め|オススメ|勧め|薦め)(?:しません|できません|しない|できない|ません|られません)",
    ),
    "zh": (r"千万别|千萬別|别来|別來|避雷|劝退|勸退|不推荐|不推薦",),
    "ko": (r"비추|추천\s*안\s*(?:해|합니다|함)",),
    "ar tr": (
        r"(?<!\w)و?(?:لا|لآ|لن)\s*ا?(?:أنصح|انصح|أوصي|اوصي)|(?:أنصح|انصح|أوصي|اوصي)\w*\s*(?:\S+\s+){0,2}?"
        r"(?:بعدم|بتجنب|بالابتعاد|الابتعاد|بالبعد)|tavsiye\s+etm(?:em|iyorum|eyin)",
    ),
}

# a negation within four words before a LEAVE phrase, in the same clause (or, as a word, inside its gaps)
_NEG_WORDS = (
    r"\b(?:not|never|no|wouldn't|won't|don't|didn't|nicht|nie|niemals|kein\w*|ne|jamais|pas|nunca|jamás|não|non"
    r"|mai|niet|nooit|geen|ikke|ikkje|aldri|inte|aldrig|ej|tidak|tak|takkan|bukan|jangan|belum|gak|nggak|ga"
    r"|enggak|не|никогда|нет|değil|niemand\w*|никому)\b|n't|\bn'"
)
_NEG_BEFORE = _NEG_WORDS + r"|不|没|別|别|绝不|從不|从不"
# ... or just after it: two words for verb-second languages ("jeg bytter ikke"), the clause for Japanese and
# Korean ("解約するつもりはありません")
_NEG_AFTER = (
    r"^\W*(?:\w+\W+){0,2}?(?:nicht|nie|niemals|ikke|ikkje|aldri|inte|aldrig|niet|nooit)\b"
    r"|^[^。！？.!?]*?(?:ない|ません|ず|しない|않|안\s)"
)
# ... or asked and answered no: "Kündigen? Niemals." / "退订？不可能"
_ANSWERED_NO = (
    r"^[^.!?。！？]{0,25}?[?？]\s*(?:\W*\w+\W+)?(?:never|no\s+way|no|nope|not|niemals|nie|nein|jamais|non|jamás"
    r"|nunca|ni\s+hablar|aldri|nei|aldrig|nej|tidak|tak|takkan|mana\s+mungkin|ни\s+за\s+что|никогда|нет|不可能"
    r"|不会|绝不|没门|まさか|ありえない|いいえ)"
    r"|^[^.!?。！？]{0,25}?[?？]\s*\w*\s*(?:je\s+n'y|ich\s+denke\s+nicht)"
)
_CLAUSE = r"[.!?;:,，。！？；、]|\b(?:but|aber|mais|pero|mas|ma|maar|men|tapi|tetapi|namun|но|однако)\b"


def _union(*lists: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    return re.compile(
        "|".join(f"(?:{p})" for groups in lists for group in groups.values() for p in group), re.IGNORECASE
    )


class _Patterns(NamedTuple):
    """The phrase lists and the negation patterns, compiled once (on first use, not at import)."""

    leave: re.Pattern[str]
    never_again: re.Pattern[str]
    effort: re.Pattern[str]
    request: re.Pattern[str]
    not_leaving: re.Pattern[str]
    recommend: re.Pattern[str]
    warn_off: re.Pattern[str]
    sentence_end: re.Pattern[str]
    enough: re.Pattern[str]
    hesitate: re.Pattern[str]
    against: re.Pattern[str]
    neg_before: re.Pattern[str]
    neg_words: re.Pattern[str]
    neg_after: re.Pattern[str]
    answered_no: re.Pattern[str]
    clause: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    def one(pattern: str) -> re.Pattern[str]:
        return re.compile(pattern, re.IGNORECASE)

    return _Patterns(
        leave=_union(LEAVE, CONTRACT_END),
        never_again=_union(NEVER_AGAIN),
        effort=_union(EFFORT),
        request=_union(REQUEST, SERVICE_REQUEST),
        not_leaving=_union(NOT_LEAVING),
        recommend=_union(RECOMMEND),
        warn_off=_union(WARN_OFF),
        sentence_end=one(r"[.!?。！？]"),
        enough=one(r"^(?:\s+\w+){0,3}?\s+enough\b"),
        hesitate=one(r"hesit|zöger|hésit|dudar|dudes|nøl|tvek|ragu|\bsalah\b"),
        against=one(
            r"^[^.!?;,。！？，、]{0,30}?(?:\bnot\s+to\s+(?:go|buy|eat|stay|use|book|order|visit|come|waste|bother|shop"
            r"|fly)\b|\bde\s+ne\s+pas\b|\bnicht\s+zu\b|\b(?:untuk|supaya|agar)\s+(?:tidak|tak|jangan)\b"
            r"|\bjangan\b|\bне\s+\w+ть\b|(?<!\w)(?:ألا|الا|أن\s+لا)(?!\w)(?!\s*[يت]تردد)|بعدم(?!\w))"
            # "os recomiendo que no...", "recomiendo a todos que no...", but not a relative clause further on ("lo hemos
            # recomendado a todos nuestros amigos que no son pocos")
            r"|^(?:\s+\w+){0,2}?\s+que\s+no\b"
        ),
        neg_before=one(_NEG_BEFORE),
        neg_words=one(_NEG_WORDS),
        neg_after=one(_NEG_AFTER),
        answered_no=one(_ANSWERED_NO),
        clause=one(_CLAUSE),
    )


_LOOK = 200  # characters read on each side of a phrase for its negation (a clause is shorter)


def _negated(text: str, start: int, end: int) -> bool:
    pat = _patterns()
    if pat.neg_words.search(text[start:end]):  # a gap inside the phrase: "saya takkan tukar ke syarikat lain"
        return True
    left = text[max(0, start - _LOOK) : start]  # a bounded look: a long comment full of negated phrases stays linear
    before = left[max((m.end() for m in pat.clause.finditer(left)), default=0) :]
    # four words before; text without spaces (Chinese, Japanese) gives its last six characters
    window = " ".join(before.split()[-4:]) if " " in before.strip() else before[-6:]
    if pat.neg_before.search(window):
        return True
    right = text[end : end + _LOOK]
    if pat.answered_no.search(right):
        return True
    cut = pat.clause.search(right)
    return bool(pat.neg_after.search(right[: cut.start()] if cut else right))


def churn_phrase(text: str) -> str | None:
    """The first phrase of ``text`` that states an intent to leave and is not negated, or None.

    >>> churn_phrase("Ich kündige, wenn das so weitergeht.")
    'Ich kündige'
    >>> churn_phrase("I would never switch to another bank.") is None
    True
    >>> churn_phrase("Can I cancel my order?") is None
    True
    """
    pat = _patterns()
    m = pat.never_again.search(text)
    return m.group(0) if m else _first_not_negated(pat.leave, text)


def effort_phrase(text: str) -> str | None:
    """The first phrase of ``text`` that says the customer had to try again and again, or None.

    >>> effort_phrase("C'est la troisième fois que j'appelle pour le même problème.")
    "troisième fois que j'appelle"
    >>> effort_phrase("Pourriez-vous ajouter le paiement en plusieurs fois ?") is None
    True
    """
    return _first_not_negated(_patterns().effort, text)


def cancels_a_transaction(text: str) -> bool:
    """Whether ``text`` cancels one order, transfer or booking (not a threat to leave unless a LEAVE phrase says so).

    >>> cancels_a_transaction("I need to cancel a transaction.")
    True
    """
    return _patterns().not_leaving.search(text) is not None


def request_phrase(text: str) -> str | None:
    """The first phrase of ``text`` that asks for something or suggests it, or None.

    >>> request_phrase("Det hadde vært fint om appen hadde mørk modus.")
    'hadde vært fint om'
    >>> request_phrase("The app would be better without ads, it crashes daily.") is None
    True
    """
    return _first_not_negated(_patterns().request, text)


def recommend_phrase(text: str) -> tuple[str, bool] | None:
    """The first phrase of ``text`` in which the customer recommends or warns others off, with ``True`` for a
    recommendation and ``False`` for a negated one or a warning; None when there is none (or it is asked).

    >>> recommend_phrase("Kan varmt anbefales!")
    ('anbefales', True)
    >>> recommend_phrase("Saya tak akan syorkan kedai ni.")
    ('Saya tak akan syorkan', False)
    >>> recommend_phrase("I can't recommend them enough.")
    ("can't recommend", True)
    >>> recommend_phrase("Can anyone recommend a cheaper plan?") is None
    True
    """
    pat = _patterns()
    warn = pat.warn_off.search(text)
    if warn is not None:
        return warn.group(0), False
    for m in pat.recommend.finditer(text):
        right = text[m.end() : m.end() + _LOOK]
        end = pat.sentence_end.search(right)
        if end is not None and end.group(0) in "?？":
            continue  # asked, not said: "Would anyone recommend ...?"
        if pat.enough.match(right):
            return m.group(0), True  # "can't recommend them enough"
        left = text[max(0, m.start() - 40) : m.start()]
        if pat.hesitate.search(left):
            return m.group(0), True  # "wouldn't hesitate to recommend"
        if pat.against.match(right):
            return m.group(0), False  # "I recommend everyone not to go", "os recomiendo que no piséis"
        return m.group(0), not _negated(text, m.start(), m.end())
    return None


def _first_not_negated(pattern: re.Pattern[str], text: str) -> str | None:
    for m in pattern.finditer(text):
        if not _negated(text, m.start(), m.end()):
            return m.group(0)
    return None
