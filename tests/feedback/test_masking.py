"""Personal data in clients' comments is masked before it is stored."""

import importlib

import pytest
from django.apps import apps

from dashboards.selectors import data_stamp
from feedback.masking import comment_mask, markers_strip
from feedback.models import FeedbackResponse, ResponseTopic
from feedback.topics import stored_comments_prepare, topics_reapply
from tests.dashboards.factories import BAD, make_office, responses, save

MASKED = [
    ("Звоните мне +7 (917) 123-45-67, жду", "Звоните мне [телефон], жду"),
    ("мой номер 8-917-123-45-67", "мой номер [телефон]"),
    ("тел. 89171234567", "тел. [телефон]"),
    ("8 (846) 332 11 22 — не дозвониться", "[телефон] — не дозвониться"),
    ("+79171234567", "[телефон]"),
    ("перезвоните 917 123-45-67", "перезвоните [телефон]"),
    ("горячая линия 8 800 100 10 10", "горячая линия [телефон]"),
    ("звонила по 23-45-67 весь день", "звонила по [телефон] весь день"),
    ("Пишите на ivan.petrov@mail.ru пожалуйста", "Пишите на [e-mail] пожалуйста"),
    ("почта: Olga_K-1985@yandex.ru.", "почта: [e-mail]."),
    ("Меня зовут Иван Петров, помогли быстро", "Меня зовут [имя], помогли быстро"),
    ("меня зовут Анна, специалист грубила", "меня зовут [имя], специалист грубила"),
    ("Я — Смирнова Анна Сергеевна, инвалид II группы", "Я — [имя], инвалид II группы"),
    ("Я - Ольга Николаевна", "Я - [имя]"),
    ("Моя фамилия Кузнецова", "Моя фамилия [имя]"),
    ("ФИО: Сидоров Пётр Ильич", "ФИО: [имя]"),
    ("Спасибо! С уважением, Мария", "Спасибо! С уважением, [имя]"),
    ("Спасибо Ивановой И.И. за помощь", "Спасибо [имя] за помощь"),
    ("Благодарю И. И. Петрову", "Благодарю [имя]"),
    ("паспорт 36 12 345678 не приняли", "[паспорт] не приняли"),
    ("серия 3612 номер 345678", "[паспорт]"),
    ("данные 3612 № 345678", "данные [паспорт]"),
    ("СНИЛС 123-456-789 01 потеряли", "СНИЛС [СНИЛС] потеряли"),
    ("снилс 123-456-789-01", "снилс [СНИЛС]"),
    ("ИНН 631234567890", "ИНН [номер]"),
    ("карта 2202 2002 1234 5678", "карта [номер]"),
    # A colleague named right after a word for staff, in any case form.
    ("Грубый специалист Сидорчук, больше не приду", "Грубый специалист [имя], больше не приду"),
    ("Консультант Иванова помогла составить резюме", "Консультант [имя] помогла составить резюме"),
    ("Благодарю инспектору Петрову за терпение", "Благодарю инспектору [имя] за терпение"),
    ("Менеджер Анна Сергеевна всё объяснила", "Менеджер [имя] всё объяснила"),
    ("Спасибо специалисту Петровой Марии Ивановне!", "Спасибо специалисту [имя]!"),
    ("Сотрудница Жуковская нагрубила в окне № 2", "Сотрудница [имя] нагрубила в окне № 2"),
    ("Пожалуюсь руководителю Смирнову", "Пожалуюсь руководителю [имя]"),
    ("заведующая Кузнецова не приняла документы", "заведующая [имя] не приняла документы"),
    ("Юрист Ковальчук-Лебедева проконсультировала", "Юрист [имя] проконсультировала"),
    ("Психолог Ольга очень помогла", "Психолог [имя] очень помогла"),
    ("Директор Семёнов обещал перезвонить", "Директор [имя] обещал перезвонить"),
    ("поговорила с оператором Мариной Олеговной", "поговорила с оператором [имя]"),
    (
        "специалисту Иванову и инспектору Петровой спасибо",
        "специалисту [имя] и инспектору [имя] спасибо",
    ),
    ("ведущий специалист Сидорчук Кировского района", "ведущий специалист [имя] Кировского района"),
    ("специалист Иванова А.С. нагрубила", "специалист [имя] нагрубила"),
    ("у сотрудников Лебедевой и Орловой", "у сотрудников [имя] и [имя]"),
    ("специалисту Иванову или Центру занятости", "специалисту [имя] или Центру занятости"),
]

