"""Builders for the cases tests: heads of offices, responses and their cases."""

import datetime as dt
import itertools

from django.utils import timezone

from cases.models import Case
from feedback.models import FeedbackResponse
from people import roles
from people.models import Profile
from tests.factories import make_user

_seq = itertools.count(1)


def make_head(office, *, username=None):
    user = make_user(username or f"head-{next(_seq)}", role=roles.MANAGER)
    Profile.objects.update_or_create(user=user, defaults={"office": office})
    return user


def make_response(office, *, batch=None, **fields):
    n = next(_seq)
    fields.setdefault("client_type", "citizen")
    fields.setdefault("client_group", "jobseeker")
    fields.setdefault("channel", "in_person")
    fields.setdefault("source", "survey")
    submitted = fields.pop("submitted_at", timezone.make_aware(dt.datetime(2026, 3, 10, 10, 0)))
    return FeedbackResponse.objects.create(
        dedup_key=f"case-{n}",
        external_id=f"C-{n}",
        submitted_at=submitted,
        month=submitted.date().replace(day=1),
        office=office,
        batch=batch,
        **fields,
    )


def make_case(office, *, response=None, due_date=None, created_at=None, **fields):
    response = response or make_response(office, csat=1, comment="Долго ждал, никто не помог")
    created_at = created_at or timezone.now()
    return Case.objects.create(
        response=response,
        office=office,
        created_at=created_at,
        due_date=due_date or (timezone.localdate(created_at) + dt.timedelta(days=7)),
        **fields,
    )
