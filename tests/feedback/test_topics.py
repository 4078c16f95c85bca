"""Comment topics: matching through the search analysis, tagging on import,
re-applying after a change of the dictionary, masking on import."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from feedback.models import FeedbackResponse, ImportBatch, RejectedRow, ResponseTopic, Topic
from feedback.services import batch_rollback
from feedback.topics import TopicMatcher, comment_terms, text_terms, topics_reapply, words_errors
from tests.feedback.factories import csv_bytes, feedback_row, import_file


def topics_of(text, *phrases):
    matcher = TopicMatcher([(1, phrases)])
    return bool(matcher.match(text_terms(text)))


@pytest.mark.parametrize(
    "text",
    [
        "Долго ждала в очереди",
        "Очередь огромная",
        "стояла в очередях",
        "Электронная очередь не работает, очередью недовольна",
    ],
)
def test_word_forms_match_by_stem(text):
    assert topics_of(text, "очередь")


def test_yo_and_ye_are_one_letter():
    assert topics_of("Записалась на прием", "приём")
    assert topics_of("Записалась на приём", "прием")
    assert topics_of("Ещё раз спасибо", "еще")


def test_phrase_needs_its_words_in_order_stop_words_skipped():
    assert topics_of("Не смог зайти на портал Работа России", "Работа России")
    assert topics_of("портал «Работа в России»", "Работа России")  # «в» is a stop word
    assert not topics_of("Россия большая, работа есть", "Работа России")


def test_unrelated_words_do_not_match():
    assert not topics_of("Всё понятно объяснили", "очередь", "вежливый")
    assert not topics_of("При входе темно", "приём")  # «при» is a stop word, not «приём»


def test_masking_markers_are_not_words():
    # «[телефон]» replaced a number: it must not tag «Телефон и связь».
    assert not topics_of("звоните [телефон]", "телефон")


def test_a_topic_without_words_is_refused_in_russian(db):
    topic = Topic(name="Пустая", words="  \n \n")
    with pytest.raises(ValidationError) as error:
        topic.full_clean()
    assert "Укажите хотя бы одно слово" in str(error.value)
    assert words_errors("и\nна") and "нет значимых слов" in words_errors("и\nна")[0]
    assert words_errors("очередь\nдолго ждать") == []


def test_default_dictionary_is_seeded(db):
    names = set(Topic.objects.values_list("name", flat=True))
    assert {"Очередь и ожидание", "Вежливость и отношение", "Запись на приём"} <= names
    assert "Портал «Работа России»" in names and "Выплаты и пособия" in names
    assert "Доступность для людей с инвалидностью" in names
    for topic in Topic.objects.all():
        assert words_errors(topic.words) == [], topic.name


def _import(*comments, office, **values):
    rows = [feedback_row(office=office.title, comment=comment, **values) for comment in comments]
    batch = import_file(csv_bytes(rows))
    assert batch.status == ImportBatch.Status.IMPORTED, batch.error
    return batch


def _topics(comment):
    response = FeedbackResponse.objects.get(comment=comment)
    return set(
        ResponseTopic.objects.filter(response=response).values_list("topic__name", flat=True)
    )


def test_import_masks_analyses_and_tags(office):
    _import(
        "Меня зовут Анна Петрова, ждала в очереди час, тел. 8-917-123-45-67",
        "Грубый специалист",
        "Кабинет 305",
        office=office,
        csat="1",
    )
    stored = FeedbackResponse.objects.get(comment__startswith="Меня зовут")
    assert stored.comment == "Меня зовут [имя], ждала в очереди час, тел. [телефон]"
    assert "Петров" not in stored.comment_terms and "917" not in stored.comment_terms
    assert " очеред " in stored.comment_terms
    assert _topics(stored.comment) == {"Очередь и ожидание"}
    assert _topics("Грубый специалист") == {"Вежливость и отношение"}
    assert _topics("Кабинет 305") == set()
    link = ResponseTopic.objects.filter(response=stored).get()
    assert (link.month, link.office_id, link.negative) == (stored.month, office.pk, True)


def test_rejected_rows_keep_no_raw_comment(office):
    rows = [feedback_row(office=office.title, csat="9", comment="мой номер +7 917 123 45 67")]
    batch = import_file(csv_bytes(rows), confirm=False)
    assert batch.rows_rejected == 1
    values = RejectedRow.objects.get(batch=batch).values
    assert "мой номер [телефон]" in values and not any("917" in str(v) for v in values)


def test_reapply_after_a_change_of_words(office):
    _import("Долго не могли дозвониться", "Стулья сломаны", office=office)
    queue = Topic.objects.get(name="Очередь и ожидание")
    assert "Очередь и ожидание" in _topics("Долго не могли дозвониться")  # «долго»
    queue.words = "очередь\nждать"
    queue.save()
    topics_reapply(topic_ids=[queue.pk])
    assert "Очередь и ожидание" not in _topics("Долго не могли дозвониться")
    assert "Телефон и связь" in _topics("Долго не могли дозвониться")  # untouched
    queue.is_active = False
    queue.words = "стулья"
    queue.save()
    topics_reapply(topic_ids=[queue.pk])
    assert not ResponseTopic.objects.filter(topic=queue).exists()
    queue.is_active = True
    queue.save()
    call_command("topics_reapply", stdout=__import__("io").StringIO())
    assert "Очередь и ожидание" in _topics("Стулья сломаны")


def test_rollback_removes_the_links(office):
    batch = _import("Долго ждала", office=office)
    assert ResponseTopic.objects.exists()
    batch_rollback(batch=batch, user=None)
    assert not ResponseTopic.objects.exists()


def test_comment_terms_have_spaces_at_both_ends():
    assert comment_terms("Очередь, ЦЗН!") == " очеред цзнъ цзн "
    assert comment_terms("и на") == ""
