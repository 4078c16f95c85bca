"""Review reminders: who is told what and when, once, and what is recorded."""

import io
import math
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article
from articles.services import article_trash
from contributions.models import ReviewReminder
from contributions.services import article_review, review_reminders_send
from notifications.models import Kind, Notification
from tests.factories import ROLE_USERS, make_article, make_articles_bulk, make_section, make_user

TODAY = date(2026, 6, 15)
Stage = ReviewReminder.Stage


def _due(days):
    """A review date ``days`` from TODAY (negative: in the past)."""
    return TODAY + timedelta(days=days)


@pytest.fixture
def owner(db):
    return make_user("owner", role=ROLE_USERS["editor"], first_name="Ольга", last_name="Иванова")


@pytest.fixture
def section(db):
    return make_section("Работа с клиентами")


def _told(user, kind=None):
    notes = Notification.objects.filter(recipient=user)
    return list(notes.filter(kind=kind) if kind else notes)


def _stages(article):
    return set(ReviewReminder.objects.filter(article=article).values_list("stage", flat=True))


# --- when the owner is told ---------------------------------------------------------


def test_owner_is_told_fourteen_days_before(owner, section):
    article = make_article(section, owner=owner, review_due=_due(14), title="Скрипт звонка")
    later = make_article(section, owner=owner, review_due=_due(15))
    run = review_reminders_send(today=TODAY)
    (note,) = _told(owner, Kind.REVIEW_DUE)
    assert "Скрипт звонка" in note.text and "14 дн." in note.text
    assert note.url == "/contributions/my/"
    assert _stages(article) == {Stage.SOON} and _stages(later) == set()
    assert (run.soon, run.overdue, run.escalated, run.people) == (1, 0, 0, 1)


def test_a_missed_day_is_caught_up_and_the_due_day_is_still_soon(owner, section):
    article = make_article(section, owner=owner, review_due=_due(0))
    review_reminders_send(today=TODAY)
    assert _stages(article) == {Stage.SOON}


def test_owner_is_told_once_the_day_after_the_date(owner, section):
    article = make_article(section, owner=owner, review_due=_due(-1), title="Памятка")
    review_reminders_send(today=TODAY)
    (note,) = _told(owner, Kind.REVIEW_DUE)
    assert "Срок проверки прошёл" in note.text and "Памятка" in note.text
    # Found late: the «soon» stage is skipped, not sent after the fact.
    assert _stages(article) == {Stage.OVERDUE}
    record = ReviewReminder.objects.get(article=article)
    assert (record.review_due, record.sent_on, record.recipients) == (_due(-1), TODAY, 1)


def test_rerun_the_same_day_and_the_next_sends_nothing_twice(owner, section):
    make_article(section, owner=owner, review_due=_due(10))
    make_article(section, owner=owner, review_due=_due(-3))
    review_reminders_send(today=TODAY)
    assert len(_told(owner)) == 1
    again = review_reminders_send(today=TODAY)
    review_reminders_send(today=TODAY + timedelta(days=1))
    assert len(_told(owner)) == 1
    assert (again.soon, again.overdue, again.notifications) == (0, 0, 0)
    assert ReviewReminder.objects.count() == 2


def test_the_whole_cycle_soon_then_overdue_then_escalation(owner, section):
    make_user("colleague", role=ROLE_USERS["editor"])
    article = make_article(section, owner=owner, review_due=_due(0))
    review_reminders_send(today=_due(-14))
    review_reminders_send(today=_due(1))
    review_reminders_send(today=_due(29))
    assert _stages(article) == {Stage.SOON, Stage.OVERDUE}
    review_reminders_send(today=_due(30))
    assert _stages(article) == {Stage.SOON, Stage.OVERDUE, Stage.ESCALATION}
    assert len(_told(owner, Kind.REVIEW_DUE)) == 2


