import datetime as dt
import zoneinfo

from django.template import Context, Template
from django.test import override_settings

from kb_portal.templatetags.kb_dates import iso_datetime


def render(value):
    return Template("{% load kb_dates %}{{ value|iso_datetime }}").render(Context({"value": value}))


@override_settings(TIME_ZONE="Europe/Samara")
def test_aware_moment_in_local_time_without_microseconds():
    moment = dt.datetime(2026, 12, 1, 3, 19, 5, 481810, tzinfo=dt.UTC)
    assert render(moment) == "2026-12-01T07:19:05+04:00"


def test_naive_moment_keeps_its_clock():
    assert iso_datetime(dt.datetime(2026, 3, 8, 9, 5, 0, 123)) == "2026-03-08T09:05:00"


def test_other_zone_is_converted_to_local_time():
    moment = dt.datetime(2026, 1, 1, 12, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Yekaterinburg"))
    with override_settings(TIME_ZONE="Europe/Moscow"):
        assert iso_datetime(moment) == "2026-01-01T10:00:00+03:00"


def test_date_is_a_date_string():
    assert render(dt.date(2026, 2, 9)) == "2026-02-09"


def test_empty_values_give_nothing():
    assert render(None) == ""
    assert render("") == ""
