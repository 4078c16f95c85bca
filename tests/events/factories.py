"""Builders for the events tests, through the code the app uses."""

import itertools
from datetime import datetime, timedelta

from django.utils import timezone

from events.models import Event
from events.services import event_audience_apply

_seq = itertools.count(1)


def local(year, month, day, hour=0, minute=0):
    """A moment of the portal's local time (Europe/Samara)."""
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def make_event(title=None, *, start=None, hours=2, audience=None, **extra):
    start = start or timezone.now() + timedelta(days=1)
    extra.setdefault("place", "г. Самара, ул. Галактионовская, 157")
    extra.setdefault("ends_at", start + timedelta(hours=hours))
    event = Event.objects.create(
        title=title or f"Мероприятие {next(_seq)}", starts_at=start, **extra
    )
    if audience is not None:
        event_audience_apply(event=event, spec=audience)
    return event
