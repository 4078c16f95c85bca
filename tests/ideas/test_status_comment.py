"""The working group's comment on a status change: kept whole, however long,
while simple-history's change reason (a varchar(100)) gets a short label.

These run on SQLite and on PostgreSQL (DATABASE_URL=postgres://…). Only
PostgreSQL enforces varchar lengths, so only there did a long comment answer
500; SQLite shows that the whole text is kept and the label fits."""

import pytest

from ideas import services
from ideas.models import Idea
from ideas.services import HISTORY_REASON_MAX, history_label
from notifications.models import Notification

LONG = ("Нужно согласовать с ЦЗН Заречного района. " * 100)[:3980] + " Итог: берём."


def _latest_history(idea):
    return Idea.history.filter(id=idea.pk).order_by("-history_date", "-history_id").first()


def test_long_comment_through_the_page_is_kept_whole(wg_client, idea, staff):
    response = wg_client.post(
        f"/ideas/{idea.pk}/status/", {"status": "under_review", "reason": LONG}
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == Idea.Status.UNDER_REVIEW
    assert idea.status_comment == LONG.strip()
    record = _latest_history(idea)
    assert record.status_comment == LONG.strip()
    assert len(record.history_change_reason) <= HISTORY_REASON_MAX
    assert record.history_change_reason.endswith("…")
    assert LONG.strip() in Notification.objects.get(recipient=staff).text


def test_status_history_shows_the_whole_comment(wg_client, idea):
    wg_client.post(f"/ideas/{idea.pk}/status/", {"status": "under_review", "reason": LONG})
    response = wg_client.get(idea.get_absolute_url())
    html = response.content.decode()
    # The end too, not just the label: in the idea's header and in the history.
    assert html.count(" Итог: берём.") == 2


def test_start_of_work_with_long_comment(wg_client, idea, meeting, working_group):
    services.decision_record(meeting=meeting, idea=idea, outcome="accept", by=working_group)
    response = wg_client.post(
        f"/ideas/{idea.pk}/status/", {"status": "in_progress", "reason": LONG}
    )
    assert response.status_code == 302
    assert Idea.objects.get(pk=idea.pk).status_comment == LONG.strip()


def test_comment_over_the_limit_is_refused_and_nothing_changes(wg_client, idea):
    response = wg_client.post(
        f"/ideas/{idea.pk}/status/",
        {"status": "under_review", "reason": "я" * 4001},
        follow=True,
    )
    assert response.status_code == 200
    assert "не больше 4000 символов" in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == Idea.Status.SUBMITTED
    assert idea.history.count() == 1


def test_service_refuses_a_comment_over_the_limit(idea, working_group):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="не больше 4000 символов"):
        services.idea_status_set(
            idea=idea, status="under_review", by=working_group, reason="я" * 4001
        )
    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.SUBMITTED


def test_a_decision_clears_the_earlier_status_comment(idea, meeting, working_group):
    services.idea_status_set(idea=idea, status="under_review", by=working_group, reason="Берём.")
    services.decision_record(
        meeting=meeting, idea=idea, outcome="reject", by=working_group, rationale="Нет бюджета."
    )
    assert Idea.objects.get(pk=idea.pk).status_comment == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Берём", "Берём"),
        ("две\nстроки\t и  пробелы", "две строки и пробелы"),
        ("я" * 100, "я" * 100),
        ("я" * 101, "я" * 99 + "…"),
    ],
)
def test_history_label_is_one_line_that_fits_the_column(text, expected):
    assert history_label(text) == expected
    assert len(history_label(text)) <= HISTORY_REASON_MAX


def test_the_label_column_is_the_one_simple_history_makes():
    # If simple-history ever widens it, the labels may grow with it.
    field = Idea.history.model._meta.get_field("history_change_reason")
    assert field.max_length == HISTORY_REASON_MAX == 100
