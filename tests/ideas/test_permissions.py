"""Who may do what in the idea bank: every URL × every role, anonymous too,
POST actions included. A refused change must also leave the data untouched."""

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from ideas import services
from ideas.models import Decision, Idea, Implementation, ReviewMeeting
from tests.factories import ROLE_USERS, make_user
from tests.ideas.factories import make_idea

ROLES = ["staff", "editor", "working_group", "manager", "administrator"]
REVIEWERS = {"working_group", "administrator"}

# name -> (method, url, data)
URLS = {
    "list": ("get", "/ideas/", None),
    "create": ("get", "/ideas/new/", None),
    "create_post": (
        "post",
        "/ideas/new/",
        {"title": "Т", "problem": "П", "proposal": "П", "expected_effect": "Э"},
    ),
    "similar": ("get", "/ideas/similar/?q=очередь", None),
    "notifications": ("get", "/ideas/notifications/", None),
    "notifications_read": ("get", "/ideas/notifications/read/", None),  # moved, see 301
    "detail": ("get", "/ideas/{idea}/", None),
    "detail_implemented": ("get", "/ideas/{implemented}/", None),
    "edit": ("get", "/ideas/{idea}/edit/", None),
    "edit_post": ("post", "/ideas/{idea}/edit/", {"title": "Чужое", "problem": "п"}),
    "vote": ("post", "/ideas/{idea}/vote/", {}),
    "unvote": ("post", "/ideas/{idea}/unvote/", {}),
    "comment": ("post", "/ideas/{idea}/comments/", {"text": "Согласен"}),
    "comment_delete": ("post", "/ideas/comments/{comment}/delete/", {}),
    "status": ("post", "/ideas/{idea}/status/", {"status": "under_review"}),
    "merge": ("post", "/ideas/{idea}/merge/", {"original": "{other}"}),
    "review": ("get", "/ideas/review/", None),
    "meeting_create": ("get", "/ideas/review/meetings/new/", None),
    "meeting_create_post": (
        "post",
        "/ideas/review/meetings/new/",
        {"held_on": "{today}", "attendees": "{wg}", "minutes": "Протокол"},
    ),
    "meeting": ("get", "/ideas/review/meetings/{meeting}/", None),
    "decide": ("get", "/ideas/review/meetings/{meeting}/ideas/{idea}/", None),
    "decide_post": (
        "post",
        "/ideas/review/meetings/{meeting}/ideas/{idea}/",
        {"outcome": "accept", "rationale": "Да"},
    ),
    "decide_implemented": ("get", "/ideas/review/meetings/{meeting}/ideas/{accepted}/", None),
    "decide_implemented_post": (
        "post",
        "/ideas/review/meetings/{meeting}/ideas/{accepted}/",
        {"outcome": "implemented", "changes": "Ввели запись", "implemented_on": "{today}"},
    ),
    "meeting_print": ("get", "/ideas/review/meetings/{meeting}/print/", None),
    "meeting_xlsx": ("get", "/ideas/review/meetings/{meeting}/minutes.xlsx", None),
    "meeting_csv": ("get", "/ideas/review/meetings/{meeting}/minutes.csv", None),
    "admin_ideas": ("get", "/admin/ideas/idea/", None),
    "admin_idea": ("get", "/admin/ideas/idea/{idea}/change/", None),
    "admin_idea_history": ("get", "/admin/ideas/idea/{idea}/history/", None),
    "admin_meetings": ("get", "/admin/ideas/reviewmeeting/", None),
    "admin_decisions": ("get", "/admin/ideas/decision/", None),
    "admin_votes": ("get", "/admin/ideas/vote/", None),
    "admin_comments": ("get", "/admin/ideas/comment/", None),
    "admin_implementations": ("get", "/admin/ideas/implementation/", None),
    "admin_implementation": ("get", "/admin/ideas/implementation/{implementation}/change/", None),
    "admin_implementation_history": (
        "get",
        "/admin/ideas/implementation/{implementation}/history/",
        None,
    ),
    "admin_notifications": ("get", "/admin/notifications/notification/", None),
}

STAFF_PAGES = {
    "list": 200,
    "create": 200,
    "create_post": 302,
    "similar": 200,
    "notifications": 301,  # moved to /notifications/
    "notifications_read": 301,
    "detail": 200,
    "detail_implemented": 200,
    "edit": 403,  # the idea is someone else's
    "edit_post": 403,
    "vote": 302,
    "unvote": 302,
    "comment": 302,
}
REVIEW_PAGES = [
    "comment_delete",
    "status",
    "merge",
    "review",
    "meeting_create",
    "meeting_create_post",
    "meeting",
    "decide",
    "decide_post",
    "decide_implemented",
    "decide_implemented_post",
    "meeting_print",
    "meeting_xlsx",
    "meeting_csv",
]
REVIEW_OK = {
    "comment_delete": 302,
    "status": 302,
    "merge": 302,
    "review": 200,
    "meeting_create": 200,
    "meeting_create_post": 302,
    "meeting": 200,
    "decide": 200,
    "decide_post": 302,
    "decide_implemented": 200,
    "decide_implemented_post": 302,
    "meeting_print": 200,
    "meeting_xlsx": 200,
    "meeting_csv": 200,
}
ADMIN_PAGES = [name for name in URLS if name.startswith("admin_")]


