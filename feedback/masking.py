"""Masking of personal data in clients' comments, before they are stored.

A comment keeps what the client said about the service and loses what
identifies a person: phone numbers, e-mail addresses, names introduced by
«меня зовут …», «я — …», «с уважением, …» or written with initials,
passport-like and СНИЛС-like numbers, and any other long run of digits
(ИНН, card and account numbers). Each is replaced by a marker in square
brackets, so a reader sees that something was there («[телефон]»).

What is deliberately left alone: dates (12.03.2026), times (10:30), sums
(15 000 руб., 12 792,50), office and window numbers («кабинет 305», «окно
№ 3»), years and short numbers. Rules are regular expressions, in the order
below; each is cheap, and a comment without a digit, «@» or a name hint
skips them all, so the import pays almost nothing for the usual comment.
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

# Cheap checks deciding which rules can apply at all (measured: a few
# microseconds for a usual comment; IGNORECASE or one big alternation of
# the hints was several times slower).
_DIGIT_RE = re.compile(r"\d")
_NAME_MARK_RE = re.compile(r"[А-ЯЁ]\.|[Яя]\s*[—–,-]")
_NAME_WORDS = ("зовут", "имя", "фамили", "уважением", "фио", "ф.и.о", "ф. и. о")


def _may_hold_name(text):
    if _NAME_MARK_RE.search(text):
        return True
    lowered = text.lower()
    return any(word in lowered for word in _NAME_WORDS)


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
    return text


def markers_strip(text):
    """The text without the markers, for analysis: «[телефон]» is not a
    word the client wrote and must not make a comment match a topic."""
    if "[" not in text:
        return text
    return MARKER_RE.sub(" ", text)
