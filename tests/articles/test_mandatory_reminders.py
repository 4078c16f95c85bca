"""``manage.py send_mandatory_reminders``: 7 days and 1 day before a
document's deadline, the people of its audience who have not read it are
reminded, once — a re-run sends nothing twice, a missed day is caught up, a
new deadline or a new round starts over."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.utils import timezone

from articles import services
from articles.models import Acknowledgement, Article, MandatoryReminder
from articles.services import (
    MandatoryReminderConflict,
    mandatory_reminders_send,
    reminder_stage,
)
from notifications.models import Kind, Notification
from tests.articles.reading import mandatory_article, person, reack, region, spec

TODAY = timezone.localdate()


@pytest.fixture
def world(db):
    offices = region()
    people = {
        "anna": person("anna", office=offices["n1"], position="консультант"),
        "boris": person("boris", office=offices["n2"], position="консультант"),
        "vera": person("vera", office=offices["s1"], position="психолог"),
    }
    article = mandatory_article(
        title="Стандарт приёма",
        audience=spec(positions=["консультант"]),
        deadline=TODAY + timedelta(days=7),
    )
    Notification.objects.all().delete()  # what becoming mandatory said
    return people, article


def _reminded():
    return sorted(n.recipient.username for n in Notification.objects.filter(kind=Kind.MANDATORY))


@pytest.mark.parametrize(
    ("days_left", "stage"),
    [(8, None), (7, "week"), (3, "week"), (2, "week"), (1, "day"), (0, "day"), (-1, None)],
)
def test_the_stage_due_on_each_day(days_left, stage):
    assert reminder_stage(deadline=TODAY + timedelta(days=days_left), today=TODAY) == stage


def test_seven_days_before_those_who_have_not_read_it_are_reminded(world):
    people, article = world
    Acknowledgement.objects.create(article=article, user=people["boris"], article_version=1)
    run = mandatory_reminders_send(today=TODAY)
    assert (run.documents, run.people, run.notifications) == (1, 1, 1)
    assert _reminded() == ["anna"]  # boris has read it; vera is not in the audience
    notice = Notification.objects.get()
    assert "до" in notice.text and "«Стандарт приёма»" in notice.text
    assert notice.url == article.get_absolute_url()
    record = MandatoryReminder.objects.get()
    assert (record.stage, record.deadline, record.recipients) == (
        "week",
        article.mandatory_deadline,
        1,
    )


def test_running_again_sends_nothing_twice(world):
    mandatory_reminders_send(today=TODAY)
    assert mandatory_reminders_send(today=TODAY).documents == 0
    assert mandatory_reminders_send(today=TODAY + timedelta(days=2)).documents == 0
    assert _reminded() == ["anna", "boris"]
    # The day before the deadline: the second reminder, once.
    assert mandatory_reminders_send(today=TODAY + timedelta(days=6)).documents == 1
    assert mandatory_reminders_send(today=TODAY + timedelta(days=6)).documents == 0
    assert Notification.objects.count() == 4


def test_a_missed_day_is_caught_up(world):
    assert mandatory_reminders_send(today=TODAY + timedelta(days=3)).documents == 1
    assert MandatoryReminder.objects.get().stage == "week"


def test_a_new_deadline_starts_the_reminders_over(world):
    _people, article = world
    mandatory_reminders_send(today=TODAY)
    Article.all_objects.filter(pk=article.pk).update(mandatory_deadline=TODAY + timedelta(days=5))
    assert mandatory_reminders_send(today=TODAY).documents == 1


def test_a_new_round_starts_the_reminders_over(world):
    people, article = world
    Acknowledgement.objects.create(article=article, user=people["anna"], article_version=1)
    mandatory_reminders_send(today=TODAY)
    assert _reminded() == ["boris"]
    reack(article)
    Notification.objects.all().delete()
    assert mandatory_reminders_send(today=TODAY).documents == 1
    assert _reminded() == ["anna", "boris"]  # anna's mark is for the old version


def test_one_notification_per_person_lists_their_documents(world):
    people, _article = world
    mandatory_article(title="Кодекс", deadline=TODAY + timedelta(days=6))
    Notification.objects.all().delete()
    run = mandatory_reminders_send(today=TODAY)
    assert (run.documents, run.people) == (2, 3)  # anna, boris, vera: nobody twice
    anna = Notification.objects.get(recipient=people["anna"])
    assert "«Стандарт приёма»" in anna.text and "«Кодекс»" in anna.text
    assert anna.url == "/mandatory/?unread=1"
    assert "«Стандарт приёма»" not in Notification.objects.get(recipient=people["vera"]).text


def test_drafts_documents_without_deadline_and_past_deadlines_are_left_alone(world):
    _people, article = world
    mandatory_article(title="Без срока")
    past = mandatory_article(title="Прошёл", deadline=TODAY + timedelta(days=7))
    Article.all_objects.filter(pk=past.pk).update(mandatory_deadline=TODAY - timedelta(days=1))
    Article.all_objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    assert mandatory_reminders_send(today=TODAY).documents == 0


def test_dry_run_counts_and_records_nothing(world):
    run = mandatory_reminders_send(today=TODAY, dry_run=True)
    assert (run.documents, run.people) == (1, 2)
    assert not MandatoryReminder.objects.exists()
    assert not Notification.objects.exists()


def test_a_simultaneous_run_sends_nothing(world, monkeypatch):
    real = services.MandatoryReminder.objects.bulk_create

    def raced(records, **kwargs):
        raise IntegrityError("one_mandatory_reminder_per_stage")

    monkeypatch.setattr(services.MandatoryReminder.objects, "bulk_create", raced)
    with pytest.raises(MandatoryReminderConflict):
        mandatory_reminders_send(today=TODAY)
    monkeypatch.setattr(services.MandatoryReminder.objects, "bulk_create", real)
    assert not Notification.objects.exists()


def test_the_record_is_unique(world):
    mandatory_reminders_send(today=TODAY)
    record = MandatoryReminder.objects.get()
    record.pk = None
    with pytest.raises(IntegrityError):
        record.save()


def test_the_command_reports_in_russian(world):
    out = StringIO()
    call_command("send_mandatory_reminders", "--date", TODAY.isoformat(), stdout=out)
    text = out.getvalue()
    assert f"Напоминания об обязательных документах за {TODAY:%d.%m.%Y}." in text
    assert "документов, по которым напомнили: 1" in text
    assert "получателей: 2" in text
    out = StringIO()
    call_command("send_mandatory_reminders", "--dry-run", stdout=out)
    assert "Пробный запуск" in out.getvalue()


def test_the_command_refuses_a_wrong_date(world):
    with pytest.raises(CommandError, match="ГГГГ-ММ-ДД"):
        call_command("send_mandatory_reminders", "--date", "12.03.2026", stdout=StringIO())


def test_reminders_go_in_batches(world, monkeypatch):
    monkeypatch.setattr(services, "NOTIFY_BATCH", 1)
    calls = []
    real = services.notification_send

    def counted(**kwargs):
        calls.append(len(kwargs["recipients"]))
        return real(**kwargs)

    monkeypatch.setattr(services, "notification_send", counted)
    mandatory_reminders_send(today=TODAY)
    assert calls == [1, 1]
