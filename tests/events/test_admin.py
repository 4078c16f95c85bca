"""Editors keep events in the admin: the audience and the organiser are set
there, bad input is refused in Russian with nothing saved, deleting goes to
the trash and comes back, a stale form cannot overwrite a newer save.
Administrators only look; the working group has no admin."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from articles.models import Article
from events.models import Event
from events.services import event_trash
from people.models import Audience
from tests.articles.reading import person, region
from tests.events.factories import make_event
from tests.factories import ROLE_USERS, make_article, make_user
from tests.html import form_data

pytestmark = pytest.mark.django_db
ADD = "/admin/events/event/add/"


def _data(**fields):
    data = {
        "title": "Обучение «Скрипты»",
        "kind": "training",
        "description": "<p>Программа</p>",
        "starts_at_0": "2030-03-12",
        "starts_at_1": "10:00",
        "ends_at_0": "2030-03-12",
        "ends_at_1": "13:00",
        "place": "г. Самара, учебный класс",
        "online_url": "",
        "organiser_login": "",
        "organiser_office": "",
        "report": "",
    }
    data.update(fields)
    return data


def _errors(response):
    assert response.status_code == 200
    form = response.context["adminform"].form
    return {name: " ".join(messages) for name, messages in form.errors.items()}


def test_an_editor_adds_an_event_with_its_audience_and_organiser(editor_client):
    offices = region()
    organiser = person("org", office=offices["north"], first_name="Ольга", last_name="Смирнова")
    person("reader", office=offices["n1"])  # someone in the audience
    report = make_article(title="Фотоотчёт", kind=Article.Kind.REPORT)
    material = make_article(title="Памятка")
    response = editor_client.post(
        ADD,
        _data(
            organiser_login="org",
            organiser_office=offices["north"].pk,
            audience_offices=[offices["north"].pk],
            materials=[material.pk],
            report=report.pk,
            online_url="vks.example.ru/room/1",
        ),
    )
    assert response.status_code == 302, _errors(response)
    event = Event.objects.get()
    assert event.organiser_user == organiser
    assert event.online_url == "https://vks.example.ru/room/1"  # typed without a scheme
    assert list(event.audience.offices.all()) == [offices["north"]]
    assert list(event.materials.all()) == [material]
    assert event.report == report
    assert event.starts_at == timezone.make_aware(timezone.datetime(2030, 3, 12, 10))
    page = editor_client.get(f"/admin/events/event/{event.pk}/change/").content.decode()
    assert 'value="org"' in page
    assert "Северный отдел" in page


def test_end_before_start_is_refused_and_nothing_saved(editor_client):
    offices = region()
    response = editor_client.post(
        ADD, _data(ends_at_1="09:00", audience_offices=[offices["north"].pk])
    )
    assert "Окончание раньше начала" in _errors(response)["ends_at"]
    assert not Event.all_objects.exists()
    assert not Audience.objects.exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://files.example.ru/x", "http://"])
def test_a_bad_link_is_refused_and_nothing_saved(editor_client, url):
    response = editor_client.post(ADD, _data(online_url=url))
    assert "http:// или https://" in _errors(response)["online_url"]
    assert not Event.all_objects.exists()


def test_neither_place_nor_link_is_refused(editor_client):
    response = editor_client.post(ADD, _data(place=""))
    assert "место проведения или ссылку" in _errors(response)["place"]
    assert not Event.all_objects.exists()


def test_an_unknown_or_inactive_organiser_is_refused(editor_client):
    response = editor_client.post(ADD, _data(organiser_login="nobody"))
    assert "Нет действующего сотрудника с логином «nobody»" in _errors(response)["organiser_login"]
    make_user("gone", is_active=False)
    response = editor_client.post(ADD, _data(organiser_login="gone"))
    assert "organiser_login" in _errors(response)
    assert not Event.all_objects.exists()


def test_a_report_that_is_not_a_report_is_refused(editor_client):
    document = make_article(kind=Article.Kind.DOCUMENT)
    response = editor_client.post(ADD, _data(report=document.pk))
    assert "report" in _errors(response)
    assert not Event.all_objects.exists()


def test_an_audience_nobody_matches_needs_a_confirmation(editor_client):
    offices = region()  # no people in these offices
    response = editor_client.post(ADD, _data(audience_offices=[offices["s2"].pk]))
    assert "ни один сотрудник" in _errors(response)["confirm_empty_audience"]
    assert not Event.all_objects.exists() and not Audience.objects.exists()
    response = editor_client.post(
        ADD, _data(audience_offices=[offices["s2"].pk], confirm_empty_audience="on")
    )
    assert response.status_code == 302
    assert Event.objects.get().audience is not None


def test_clearing_the_audience_makes_it_for_everyone(editor_client):
    offices = region()
    person("reader", office=offices["n1"])
    editor_client.post(ADD, _data(audience_offices=[offices["north"].pk]))
    event = Event.objects.get()
    url = f"/admin/events/event/{event.pk}/change/"
    data = form_data(editor_client.get(url), "event_form")
    data.pop("audience_offices", None)
    response = editor_client.post(url, data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.audience is None
    assert not Audience.objects.exists()


def test_a_stale_form_does_not_overwrite_a_newer_save(editor_client):
    event = make_event("Обучение")
    url = f"/admin/events/event/{event.pk}/change/"
    data = form_data(editor_client.get(url), "event_form")
    event.title = "Обучение: сохранил другой редактор"
    event.save()
    data["title"] = ["Моя правка"]
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "сохранил другой редактор" in response.content.decode()
    event.refresh_from_db()
    assert event.title == "Обучение: сохранил другой редактор"


def test_deleting_goes_to_the_trash_and_comes_back(editor_client):
    event = make_event("Отменённое")
    response = editor_client.post(f"/admin/events/event/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.deleted_at is not None
    assert not Event.objects.exists()
    listing = editor_client.get("/admin/events/eventtrash/").content.decode()
    assert "Отменённое" in listing
    response = editor_client.post(
        "/admin/events/eventtrash/",
        {"action": "restore", "_selected_action": [event.pk]},
    )
    assert response.status_code == 302
    assert Event.objects.filter(pk=event.pk).exists()


def test_the_trash_is_purged_after_the_retention(settings):
    settings.TRASH_RETENTION_DAYS = 30
    old, recent = make_event("Давно удалённое"), make_event("Недавно удалённое")
    event_trash(event=old)
    event_trash(event=recent)
    Event.all_objects.filter(pk=old.pk).update(
        deleted_at=timezone.now() - timezone.timedelta(days=31)
    )
    out = StringIO()
    call_command("purge_trash", stdout=out)
    assert "мероприятий — 1" in out.getvalue()
    assert list(Event.all_objects.values_list("title", flat=True)) == ["Недавно удалённое"]
    assert Event.history.filter(id=old.pk).exists()  # the record stays


@pytest.mark.parametrize(
    ("role", "listing", "add", "change"),
    [
        ("editor", 200, 200, 200),
        ("administrator", 200, 403, 200),  # looks, does not write
        ("working_group", 403, 403, 403),  # the admin is the editors' and administrators'
        ("manager", 403, 403, 403),
        ("staff", 403, 403, 403),
    ],
)
def test_who_uses_the_events_admin(role, listing, add, change):
    event = make_event()
    client = Client()
    client.force_login(make_user(role=ROLE_USERS[role]))
    assert client.get("/admin/events/event/", follow=True).status_code == listing
    assert client.get(ADD, follow=True).status_code == add
    response = client.get(f"/admin/events/event/{event.pk}/change/", follow=True)
    assert response.status_code == change
    if role == "administrator":
        assert "audience_offices" not in response.content.decode()  # view only


def test_history_is_kept_and_readable(editor_client):
    event = make_event("Обучение")
    event.title = "Обучение, группа 2"
    event.save()
    page = editor_client.get(f"/admin/events/event/{event.pk}/history/").content.decode()
    assert "Обучение, группа 2" in page
