"""«Реализовано»: what the working group records about an implemented idea,
the input it refuses (nothing half-saved), and what the idea page shows."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article
from articles.services import article_trash
from ideas import services
from ideas.models import Decision, Idea, Implementation
from notifications.models import Notification
from tests.factories import make_article, make_user
from tests.ideas.factories import make_idea, make_voters

WHAT_CHANGED = "Ввели запись на точное время; одно окно — без записи."


def _implement(meeting, idea, by, **kwargs):
    kwargs.setdefault("changes", WHAT_CHANGED)
    kwargs.setdefault("implemented_on", timezone.localdate() - timedelta(days=3))
    kwargs.setdefault("rationale", "")
    return services.decision_record(
        meeting=meeting, idea=idea, outcome="implemented", by=by, **kwargs
    )


@pytest.fixture
def accepted(staff, meeting, working_group):
    """An idea submitted a month ago and accepted."""
    idea = make_idea(staff, title="Запись на приём на время", days_ago=30)
    services.decision_record(meeting=meeting, idea=idea, outcome="accept", by=working_group)
    return Idea.objects.get(pk=idea.pk)


@pytest.fixture
def articles(db):
    return {
        "published": make_article(title="Стандарт встречи клиента"),
        "other": make_article(title="Алгоритм регистрации"),
        "draft": make_article(title="Черновик порядка записи", status=Article.Status.DRAFT),
        "trashed": make_article(title="Старый порядок записи"),
    }


def _state(idea):
    idea.refresh_from_db()
    return (
        idea.status,
        Decision.objects.filter(idea=idea).count(),
        Implementation.objects.count(),
        Notification.objects.count(),
        idea.history.count(),
    )


def test_accepted_idea_is_implemented_with_what_changed(accepted, meeting, working_group, articles):
    day = timezone.localdate() - timedelta(days=5)
    decision = _implement(
        meeting,
        accepted,
        working_group,
        implemented_on=day,
        changed_articles=[articles["published"], articles["other"]],
    )
    accepted.refresh_from_db()
    assert accepted.status == Idea.Status.IMPLEMENTED
    assert accepted.latest_decision == decision
    implementation = accepted.implementation
    assert implementation.changes == WHAT_CHANGED
    assert implementation.implemented_on == day
    assert implementation.decision == decision
    assert implementation.recorded_by == working_group
    assert set(implementation.articles.all()) == {articles["published"], articles["other"]}
    assert implementation.history.exists()
    assert implementation.history.first().history_user == working_group


def test_idea_in_work_can_be_implemented(accepted, meeting, working_group):
    services.idea_status_set(idea=accepted, status=Idea.Status.IN_PROGRESS, by=working_group)
    _implement(meeting, accepted, working_group)
    accepted.refresh_from_db()
    assert accepted.status == Idea.Status.IMPLEMENTED
    assert accepted.implementation.articles.count() == 0  # articles are optional


@pytest.mark.parametrize("changes", ["", "   \n "])
def test_implementation_without_what_changed_is_refused(accepted, meeting, working_group, changes):
    before = _state(accepted)
    with pytest.raises(ValidationError) as caught:
        _implement(meeting, accepted, working_group, changes=changes)
    assert "Опишите, что изменено" in caught.value.message_dict["changes"][0]
    assert _state(accepted) == before


def test_implementation_without_a_date_is_refused(accepted, meeting, working_group):
    before = _state(accepted)
    with pytest.raises(ValidationError) as caught:
        _implement(meeting, accepted, working_group, implemented_on=None)
    assert caught.value.message_dict["implemented_on"] == ["Укажите дату внедрения."]
    assert _state(accepted) == before


def test_implementation_date_in_the_future_is_refused(accepted, meeting, working_group):
    before = _state(accepted)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        _implement(meeting, accepted, working_group, implemented_on=tomorrow)
    assert "не может быть в будущем" in caught.value.message_dict["implemented_on"][0]
    assert _state(accepted) == before


def test_implementation_date_before_the_idea_was_submitted_is_refused(
    accepted, meeting, working_group
):
    before = _state(accepted)
    submitted = timezone.localdate(accepted.created_at)
    with pytest.raises(ValidationError) as caught:
        _implement(meeting, accepted, working_group, implemented_on=submitted - timedelta(1))
    message = caught.value.message_dict["implemented_on"][0]
    assert "раньше подачи идеи" in message
    assert submitted.strftime("%d.%m.%Y") in message
    assert _state(accepted) == before
    # The day it was submitted is fine.
    _implement(meeting, accepted, working_group, implemented_on=submitted)
    assert Idea.objects.get(pk=accepted.pk).status == Idea.Status.IMPLEMENTED


def test_article_in_the_trash_or_a_draft_is_refused(accepted, meeting, working_group, articles):
    article_trash(article=articles["trashed"])
    trashed = Article.all_objects.get(pk=articles["trashed"].pk)
    before = _state(accepted)
    with pytest.raises(ValidationError) as caught:
        _implement(
            meeting,
            accepted,
            working_group,
            changed_articles=[articles["published"], articles["draft"], trashed],
        )
    problems = caught.value.message_dict["changed_articles"]
    assert any("«Черновик порядка записи» не опубликован" in text for text in problems)
    assert any("«Старый порядок записи» лежит в корзине" in text for text in problems)
    assert _state(accepted) == before


def test_errors_of_every_field_come_together(accepted, meeting, working_group, articles):
    with pytest.raises(ValidationError) as caught:
        _implement(
            meeting,
            accepted,
            working_group,
            changes="",
            implemented_on=timezone.localdate() + timedelta(days=30),
            changed_articles=[articles["draft"]],
            impact=5,
        )
    assert set(caught.value.message_dict) == {
        "changes",
        "implemented_on",
        "changed_articles",
        "impact",
    }


@pytest.mark.parametrize("status", ["submitted", "under_review", "rework", "rejected"])
def test_idea_not_accepted_cannot_be_marked_implemented(staff, meeting, working_group, status):
    idea = make_idea(staff, days_ago=10)
    Idea.objects.filter(pk=idea.pk).update(status=status)
    before = _state(idea)
    with pytest.raises(ValidationError) as caught:
        _implement(meeting, idea, working_group)
    message = caught.value.message_dict["outcome"][0]
    assert "только принятую идею" in message
    assert f"«{Idea.Status(status).label}»" in message
    assert _state(idea) == before


def test_idea_implemented_already_is_refused(accepted, meeting, working_group):
    _implement(meeting, accepted, working_group)
    before = _state(accepted)
    with pytest.raises(ValidationError) as caught:
        _implement(meeting, accepted, working_group, changes="Другой текст")
    assert "уже отметили реализованной" in caught.value.messages[0]
    assert _state(accepted) == before
    assert Implementation.objects.get().changes == WHAT_CHANGED


def test_other_outcomes_record_no_implementation(accepted, meeting, working_group):
    services.decision_record(
        meeting=meeting,
        idea=accepted,
        outcome="reject",
        by=working_group,
        rationale="Дорого.",
        changes="Не то поле",
        implemented_on=timezone.localdate() + timedelta(days=99),
    )
    assert Idea.objects.get(pk=accepted.pk).status == Idea.Status.REJECTED
    assert not Implementation.objects.exists()


def test_reopened_idea_implemented_again_rewrites_the_record(
    accepted, meeting, working_group, articles
):
    _implement(meeting, accepted, working_group, changed_articles=[articles["published"]])
    services.decision_record(meeting=meeting, idea=accepted, outcome="accept", by=working_group)
    _implement(meeting, accepted, working_group, changes="Вторая попытка.")
    implementation = Implementation.objects.get()
    assert implementation.changes == "Вторая попытка."
    assert implementation.articles.count() == 0
    versions = list(implementation.history.order_by("history_id").values_list("changes", flat=True))
    assert WHAT_CHANGED in versions
    assert versions[-1] == "Вторая попытка."


def test_author_and_voters_are_told_what_changed(accepted, meeting, working_group, staff):
    voters = make_voters(accepted, 2)
    Notification.objects.all().delete()
    _implement(meeting, accepted, working_group)
    told = Notification.objects.filter(text__contains="реализована")
    assert {n.recipient_id for n in told} == {staff.pk, *(v.pk for v in voters)}
    assert all(WHAT_CHANGED in n.text for n in told)


# --- The decision form ----------------------------------------------------------------


def _decide_url(meeting, idea):
    return f"/ideas/review/meetings/{meeting.pk}/ideas/{idea.pk}/"


def test_form_records_implementation_from_article_addresses(wg_client, accepted, meeting, articles):
    day = timezone.localdate() - timedelta(days=2)
    response = wg_client.post(
        _decide_url(meeting, accepted),
        {
            "outcome": "implemented",
            "changes": WHAT_CHANGED,
            "implemented_on": day.strftime("%d.%m.%Y"),
            "changed_articles": f"http://testserver{articles['published'].get_absolute_url()}\n"
            f"  \n{articles['other'].get_absolute_url()}",
        },
    )
    assert response.status_code == 302
    implementation = Implementation.objects.get(idea=accepted)
    assert implementation.implemented_on == day
    assert set(implementation.articles.all()) == {articles["published"], articles["other"]}


def test_form_shows_each_refusal_on_its_field(wg_client, accepted, meeting):
    response = wg_client.post(
        _decide_url(meeting, accepted),
        {
            "outcome": "implemented",
            "changes": "",
            "implemented_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Опишите, что изменено" in errors["changes"][0]
    assert "в будущем" in errors["implemented_on"][0]
    assert Idea.objects.get(pk=accepted.pk).status == Idea.Status.ACCEPTED
    assert not Implementation.objects.exists()


@pytest.mark.parametrize(
    ("name", "message"), [("draft", "не опубликован"), ("trashed", "лежит в корзине")]
)
def test_form_refuses_an_address_of_a_draft_or_trashed_article(
    wg_client, accepted, meeting, articles, name, message
):
    url = articles[name].get_absolute_url()
    if name == "trashed":
        article_trash(article=articles[name])
    response = wg_client.post(
        _decide_url(meeting, accepted),
        {
            "outcome": "implemented",
            "changes": WHAT_CHANGED,
            "implemented_on": timezone.localdate().isoformat(),
            "changed_articles": url,
        },
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors["changed_articles"][0]
    assert not Decision.objects.filter(outcome="implemented").exists()


def test_form_tells_why_an_idea_not_accepted_cannot_be_implemented(wg_client, idea, meeting):
    response = wg_client.post(
        _decide_url(meeting, idea),
        {
            "outcome": "implemented",
            "changes": WHAT_CHANGED,
            "implemented_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "только принятую идею" in response.context["form"].errors["outcome"][0]
    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.SUBMITTED


def test_decision_page_opens_on_implemented_with_the_ideas_articles(
    wg_client, staff, meeting, working_group, articles
):
    idea = make_idea(staff, articles=[articles["published"]], days_ago=5)
    services.decision_record(meeting=meeting, idea=idea, outcome="accept", by=working_group)
    response = wg_client.get(f"{_decide_url(meeting, idea)}?outcome=implemented")
    form = response.context["form"]
    assert form.initial["outcome"] == "implemented"
    assert form.initial["changed_articles"] == articles["published"].get_absolute_url()
    page = response.content.decode()
    assert 'value="implemented" id="id_outcome_4" required checked' in page
    assert f'max="{timezone.localdate().isoformat()}"' in page


@pytest.mark.parametrize("outcome", ["", "nonsense", "IMPLEMENTED", "implemented "])
def test_decision_page_ignores_an_unknown_outcome(wg_client, idea, meeting, outcome):
    response = wg_client.get(_decide_url(meeting, idea), {"outcome": outcome})
    assert response.status_code == 200
    assert "outcome" not in response.context["form"].initial
    assert "changed_articles" not in response.context["form"].initial  # not accepted


def test_reviewer_is_offered_to_mark_an_accepted_idea_implemented(
    wg_client, staff_client, accepted, meeting
):
    page = wg_client.get(accepted.get_absolute_url()).content.decode()
    link = f"{_decide_url(meeting, accepted)}?outcome=implemented#implementation"
    assert link in page
    assert link not in staff_client.get(accepted.get_absolute_url()).content.decode()


def test_reviewer_is_not_offered_it_for_an_idea_not_accepted(wg_client, idea, meeting):
    page = wg_client.get(idea.get_absolute_url()).content.decode()
    assert "outcome=implemented" not in page


def test_implemented_without_a_record_shows_no_block(staff_client, staff):
    """Ideas implemented before the record existed (old demo data) still open."""
    idea = make_idea(staff)
    Idea.objects.filter(pk=idea.pk).update(status=Idea.Status.IMPLEMENTED)
    response = staff_client.get(idea.get_absolute_url())
    assert response.status_code == 200
    assert 'id="implementation"' not in response.content.decode()


def test_someone_else_on_staff_cannot_post_an_implementation(accepted, meeting, client_for):
    client = client_for(make_user())
    response = client.post(
        _decide_url(meeting, accepted),
        {"outcome": "implemented", "changes": "x", "implemented_on": "2026-01-01"},
    )
    assert response.status_code == 403
    assert not Implementation.objects.exists()


def test_form_shows_every_refusal_at_once(wg_client, accepted, meeting):
    """An unknown article address does not hide the missing text and the bad date."""
    response = wg_client.post(
        _decide_url(meeting, accepted),
        {
            "outcome": "implemented",
            "changes": " ",
            "implemented_on": (timezone.localdate(accepted.created_at) - timedelta(1)).isoformat(),
            "changed_articles": "/kb/net/takogo/",
        },
    )
    errors = response.context["form"].errors
    assert set(errors) == {"changes", "implemented_on", "changed_articles"}
    assert "раньше подачи идеи" in errors["implemented_on"][0]
    assert not Implementation.objects.exists()


def test_other_decisions_ignore_the_implementation_fields_on_the_form(wg_client, idea, meeting):
    response = wg_client.post(
        _decide_url(meeting, idea),
        {"outcome": "accept", "changed_articles": "не адрес", "implemented_on": "2999-01-01"},
    )
    assert response.status_code == 302
    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.ACCEPTED
    assert not Implementation.objects.exists()


def test_minutes_say_what_changed_with_the_implemented_decision(
    client_for, staff, meeting, working_group, accepted
):
    """The minutes (page, XLSX, CSV) carry the implementation recorded with
    «реализовано»: what changed and when; the other decisions have none."""
    import csv
    import io

    from openpyxl import load_workbook

    day = timezone.localdate() - timedelta(days=3)
    other = make_idea(staff, title="Ещё одна идея")
    services.decision_record(
        meeting=meeting, idea=other, outcome="reject", by=working_group, rationale="Дубль."
    )
    _implement(meeting, accepted, working_group, implemented_on=day)
    client = client_for(working_group)
    base = f"/ideas/review/meetings/{meeting.pk}"
    page = client.get(f"{base}/print/").content.decode()
    assert WHAT_CHANGED in page
    rows = list(load_workbook(io.BytesIO(client.get(f"{base}/minutes.xlsx").content)).active.values)
    header = next(row for row in rows if row and row[0] == "Идея №")
    changes, on = header.index("Что изменено"), header.index("Дата внедрения")
    by_idea = {row[0]: row for row in rows[rows.index(header) + 1 :]}
    assert by_idea[accepted.pk][changes] == WHAT_CHANGED
    assert by_idea[accepted.pk][on] == day.strftime("%d.%m.%Y")
    assert by_idea[other.pk][changes] is None
    text = client.get(f"{base}/minutes.csv").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    implemented = [line for line in lines if line and line[0] == str(accepted.pk)]
    assert [line[-2:] for line in implemented] == [
        ["", ""],
        [WHAT_CHANGED, day.strftime("%d.%m.%Y")],
    ]