def expected(role, name):
    if name in STAFF_PAGES:
        return STAFF_PAGES[name]
    if name in REVIEW_OK:
        return REVIEW_OK[name] if role in REVIEWERS else 403
    # The admin: administrators look ideas up; editors enter the admin but
    # have no idea permissions; the others are refused at the door.
    return 200 if role == "administrator" else 403


@pytest.fixture
def world(db, working_group):
    author = make_user("author", role=ROLE_USERS["staff"])
    idea = make_idea(author, title="Кулер с водой")
    other = make_idea(author, title="Вода в зоне ожидания")
    commenter = make_user("commenter", role=ROLE_USERS["staff"])
    comment = services.comment_add(idea=idea, author=commenter, text="Хорошо")
    meeting = services.meeting_create(
        held_on=timezone.localdate(), minutes="", attendees=[working_group], by=working_group
    )
    accepted = make_idea(author, title="Запись на время")
    implemented = make_idea(author, title="Табличка с часами работы")
    for target in (accepted, implemented):
        services.decision_record(meeting=meeting, idea=target, outcome="accept", by=working_group)
    services.decision_record(
        meeting=meeting,
        idea=implemented,
        outcome="implemented",
        by=working_group,
        changes="Повесили табличку.",
        implemented_on=timezone.localdate(),
    )
    return {
        "idea": idea.pk,
        "accepted": accepted.pk,
        "implemented": implemented.pk,
        "implementation": Implementation.objects.get(idea=implemented).pk,
        "other": other.pk,
        "comment": comment.pk,
        "meeting": meeting.pk,
        "wg": working_group.pk,
        "today": timezone.localdate().isoformat(),
    }


def _request(client, name, world, **kwargs):
    method, template, data = URLS[name]
    url = template.format(**world)
    if data is not None:
        data = {key: str(value).format(**world) for key, value in data.items()}
    return url, getattr(client, method)(url, data=data, **kwargs)


def _state():
    return (
        sorted(Idea.objects.values_list("pk", "title", "status", "vote_count", "comment_count")),
        ReviewMeeting.objects.count(),
        Decision.objects.count(),
        sorted(Implementation.objects.values_list("pk", "idea_id", "changes")),
    )


def test_matrix_covers_every_url():
    assert set(STAFF_PAGES) | set(REVIEW_PAGES) | set(ADMIN_PAGES) == set(URLS)


@pytest.mark.parametrize("name", list(URLS))
def test_anonymous_is_sent_to_login(client, world, name):
    before = _state()
    url, response = _request(client, name, world, follow=True)
    assert response.redirect_chain, url
    location = urlsplit(response.redirect_chain[-1][0])
    assert location.path == "/accounts/login/"
    assert unquote(parse_qs(location.query)["next"][0]).startswith(urlsplit(url).path)
    assert _state() == before


@pytest.mark.parametrize(
    ("role", "name"), [(role, name) for role in ROLES for name in URLS], ids=lambda v: str(v)
)
def test_role_gets_expected_status(world, role, name):
    client = Client()
    client.force_login(make_user(role=ROLE_USERS[role]))
    before = _state()
    url, response = _request(client, name, world, follow=name.startswith("admin_"))
    assert response.status_code == expected(role, name), url
    if response.status_code == 403 and URLS[name][0] == "post":
        assert _state() == before, "a refused POST changed data"


# Actions only: the form pages show their form on GET.
ACTIONS = [n for n in URLS if URLS[n][0] == "post" and not n.endswith("_post")]


@pytest.mark.parametrize("name", ACTIONS)
def test_actions_refuse_get(world, name, client_for, administrator):
    url = URLS[name][1].format(**world)
    assert client_for(administrator).get(url).status_code == 405


@pytest.mark.parametrize(
    "forged",
    [
        {"status": "accepted"},
        {"status": "implemented", "vote_count": "999"},
        {"outcome": "accept", "rationale": "сам себе"},
        {"outcome": "implemented", "changes": "сам себе", "implemented_on": "2026-01-01"},
    ],
)
def test_staff_cannot_change_status_by_any_form(world, client_for, forged):
    """Forged fields on every form and action staff can reach change no status."""
    author = Idea.objects.get(pk=world["idea"]).author
    client = client_for(author)
    statuses = dict(Idea.objects.values_list("pk", "status"))
    decisions = Decision.objects.count()
    for template in [
        "/ideas/{idea}/edit/",
        "/ideas/{idea}/vote/",
        "/ideas/{idea}/comments/",
        "/ideas/{idea}/status/",
        "/ideas/{idea}/merge/",
        "/ideas/review/meetings/{meeting}/ideas/{idea}/",
        "/ideas/review/meetings/{meeting}/ideas/{accepted}/",
        "/ideas/new/",
    ]:
        client.post(template.format(**world), {**forged, "text": "т", "original": world["other"]})
    assert dict(Idea.objects.values_list("pk", "status")) == statuses
    assert Decision.objects.count() == decisions
    assert Implementation.objects.count() == 1
