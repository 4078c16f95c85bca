"""The lists, the filters and an event's page: upcoming and past in their
order, filters by month, «только для меня» (the audience rule of
people.audiences), the organiser's office with the offices under it, the
format and the kind; wrong values named; nothing from an event runs as a
script."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from events.models import Event
from events.services import event_trash
from people import roles
from tests.articles.reading import person, region, spec
from tests.events.factories import local, make_event
from tests.factories import make_article
from tests.html import active_content

pytestmark = pytest.mark.django_db


def _titles(response):
    return [event.title for event in response.context["page"]]


def _soon(days, **extra):
    return timezone.now() + timedelta(days=days, **extra)


def test_upcoming_soonest_first_and_past_latest_first(staff_client):
    make_event("Через неделю", start=_soon(7))
    make_event("Завтра", start=_soon(1))
    make_event("Идёт сейчас", start=_soon(0, hours=-1), hours=3)
    make_event("Неделю назад", start=_soon(-7))
    make_event("Вчера", start=_soon(-1))
    upcoming = staff_client.get("/events/list/")
    assert _titles(upcoming) == ["Идёт сейчас", "Завтра", "Через неделю"]
    past = staff_client.get("/events/list/", {"when": "past"})
    assert _titles(past) == ["Вчера", "Неделю назад"]
    assert "Прошедшие мероприятия" in past.content.decode()


def test_the_list_pages_by_twenty(staff_client):
    for day in range(25):
        make_event(f"Занятие {day:02d}", start=_soon(day + 1))
    first = staff_client.get("/events/list/")
    assert len(first.context["page"]) == 20
    second = staff_client.get("/events/list/", {"page": "2"})
    assert _titles(second) == [f"Занятие {day:02d}" for day in range(20, 25)]


def test_a_month_narrows_the_list(staff_client):
    make_event("Мартовское", start=local(2030, 3, 10, 10))
    make_event("Апрельское", start=local(2030, 4, 10, 10))
    response = staff_client.get("/events/list/", {"month": "2030-03"})
    assert _titles(response) == ["Мартовское"]


def test_format_and_kind_filters(staff_client):
    make_event("Очное", start=_soon(1), kind=Event.Kind.TRAINING)
    make_event("Онлайн", start=_soon(2), place="", online_url="https://vks.example.ru/1")
    make_event("Смешанное", start=_soon(3), online_url="https://vks.example.ru/2")
    assert _titles(staff_client.get("/events/list/", {"format": "online"})) == [
        "Онлайн",
        "Смешанное",
    ]
    assert _titles(staff_client.get("/events/list/", {"format": "offline"})) == [
        "Очное",
        "Смешанное",
    ]
    assert _titles(staff_client.get("/events/list/", {"kind": "training"})) == ["Очное"]


def test_the_office_filter_takes_the_offices_under_it(staff_client):
    offices = region()
    make_event("Отдел", start=_soon(1), organiser_office=offices["north"])
    make_event("ЦЗН отдела", start=_soon(2), organiser_office=offices["n1"])
    make_event("Другой отдел", start=_soon(3), organiser_office=offices["s1"])
    make_event("Без организатора", start=_soon(4))
    response = staff_client.get("/events/list/", {"office": offices["north"].pk})
    assert _titles(response) == ["Отдел", "ЦЗН отдела"]
    make_event("ЦЗН отдела в марте", start=local(2030, 3, 5, 10), organiser_office=offices["n1"])
    make_event("Отдел в марте", start=local(2030, 3, 6, 10), organiser_office=offices["north"])
    calendar = staff_client.get("/events/", {"office": offices["n1"].pk, "month": "2030-03"})
    assert [e.title for e in calendar.context["month"].events] == ["ЦЗН отдела в марте"]


def test_only_for_me_follows_the_audience_rule(client):
    offices = region()
    reader = person("reader", office=offices["n1"], position="консультант")
    make_event("Для всех", start=_soon(1))
    make_event("Для северного отдела", start=_soon(2), audience=spec(offices=[offices["north"]]))
    make_event("Для южного отдела", start=_soon(3), audience=spec(offices=[offices["south"]]))
    make_event("Для консультантов", start=_soon(4), audience=spec(positions=["консультант"]))
    make_event(
        "Для психологов севера",
        start=_soon(5),
        audience=spec(offices=[offices["north"]], positions=["психолог"]),
    )
    make_event("Для руководителей", start=_soon(6), audience=spec(roles=[roles.MANAGER]))
    client.force_login(reader)
    everything = client.get("/events/list/")
    assert len(_titles(everything)) == 6  # discovery, not access: everyone sees all
    mine = client.get("/events/list/", {"mine": "1"})
    assert _titles(mine) == ["Для всех", "Для северного отдела", "Для консультантов"]
    # Targeted at the reader: marked «для вас»; for everyone: not marked.
    marked = {event.title: event.targeted for event in mine.context["page"]}
    assert marked == {
        "Для всех": False,
        "Для северного отдела": True,
        "Для консультантов": True,
    }
    assert "для вас" in mine.content.decode()


def test_only_for_me_by_role(client):
    head = person("head", office=None, role=roles.MANAGER)
    make_event("Для руководителей", start=_soon(1), audience=spec(roles=[roles.MANAGER]))
    client.force_login(head)
    assert _titles(client.get("/events/list/", {"mine": "1"})) == ["Для руководителей"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"office": "999999"}, "Такого подразделения нет"),
        ({"office": "abc"}, "Такого подразделения нет"),
        ({"format": "hybrid"}, "Такого формата нет"),
        ({"kind": "party"}, "Такого вида мероприятий нет"),
        ({"month": "2026-13"}, "Месяц указан неверно"),
    ],
)
def test_a_wrong_filter_is_named_and_left_out(staff_client, params, message):
    make_event("Завтрашнее", start=_soon(1))
    response = staff_client.get("/events/list/", params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _titles(response) == ["Завтрашнее"]


def test_the_event_page(staff_client):
    offices = region()
    organiser = person("org", office=offices["north"], first_name="Ольга", last_name="Смирнова")
    published = make_article(title="Презентация сессии", kind=Article.Kind.PRESENTATION)
    draft = make_article(title="Черновик методички", status=Article.Status.DRAFT)
    report = make_article(title="Фотоотчёт сессии", kind=Article.Kind.REPORT)
    event = make_event(
        "Стратегическая сессия",
        start=local(2026, 3, 12, 10),
        ends_at=local(2026, 3, 12, 17),
        online_url="https://vks.example.ru/room/1",
        organiser_user=organiser,
        organiser_office=offices["north"],
        description="<h2>Программа</h2><p>Утро — цели.</p>",
        report=report,
        kind=Event.Kind.SESSION,
        audience=spec(offices=[offices["north"]], positions=["консультант"]),
    )
    event.materials.set([published, draft])
    page = staff_client.get(event.get_absolute_url()).content.decode()
    assert "Стратегическая сессия" in page
    assert "12 марта 2026" in page and "10:00" in page and "17:00" in page
    assert "очно и онлайн" in page
    assert 'href="https://vks.example.ru/room/1"' in page
    assert "Ольга Смирнова" in page and "Северный отдел" in page
    assert "консультант" in page
    assert "<h2>Программа</h2>" in page
    assert "Презентация сессии" in page
    assert "Черновик методички" not in page  # staff do not see drafts
    assert "Фотоотчёт сессии" in page
    assert f"/events/{event.pk}/event.ics" in page


def test_a_report_in_the_trash_or_a_draft_is_not_offered_to_staff(staff_client):
    report = make_article(title="Отчёт-черновик", kind=Article.Kind.REPORT, status="draft")
    event = make_event("Прошедшее", start=_soon(-3), report=report)
    page = staff_client.get(event.get_absolute_url()).content.decode()
    assert "Отчёт-черновик" not in page
    assert "Отчёт о мероприятии пока не опубликован" in page
    Article.objects.filter(pk=report.pk).update(status="published", deleted_at=timezone.now())
    assert "Отчёт-черновик" not in staff_client.get(event.get_absolute_url()).content.decode()


def test_an_event_in_the_trash_or_missing_is_not_found(staff_client):
    event = make_event()
    event_trash(event=event)
    assert staff_client.get(event.get_absolute_url()).status_code == 404
    assert staff_client.get(f"/events/{event.pk}/event.ics").status_code == 404
    assert staff_client.get("/events/999999/").status_code == 404


XSS_TITLE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def test_nothing_from_an_event_runs_as_a_script(staff_client):
    report = make_article(title="<script>alert(3)</script>", kind=Article.Kind.REPORT)
    event = make_event(
        XSS_TITLE,
        start=_soon(1),
        place='<script>alert(4)</script>"><svg onload=alert(5)>',
        description='<p>Текст</p><script>alert(6)</script><a href="javascript:alert(7)">x</a>'
        '<p style="background:url(javascript:alert(8))" onmouseover="alert(9)">y</p>',
        report=report,
    )
    Event.all_objects.filter(pk=event.pk).update(online_url="javascript:alert(10)")
    month = event.first_day.strftime("%Y-%m")
    for url in [
        event.get_absolute_url(),
        "/events/list/",
        f"/events/?month={month}",
        "/",
    ]:
        page = staff_client.get(url).content.decode()
        assert active_content(page) == [], url
    detail = staff_client.get(event.get_absolute_url()).content.decode()
    assert "javascript:alert(10)" not in detail
