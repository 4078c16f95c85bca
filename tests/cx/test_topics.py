"""/cx/: the top topics of the month, each with a few comments as bare text."""

import datetime as dt

import pytest

from cx import selectors
from feedback.models import FeedbackResponse, ImportBatch
from feedback.topics import stored_comments_prepare, topics_reapply
from tests.cx.conftest import place
from tests.dashboards.factories import BAD, GOOD, responses, save
from tests.feedback.factories import csv_bytes, feedback_row, import_file, make_office

# Default topics (the migration's dictionary) and a comment for each, most
# mentioned first: 7 comments of the first topic, 6 of the second…
STORY = [
    ("Очередь и ожидание", "Очередь огромная"),
    ("Вежливость и отношение", "Грубый охранник"),
    ("Запись на приём", "Не могу записаться"),
    ("Выплаты и пособия", "Пособие задерживают"),
    ("Документы и справки", "Нужна справка"),
    ("Обучение и переобучение", "Курсы понравились"),
    ("Помещение и комфорт", "Душно в зале"),
]


def _tag():
    stored_comments_prepare(FeedbackResponse)
    topics_reapply()


def _topics_section(html):
    return html.split('id="topics"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def story(region):
    first = region["first"]
    groups = [
        responses(first, 1, **GOOD, comment=f"{text}, случай {i}.")
        for count, (_name, text) in zip(range(7, 0, -1), STORY, strict=True)
        for i in range(count)
    ]
    # The same words twice, and February comments that must not show.
    groups.append(responses(first, 2, **BAD, comment="Очередь огромная, случай 0."))
    groups.append(responses(first, 3, month=dt.date(2026, 2, 1), comment="Очередь в феврале"))
    groups.append(responses(region["south"], 9, **GOOD, comment="Душно в южном зале"))
    save(*groups)
    _tag()
    return region


def test_the_top_topics_with_a_few_comments_each(staff_of_first, story):
    response = staff_of_first.get("/cx/")
    topics = response.context["summary"].topics_scope.topics
    names = [topic.row.name for topic in topics]
    assert names == [name for name, _text in STORY[: selectors.TOPICS_SHOWN]]
    queue = topics[0]
    assert queue.row.count == 9
    assert len(queue.comments) == selectors.COMMENTS_PER_TOPIC
    assert len(set(queue.comments)) == len(queue.comments)  # the repeated words once
    assert all(text.startswith("Очередь огромная") for text in queue.comments)
    section = _topics_section(response.content.decode())
    assert "О чём пишут клиенты вашего подразделения" in section
    assert "Очередь в феврале" not in section  # another month
    assert "южном" not in section  # another office
    assert "Курсы понравились" not in section  # the sixth topic
    assert section.count('class="cx-comment"') == sum(len(t.comments) for t in topics)


def test_a_topic_with_few_comments_is_greyed(staff_of_first, story):
    section = _topics_section(staff_of_first.get("/cx/").content.decode())
    assert section.count('class="cx-topic cx-few"') == selectors.TOPICS_SHOWN
    assert "мало комментариев" in section


def test_without_an_office_the_regions_topics(staff_client, story):
    topics = staff_client.get("/cx/").context["summary"].topics_scope.topics
    room = next(t for t in topics if t.row.name == "Помещение и комфорт")
    assert room.row.count == 10  # 1 in ЦЗН Первый, 9 in Южный отдел
    assert "Душно в южном зале" in room.comments


def test_comments_carry_no_personal_or_per_client_data(client, staff, db, settings):
    """Imported like every file: masked on import; the page adds no date,
    office, service, score or id of the answer."""
    settings.FEEDBACK_IMPORT_RUNNER = "sync"
    office = make_office("ЦЗН Ленинского района", code="czn-leninskij")
    rows = [
        feedback_row(
            external_id=f"EXT-{i}",
            comment="Меня зовут Ольга Викторовна, очередь огромная, перезвоните 8-917-555-12-34",
        )
        for i in range(3)
    ] + [
        feedback_row(
            external_id="EXT-9",
            csat="1",
            comment="Очередь на два часа. Пишите: olga.k@mail.ru <script>alert(1)</script>",
        )
    ]
    batch = import_file(csv_bytes(rows))
    assert batch.status == ImportBatch.Status.IMPORTED
    place(staff, office)
    client.force_login(staff)
    html = client.get("/cx/").content.decode()
    section = _topics_section(html)
    assert "Очередь и ожидание" in section
    assert "[телефон]" in section and "[имя]" in section and "[e-mail]" in section
    for secret in ("Ольга", "917", "555-12-34", "olga.k", "mail.ru", "EXT-", "<script>"):
        assert secret not in section, secret
    assert "&lt;script&gt;" in section  # escaped, never run
    for per_client in ("15.03.2026", "15 марта", "2026-03-15", "10:30", "CSAT", "NPS", "очно"):
        assert per_client not in section, per_client
    assert "ЦЗН Ленинского района" not in section