def test_a_review_moves_the_date_and_starts_over(owner, section, settings):
    article = make_article(section, owner=owner, review_due=_due(-2))
    review_reminders_send(today=TODAY)
    article_review(article=article, by=owner)
    article.refresh_from_db()
    new_due = article.review_due
    review_reminders_send(today=new_due - timedelta(days=3))
    assert set(
        ReviewReminder.objects.filter(article=article).values_list("stage", "review_due")
    ) == {(Stage.OVERDUE, _due(-2)), (Stage.SOON, new_due)}


@pytest.mark.parametrize(
    "change",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.REVIEW},
        {"status": Article.Status.ARCHIVED},
        {"review_due": None},
    ],
)
def test_no_reminder_for_unpublished_or_undated_articles(owner, section, change):
    make_article(section, owner=owner, **{"review_due": _due(-40), **change})
    run = review_reminders_send(today=TODAY)
    assert _told(owner) == [] and ReviewReminder.objects.count() == 0
    assert run.notifications == 0


def test_no_reminder_for_a_trashed_article(owner, section):
    article = make_article(section, owner=owner, review_due=_due(-40))
    article_trash(article=article)
    review_reminders_send(today=TODAY)
    assert Notification.objects.count() == 0 and ReviewReminder.objects.count() == 0


def test_one_notification_lists_all_the_owners_articles(owner, section):
    titles = [f"Материал {i}" for i in range(13)]
    for i, title in enumerate(titles):
        make_article(section, owner=owner, review_due=_due(-1 - i % 5), title=title)
    make_article(section, owner=owner, review_due=_due(5), title="Скоро")
    run = review_reminders_send(today=TODAY)
    (note,) = _told(owner)
    assert "Скоро" in note.text and "…и ещё 3" in note.text
    assert ReviewReminder.objects.count() == 14
    assert (run.overdue, run.soon, run.notifications) == (13, 1, 1)


def test_titles_with_markup_stay_text_on_the_notification_page(owner, section, client):
    make_article(section, owner=owner, review_due=_due(-1), title="<script>alert(1)</script>")
    review_reminders_send(today=TODAY)
    client.force_login(owner)
    page = client.get("/notifications/").content.decode()
    (note,) = _told(owner)
    assert "alert(1)" in note.text and "alert(1)" in page
    assert "<script>alert(1)" not in page


# --- escalation and articles without an owner ---------------------------------------


def test_escalation_goes_to_editors_owning_articles_in_that_top_section(owner, section):
    child = make_section("Подраздел", parent=section)
    colleague = make_user("colleague", role=ROLE_USERS["editor"])
    elsewhere = make_user("elsewhere", role=ROLE_USERS["editor"])
    staff_owner = make_user("staff_owner", role=ROLE_USERS["staff"])
    make_article(child, owner=colleague, review_due=_due(100))
    make_article(section, owner=staff_owner, review_due=_due(100))
    make_article(make_section(), owner=elsewhere, review_due=_due(100))
    late = make_article(child, owner=owner, review_due=_due(-30), title="Очень старое")
    run = review_reminders_send(today=TODAY)
    (note,) = _told(colleague, Kind.REVIEW_ESCALATION)
    assert "Очень старое" in note.text and "Ольга Иванова" in note.text
    assert note.url == "/contributions/health/"
    assert _told(elsewhere) == [] and _told(staff_owner) == []
    # The owner gets their own «overdue», not the escalation.
    assert [n.kind for n in _told(owner)] == [Kind.REVIEW_DUE]
    assert _stages(late) == {Stage.OVERDUE, Stage.ESCALATION}
    assert run.escalated == 1


def test_escalation_falls_back_to_every_editor_then_administrators(owner, section):
    first = make_user("first", role=ROLE_USERS["editor"])
    second = make_user("second", role=ROLE_USERS["editor"])
    make_user("gone", role=ROLE_USERS["editor"], is_active=False)
    make_article(section, owner=owner, review_due=_due(-31))
    review_reminders_send(today=TODAY)
    escalated = Notification.objects.filter(kind=Kind.REVIEW_ESCALATION)
    assert set(escalated.values_list("recipient__username", flat=True)) == {"first", "second"}
    assert escalated.count() == 2 and first.is_active and second.is_active


