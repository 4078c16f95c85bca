"""Submitting and editing ideas: Russian errors, nothing saved on bad input,
no way for staff to set a status, author edits only until it is taken up."""

import pytest

from ideas import services
from ideas.models import Idea
from people.models import Office, Profile
from tests.factories import make_article, make_section

VALID = {
    "title": "Запись на приём по телефону",
    "problem": "Клиенты не могут дозвониться.",
    "proposal": "Отдельная линия для записи.",
    "expected_effect": "Меньше повторных звонков.",
    "tags": "телефон, запись",
    "article_links": "",
}


def test_staff_submits_an_idea(staff_client, staff):
    office = Office.objects.create(title="ЦЗН Кировского района", code="kirov", kind="job_centre")
    Profile.objects.create(user=staff, office=office)
    response = staff_client.post("/ideas/new/", VALID)
    idea = Idea.objects.get()
    assert response["Location"] == idea.get_absolute_url()
    assert (idea.author, idea.office, idea.status) == (staff, office, Idea.Status.SUBMITTED)
    assert sorted(idea.tags.names()) == ["запись", "телефон"]
    assert idea.history.count() == 1


def test_forged_fields_are_ignored(staff_client, staff, colleague):
    staff_client.post(
        "/ideas/new/",
        {
            **VALID,
            "status": "accepted",
            "author": colleague.pk,
            "vote_count": "500",
            "duplicate_of": "1",
            "first_reviewed_at": "2020-01-01",
        },
    )
    idea = Idea.objects.get()
    assert idea.status == Idea.Status.SUBMITTED
    assert idea.author == staff
    assert idea.vote_count == 0
    assert idea.duplicate_of is None
    assert idea.first_reviewed_at is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Назовите идею."),
        ("title", "   ", "Назовите идею."),
        ("title", "я" * 201, "не больше 200 символов"),
        ("problem", "", "Опишите проблему."),
        ("proposal", "", "Опишите, что предлагаете."),
        ("proposal", "я" * 4001, "не больше 4000 символов"),
        ("expected_effect", "", "Опишите ожидаемый эффект."),
        ("tags", ", ".join(f"м{i}" for i in range(11)), "Не больше 10 меток."),
        ("article_links", "https://example.ru/", "не адрес статьи базы знаний"),
        ("article_links", "/kb/razdel/net-takoj/", "Не нашли опубликованную статью"),
    ],
)
def test_bad_input_gets_russian_error_and_saves_nothing(staff_client, field, value, message):
    response = staff_client.post("/ideas/new/", {**VALID, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Idea.objects.exists()


def test_links_to_articles_by_their_address(staff_client):
    article = make_article(make_section(slug="kodeks"), slug="pravila", title="Правила")
    response = staff_client.post(
        "/ideas/new/", {**VALID, "article_links": f"http://testserver{article.get_absolute_url()}"}
    )
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert list(idea.articles.all()) == [article]
    assert "Правила" in staff_client.get(idea.get_absolute_url()).content.decode()


def test_form_works_without_javascript_and_offers_similar_ideas_hint(staff_client):
    html = staff_client.get("/ideas/new/").content.decode()
    assert 'id="similar-ideas"' in html
    assert "ideas-similar.js" in html
    assert 'method="post"' in html


def test_similar_ideas_endpoint_matches_word_forms(staff_client, idea):
    # «Запись на приём по телефону» is found by other forms of the words.
    data = staff_client.get("/ideas/similar/", {"q": "записи по телефонам"}).json()
    assert [r["id"] for r in data["results"]] == [idea.pk]
    assert data["results"][0]["url"] == idea.get_absolute_url()
    assert staff_client.get("/ideas/similar/", {"q": "кулер"}).json() == {"results": []}
    excluded = staff_client.get("/ideas/similar/", {"q": "запись", "exclude": idea.pk}).json()
    assert excluded == {"results": []}


def test_author_edits_while_submitted(staff_client, idea):
    response = staff_client.get(f"/ideas/{idea.pk}/edit/")
    assert response.status_code == 200
    assert "Запись на приём по телефону" in response.content.decode()
    response = staff_client.post(
        f"/ideas/{idea.pk}/edit/", {**VALID, "title": "Запись по телефону и онлайн"}
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.title == "Запись по телефону и онлайн"
    assert idea.history.count() == 2


def test_author_edit_cannot_change_status(staff_client, idea):
    staff_client.post(f"/ideas/{idea.pk}/edit/", {**VALID, "status": "implemented"})
    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.SUBMITTED


def test_bad_edit_saves_nothing(staff_client, idea):
    response = staff_client.post(f"/ideas/{idea.pk}/edit/", {**VALID, "title": ""})
    assert "Назовите идею." in response.content.decode()
    assert Idea.objects.get(pk=idea.pk).title == "Запись на приём по телефону"


def test_other_people_cannot_edit(client_for, colleague, idea):
    client = client_for(colleague)
    assert client.get(f"/ideas/{idea.pk}/edit/").status_code == 403
    assert client.post(f"/ideas/{idea.pk}/edit/", {**VALID, "title": "Чужое"}).status_code == 403
    assert Idea.objects.get(pk=idea.pk).title == "Запись на приём по телефону"


@pytest.mark.parametrize("status", ["under_review", "accepted", "rejected", "implemented"])
def test_author_cannot_edit_once_taken_up(staff_client, idea, status):
    Idea.objects.filter(pk=idea.pk).update(status=status)
    assert staff_client.get(f"/ideas/{idea.pk}/edit/").status_code == 403
    assert (
        staff_client.post(f"/ideas/{idea.pk}/edit/", {**VALID, "title": "Поздно"}).status_code
        == 403
    )
    assert Idea.objects.get(pk=idea.pk).title == "Запись на приём по телефону"


def test_edit_service_rechecks_status_under_lock(idea, staff, working_group):
    from django.core.exceptions import PermissionDenied

    stale = Idea.objects.get(pk=idea.pk)
    services.idea_status_set(idea=idea, status="under_review", by=working_group)
    with pytest.raises(PermissionDenied):
        services.idea_update(idea=stale, by=staff, **{k: VALID[k] for k in list(VALID)[:4]})


def test_user_text_is_escaped(staff_client, staff):
    evil = '<script>alert("x")</script>'
    idea = services.idea_submit(
        author=staff, title=evil, problem=evil, proposal=evil, expected_effect=evil
    )
    services.comment_add(idea=idea, author=staff, text=evil)
    for url in [idea.get_absolute_url(), "/ideas/", "/ideas/?sort=new"]:
        html = staff_client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "&lt;script&gt;" in html, url
