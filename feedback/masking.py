"""Masking of personal data in clients' comments, before they are stored.

A comment keeps what the client said about the service and loses what
identifies a person: phone numbers, e-mail addresses, names introduced by
«меня зовут …», «я — …», «с уважением, …» or written with initials, a
colleague's name right after a word for a member of staff («специалист
Сидорчук», «инспектору Петровой», «менеджер Анна Сергеевна»),
passport-like and СНИЛС-like numbers, and any other long run of digits
(ИНН, card and account numbers). Each is replaced by a marker in square
brackets, so a reader sees that something was there («[телефон]»).

A name after a word for staff (or after such a name and «и»/«или») is one
to three capitalised words with nothing but spaces between, unless it is an
institution («специалист Центра занятости», «сотрудник Госуслуг»,
«специалисты Кировского района»: the lists below); a lower-case word
(«специалист сказал») and what follows a full stop or a quote stay.

What is deliberately left alone: dates (12.03.2026), times (10:30), sums
(15 000 руб., 12 792,50), office and window numbers («кабинет 305», «окно
№ 3»), years and short numbers. Rules are regular expressions, in the order
below; each is cheap, and a comment without a digit, «@», a name hint or
a capitalised word after a lower-case one skips them all, so the import
pays almost nothing for the usual comment.
"""

import re

PHONE = "[телефон]"
EMAIL = "[e-mail]"
NAME = "[имя]"
PASSPORT = "[паспорт]"
SNILS = "[СНИЛС]"
NUMBER = "[номер]"
MARKERS = (PHONE, EMAIL, NAME, PASSPORT, SNILS, NUMBER)
MARKER_RE = re.compile("|".join(re.escape(marker) for marker in MARKERS))

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# СНИЛС: 123-456-789 01 or 123-456-789-01 (before phones: it is longer).
_SNILS_RE = re.compile(r"(?<!\d)\d{3}-\d{3}-\d{3}[ -]\d{2}(?!\d)")

# Passport: «серия 36 12 номер 345678», «паспорт 3612 345678», «3612 № 345678».
_PASSPORT_RE = re.compile(
    r"(?:(?:паспорт\w*|серия|серии)\s*:?\s*)?"
    r"(?<!\d)\d{2}\s?\d{2}\s*(?:(?:номер|ном\.|№|N)\s*)?\d{6}(?!\d)",
    re.IGNORECASE,
)

# Russian phones: +7 / 7 / 8, an optional code in brackets, groups split by
# spaces or dashes: +7 (917) 123-45-67, 8-917-123-45-67, 89171234567, 8 800 100 10 10.
_PHONE_RE = re.compile(
    r"(?<![\d+])(?:\+\s?7|8|7)[\s-]?\(?\d{3}\)?[\s-]?\d{3}[\s-]?\d{2}[\s-]?\d{2}(?!\d)"
    # a mobile number without the country code: 917 123-45-67, (917) 1234567
    r"|(?<![\d+])\(?9\d{2}\)?[\s-]?\d{3}[\s-]?\d{2}[\s-]?\d{2}(?!\d)"
    # a city number with dashes: 23-45-67, 234-56-78 (dates use dots, not dashes)
    r"|(?<![\d.,-])\d{2,3}-\d{2}-\d{2}(?![\d-])"
)

# Card numbers in groups of four, then any remaining run of 9+ digits.
_LONG_NUMBER_RE = re.compile(r"(?<!\d)(?:\d{4}[ -]){3}\d{4}(?!\d)|(?<!\d)\d{9,}(?!\d)")

