"""Writes of events: who an event is for, and the trash."""

from django.db import transaction
from django.utils import timezone

from articles.services import trash_cutoff
from events.models import Event
from people.audiences import audience_save
from people.models import Audience


@transaction.atomic
def event_audience_apply(*, event, spec):
    """After ``event`` was saved: store who it is for (``spec``; nothing
    chosen: everyone). The audience keeps its own history; an audience no
    longer needed is deleted (its history stays)."""
    old = event.audience if event.audience_id else None
    audience = None if spec.everyone else audience_save(audience=old, spec=spec)
    Event.all_objects.filter(pk=event.pk).update(audience=audience)
    event.audience = audience
    if old is not None and audience is None:
        old.delete()
    return audience


def event_trash(*, event):
    """Move ``event`` to the trash: off the pages and out of the calendars."""
    event.deleted_at = timezone.now()
    event.save()


def event_restore(*, event):
    event.deleted_at = None
    event.save()


@transaction.atomic
def event_trash_purge(*, before=None):
    """Delete for good the events in the trash longer than the retention,
    with their audiences (history rows stay). Returns how many."""
    before = before or trash_cutoff()
    events = list(Event.all_objects.filter(deleted_at__lt=before))
    for event in events:
        event.delete()
        if event.audience_id is not None:
            Audience.objects.filter(pk=event.audience_id).delete()
    return len(events)