def test_escalation_with_no_other_editor_goes_to_administrators(owner, section):
    admin = make_user("admin", role=ROLE_USERS["administrator"])
    make_article(section, owner=owner, review_due=_due(-31))
    review_reminders_send(today=TODAY)
    assert [n.kind for n in _told(admin)] == [Kind.REVIEW_ESCALATION]


def test_an_article_without_an_active_owner_goes_to_the_sections_editors(section):
    editor = make_user("section_editor", role=ROLE_USERS["editor"])
    make_article(section, owner=editor, review_due=_due(200))
    left = make_user("left", role=ROLE_USERS["editor"], is_active=False)
    make_article(section, owner=None, review_due=_due(7), title="Ничей материал")
    make_article(section, owner=left, review_due=_due(-2), title="Уволился")
    run = review_reminders_send(today=TODAY)
    (note,) = _told(editor, Kind.REVIEW_DUE)
    assert "без ответственного" in note.text
    assert "Ничей материал" in note.text and "Уволился" in note.text
    assert note.url == "/contributions/health/"
    assert _told(left) == []
    assert run.unowned == 2


def test_nobody_to_tell_is_counted_and_not_recorded(section):
    make_article(section, owner=None, review_due=_due(-1))
    run = review_reminders_send(today=TODAY)
    assert run.nobody == 1 and ReviewReminder.objects.count() == 0


# --- dry run, settings, the command -------------------------------------------------


def test_dry_run_counts_but_writes_nothing(owner, section):
    make_article(section, owner=owner, review_due=_due(-40))
    make_user("other_editor", role=ROLE_USERS["editor"])
    run = review_reminders_send(today=TODAY, dry_run=True)
    assert (run.overdue, run.escalated, run.people, run.notifications) == (1, 1, 2, 2)
    assert Notification.objects.count() == 0 and ReviewReminder.objects.count() == 0


def test_thresholds_are_settings(owner, section, settings):
    settings.REVIEW_REMINDER_DAYS_BEFORE = 3
    settings.REVIEW_ESCALATION_DAYS = 5
    make_user("colleague", role=ROLE_USERS["editor"])
    soon = make_article(section, owner=owner, review_due=_due(3))
    not_yet = make_article(section, owner=owner, review_due=_due(4))
    late = make_article(section, owner=owner, review_due=_due(-5))
    review_reminders_send(today=TODAY)
    assert _stages(soon) == {Stage.SOON} and _stages(not_yet) == set()
    assert _stages(late) == {Stage.OVERDUE, Stage.ESCALATION}


