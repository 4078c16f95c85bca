"""Targeting («Для вас»): articles and sections are meant for positions and
office subtrees; the home page and /for-you/ show a person what is meant for
them. Discovery, not access: everybody can still open everything."""

import pytest

from articles.models import Article
from articles.services import article_target_apply, article_trash, section_target_apply
from articles.targeting import for_you
from people import roles
from people.models import Audience, Office, Position
from tests.articles.reading import person, region, role, spec
from tests.factories import make_article, make_section, make_user
from tests.html import form_data


@pytest.fixture
def world(db):
    offices = region()
    people = {
        "anna": person("anna", office=offices["n1"], position="консультант"),
        "boris": person("boris", office=offices["s1"], position="консультант"),
        "vera": person("vera", office=offices["n2"], position="психолог"),
        "nobody": person("nobody"),  # no office, no position
    }
    return offices, people


def _titles(user):
    return sorted(for_you(user).values_list("title", flat=True))


# --- Who a material is for --------------------------------------------------------


def test_an_article_in_a_targeted_section_is_for_that_audience_at_any_depth(world):
    _offices, people = world
    root = make_section("Работа с гражданами")
    child = make_section("Консультации", parent=root)
    grandchild = make_section("Трудные случаи", parent=child)
    make_article(grandchild, title="Глубоко внутри")
    make_article(make_section("Другое"), title="Не для них")
    section_target_apply(section=root, spec=spec(positions=["консультант"]))
    assert _titles(people["anna"]) == ["Глубоко внутри"]
    assert _titles(people["boris"]) == ["Глубоко внутри"]
    assert _titles(people["vera"]) == []  # психолог


def test_an_office_subtree_targets_everyone_below_it(world):
    offices, people = world
    article = make_article(title="Для Северного отдела")
    article_target_apply(article=article, spec=spec(offices=[offices["north"]]))
    assert _titles(people["anna"]) == ["Для Северного отдела"]  # ЦЗН Северный-1
    assert _titles(people["vera"]) == ["Для Северного отдела"]  # ЦЗН Северный-2
    assert _titles(people["boris"]) == []  # Южный
    assert _titles(people["nobody"]) == []


def test_office_and_position_both_have_to_match(world):
    offices, people = world
    article = make_article(title="Консультантам Севера")
    article_target_apply(
        article=article, spec=spec(offices=[offices["north"]], positions=["консультант"])
    )
    assert _titles(people["anna"]) == ["Консультантам Севера"]
    assert _titles(people["boris"]) == []
    assert _titles(people["vera"]) == []


def test_roles_narrow_a_target(world):
    offices, people = world
    leader = person("leader", office=offices["n1"], position="консультант", role=roles.MANAGER)
    article = make_article(title="Руководителям")
    article_target_apply(
        article=article, spec=spec(positions=["консультант"], roles=[roles.MANAGER])
    )
    assert _titles(leader) == ["Руководителям"]
    assert _titles(people["anna"]) == []


def test_drafts_trashed_and_untargeted_materials_are_not_for_you(world):
    _offices, people = world
    section = make_section("Консультантам")
    section_target_apply(section=section, spec=spec(positions=["консультант"]))
    make_article(section, title="Опубликовано")
    make_article(section, title="Черновик", status=Article.Status.DRAFT)
    trashed = make_article(section, title="В корзине")
    article_trash(article=trashed)
    make_article(title="Никому особо")
    assert _titles(people["anna"]) == ["Опубликовано"]


def test_clearing_the_target_deletes_the_audience_and_keeps_its_history(world):
    _offices, people = world
    article = make_article(title="Временно адресный")
    audience = article_target_apply(article=article, spec=spec(positions=["консультант"]))
    assert str(audience) == "адресаты материала «Временно адресный»"
    audience_id = audience.pk
    article_target_apply(article=article, spec=spec())
    article.refresh_from_db()
    assert article.target_audience is None
    assert not Audience.objects.filter(pk=audience_id).exists()
    kinds = list(Audience.history.filter(id=audience_id).values_list("history_type", flat=True))
    assert sorted(kinds) == ["-", "~"]  # what it named, then its removal
    assert _titles(people["anna"]) == []


# --- Home page and /for-you/ -------------------------------------------------------


def test_home_shows_for_you_first_then_the_rest(client_for, world):
    _offices, people = world
    section = make_section("Консультантам")
    section_target_apply(section=section, spec=spec(positions=["консультант"]))
    make_article(section, title="Памятка консультанта")
    make_article(title="Общая новость")
    page = client_for(people["anna"]).get("/").content.decode()
    assert "Для вас" in page and "Памятка консультанта" in page
    assert page.index("Для вас") < page.index("Общая новость")
    assert "Показать все материалы для вас" not in page  # only one


