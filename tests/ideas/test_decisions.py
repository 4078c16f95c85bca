"""Decisions of a meeting: what each outcome does, the rules on reasons and
scores, and who hears about it (on the site and by e-mail)."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from ideas import services
from ideas.models import Decision, Idea
from notifications.models import Notification
from tests.ideas.factories import make_idea, make_voters


def _decide(meeting, idea, by, **kwargs):
    kwargs.setdefault("rationale", "")
    return services.decision_record(meeting=meeting, idea=idea, by=by, **kwargs)


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        ("accept", "accepted"),
        ("reject", "rejected"),
        ("rework", "rework"),
    ],
)
def test_outcome_sets_status(meeting, idea, working_group, outcome, status):
    decision = _decide(meeting, idea, working_group, outcome=outcome, rationale="Потому что.")
    idea.refresh_from_db()
    assert idea.status == status
    assert idea.latest_decision == decision
    assert idea.first_reviewed_at is not None
    assert idea.decided_at is not None


def test_rejection_without_reasons_is_refused(meeting, idea, working_group):
    with pytest.raises(ValidationError) as caught:
        _decide(meeting, idea, working_group, outcome="reject", rationale="   ")
    assert "Укажите причины" in caught.value.message_dict["rationale"][0]
    idea.refresh_from_db()
    assert idea.status == Idea.Status.SUBMITTED
    assert not Decision.objects.exists()
    assert not Notification.objects.exists()


def test_partial_ice_scores_are_refused(meeting, idea, working_group):
    with pytest.raises(ValidationError, match="все три оценки"):
        _decide(meeting, idea, working_group, outcome="accept", impact=5)
    assert not Decision.objects.exists()


def test_ice_scores_are_kept_on_the_idea(meeting, idea, working_group):
    _decide(meeting, idea, working_group, outcome="accept", impact=5, confidence=4, ease=3)
    idea.refresh_from_db()
    assert idea.ice_score == 60


def test_due_date_before_meeting_is_refused(meeting, idea, working_group):
    with pytest.raises(ValidationError, match="раньше даты заседания"):
        _decide(
            meeting, idea, working_group, outcome="accept", due_date=meeting.held_on - timedelta(1)
        )
    assert not Decision.objects.exists()


def test_duplicate_outcome_needs_original_and_merges(meeting, idea, working_group, colleague):
    with pytest.raises(ValidationError, match="номер исходной идеи"):
        _decide(meeting, idea, working_group, outcome="duplicate")
    original = make_idea(colleague, title="Исходная")
    decision = _decide(meeting, idea, working_group, outcome="duplicate", duplicate_of=original)
    idea.refresh_from_db()
    assert idea.status == Idea.Status.DUPLICATE
    assert idea.duplicate_of == original
    assert decision.merged_into == original
    assert idea.latest_decision == decision


def test_author_and_voters_are_notified_with_reasons(meeting, idea, working_group, staff):
    voters = make_voters(idea, 3)
    services.idea_vote_cast(idea=idea, user=working_group)
    _decide(meeting, idea, working_group, outcome="reject", rationale="Нет бюджета на 2026 год.")
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {staff.pk, *(v.pk for v in voters)}  # the one who recorded it is not told
    text = Notification.objects.filter(recipient=staff).get().text
    assert "отклонена" in text
    assert "Нет бюджета на 2026 год." in text


def test_email_goes_out_after_commit_when_configured(
    settings, meeting, idea, working_group, staff, django_capture_on_commit_callbacks
):
    settings.EMAIL_HOST = "mail.example.ru"
    settings.PORTAL_URL = "https://kb.szn.local/"
    staff.email = "anna@example.ru"
    staff.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _decide(meeting, idea, working_group, outcome="accept", rationale="Полезно.")
    assert mail.outbox == []  # nothing is sent before the commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna@example.ru"]
    assert "Полезно." in mail.outbox[0].body
    assert f"https://kb.szn.local/ideas/{idea.pk}/" in mail.outbox[0].body


def test_no_email_without_mail_server(meeting, idea, working_group, staff, settings):
    settings.EMAIL_HOST = ""
    staff.email = "anna@example.ru"
    staff.save()
    _decide(meeting, idea, working_group, outcome="accept")
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=staff).exists()


def test_mail_server_failure_is_logged_not_raised(
    settings,
    meeting,
    idea,
    working_group,
    staff,
    monkeypatch,
    caplog,
    django_capture_on_commit_callbacks,
):
    settings.EMAIL_HOST = "mail.example.ru"
    staff.email = "anna@example.ru"
    staff.save()

    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("notifications.services.send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        _decide(meeting, idea, working_group, outcome="accept")
    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.ACCEPTED
    assert "could not send" in caplog.text


def test_rework_gives_the_idea_back_to_its_author(meeting, idea, working_group, staff):
    services.idea_status_set(idea=idea, status="under_review", by=working_group)
    idea.refresh_from_db()
    assert not idea.can_be_edited_by(staff)
    _decide(meeting, idea, working_group, outcome="rework", rationale="Уточните, какие ЦЗН.")
    idea.refresh_from_db()
    assert idea.can_be_edited_by(staff)


def test_decision_on_merged_idea_is_refused(meeting, idea, working_group, colleague):
    original = make_idea(colleague)
    services.idea_merge(duplicate=idea, original=original, by=working_group)
    with pytest.raises(ValidationError, match="решения по ней больше не принимаются"):
        _decide(meeting, Idea.objects.get(pk=idea.pk), working_group, outcome="accept")


def test_status_set_allows_only_take_up_and_start_of_work(idea, working_group):
    with pytest.raises(ValidationError, match="нельзя перевести"):
        services.idea_status_set(idea=idea, status="implemented", by=working_group)
    services.idea_status_set(idea=idea, status="under_review", by=working_group)
    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.UNDER_REVIEW


# --- The decision page -------------------------------------------------------------------


def _url(meeting, idea):
    return f"/ideas/review/meetings/{meeting.pk}/ideas/{idea.pk}/"


def test_decision_page_records_a_decision(wg_client, meeting, idea, working_group):
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = wg_client.post(
        _url(meeting, idea),
        {
            "outcome": "accept",
            "rationale": "Поддерживаем.",
            "responsible": working_group.pk,
            "due_date": due,
            "impact": "7",
            "confidence": "6",
            "ease": "5",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    decision = Decision.objects.get()
    assert (decision.outcome, decision.responsible, decision.ice_score) == (
        "accept",
        working_group,
        210,
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Выберите решение."),
        ({"outcome": "reject"}, "Укажите причины"),
        ({"outcome": "approve"}, "Выберите решение из списка."),
        ({"outcome": "accept", "impact": "11", "confidence": "5", "ease": "5"}, "от 1 до 10"),
        ({"outcome": "accept", "impact": "5"}, "все три оценки"),
        ({"outcome": "duplicate"}, "укажите номер исходной идеи"),
        ({"outcome": "accept", "rationale": "я" * 4001}, "не больше 4000 символов"),
        ({"outcome": "accept", "due_date": "завтра"}, "Дата в формате"),
    ],
)
def test_bad_decision_shows_russian_error_and_saves_nothing(
    wg_client, meeting, idea, data, message
):
    response = wg_client.post(_url(meeting, idea), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Decision.objects.exists()
    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.SUBMITTED


def test_decision_lookup_by_number(wg_client, meeting, idea):
    response = wg_client.get(f"/ideas/review/meetings/{meeting.pk}/decide/?idea={idea.pk}")
    assert response["Location"] == _url(meeting, idea)
    response = wg_client.get(f"/ideas/review/meetings/{meeting.pk}/decide/?idea=abc", follow=True)
    assert "Идеи с таким номером нет." in response.content.decode()
