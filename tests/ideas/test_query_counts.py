"""Pinned query counts: the idea pages cost the same with few or many ideas,
votes and comments. A change here is an N+1 (a bug) or a deliberate change
to a page, which then updates the number in the same commit.

Every count starts with the user and the roles (the session is in the cache).
The idea pages replace the section-tree sidebar with their own navigation,
so they have no tree query. The unread-notification count (the list's banner,
the header's badge) comes from the per-person cache, warmed by the first visit.
"""

import pytest
from django.test import Client

from dashboards.forms import add_months, this_month
from ideas import services
from people.models import Office, Profile
from tests.dashboards.factories import GOOD, responses, save
from tests.factories import ROLE_USERS, make_article, make_user
from tests.ideas.factories import bulk_ideas, bulk_votes, make_idea, make_meeting, make_voters

LIST = 6  # + offices, count, page, my votes (tags and unread count cached)
DETAIL = 9  # + idea, tags, articles, comments, decisions, duplicates, voted?
DETAIL_REVIEWER = 10  # + status history
DETAIL_ACCEPTED_REVIEWER = 11  # + the last meeting (for «отметить реализованной»)
# An implemented idea (the implementation comes with the idea in one join):
# + the articles it changed, the office's monthly slices before and after.
DETAIL_IMPLEMENTED = 11
REVIEW = 6  # + last meeting, agenda, speed by month, meetings
MEETING = 7  # + meeting, decisions, attendees, previous meeting, agenda
NOTIFICATIONS = 4  # + count, page (unread count cached)


@pytest.fixture(params=[3, 60], ids=["small", "large"])
def site(request, db):
    n = request.param
    office = Office.objects.create(title="ЦЗН", code="czn", kind="job_centre")
    author = make_user(role=ROLE_USERS["staff"])
    Profile.objects.create(user=author, office=office)
    group = make_user(role=ROLE_USERS["working_group"])
    voters = [make_user() for _ in range(n // 10 + 2)]
    ideas = bulk_ideas(author, n, office=office)
    bulk_votes(ideas, voters)
    target = make_idea(
        author, title="Главная идея", tags=[f"метка {i}" for i in range(n // 10 + 1)]
    )
    make_voters(target, n // 20 + 1)
    staff_user = make_user(role=ROLE_USERS["staff"])
    services.idea_vote_cast(idea=target, user=staff_user)  # so they get notifications
    for i in range(n // 5 + 1):
        services.comment_add(idea=target, author=voters[i % len(voters)], text=f"Комментарий {i}")
    meeting = make_meeting(group, attendees=voters)
    for idea in ideas[: n // 3 + 1]:
        services.decision_record(
            meeting=meeting,
            idea=idea,
            outcome="accept",
            by=group,
            rationale="Да",
            responsible=group,
        )
    services.decision_record(
        meeting=meeting, idea=target, outcome="rework", by=group, rationale="Уточнить"
    )
    for duplicate in bulk_ideas(author, n // 10 + 1):
        services.idea_merge(duplicate=duplicate, original=target, by=group)
    staff = Client()
    staff.force_login(staff_user)
    reviewer = Client()
    reviewer.force_login(make_user(role=ROLE_USERS["working_group"]))
    return {"staff": staff, "reviewer": reviewer, "target": target, "meeting": meeting, "n": n}


def _assert_queries(django_assert_num_queries, client, url, expected):
    client.get(url)  # the session into the cache
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_list_query_count(site, django_assert_num_queries):
    response = _assert_queries(django_assert_num_queries, site["staff"], "/ideas/", LIST)
    assert len(response.context["page"]) == min(20, site["n"] + 1)


@pytest.mark.parametrize("query", ["?sort=new", "?sort=decided&status=accepted", "?office=1"])
def test_filtered_list_query_count(site, django_assert_num_queries, query):
    _assert_queries(django_assert_num_queries, site["staff"], f"/ideas/{query}", LIST)


def test_detail_query_count(site, django_assert_num_queries):
    url = site["target"].get_absolute_url()
    response = _assert_queries(django_assert_num_queries, site["staff"], url, DETAIL)
    assert len(response.context["comments"]) == site["n"] // 5 + 1
    _assert_queries(django_assert_num_queries, site["reviewer"], url, DETAIL_REVIEWER)


def test_review_query_count(site, django_assert_num_queries):
    response = _assert_queries(
        django_assert_num_queries, site["reviewer"], "/ideas/review/", REVIEW
    )
    assert response.context["agenda_total"] >= 1


def test_meeting_query_count(site, django_assert_num_queries):
    url = site["meeting"].get_absolute_url()
    response = _assert_queries(django_assert_num_queries, site["reviewer"], url, MEETING)
    assert len(response.context["decisions"]) == site["n"] // 3 + 2


def test_notifications_query_count(site, django_assert_num_queries):
    _assert_queries(django_assert_num_queries, site["staff"], "/notifications/", NOTIFICATIONS)


def test_implemented_detail_query_count(site, django_assert_num_queries):
    """More changed articles and more months and offices of feedback cost nothing more."""
    n = site["n"]
    office = Office.objects.get(code="czn")
    author = Profile.objects.get(office=office).user
    group = make_user(role=ROLE_USERS["working_group"])
    idea = make_idea(author, title="Реализованная идея", days_ago=300)
    meeting = make_meeting(group)
    services.decision_record(meeting=meeting, idea=idea, outcome="accept", by=group)
    url = idea.get_absolute_url()
    _assert_queries(django_assert_num_queries, site["reviewer"], url, DETAIL_ACCEPTED_REVIEWER)
    services.decision_record(
        meeting=meeting,
        idea=idea,
        outcome="implemented",
        by=group,
        changes="Сделано.",
        implemented_on=add_months(this_month(), -4),
        changed_articles=[make_article() for _ in range(n // 20 + 1)],
    )
    others = [
        Office.objects.create(title=f"ЦЗН {i}", code=f"czn-{i}", parent=office) for i in range(3)
    ]
    save(
        *(
            responses(place, n // 3 + 1, month=add_months(this_month(), -back), **GOOD)
            for place in [office, *others]
            for back in range(1, 9)
        )
    )
    response = _assert_queries(django_assert_num_queries, site["staff"], url, DETAIL_IMPLEMENTED)
    assert len(response.context["implementation_articles"]) == n // 20 + 1
    assert response.context["implementation_cx"].after.cx.responses == 3 * 4 * (n // 3 + 1)