def test_home_links_to_all_when_there_are_more(client_for, world):
    _offices, people = world
    section = make_section("Консультантам")
    section_target_apply(section=section, spec=spec(positions=["консультант"]))
    for i in range(7):
        make_article(section, title=f"Памятка {i}")
    response = client_for(people["anna"]).get("/")
    assert len(response.context["for_you"].articles) == 6
    assert response.context["for_you"].articles[0].title == "Памятка 6"  # newest first
    assert 'href="/for-you/"' in response.content.decode()
    listed = client_for(people["anna"]).get("/for-you/")
    assert listed.context["page"].paginator.count == 7


def test_nobody_targeted_no_empty_block(client_for, world):
    _offices, people = world
    make_article(title="Общая новость")
    for name in ("anna", "nobody"):
        response = client_for(people[name]).get("/")
        assert "Для вас" not in response.content.decode()


def test_for_you_page_hints_at_the_profile_when_there_is_no_position(client_for, world):
    _offices, people = world
    page = client_for(people["nobody"]).get("/for-you/").content.decode()
    assert "В вашем профиле не указана должность" in page
    page = client_for(people["anna"]).get("/for-you/").content.decode()
    assert "Пока нет материалов" in page
    assert "В вашем профиле не указана должность" not in page


def test_for_you_page_is_paginated(client_for, world):
    _offices, people = world
    section = make_section("Консультантам")
    section_target_apply(section=section, spec=spec(positions=["консультант"]))
    for i in range(23):
        make_article(section, title=f"Памятка {i:02d}")
    client = client_for(people["anna"])
    first = client.get("/for-you/")
    assert len(first.context["page"].object_list) == 20
    second = client.get("/for-you/?page=2")
    assert [a.title for a in second.context["page"].object_list] == [
        "Памятка 02",
        "Памятка 01",
        "Памятка 00",
    ]


def test_a_non_member_opens_a_targeted_article(client_for, world):
    offices, people = world
    section = make_section("Только Северу")
    section_target_apply(section=section, spec=spec(offices=[offices["north"]]))
    article = make_article(section, title="Северный регламент", body="<p>Текст регламента.</p>")
    article_target_apply(article=article, spec=spec(positions=["психолог"]))
    response = client_for(people["boris"]).get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Текст регламента." in response.content.decode()


BADGE = "для вашей должности или подразделения"


def test_the_article_page_says_it_is_for_you_only_to_its_audience(client_for, world):
    offices, people = world
    root = make_section("Северу")
    section_target_apply(section=root, spec=spec(offices=[offices["north"]]))
    by_section = make_article(make_section("Внутри", parent=root), title="Через раздел")
    by_itself = make_article(title="Сам по себе")
    article_target_apply(article=by_itself, spec=spec(positions=["психолог"]))
    untargeted = make_article(title="Никому особо")
    anna, vera, boris = (client_for(people[name]) for name in ("anna", "vera", "boris"))
    assert BADGE in anna.get(by_section.get_absolute_url()).content.decode()
    assert BADGE not in anna.get(by_itself.get_absolute_url()).content.decode()
    assert BADGE in vera.get(by_itself.get_absolute_url()).content.decode()  # психолог, Север
    assert BADGE in vera.get(by_section.get_absolute_url()).content.decode()
    for url in (by_section, by_itself, untargeted):
        assert BADGE not in boris.get(url.get_absolute_url()).content.decode()
    # Nor on the cards of the home page, whatever the «Для вас» block holds.
    assert BADGE not in anna.get("/").content.decode()


# --- The editors' admin ----------------------------------------------------------


def _change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def _errors(response):
    assert response.status_code == 200, "the form was accepted"
    form = response.context["adminform"].form
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _state(article):
    article.refresh_from_db()
    return (article.version, article.target_audience_id, Audience.objects.count())