# A capitalised Russian word (a name), possibly double-barrelled.
_WORD = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
# Names after an introduction: one to three capitalised words.
_NAME_AFTER_RE = re.compile(
    r"(?P<intro>(?i:меня\s+зовут|зовут\s+меня|мое\s+имя|моё\s+имя|моя\s+фамилия|"
    r"фамилия\s*:?|ф\.?\s?и\.?\s?о\.?\s*:?|с\s+уважением\s*,?|я\s*[—–-]+|"
    r"я\s*,)\s*)"
    rf"(?P<name>{_WORD}(?:\s+{_WORD}){{0,2}})"
)
# A surname with initials: «Иванова И. И.», «И.И. Иванова».
_INITIALS_RE = re.compile(
    rf"(?<![А-Яа-яЁё])[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.\s?)?{_WORD}|{_WORD}\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.(?!\s?[А-ЯЁ][а-яё])"
)

# A colleague named right after a word for staff, in any of its case forms
# («специалист», «специалисту», «специалистами»; «сотрудница», «сотрудницей»;
# «руководителю»; «заведующая»): the name is one to three capitalised words.
_STAFF_NOUN = (
    r"(?:специалист|консультант|инспектор|менеджер|оператор|администратор|юрист"
    r"|психолог|директор|куратор|методист|бухгалтер|экономист|сотрудник|работник"
    r"|начальник|наставник|охранник)(?:а|у|ом|е|ы|и|ов|ам|ами|ах)?"
    r"|(?:сотрудниц|работниц|начальниц|специалистк)(?:а|ы|и|е|у|ей|ой|ею|ою|ам|ами|ах)?"
    r"|(?:руководител|секретар)(?:ь|я|ю|ем|ём|е|и|ей|ям|ями|ях)"
    r"|заведующ(?:ий|ая|его|ей|ему|им|ую|ем|ие|их|ими|ой)"
)
_WHOLE_WORD = r"(?![\w-])"
_NAME_WORDS_AFTER = (
    rf"(?P<name>{_WORD}{_WHOLE_WORD}(?:[ \t\xa0]+{_WORD}{_WHOLE_WORD}){{0,2}})"
    # the word after the name, looked at, not taken (see _staff_name_sub)
    r"(?=(?:[ \t\xa0]+(?P<after>[\w-]+))?)"
)
_STAFF_NAME_RE = re.compile(rf"(?P<lead>(?<![\w-])(?i:{_STAFF_NOUN})[ \t\xa0]+){_NAME_WORDS_AFTER}")
# A second colleague: «сотрудникам [имя] и Орловой».
_AND_NAME_RE = re.compile(
    rf"(?P<lead>{re.escape(NAME)}[ \t\xa0]+(?:и|или)[ \t\xa0]+){_NAME_WORDS_AFTER}"
)
# Capitalised words after a word for staff that are not a name: institutions,
# services, places, and a few words written with a capital for politeness.
_NOT_A_NAME_RE = re.compile(
    r"(?:Центр|Отдел|Фонд|Соцфонд|Портал|Департамент|Комитет|Филиал|Банк|Район|Регион"
    r"|Округ|Город|Роструд|Росреестр|Минтруд|Колл-центр|Сайт|Офис|Мегафон|Билайн)"
    r"(?:а|у|ом|е|ы|и|ов|ам|ами|ах)?"
    r"|(?:Управлени|Министерств|Правительств|Учреждени|Предприяти|Отделени|Ведомств)"
    r"(?:е|я|ю|ем|и|й|ям|ями|ях)"
    r"|(?:Служб|Работ|Администраци|Компани|Организаци|Област|Инспекци|Горяч)"
    r"(?:а|ы|е|у|ой|ою|и|ам|ами|ах|я|ю|ей|ая|ую|ий)?"
    r"|Госуслуг(?:и|а|ам|ами|ах)?|Росси[яиюей]|Российск\w*|Налогов\w*|Мои|Плюс|Спасибо"
    r"|Благодар\w*|Огромное|Большое|Очень|Это|Вы|Вас|Вам|Вами|Ваш\w*|Он|Она|Они"
)
# «специалисты Кировского района», «сотрудник Пенсионного фонда»: an
# adjective with a capital before a word for a place or an institution.
_ADJECTIVE_RE = re.compile(r"\w+(?:ого|его|ому|ему|ой|ей|ий|ый|ая|яя|ое|ее|ом|ем|ую|юю|ым|им)")
_PLACE_RE = re.compile(
    r"(?:район|центр|отдел|цзн|мфц|город|округ|филиал|област|кра[йяюе]|управлени|служб"
    r"|фонд|отделени|министерств|департамент|комитет|администраци|инспекци|портал"
    r"|ведомств|поселени|учреждени|организаци|предприяти|компани|банк)",
    re.IGNORECASE,
)


