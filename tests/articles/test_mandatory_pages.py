"""What a staff member sees of mandatory reading: only the documents that
apply to them — on the home page, on «/mandatory/», the badge and the button
on the article — with the deadline, the state, and after a change what
changed and a link to the comparison; acknowledgement records the version
read."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.mandatory import is_member
from articles.models import Acknowledgement, Article
from tests.articles.reading import mandatory_article, person, reack, region, spec
from tests.factories import make_article

TODAY = timezone.localdate


@pytest.fixture
def world(db):
    offices = region()
    people = {
        "anna": person("anna", office=offices["n1"], position="консультант"),
        "boris": person("boris", office=offices["s1"], position="психолог"),
    }
    documents = {
        "all": mandatory_article(title="Кодекс", deadline=TODAY() + timedelta(days=5)),
        "north": mandatory_article(
            title="Стандарт Севера",
            audience=spec(offices=[offices["north"]]),
            deadline=TODAY() + timedelta(days=1),
        ),
        "psychologists": mandatory_article(
            title="Памятка психолога", audience=spec(positions=["психолог"])
        ),
    }
    return offices, people, documents


def _titles(rows):
    return [row.article.title for row in rows]


def test_mandatory_page_lists_only_what_applies_with_deadlines(client_for, world):
    _offices, people, documents = world
    Article.all_objects.filter(pk=documents["all"].pk).update(
        mandatory_deadline=TODAY() - timedelta(days=2)
    )
    response = client_for(people["anna"]).get("/mandatory/")
    rows = response.context["rows"]
    assert _titles(rows) == ["Кодекс", "Стандарт Севера"]  # the due first
    assert [row.state for row in rows] == ["overdue", "waiting"]
    page = response.content.decode()
    assert "Памятка психолога" not in page
    assert "просрочено" in page and "ожидает" in page
    assert "Срок прошёл у 1 документа." in page


def test_acknowledged_shows_as_read_and_the_filter_hides_it(client_for, world):
    _offices, people, documents = world
    client = client_for(people["anna"])
    client.post(f"/articles/{documents['north'].pk}/acknowledge/")
    rows = client.get("/mandatory/").context["rows"]
    assert [row.state for row in rows] == ["waiting", "read"]
    assert _titles(client.get("/mandatory/?unread=1").context["rows"]) == ["Кодекс"]


def test_home_shows_only_what_applies_and_is_unread(client_for, world):
    _offices, people, documents = world
    home = client_for(people["boris"]).get("/")
    assert [a.title for a in home.context["mandatory"]] == ["Кодекс", "Памятка психолога"]
    client = client_for(people["boris"])
    client.post(f"/articles/{documents['all'].pk}/acknowledge/")
    assert [a.title for a in client.get("/").context["mandatory"]] == ["Памятка психолога"]


def test_the_article_shows_badge_deadline_and_button_to_its_audience_only(client_for, world):
    _offices, people, documents = world
    url = documents["north"].get_absolute_url()
    page = client_for(people["anna"]).get(url).content.decode()
    assert "обязательно для ознакомления" in page
    assert "Ознакомиться до" in page
    assert f'action="/articles/{documents["north"].pk}/acknowledge/"' in page
    assert f'name="version" value="{documents["north"].version}"' in page
    other = client_for(people["boris"]).get(url).content.decode()
    assert "обязательно для ознакомления" not in other
    assert "/acknowledge/" not in other


def test_someone_outside_the_audience_cannot_acknowledge(client_for, world):
    _offices, people, documents = world
    response = client_for(people["boris"]).post(
        f"/articles/{documents['north'].pk}/acknowledge/", follow=True
    )
    assert "не входит в обязательные для вас" in response.content.decode()
    assert not Acknowledgement.objects.exists()


def test_acknowledging_records_the_version_read(client_for, world):
    _offices, people, documents = world
    article = documents["all"]
    client = client_for(people["anna"])
    response = client.post(
        f"/articles/{article.pk}/acknowledge/", {"version": article.version}, follow=True
    )
    assert "Отмечено: вы ознакомились с документом." in response.content.decode()
    mark = Acknowledgement.objects.get()
    assert (mark.user, mark.article_version) == (people["anna"], article.version)


def test_a_forged_version_is_taken_as_the_current_one(client_for, world):
    _offices, people, documents = world
    article = documents["all"]
    client_for(people["anna"]).post(f"/articles/{article.pk}/acknowledge/", {"version": "999"})
    assert Acknowledgement.objects.get().article_version == article.version


def test_after_a_round_the_reader_is_asked_again_with_what_changed(client_for, world):
    _offices, people, documents = world
    article = documents["all"]
    client = client_for(people["anna"])
    client.post(f"/articles/{article.pk}/acknowledge/", {"version": article.version})
    read = article.version
    reack(article, summary="Срок записи сокращён до трёх дней.")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Документ изменён — ознакомьтесь с ним снова." in page
    assert "Срок записи сокращён до трёх дней." in page
    assert f"/articles/{article.pk}/history/compare/?from={read}" in page
    row = next(r for r in client.get("/mandatory/").context["rows"] if r.article == article)
    assert (row.state, row.reasked, row.old_version) == ("waiting", True, read)
    assert row.round.summary == "Срок записи сокращён до трёх дней."
    assert "Кодекс" in [a.title for a in client.get("/").context["mandatory"]]
    # Acknowledging again records the new version; the old mark stays.
    article.refresh_from_db()
    client.post(f"/articles/{article.pk}/acknowledge/", {"version": article.version})
    versions = sorted(
        Acknowledgement.objects.filter(user=people["anna"]).values_list(
            "article_version", flat=True
        )
    )
    assert versions == [read, article.version]
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Вы отметили, что ознакомились с этим документом." in page


def test_acknowledging_the_version_read_before_a_round_keeps_it_unread(client_for, world):
    _offices, people, documents = world
    article = documents["all"]
    shown = article.version  # the page was opened, then the editor started a round
    reack(article)
    client = client_for(people["anna"])
    response = client.post(f"/articles/{article.pk}/acknowledge/", {"version": shown}, follow=True)
    assert "Пока вы читали, документ изменили" in response.content.decode()
    assert Acknowledgement.objects.get().article_version == shown
    row = next(r for r in client.get("/mandatory/").context["rows"] if r.article == article)
    assert row.state == "waiting"


def test_a_non_mandatory_article_has_no_button(client_for, world):
    _offices, people, _documents = world
    article = make_article(title="Просто статья")
    page = client_for(people["anna"]).get(article.get_absolute_url()).content.decode()
    assert "/acknowledge/" not in page


def test_cards_mark_only_what_is_mandatory_for_everyone(client_for, world):
    _offices, people, documents = world
    page = client_for(people["anna"]).get(documents["north"].section.get_absolute_url())
    assert "обязательно для ознакомления" not in page.content.decode()
    page = client_for(people["anna"]).get(documents["all"].section.get_absolute_url())
    assert "обязательно для ознакомления" in page.content.decode()


# --- «Что изменилось»: two versions compared -------------------------------------


def test_compare_shows_the_words_that_changed(client_for, world):
    _offices, people, documents = world
    article = documents["all"]
    old = article.version
    reack(article, body="<p>Запись за три дня.</p>")
    response = client_for(people["boris"]).get(
        f"/articles/{article.pk}/history/compare/", {"from": old}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<ins>" in page and "три дня" in page
    assert f"Версия {old} → версия {old + 1}" in page


@pytest.mark.parametrize("query", [{"from": "abc"}, {"from": "999"}, {}, {"from": "1", "to": "x"}])
def test_compare_answers_404_to_versions_that_are_not_there(client_for, world, query):
    _offices, people, documents = world
    url = f"/articles/{documents['all'].pk}/history/compare/"
    assert client_for(people["anna"]).get(url, query).status_code == 404


def test_staff_cannot_compare_unpublished_versions(client_for, world, editor):
    _offices, people, _documents = world
    article = make_article(status=Article.Status.DRAFT, body="<p>Черновик.</p>")
    article.status = Article.Status.PUBLISHED
    article.save()
    url = f"/articles/{article.pk}/history/compare/"
    assert client_for(people["anna"]).get(url, {"from": 1}).status_code == 404
    assert client_for(editor).get(url, {"from": 1}).status_code == 200


def test_inactive_people_are_not_asked(world):
    _offices, people, documents = world
    people["anna"].is_active = False
    assert not is_member(article=documents["all"], user=people["anna"])


def test_a_second_mark_is_not_recorded_while_one_counts(client_for, world):
    _offices, people, documents = world
    article = documents["all"]
    client = client_for(people["anna"])
    client.post(f"/articles/{article.pk}/acknowledge/", {"version": article.version})
    article.title = "Кодекс, опечатка исправлена"
    article.save()  # a new version, no round: the mark still counts
    response = client.post(
        f"/articles/{article.pk}/acknowledge/", {"version": article.version}, follow=True
    )
    assert "Отмечено" in response.content.decode()
    assert Acknowledgement.objects.filter(user=people["anna"]).count() == 1
