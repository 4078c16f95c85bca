"""The list: sorting, filters (office with its sub-offices, status, tag) and rows."""

import pytest

from ideas import services
from ideas.models import Idea
from people.models import Office, Profile
from tests.factories import ROLE_USERS, make_user
from tests.ideas.factories import make_idea, make_meeting, make_voters


def _titles(response):
    return [idea.title for idea in response.context["page"]]


@pytest.fixture
def offices(db):
    region = Office.objects.create(title="Управляющий центр", code="uc", kind="center")
    dept = Office.objects.create(
        title="Отдел Север", code="sever", kind="department", parent=region
    )
    job = Office.objects.create(title="ЦЗН Северный", code="czn-s", kind="job_centre", parent=dept)
    other = Office.objects.create(title="Отдел Юг", code="jug", kind="department", parent=region)
    return {"region": region, "dept": dept, "job": job, "other": other}


def _author_in(office):
    user = make_user(role=ROLE_USERS["staff"])
    Profile.objects.create(user=user, office=office)
    return user


def test_sort_by_votes_newest_and_recently_decided(staff_client, working_group):
    older = make_idea(title="Старая", days_ago=5)
    popular = make_idea(title="Популярная", days_ago=3)
    newest = make_idea(title="Новая")
    make_voters(popular, 2)
    make_voters(older, 1)
    meeting = make_meeting(working_group)
    services.decision_record(meeting=meeting, idea=older, outcome="accept", by=working_group)
    assert _titles(staff_client.get("/ideas/")) == ["Популярная", "Старая", "Новая"]
    assert _titles(staff_client.get("/ideas/?sort=new")) == ["Новая", "Популярная", "Старая"]
    assert _titles(staff_client.get("/ideas/?sort=decided"))[0] == "Старая"
    assert newest.pk


def test_office_filter_includes_sub_offices(staff_client, offices):
    make_idea(_author_in(offices["job"]), title="Из ЦЗН")
    make_idea(_author_in(offices["dept"]), title="Из отдела")
    make_idea(_author_in(offices["other"]), title="С юга")
    titles = _titles(staff_client.get(f"/ideas/?office={offices['dept'].pk}"))
    assert sorted(titles) == ["Из ЦЗН", "Из отдела"]
    assert len(_titles(staff_client.get(f"/ideas/?office={offices['region'].pk}"))) == 3
    # An unknown office is ignored rather than an error.
    assert len(_titles(staff_client.get("/ideas/?office=abc"))) == 3


def test_status_and_tag_filters(staff_client, working_group):
    tagged = make_idea(title="С меткой", tags=["ожидание"])
    make_idea(title="Без метки")
    assert _titles(staff_client.get(f"/ideas/?tag={tagged.tags.get().slug}")) == ["С меткой"]
    services.idea_status_set(idea=tagged, status="under_review", by=working_group)
    assert _titles(staff_client.get("/ideas/?status=under_review")) == ["С меткой"]
    assert _titles(staff_client.get("/ideas/?status=nonsense&sort=nonsense")) != []


def test_duplicates_are_hidden_unless_asked_for(staff_client, working_group):
    original = make_idea(title="Оригинал")
    duplicate = make_idea(title="Дубль")
    services.idea_merge(duplicate=duplicate, original=original, by=working_group)
    assert _titles(staff_client.get("/ideas/")) == ["Оригинал"]
    assert _titles(staff_client.get("/ideas/?status=duplicate")) == ["Дубль"]


def test_row_shows_status_votes_comments_age_and_decision(staff_client, working_group, colleague):
    idea = make_idea(colleague, title="Табличка с именем", days_ago=3)
    make_voters(idea, 2)
    services.comment_add(idea=idea, author=colleague, text="Да")
    meeting = make_meeting(working_group)
    services.decision_record(
        meeting=meeting,
        idea=idea,
        outcome="reject",
        by=working_group,
        rationale="Таблички уже заказаны централизованно.\nВторая строка.",
    )
    html = staff_client.get("/ideas/").content.decode()
    assert "отклонена" in html
    assert "Отклонить: Таблички уже заказаны централизованно." in html
    assert "Вторая строка." not in html
    row = staff_client.get("/ideas/").context["page"][0]
    assert (row.vote_count, row.comment_count) == (2, 1)


def test_pagination(staff_client, staff):
    from tests.ideas.factories import bulk_ideas

    bulk_ideas(staff, 45)
    response = staff_client.get("/ideas/?page=3")
    assert len(response.context["page"]) == 5
    assert "Страница 3 из 3" in response.content.decode()


def test_list_marks_what_i_voted_for(client_for, colleague, idea):
    services.idea_vote_cast(idea=idea, user=colleague)
    html = client_for(colleague).get("/ideas/").content.decode()
    assert "Отозвать голос" in html
    assert Idea.objects.get(pk=idea.pk).vote_count == 1


def test_new_tag_appears_in_the_filter_at_once(
    staff_client, staff, django_capture_on_commit_callbacks
):
    make_idea(staff, tags=["ожидание"])
    assert "ожидание" in staff_client.get("/ideas/").content.decode()  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        make_idea(staff, tags=["навигация"])
    assert "навигация" in staff_client.get("/ideas/").content.decode()


def test_recently_decided_lists_only_decided_ideas(staff_client, working_group):
    make_idea(title="Без решения")
    decided = make_idea(title="С решением")
    services.decision_record(
        meeting=make_meeting(working_group), idea=decided, outcome="accept", by=working_group
    )
    assert _titles(staff_client.get("/ideas/?sort=decided")) == ["С решением"]
