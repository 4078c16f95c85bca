"""The demo's month of events: around today, past and upcoming, every one
valid, one with its photo report; a second run adds nothing; the schedule
document links to the calendar instead of repeating it."""

import pytest
from django.utils import timezone

from articles.models import Article
from events.demo import EVENTS, seed_events
from events.models import Event
from fixtures import demo_content
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def test_a_month_of_valid_events_around_today_once():
    section = make_section()
    report = make_article(
        section,
        slug="fotootchet-fleshmob-myslim-klientocentrichno",
        kind=Article.Kind.REPORT,
        title="Фотоотчёт: флешмоб",
    )
    assert seed_events() == {"events": len(EVENTS)}
    events = list(Event.objects.all())
    for event in events:
        event.full_clean()
    today = timezone.localdate()
    days = [(event.first_day - today).days for event in events]
    assert min(days) < 0 < max(days) and max(days) - min(days) <= 62
    assert Event.objects.get(report=report).title == "Флешмоб «Мыслим клиентоцентрично»"
    assert Event.objects.filter(audience__isnull=False).exists()
    assert Event.objects.filter(all_day=True).exists()
    assert seed_events() == {"events": 0}
    assert Event.objects.count() == len(EVENTS)


def test_the_schedule_document_links_to_the_calendar():
    schedule = next(
        spec
        for spec in demo_content.ARTICLES
        if spec["slug"] == "grafik-meropriyatij-po-klientocentrichnosti-2026"
    )
    assert 'href="/events/"' in schedule["body"]
    assert "<table>" not in schedule["body"]  # not repeated by hand
