"""«Существенное изменение» in the article's admin: recorded once per version
with «что изменилось», refused on a draft, and its followers are told."""

import pytest

from articles.models import ArticleUpdate
from articles.services import article_update_record
from notifications.models import Kind, Notification
from notifications.subscriptions import subscription_follow
from tests.articles.reading import mandatory_article
from tests.factories import ROLE_USERS, make_article, make_section, make_user
from tests.html import form_data


def _change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def _form(client, article):
    return form_data(client.get(_change_url(article)), "article_form")


def _errors(response):
    assert response.status_code == 200, "the form was accepted"
    form = response.context["adminform"].form
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


@pytest.fixture
def follower(db):
    return make_user("follower", role=ROLE_USERS["staff"])


def test_substantive_change_is_recorded_and_followers_told(editor_client, editor, follower):
    root = make_section("Стандарты")
    article = make_article(make_section("Скрипты", parent=root), title="Скрипт звонка")
    subscription_follow(user=follower, section=root)
    data = _form(editor_client, article)
    data.update(
        body=["<p>Новый текст.</p>"],
        substantive=["on"],
        substantive_summary=["Добавлен порядок звонка."],
    )
    response = editor_client.post(_change_url(article), data)
    assert response.status_code == 302
    article.refresh_from_db()
    update = ArticleUpdate.objects.get()
    assert (update.article, update.article_version, update.summary, update.by) == (
        article,
        article.version,
        "Добавлен порядок звонка.",
        editor,
    )
    told = Notification.objects.get(kind=Kind.SUBSCRIPTION)
    assert told.recipient == follower
    assert "Добавлен порядок звонка." in told.text
    assert told.url == article.get_absolute_url()


def test_plain_save_records_nothing(editor_client, follower):
    article = make_article()
    subscription_follow(user=follower, article=article)
    data = _form(editor_client, article)
    data.update(body=["<p>Опечатка исправлена.</p>"])
    assert editor_client.post(_change_url(article), data).status_code == 302
    assert not ArticleUpdate.objects.exists()
    assert not Notification.objects.filter(kind=Kind.SUBSCRIPTION).exists()


def test_substantive_without_summary_is_refused(editor_client):
    article = make_article()
    version = article.version
    data = _form(editor_client, article)
    data.update(substantive=["on"], substantive_summary=["  "])
    assert "Напишите, что изменилось" in _errors(editor_client.post(_change_url(article), data))
    article.refresh_from_db()
    assert article.version == version
    assert not ArticleUpdate.objects.exists()


def test_summary_without_the_tick_is_refused(editor_client):
    article = make_article()
    data = _form(editor_client, article)
    data.update(substantive_summary=["Что-то"])
    assert "Отметьте «существенное изменение»" in _errors(
        editor_client.post(_change_url(article), data)
    )
    assert not ArticleUpdate.objects.exists()


def test_substantive_on_a_draft_is_refused(editor_client):
    article = make_article(status="draft")
    data = _form(editor_client, article)
    data.update(substantive=["on"], substantive_summary=["Поменяли"])
    errors = _errors(editor_client.post(_change_url(article), data))
    assert "только у опубликованного материала" in errors
    assert not ArticleUpdate.objects.exists()


def test_substantive_while_unpublishing_is_refused(editor_client):
    article = make_article()
    data = _form(editor_client, article)
    data.update(status=["draft"], substantive=["on"], substantive_summary=["Поменяли"])
    assert "только у опубликованного материала" in _errors(
        editor_client.post(_change_url(article), data)
    )
    article.refresh_from_db()
    assert article.status == "published"


def test_a_round_is_a_substantive_update_asked_once(editor_client, follower):
    article = mandatory_article(title="Регламент")
    subscription_follow(user=follower, article=article)
    data = _form(editor_client, article)
    data.update(
        body=["<p>Новый регламент.</p>"],
        reack=["on"],
        reack_summary=["Новый срок ответа."],
        substantive=["on"],
    )
    assert editor_client.post(_change_url(article), data).status_code == 302
    update = ArticleUpdate.objects.get()
    assert update.summary == "Новый срок ответа."
    assert update.source == ArticleUpdate.Source.REACK
    assert Notification.objects.filter(kind=Kind.SUBSCRIPTION, recipient=follower).count() == 1


def test_publishing_tells_section_followers_not_the_editor(editor_client, editor, follower):
    section = make_section("Кейсы")
    article = make_article(section, status="draft", title="Трудный разговор")
    subscription_follow(user=follower, section=section)
    subscription_follow(user=editor, section=section)
    data = _form(editor_client, article)
    data.update(status=["published"])
    assert editor_client.post(_change_url(article), data).status_code == 302
    told = list(Notification.objects.filter(kind=Kind.SUBSCRIPTION))
    assert [n.recipient for n in told] == [follower]
    assert "Новый материал в разделе «Кейсы»" in told[0].text


def test_record_twice_for_one_version_tells_once(follower):
    article = make_article()
    subscription_follow(user=follower, article=article)
    first = article_update_record(article=article, summary="Раз")
    second = article_update_record(article=article, summary="Два")
    assert first == second
    assert Notification.objects.filter(kind=Kind.SUBSCRIPTION).count() == 1


def test_accepted_proposal_is_a_substantive_update(editor, follower):
    from proposals.services import proposal_accept, proposal_submit

    article = make_article(title="Памятка")
    subscription_follow(user=follower, article=article)
    proposal = proposal_submit(
        author=follower,
        article=article,
        title="Памятка",
        summary="",
        body="<p>Новый текст памятки.</p>",
        rationale="Уточнил часы приёма.",
    )
    proposal_accept(proposal=proposal, by=editor)
    update = ArticleUpdate.objects.get()
    assert update.source == ArticleUpdate.Source.PROPOSAL
    assert update.summary == "Уточнил часы приёма."
