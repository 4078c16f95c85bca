"""What an event must be: it ends after it starts, takes place somewhere or
online at a web address, and its report is a photo/video report — each
refusal in Russian. Whatever way it is saved, rich text is sanitised and an
all-day event covers its local days."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.models import Article
from events.models import Event
from tests.events.factories import local, make_event
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def _event(**fields):
    values = {
        "title": "Обучение",
        "starts_at": local(2026, 3, 12, 10),
        "ends_at": local(2026, 3, 12, 12),
        "place": "г. Самара, зал 1",
    }
    values.update(fields)
    return Event(**values)


def _errors(event):
    with pytest.raises(ValidationError) as caught:
        event.full_clean()
    return caught.value.message_dict


def test_a_good_event_is_valid():
    _event().full_clean()
    _event(place="", online_url="https://vks.example.ru/room/1").full_clean()


def test_end_before_start_is_refused_in_russian():
    errors = _errors(_event(ends_at=local(2026, 3, 12, 9)))
    assert "Окончание раньше начала" in errors["ends_at"][0]


def test_end_equal_to_start_is_refused_for_a_timed_event():
    errors = _errors(_event(ends_at=local(2026, 3, 12, 10)))
    assert "Окончание раньше начала" in errors["ends_at"][0]


def test_an_all_day_event_may_end_on_the_day_it_starts_but_not_before():
    _event(all_day=True, ends_at=local(2026, 3, 12, 10)).full_clean()
    errors = _errors(_event(all_day=True, ends_at=local(2026, 3, 11, 23, 59)))
    assert "день окончания" in errors["ends_at"][0]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://files.example.ru/a",
        "file:///c:/secret",
        "vks.example",
        "http://",
        "https://exa mple.ru",
    ],
)
def test_a_link_that_is_not_a_web_address_is_refused(url):
    errors = _errors(_event(online_url=url))
    assert "http:// или https://" in errors["online_url"][0]


def test_somewhere_or_online_is_required():
    errors = _errors(_event(place="  "))
    assert "место проведения или ссылку" in errors["place"][0]


def test_the_report_must_be_a_photo_or_video_report():
    document = make_article(kind=Article.Kind.DOCUMENT)
    errors = _errors(_event(report=document))
    assert "фото/видеоотчёт" in errors["report"][0]
    _event(report=make_article(kind=Article.Kind.REPORT)).full_clean()


def test_the_database_refuses_an_end_before_the_start_too():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(start=local(2026, 3, 12, 10), ends_at=local(2026, 3, 12, 9))
    assert not Event.all_objects.exists()


def test_saving_sanitises_the_description_and_the_title():
    event = make_event(
        title="<b>Сессия</b> <script>alert(1)</script>",
        description='<p onclick="x()">Программа</p><script>alert(2)</script>'
        '<a href="javascript:alert(3)">ссылка</a><img src="https://evil.example/x.png">',
    )
    event.refresh_from_db()
    assert "<" not in event.title
    assert "script" not in event.description
    assert "onclick" not in event.description
    assert "javascript:" not in event.description
    assert "evil.example" not in event.description
    assert "Программа" in event.description


def test_an_all_day_event_covers_its_local_days_whatever_the_times():
    event = make_event(
        all_day=True, start=local(2026, 3, 12, 15, 30), ends_at=local(2026, 3, 13, 9)
    )
    event.refresh_from_db()
    assert event.starts_at == local(2026, 3, 12)
    assert event.ends_at == local(2026, 3, 14) - timedelta(seconds=1)
    assert (event.first_day.day, event.last_day.day) == (12, 13)


def test_an_event_ending_at_midnight_ends_the_day_before():
    event = make_event(start=local(2026, 3, 12, 18), ends_at=local(2026, 3, 13))
    assert event.first_day == event.last_day
    assert not event.is_multiday


def test_every_save_is_a_new_version_in_history():
    event = make_event()
    uid = event.uid
    event.title = "Обучение: группа 2"
    event.save()
    event.refresh_from_db()
    assert event.version == 2
    assert event.uid == uid  # the calendar's UID never changes
    assert event.history.count() == 2


def test_the_format_follows_from_the_place_and_the_link():
    assert _event().format_label == "очно"
    assert _event(place="", online_url="https://vks.example.ru/1").format_label == "онлайн"
    assert _event(online_url="https://vks.example.ru/1").format_label == "очно и онлайн"


def test_a_link_written_around_the_form_is_never_offered_as_a_link():
    event = make_event(online_url="javascript:alert(1)")
    assert event.link == ""
    assert make_event(online_url="https://vks.example.ru/1").link
