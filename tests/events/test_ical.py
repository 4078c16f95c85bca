"""The private iCal feed and the one-event file: valid RFC 5545 (CRLF line
ends, lines folded at 75 octets without breaking a character, TEXT
escaped, UTC times, all-day DATE values, stable UIDs), the person's own
events only, the token the only key — wrong, forged, revoked or the Atom
feed's token is a plain 404."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from events.ical import escape_text, fold
from notifications.feeds import feed_token_create, feed_token_value
from notifications.models import FeedToken
from tests.articles.reading import person, region, spec
from tests.events.factories import local, make_event

pytestmark = pytest.mark.django_db
CALENDAR = FeedToken.Purpose.CALENDAR


def _url(token):
    return f"/events/calendar/{feed_token_value(token)}.ics"


def _lines(body):
    """The content lines of ``body`` after checking its physical lines."""
    text = body.decode("utf-8")
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert "\n" not in line and "\r" not in line
        assert len(line.encode("utf-8")) <= 75, line
    unfolded = []
    for line in physical:
        if line.startswith(" "):
            unfolded[-1] += line[1:]
        else:
            unfolded.append(line)
    return unfolded


def _events(body):
    events, current = [], None
    for line in _lines(body):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            name, _sep, value = line.partition(":")
            current[name] = value
    return events


def test_escape_text_escapes_what_rfc_5545_asks():
    assert escape_text("a,b;c\\d\ne\r\nf\rg") == "a\\,b\\;c\\\\d\\ne\\nf\\ng"
    assert escape_text("звонок\x07") == "звонок"


def test_fold_never_breaks_a_character_and_keeps_75_octets():
    line = "DESCRIPTION:" + "Привет, мир; " * 30
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert parts[0] + "".join(part[1:] for part in parts[1:]) == line
    assert fold("SUMMARY:коротко") == "SUMMARY:коротко"


def test_the_feed_holds_the_persons_events_as_valid_icalendar(db):
    offices = region()
    reader = person("reader", office=offices["n1"], position="консультант")
    event = make_event(
        "Сессия: клиент, путь; шаги\\итоги",
        start=local(2030, 3, 12, 10),
        ends_at=local(2030, 3, 12, 17, 30),
        place="г. Самара, ул. Галактионовская, 157; зал 2",
        online_url="https://vks.example.ru/room/1?a=1,2;b",
        description="<p>Первая строка</p><p>Вторая, с запятой; и точкой с запятой</p>"
        + "<p>"
        + "Очень длинный текст описания мероприятия. " * 8
        + "</p>",
        audience=spec(offices=[offices["north"]]),
    )
    make_event("Для юга", start=local(2030, 3, 13, 10), audience=spec(offices=[offices["south"]]))
    make_event("Весь день", all_day=True, start=local(2030, 3, 20), ends_at=local(2030, 3, 21))
    make_event("Давнее", start=timezone.now() - timedelta(days=200))
    response = Client().get(_url(feed_token_create(user=reader, purpose=CALENDAR)))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    lines = _lines(response.content)
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert lines[-1] == "END:VCALENDAR"
    assert any(line.startswith("PRODID:") for line in lines)
    events = {e["SUMMARY"]: e for e in _events(response.content)}
    assert set(events) == {"Сессия: клиент\\, путь\\; шаги\\\\итоги", "Весь день"}
    session = events["Сессия: клиент\\, путь\\; шаги\\\\итоги"]
    assert session["UID"] == f"{event.uid}@kb-portal"
    assert session["DTSTART"] == "20300312T060000Z"  # 10:00 in Samara, UTC+4
    assert session["DTEND"] == "20300312T133000Z"
    assert session["DTSTAMP"].endswith("Z") and len(session["DTSTAMP"]) == 16
    assert session["SEQUENCE"] == "1"
    assert session["LOCATION"] == "г. Самара\\, ул. Галактионовская\\, 157\\; зал 2"
    assert "Первая строка\\nВторая\\, с запятой\\; и точкой с запятой" in session["DESCRIPTION"]
    assert "https://vks.example.ru/room/1?a=1\\,2\\;b" in session["DESCRIPTION"]
    assert session["URL"] == f"http://testserver/events/{event.pk}/"
    whole_day = events["Весь день"]
    assert whole_day["DTSTART;VALUE=DATE"] == "20300320"
    assert whole_day["DTEND;VALUE=DATE"] == "20300322"  # the day after the last


def test_the_uid_stays_and_the_sequence_grows_when_an_event_changes(staff):
    event = make_event("Обучение", start=local(2030, 3, 12, 10))
    url = _url(feed_token_create(user=staff, purpose=CALENDAR))
    before = _events(Client().get(url).content)[0]
    event.title = "Обучение: перенесено"
    event.starts_at += timedelta(hours=1)
    event.ends_at += timedelta(hours=1)
    event.save()
    after = _events(Client().get(url).content)[0]
    assert after["UID"] == before["UID"]
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after["DTSTART"] == "20300312T070000Z"


def test_the_feed_uses_portal_url_for_links(staff, settings):
    settings.PORTAL_URL = "https://kb.szn.local/"
    event = make_event("Обучение", start=local(2030, 3, 12, 10))
    body = Client().get(_url(feed_token_create(user=staff, purpose=CALENDAR))).content
    assert _events(body)[0]["URL"] == f"https://kb.szn.local/events/{event.pk}/"


@pytest.mark.parametrize("token", ["0" * 64, "abc", "../../etc/passwd", "a" * 200, "G" * 64])
def test_a_wrong_token_is_a_plain_404(staff, token):
    feed_token_create(user=staff, purpose=CALENDAR)
    response = Client().get(f"/events/calendar/{token}.ics")
    assert response.status_code == 404
    assert "токен" not in response.content.decode().lower()


def test_a_forged_mac_is_404(staff):
    value = feed_token_value(feed_token_create(user=staff, purpose=CALENDAR))
    forged = value[:32] + ("0" if value[32] != "0" else "1") + value[33:]
    assert Client().get(f"/events/calendar/{forged}.ics").status_code == 404


def test_the_atom_feeds_token_does_not_open_the_calendar_nor_the_other_way(staff):
    atom = feed_token_create(user=staff)
    calendar = feed_token_create(user=staff, purpose=CALENDAR)
    assert Client().get(f"/events/calendar/{feed_token_value(atom)}.ics").status_code == 404
    assert Client().get(f"/new/feed/{feed_token_value(calendar)}.atom").status_code == 404
    # Same key, the other purpose's MAC: still nothing.
    assert (
        Client().get(f"/events/calendar/{atom.key}{feed_token_value(atom)[32:]}.ics").status_code
        == 404
    )
    assert Client().get(_url(calendar)).status_code == 200
    assert Client().get(f"/new/feed/{feed_token_value(atom)}.atom").status_code == 200


def test_create_replace_and_revoke_from_the_profile(staff_client, staff):
    page = staff_client.get("/accounts/profile/").content.decode()
    assert "Создать ссылку на календарь" in page
    assert "Отозвать ссылку на календарь" not in page
    response = staff_client.post("/events/calendar/create/")
    assert response.status_code == 302
    first = FeedToken.objects.get(user=staff, purpose=CALENDAR)
    page = staff_client.get("/accounts/profile/").content.decode()
    assert _url(first) in page and "Отозвать ссылку на календарь" in page
    assert ">Создать ссылку</button>" in page  # the Atom feed's own button is still there
    staff_client.post("/events/calendar/create/")
    second = FeedToken.objects.get(user=staff, purpose=CALENDAR)
    assert Client().get(_url(first)).status_code == 404
    assert Client().get(_url(second)).status_code == 200
    staff_client.post("/events/calendar/revoke/")
    assert not FeedToken.objects.filter(purpose=CALENDAR).exists()
    assert Client().get(_url(second)).status_code == 404


def test_revoking_the_calendar_leaves_the_atom_feed(staff_client, staff):
    atom = feed_token_create(user=staff)
    staff_client.post("/events/calendar/create/")
    staff_client.post("/events/calendar/revoke/")
    assert FeedToken.objects.filter(pk=atom.pk).exists()
    staff_client.post("/notifications/feed/revoke/")
    assert not FeedToken.objects.exists()


def test_the_buttons_need_post(staff_client):
    assert staff_client.get("/events/calendar/create/").status_code == 405
    assert staff_client.get("/events/calendar/revoke/").status_code == 405
    assert not FeedToken.objects.exists()


def test_an_inactive_persons_calendar_is_404(staff):
    token = feed_token_create(user=staff, purpose=CALENDAR)
    staff.is_active = False
    staff.save()
    assert Client().get(_url(token)).status_code == 404


def test_one_event_as_a_file(staff_client):
    event = make_event("Вебинар", start=local(2030, 3, 12, 10), online_url="https://v.example/1")
    response = staff_client.get(f"/events/{event.pk}/event.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert [e["SUMMARY"] for e in _events(response.content)] == ["Вебинар"]


def test_the_feed_query_count_does_not_grow(staff, django_assert_num_queries):
    url = _url(feed_token_create(user=staff, purpose=CALENDAR))
    client = Client()
    offices = region()
    for i in range(3):
        make_event(f"Событие {i}", start=local(2030, 3, 1 + i, 10), organiser_office=offices["n1"])
    # the token with its person; the events with their organisers
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200
    for i in range(30):
        make_event(
            f"Ещё {i}",
            start=local(2030, 4, 1 + i % 28, 10),
            organiser_office=offices["s1"],
            organiser_user=staff,
            audience=spec(offices=[offices["north"]]) if i % 2 else None,
        )
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200
