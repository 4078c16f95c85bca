"""An editor marks an article mandatory for an audience with a deadline, and
asks for re-acknowledgement after a substantive change — in the article's
admin form. Bad input is refused in Russian and nothing is half-saved."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Acknowledgement, AcknowledgementRound, Article
from notifications.models import Kind, Notification
from people import roles
from people.models import Audience, AudienceOffice, Position
from tests.articles.reading import mandatory_article, person, region, spec
from tests.factories import make_article, make_section, make_user
from tests.html import form_data

ADD_URL = "/admin/articles/article/add/"


def _change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


@pytest.fixture
def world(db):
    offices = region()
    people = {
        "anna": person("anna", office=offices["n1"], position="консультант"),
        "boris": person("boris", office=offices["n2"], position="психолог"),
        "vera": person("vera", office=offices["s1"], position="консультант", role=roles.MANAGER),
    }
    return offices, people


def _form(client, article):
    return form_data(client.get(_change_url(article)), "article_form")


def _errors(response):
    assert response.status_code == 200, "the form was accepted"
    form = response.context["adminform"].form
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _told(kind=Kind.MANDATORY):
    return sorted(n.recipient.username for n in Notification.objects.filter(kind=kind))


def _snapshot(article):
    """What a refused save must leave as it was."""
    article.refresh_from_db()
    return (
        article.version,
        article.mandatory,
        article.mandatory_deadline,
        article.mandatory_audience_id,
        article.ack_required_version,
        Audience.objects.count(),
        AcknowledgementRound.objects.count(),
        Notification.objects.count(),
    )


def test_the_rule_is_stated_in_russian_on_the_form(editor_client, world):
    page = editor_client.get(ADD_URL).content.decode()
    assert "если тот подходит под каждое заполненное условие" in page
    assert "Не выбрано ничего — документ обязателен для всех сотрудников" in page


def test_an_editor_makes_an_article_mandatory_for_an_audience(editor_client, world):
    offices, _people = world
    article = make_article(title="Стандарт приёма")
    data = _form(editor_client, article)
    deadline = timezone.localdate() + timedelta(days=10)
    data.update(
        mandatory=["on"],
        mandatory_offices=[str(offices["north"].pk)],
        mandatory_positions=[str(Position.objects.get(title="консультант").pk)],
        mandatory_deadline=[deadline.strftime("%d.%m.%Y")],
    )
    response = editor_client.post(_change_url(article), data, follow=True)
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.mandatory and article.mandatory_deadline == deadline
    assert list(article.mandatory_audience.offices.all()) == [offices["north"]]
    assert _told() == ["anna"]  # the north's consultants only
    notice = Notification.objects.get(kind=Kind.MANDATORY)
    assert "Обязательно для ознакомления: «Стандарт приёма»." in notice.text
    assert notice.url == article.get_absolute_url()
    assert "Документ стал обязательным: уведомлён 1 сотрудник." in response.content.decode()
    # The form opens again with what was chosen.
    again = _form(editor_client, article)
    assert again["mandatory_offices"] == [str(offices["north"].pk)]


def test_an_audience_nobody_matches_is_refused_with_the_count_until_confirmed(editor_client, world):
    offices, _people = world
    article = make_article()
    before = _snapshot(article)
    data = _form(editor_client, article)
    data.update(
        mandatory=["on"],
        mandatory_offices=[str(offices["s2"].pk)],  # nobody works there
    )
    response = editor_client.post(_change_url(article), data)
    errors = _errors(response)
    assert "Под эту аудиторию сейчас не подходит ни один сотрудник (из 4 сотрудников)" in errors
    assert "отметьте «Подтверждаю»" in errors
    assert _snapshot(article) == before
    data["confirm_empty_audience"] = ["on"]
    assert editor_client.post(_change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert AudienceOffice.objects.get(audience=article.mandatory_audience).office == offices["s2"]


def test_a_deadline_in_the_past_is_refused(editor_client, world):
    article = make_article()
    before = _snapshot(article)
    data = _form(editor_client, article)
    yesterday = timezone.localdate() - timedelta(days=1)
    data.update(mandatory=["on"], mandatory_deadline=[yesterday.strftime("%d.%m.%Y")])
    errors = _errors(editor_client.post(_change_url(article), data))
    assert "Эта дата уже прошла: укажите сегодняшний или более поздний день." in errors
    assert _snapshot(article) == before


def test_a_deadline_that_has_passed_since_does_not_block_other_edits(editor_client, world):
    article = mandatory_article(deadline=timezone.localdate() + timedelta(days=3))
    Article.all_objects.filter(pk=article.pk).update(
        mandatory_deadline=timezone.localdate() - timedelta(days=5)
    )
    data = _form(editor_client, article)
    data["title"] = ["Новый заголовок"]
    assert editor_client.post(_change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.title == "Новый заголовок"


def test_reacknowledgement_of_an_article_that_is_not_mandatory_is_refused(editor_client, world):
    article = make_article()
    before = _snapshot(article)
    data = _form(editor_client, article)
    data.update(reack=["on"], reack_summary=["Поменяли сроки."])
    errors = _errors(editor_client.post(_change_url(article), data))
    assert "Повторное ознакомление можно запросить только для обязательного документа" in errors
    assert _snapshot(article) == before


def test_reacknowledgement_without_what_changed_is_refused(editor_client, world):
    article = mandatory_article()
    before = _snapshot(article)
    data = _form(editor_client, article)
    data.update(reack=["on"], reack_summary=["   "])
    errors = _errors(editor_client.post(_change_url(article), data))
    assert "Напишите, что изменилось" in errors
    assert _snapshot(article) == before


def test_what_changed_without_the_tick_is_refused(editor_client, world):
    article = mandatory_article()
    before = _snapshot(article)
    data = _form(editor_client, article)
    data.update(reack_summary=["Поменяли сроки."])
    errors = _errors(editor_client.post(_change_url(article), data))
    assert "Отметьте «требуется повторное ознакомление»" in errors
    assert _snapshot(article) == before


def test_reacknowledgement_of_a_draft_is_refused(editor_client, world):
    article = mandatory_article()
    data = _form(editor_client, article)
    data.update(status=[Article.Status.DRAFT], reack=["on"], reack_summary=["Поменяли сроки."])
    errors = _errors(editor_client.post(_change_url(article), data))
    assert "только для опубликованного документа" in errors
    assert not AcknowledgementRound.objects.exists()


def test_a_round_asks_the_whole_audience_again_and_keeps_the_old_marks(editor_client, world):
    _offices, people = world
    article = mandatory_article(title="Скрипт звонка", audience=spec(positions=["консультант"]))
    old_version = article.version
    Acknowledgement.objects.create(article=article, user=people["anna"], article_version=1)
    Notification.objects.all().delete()
    data = _form(editor_client, article)
    data.update(
        body=["<p>Новый порядок звонка.</p>"],
        reack=["on"],
        reack_summary=["Добавлен порядок звонка работодателю."],
    )
    response = editor_client.post(_change_url(article), data, follow=True)
    assert "Повторное ознакомление запрошено: уведомлено сотрудников — 2." in (
        response.content.decode()
    )
    article.refresh_from_db()
    assert article.version == old_version + 1
    round = AcknowledgementRound.objects.get()
    assert (round.article_version, round.summary, round.started_by.username, round.notified) == (
        article.version,
        "Добавлен порядок звонка работодателю.",
        "editor",
        2,
    )
    assert article.ack_required_version == article.version
    assert _told() == ["anna", "vera"]
    text = Notification.objects.filter(kind=Kind.MANDATORY).first().text
    assert "изменён — ознакомьтесь с ним снова" in text
    assert "Добавлен порядок звонка работодателю." in text
    # The old mark stays, for the version it was given on.
    assert Acknowledgement.objects.filter(user=people["anna"], article_version=1).exists()


def test_growing_an_audience_tells_only_the_newcomers(editor_client, world):
    offices, _people = world
    article = mandatory_article(audience=spec(offices=[offices["n1"]]))
    assert _told() == ["anna"]
    data = _form(editor_client, article)
    data["mandatory_offices"] = [str(offices["north"].pk)]
    editor_client.post(_change_url(article), data)
    assert _told() == ["anna", "boris"]
    # Narrowing it tells nobody.
    data["mandatory_offices"] = [str(offices["n2"].pk)]
    editor_client.post(_change_url(article), data)
    assert _told() == ["anna", "boris"]


def test_nobody_is_told_about_a_draft_until_it_is_published(editor_client, world):
    article = make_article(status=Article.Status.DRAFT)
    data = _form(editor_client, article)
    data.update(mandatory=["on"])
    editor_client.post(_change_url(article), data)
    assert _told() == []
    response = editor_client.post(
        "/admin/articles/article/",
        {"action": "publish", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    # Everyone: the three people of the region and the editor.
    assert _told() == ["anna", "boris", "editor", "vera"]


def test_choosing_nothing_makes_it_everyones_again(editor_client, world):
    offices, _people = world
    article = mandatory_article(audience=spec(offices=[offices["n1"]]))
    data = _form(editor_client, article)
    data["mandatory_offices"] = []
    editor_client.post(_change_url(article), data)
    article.refresh_from_db()
    assert article.mandatory_audience is None
    assert not Audience.objects.exists()
    assert article.mandatory_for_everyone


def test_administrators_see_who_a_document_is_for_without_inputs(client_for, world):
    offices, _people = world
    article = mandatory_article(audience=spec(offices=[offices["north"]]))
    client = client_for(make_user("admin-1", role=roles.ADMINISTRATOR))
    page = client.get(_change_url(article)).content.decode()
    assert "Для кого: подразделения (с подчинёнными): Северный отдел — сотрудников: 2." in page
    assert 'name="mandatory_offices"' not in page
    assert 'name="reack"' not in page


def test_a_new_article_cannot_ask_for_reacknowledgement(editor_client, world):
    data = form_data(editor_client.get(ADD_URL), "article_form")
    section = make_section()
    data.update(
        section=[str(section.pk)],
        title=["Памятка"],
        slug=["pamyatka"],
        kind=[Article.Kind.DOCUMENT],
        mandatory=["on"],
        reack=["on"],
        reack_summary=["Что-то"],
    )
    # The add form shows no such field; a forged one is refused, nothing saved.
    errors = _errors(editor_client.post(ADD_URL, data))
    assert "Новый материал ещё никто не читал" in errors
    assert not Article.objects.filter(slug="pamyatka").exists()
