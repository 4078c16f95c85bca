"""Builders of feedback for dashboard tests: raw responses, then slices."""

import datetime as dt
import itertools

from django.utils import timezone

from feedback.aggregates import slices_refresh
from feedback.models import FeedbackResponse, OperationalIndicator, Service
from people.models import Office

_seq = itertools.count(1)

MARCH = dt.date(2026, 3, 1)


def make_office(title=None, *, parent=None, kind=Office.Kind.JOB_CENTRE, code=None):
    n = next(_seq)
    return Office.objects.create(
        title=title or f"ЦЗН {n}", code=code or f"office-{n}", kind=kind, parent=parent
    )


def make_service(title=None):
    n = next(_seq)
    return Service.objects.create(code=f"service-{n}", title=title or f"Услуга {n}")


def responses(office, count, *, month=MARCH, day=10, **fields):
    """``count`` unsaved responses of one office and month, all with ``fields``."""
    fields.setdefault("client_type", "citizen")
    fields.setdefault("client_group", "jobseeker")
    fields.setdefault("channel", "in_person")
    fields.setdefault("source", "survey")
    submitted = timezone.make_aware(dt.datetime(month.year, month.month, day, 10, 0))
    return [
        FeedbackResponse(
            dedup_key=f"k{next(_seq)}",
            submitted_at=submitted + dt.timedelta(minutes=i),
            month=month,
            office=office,
            **fields,
        )
        for i in range(count)
    ]


def save(*groups):
    """bulk_create the given lists of responses and rebuild the slices, as an import does."""
    FeedbackResponse.objects.bulk_create([r for group in groups for r in group])
    slices_refresh()


def make_indicator(office, code, value, *, month=MARCH):
    return OperationalIndicator.objects.create(office=office, month=month, code=code, value=value)


GOOD = {
    "csat": 5,
    "politeness": 5,
    "competence": 5,
    "waiting": 5,
    "comfort": 5,
    "information": 5,
    "relevance": 5,
    "ces": 5,
    "nps": 10,
    "problem_solved": "yes",
    "wait_minutes": 10,
    "on_time": True,
}
BAD = {
    "csat": 2,
    "politeness": 2,
    "competence": 2,
    "waiting": 2,
    "comfort": 2,
    "information": 2,
    "relevance": 2,
    "ces": 2,
    "nps": 3,
    "problem_solved": "no",
    "wait_minutes": 40,
    "on_time": False,
}
