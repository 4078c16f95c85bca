"""Who sees profiles and journey maps, and that nothing in them runs a script."""

import pytest
from django.test import Client

from expert.models import ClientGroupProfile, JourneyStage, JourneyStep
from tests.expert.factories import make_journey, make_profile, make_route
from tests.factories import ROLE_USERS, make_user

ROLES = ["staff", "editor", "working_group", "manager", "administrator"]
EVIL = '<script>alert("xss")</script><img src="x" onerror="alert(1)">'


@pytest.fixture
def pages(db):
    route = make_journey(make_route(title="Путь студента"), pains={2: "Долго ждать"})
    profile = make_profile(client_group="youth", linked=[route])
    return {"profile": profile.article, "route": route}


@pytest.mark.parametrize("page", ["profile", "route"])
def test_anonymous_is_sent_to_login(client, pages, page):
    url = pages[page].get_absolute_url()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_profiles_and_journey_maps(pages, role):
    client = Client()
    client.force_login(make_user(role=ROLE_USERS[role]))
    profile = client.get(pages["profile"].get_absolute_url())
    assert profile.status_code == 200
    assert 'id="profile-figures"' in profile.content.decode()
    route = client.get(pages["route"].get_absolute_url())
    assert route.status_code == 200
    assert "journey-curve__svg" in route.content.decode()


def test_a_draft_profile_is_the_editors_only(client_for, staff, editor, db):
    profile = make_profile()
    profile.article.status = "draft"
    profile.article.save()
    url = profile.article.get_absolute_url()
    assert client_for(staff).get(url).status_code == 404
    assert 'id="profile-figures"' in client_for(editor).get(url).content.decode()


def test_a_linked_draft_route_is_listed_to_editors_only(client_for, staff, editor, db):
    published = make_route(title="Путь студента")
    draft = make_route(title="Путь выпускника (черновик)", status="draft")
    profile = make_profile(linked=[published, draft])
    url = profile.article.get_absolute_url()
    staff_links = client_for(staff).get(url).context["companion"]["linked"]
    assert [a.title for a in staff_links] == ["Путь студента"]
    editor_links = client_for(editor).get(url).context["companion"]["linked"]
    assert [a.title for a in editor_links] == ["Путь выпускника (черновик)", "Путь студента"]


def test_a_profile_article_without_a_profile_hints_editors_only(client_for, staff, editor, db):
    from tests.factories import make_article

    article = make_article(kind="profile", title="Профиль: новая группа")
    response = client_for(staff).get(article.get_absolute_url())
    assert response.context["companion"] is None
    assert "Заполнить профиль группы" not in response.content.decode()
    html = client_for(editor).get(article.get_absolute_url()).content.decode()
    assert "Заполнить профиль группы" in html
    assert f"/admin/expert/clientgroupprofile/add/?article={article.pk}" in html


def test_no_script_runs_from_any_field_of_a_profile(staff_client, db):
    route = make_route(title=f"Путь {EVIL}")
    fields = dict.fromkeys(ClientGroupProfile.RICH_FIELDS, f"<p>Текст</p>{EVIL}")
    profile = make_profile(linked=[route], **fields)
    html = staff_client.get(profile.article.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "onerror" not in html
    assert html.count("<p>Текст</p>") >= len(ClientGroupProfile.RICH_FIELDS)


def test_no_script_runs_from_any_field_of_a_journey_map(staff_client, db):
    route = make_route(title="Путь студента")
    stage = JourneyStage.objects.create(
        article=route, order=1, title=f"Этап {EVIL}", description=EVIL
    )
    JourneyStep.objects.create(
        stage=stage,
        client_action=EVIL,
        touchpoint=EVIL,
        feeling=-1,
        feeling_note=EVIL,
        pain_points=f"{EVIL}\nвторая боль",
        our_action=EVIL,
        responsible=EVIL,
        standard_time=EVIL[:100],
    )
    html = staff_client.get(route.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "<img" not in html.split('<section class="journey"', 1)[1]
    assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in html  # shown as text
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "<script" not in svg and "onerror=" not in svg