def _not_a_name(word, after):
    if _NOT_A_NAME_RE.fullmatch(word):
        return True
    return bool(after and _ADJECTIVE_RE.fullmatch(word) and _PLACE_RE.match(after))


def _staff_name_sub(match):
    """«специалист [имя]», «[имя] и [имя]»: the name's words up to the first
    that is not one (the rest stays); the match as it was when the first is
    not a name."""
    parts = re.split(r"([ \t\xa0]+)", match.group("name"))
    words = parts[::2]
    kept = 0
    for index, word in enumerate(words):
        after = words[index + 1] if index + 1 < len(words) else match.group("after")
        if _not_a_name(word, after):
            break
        kept = index + 1
    if not kept:
        return match.group(0)
    rest = "".join(parts[2 * kept - 1 :]) if kept < len(words) else ""
    return match.group("lead") + NAME + rest


# Cheap checks deciding which rules can apply at all (measured: a few
# microseconds for a usual comment; IGNORECASE or one big alternation of
# the hints was several times slower).
_DIGIT_RE = re.compile(r"\d")
_CAPITAL_AFTER_WORD_RE = re.compile(r"[а-яё][ \t\xa0]+[А-ЯЁ][а-яё]")
_NAME_MARK_RE = re.compile(r"[А-ЯЁ]\.|[Яя]\s*[—–,-]")
_NAME_WORDS = ("зовут", "имя", "фамили", "уважением", "фио", "ф.и.о", "ф. и. о")
_STAFF_WORDS = (
    "специалист", "консультант", "инспектор", "менеджер", "оператор", "администратор",
    "юрист", "психолог", "директор", "куратор", "методист", "бухгалтер", "экономист",
    "сотрудни", "работни", "начальни", "наставни", "охранни", "руководител", "секретар",
    "заведующ",
)  # fmt: skip


def _may_hold_name(text):
    if _NAME_MARK_RE.search(text):
        return True
    lowered = text.lower()
    return any(word in lowered for word in _NAME_WORDS)


def _may_name_staff(text):
    """A capitalised word right after a lower-case one, and a word for staff."""
    if not _CAPITAL_AFTER_WORD_RE.search(text):
        return False
    lowered = text.lower()
    return any(word in lowered for word in _STAFF_WORDS)


def _name_sub(match):
    # The intro matches in any case, the name only capitalised:
    # «меня зовут на собеседование» keeps its words.
    return match.group("intro") + NAME


def comment_mask(text):
    """``text`` with personal data replaced by markers; the same text when
    there is none. Pure: no database, no settings."""
    if not text:
        return text
    if "@" in text:
        text = _EMAIL_RE.sub(EMAIL, text)
    if _DIGIT_RE.search(text):
        text = _SNILS_RE.sub(SNILS, text)
        text = _PASSPORT_RE.sub(PASSPORT, text)
        text = _PHONE_RE.sub(PHONE, text)
        text = _LONG_NUMBER_RE.sub(NUMBER, text)
    if _may_hold_name(text):
        text = _NAME_AFTER_RE.sub(_name_sub, text)
        text = _INITIALS_RE.sub(NAME, text)
    if _may_name_staff(text):
        text = _STAFF_NAME_RE.sub(_staff_name_sub, text)
        if NAME in text:
            text = _AND_NAME_RE.sub(_staff_name_sub, text)
    return text


def markers_strip(text):
    """The text without the markers, for analysis: «[телефон]» is not a
    word the client wrote and must not make a comment match a topic."""
    if "[" not in text:
        return text
    return MARKER_RE.sub(" ", text)