def test_an_editor_targets_an_article_at_positions_and_offices(editor_client, world):
    offices, people = world
    article = make_article(title="Стандарт приёма")
    data = form_data(editor_client.get(_change_url(article)), "article_form")
    data.update(
        target_offices=[str(offices["north"].pk)],
        target_positions=[str(Position.objects.get(title="консультант").pk)],
    )
    assert editor_client.post(_change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert list(article.target_audience.offices.all()) == [offices["north"]]
    assert _titles(people["anna"]) == ["Стандарт приёма"]
    again = form_data(editor_client.get(_change_url(article)), "article_form")
    assert again["target_offices"] == [str(offices["north"].pk)]
    assert article.target_audience.history.count() == 1


def test_a_target_nobody_matches_is_refused_with_the_count_until_confirmed(editor_client, world):
    offices, _people = world
    article = make_article()
    before = _state(article)
    data = form_data(editor_client.get(_change_url(article)), "article_form")
    data.update(target_offices=[str(offices["s2"].pk)])  # nobody works there
    errors = _errors(editor_client.post(_change_url(article), data))
    assert "Под этих адресатов сейчас не подходит ни один сотрудник (из 5 сотрудников)" in errors
    assert _state(article) == before
    data["confirm_empty_target"] = ["on"]
    assert editor_client.post(_change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert list(article.target_audience.offices.all()) == [offices["s2"]]


@pytest.mark.parametrize("field", ["target_offices", "target_positions", "target_roles"])
def test_forged_ids_are_refused_in_russian_and_nothing_is_saved(editor_client, world, field):
    article = make_article(title="Как было")
    before = _state(article)
    data = form_data(editor_client.get(_change_url(article)), "article_form")
    data.update({field: ["999999"], "title": ["Изменено"]})
    errors = _errors(editor_client.post(_change_url(article), data))
    assert "Выберите корректный вариант" in errors
    assert _state(article) == before
    assert article.title == "Как было"


def test_an_editor_targets_a_section(editor_client, world):
    _offices, people = world
    section = make_section("Работодателям", slug="rabotodatelyam")
    make_article(section, title="Вакансии")
    url = f"/admin/articles/section/{section.pk}/change/"
    data = form_data(editor_client.get(url), "section_form")
    data["target_positions"] = [str(Position.objects.get(title="психолог").pk)]
    assert editor_client.post(url, data).status_code == 302
    section.refresh_from_db()
    assert list(section.target_audience.positions.values_list("title", flat=True)) == ["психолог"]
    assert _titles(people["vera"]) == ["Вакансии"]


def test_a_section_target_nobody_matches_needs_confirmation(editor_client, world):
    _offices, _people = world
    section = make_section("Пустая аудитория")
    url = f"/admin/articles/section/{section.pk}/change/"
    data = form_data(editor_client.get(url), "section_form")
    data["target_roles"] = [str(role(roles.MANAGER).pk)]
    response = editor_client.post(url, data)
    assert "ни один сотрудник" in _errors(response)
    section.refresh_from_db()
    assert section.target_audience is None


def test_administrators_look_at_a_targeted_section_without_inputs(client_for, world):
    section = make_section("Смотрят")
    section_target_apply(section=section, spec=spec(positions=["консультант"]))
    admin = client_for(make_user("admin-1", role=roles.ADMINISTRATOR))
    response = admin.get(f"/admin/articles/section/{section.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="target_positions"' not in page
    assert "Для кого: должности: консультант — сотрудников: 2." in page


def test_deleting_a_targeted_position_or_office_names_what_targets_it(client_for, world):
    offices, _people = world
    article = make_article(title="Скрипт для консультантов")
    article_target_apply(article=article, spec=spec(positions=["консультант"]))
    section = make_section("Южным ЦЗН")
    section_target_apply(section=section, spec=spec(offices=[offices["s2"]]))
    admin = client_for(make_user("admin-1", role=roles.ADMINISTRATOR))
    position = Position.objects.get(title="консультант")
    page = admin.get(f"/admin/people/position/{position.pk}/delete/").content.decode()
    assert "адресаты материала «Скрипт для консультантов»" in page
    admin.post(f"/admin/people/position/{position.pk}/delete/", {"post": "yes"})
    assert Position.objects.filter(pk=position.pk).exists()
    response = admin.post(
        "/admin/people/office/",
        {"action": "delete_selected", "_selected_action": [offices["s2"].pk], "post": "yes"},
        follow=True,
    )
    page = response.content.decode()
    assert "Ничего не удалено" in page and "адресаты раздела «Южным ЦЗН»" in page
    assert Office.objects.filter(pk=offices["s2"].pk).exists()


def test_purging_a_targeted_article_and_section_drops_their_audiences(world):
    from datetime import timedelta

    from django.utils import timezone

    from articles.models import Section
    from articles.services import section_trash, trash_purge

    section = make_section("Уйдёт")
    section_target_apply(section=section, spec=spec(positions=["консультант"]))
    article = make_article(section, title="Уйдёт тоже")
    article_target_apply(article=article, spec=spec(positions=["психолог"]))
    section_trash(section=section)
    assert Audience.objects.count() == 2  # the trash can be restored
    trash_purge(before=timezone.now() + timedelta(seconds=1))
    assert not Section.all_objects.filter(pk=section.pk).exists()
    assert Audience.objects.count() == 0