KEPT = [
    "Приём 12.03.2026 в 10:30, всё хорошо",
    "Ждала с 9:00 до 11:45",
    "Кабинет 305, окно № 3, талон А-12",
    "Пособие 12 792 руб. пришло вовремя",
    "Выплатили 15 000 рублей, а обещали 1 500 000",
    "Сумма 12 792,50 ₽",
    "В 2025-2026 годах стало лучше",
    "Меня зовут на собеседование в пятницу",
    "Я — безработный, мне всё объяснили",
    "Очередь 40 минут, 3 окна из 5 закрыты",
    "Портал «Работа России» не работает",
    "Вежливый специалист, спасибо",
    "ул. Ленина, д. 12, корп. 3",
    # A capitalised word after a word for staff that is not a person's name.
    "Специалист Центра занятости всё объяснил",
    "Специалисты Кировского района помогли с резюме",
    "Сотрудник Пенсионного фонда отправил нас к вам",
    "Оператор Госуслуг так и не ответил",
    "Специалист Работы России не перезвонил",
    "Начальник Отдела кадров подписал направление",
    "Консультант Плюс у юриста не открывался",
    "Сотрудники МФЦ и ЦЗН не договорились между собой",
    "Специалист сказал прийти завтра к Иванову",
    "Был у инспектора. Очень вежливый",
    "Специалист «Мои документы» отправил к вам",
    "Сотрудник Вы молодец",
    "",
]


@pytest.mark.parametrize(("raw", "masked"), MASKED)
def test_personal_data_is_masked(raw, masked):
    assert comment_mask(raw) == masked


@pytest.mark.parametrize("text", KEPT)
def test_dates_sums_and_office_numbers_are_kept(text):
    assert comment_mask(text) == text


def test_masking_twice_changes_nothing_more():
    for _raw, masked in MASKED:
        assert comment_mask(masked) == masked


def test_no_digit_of_a_phone_survives():
    masked = comment_mask("Иванов, тел. +7 917 123 45 67 или 8(917)1234567")
    assert not any(char.isdigit() for char in masked)


def test_markers_are_not_words_of_the_comment():
    assert markers_strip("звоните [телефон] или [e-mail]").split() == ["звоните", "или"]


def test_a_comment_stored_before_is_masked_by_the_migration(db):
    """feedback/0009: the comments imported before the staff-name rule are
    masked and analysed again, tagged again, and the data stamp changes (no
    cached /cx/ block keeps the old text)."""
    migration = importlib.import_module("feedback.migrations.0009_mask_staff_names")
    office = make_office()
    raw = "Грубый специалист Сидорчук, нагрубил в очереди"
    save(responses(office, 1, **BAD, comment=raw, external_id="a-1"))
    stored_comments_prepare(FeedbackResponse)  # analysed and tagged…
    topics_reapply()
    # …but with the name in it, as the import stored it before the rule.
    FeedbackResponse.objects.update(comment=raw, comment_terms="грубый специалист сидорчук")
    links = ResponseTopic.objects.count()
    stamp, _latest = data_stamp()

    migration.stored_comments(apps, None)

    response = FeedbackResponse.objects.get()
    assert response.comment == "Грубый специалист [имя], нагрубил в очереди"
    assert "сидорчук" not in response.comment_terms
    assert ResponseTopic.objects.count() == links > 0  # the topics found again
    assert data_stamp()[0] != stamp
