"""Builders for the «Путь новичка» tests: paths, newcomers and their marks."""

import datetime as dt
import itertools

from django.utils import timezone

from onboarding.models import ReadingPath, ReadingPathProgress, ReadingPathStep
from people import roles
from people.models import Profile
from tests.factories import make_article, make_position, make_section, make_user

_seq = itertools.count(1)

POSITION = "специалист по работе с гражданами"


def make_path(position=None, *, steps=3, minutes=15, section=None, title=None, **fields):
    """A path for ``position`` with ``steps`` new published articles."""
    position = position or make_position(POSITION)
    section = section or make_section()
    path = ReadingPath.objects.create(
        title=title or f"Путь новичка {next(_seq)}", position=position, **fields
    )
    for number in range(1, steps + 1):
        ReadingPathStep.objects.create(
            path=path,
            article=make_article(section, title=f"Шаг {number}: {path.title}"),
            expected_minutes=minutes,
            order=number,
        )
    return path


def make_newcomer(position=None, *, days_ago=5, office=None, role=roles.STAFF, **extra):
    """A person of ``position`` who started ``days_ago`` days ago."""
    user = make_user(role=role, **extra)
    Profile.objects.create(
        user=user,
        position=position or make_position(POSITION),
        office=office,
        started_on=timezone.localdate() - dt.timedelta(days=days_ago),
    )
    return user


def mark(user, *steps):
    for step in steps:
        ReadingPathProgress.objects.get_or_create(user=user, step=step)