@pytest.mark.parametrize("name", ["REVIEW_REMINDER_DAYS_BEFORE", "REVIEW_ESCALATION_DAYS"])
@pytest.mark.parametrize("value", [0, -1, "14", None])
def test_a_bad_threshold_stops_the_run(owner, section, settings, name, value):
    setattr(settings, name, value)
    make_article(section, owner=owner, review_due=_due(-40))
    with pytest.raises(ImproperlyConfigured, match=name):
        review_reminders_send(today=TODAY)
    assert Notification.objects.count() == 0


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("REVIEW_REMINDER_DAYS_BEFORE", "0", "REVIEW_REMINDER_DAYS_BEFORE=0 must be at least 1"),
        ("REVIEW_ESCALATION_DAYS", "-5", "REVIEW_ESCALATION_DAYS=-5 must be at least 1"),
        ("REVIEW_ESCALATION_DAYS", "месяц", "REVIEW_ESCALATION_DAYS='месяц' is not an integer"),
    ],
)
def test_a_bad_threshold_in_the_environment_stops_start_up(variable, value, message):
    result = subprocess.run(
        [sys.executable, "-c", "import kb_portal.settings"],
        cwd=Path(__file__).resolve().parents[2],
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1", variable: value},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert message in result.stderr


def _command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("send_review_reminders", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_prints_a_russian_summary_for_the_given_date(owner, section):
    make_article(section, owner=owner, review_due=date(2026, 3, 1))
    out, _err = _command("--date", "2026-03-02")
    assert "Напоминания об актуализации за 02.03.2026." in out
    assert "срок проверки прошёл, материалов: 1" in out
    assert ReviewReminder.objects.get().sent_on == date(2026, 3, 2)


def test_command_dry_run_writes_nothing(owner, section):
    make_article(section, owner=owner, review_due=date(2026, 3, 1))
    out, _err = _command("--date", "2026-03-02", "--dry-run")
    assert "Пробный запуск" in out and "срок проверки прошёл, материалов: 1" in out
    assert ReviewReminder.objects.count() == 0 and Notification.objects.count() == 0


@pytest.mark.parametrize("value", ["2026-02-30", "15.06.2026", "завтра", ""])
def test_command_refuses_a_bad_date(db, value):
    with pytest.raises(CommandError, match="ГГГГ-ММ-ДД"):
        _command("--date", value)


def test_command_without_a_date_uses_today(owner, section):
    from django.utils import timezone

    make_article(section, owner=owner, review_due=timezone.localdate() - timedelta(days=1))
    out, _err = _command()
    assert timezone.localdate().strftime("%d.%m.%Y") in out
    assert ReviewReminder.objects.get().sent_on == timezone.localdate()


# --- size does not change the number of queries ------------------------------------


@pytest.mark.parametrize("size", [10, 100])
def test_query_count_does_not_grow_with_articles(db, django_assert_num_queries, size):
    owner = make_user("bulk_owner", role=ROLE_USERS["editor"])
    make_user("other_editor", role=ROLE_USERS["editor"])
    section = make_section()
    third = size // 3
    make_articles_bulk(section, third, owner=owner, review_due=_due(5))
    make_articles_bulk(section, third, owner=owner, review_due=_due(-3))
    make_articles_bulk(section, size - 2 * third, owner=owner, review_due=_due(-45))
    make_articles_bulk(section, size, owner=None, review_due=_due(-2))
    records = 3 * size - 2 * third
    # The records' insert is batched by the database's parameter limit (SQLite:
    # 999, so 166 rows of six fields per insert; PostgreSQL: one insert).
    max_params = connection.features.max_query_params
    batches = math.ceil(records / (max_params // 6)) if max_params else 1
    # articles, sent records, section editors, every editor, administrators,
    # then in one transaction (savepoints included) the records, and per
    # distinct text (owner, unowned, escalation) one notifications insert.
    with django_assert_num_queries(15 + batches):
        run = review_reminders_send(today=TODAY)
    assert run.soon + run.overdue == 2 * size
    assert run.escalated == size - 2 * third
    assert ReviewReminder.objects.count() == 3 * size - 2 * third


# --- two runs at once ---------------------------------------------------------------


@pytest.fixture
def other_run_meanwhile(monkeypatch):
    """Another run records the same reminder after this run has read what was
    sent and before it writes (the window two simultaneous runs share)."""
    from contributions import services

    original = services.SectionEditors.__init__

    def meanwhile(self, tree_ids):
        for article in Article.objects.published().filter(review_due__isnull=False):
            ReviewReminder.objects.create(
                article=article,
                stage=Stage.OVERDUE,
                review_due=article.review_due,
                sent_on=TODAY,
                recipients=1,
            )
        original(self, tree_ids)

    monkeypatch.setattr(services.SectionEditors, "__init__", meanwhile)


def test_a_simultaneous_run_loses_and_sends_nothing(owner, section, other_run_meanwhile):
    from contributions.services import ReminderRunConflict

    make_article(section, owner=None, review_due=_due(-2))
    make_article(section, owner=owner, review_due=_due(-3))
    with pytest.raises(ReminderRunConflict):
        review_reminders_send(today=TODAY)
    assert Notification.objects.count() == 0
    assert ReviewReminder.objects.count() == 2  # only the other run's


def test_the_command_says_so_in_russian(owner, section, other_run_meanwhile):
    make_article(section, owner=None, review_due=_due(-2))
    with pytest.raises(CommandError, match="Одновременно шла другая рассылка"):
        _command("--date", TODAY.isoformat())
    assert Notification.objects.count() == 0
