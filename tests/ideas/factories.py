"""Builders for idea-bank test data, going through the app's own services."""

import itertools
from datetime import timedelta

from django.utils import timezone

from ideas import services
from ideas.models import Idea, Vote
from people.models import Office, Profile
from tests.factories import ROLE_USERS, make_user

_seq = itertools.count(1)


def make_idea(author=None, *, title=None, days_ago=0, **extra):
    n = next(_seq)
    return services.idea_submit(
        author=author or make_user(role=ROLE_USERS["staff"]),
        title=title or f"Идея о записи на приём {n}",
        problem=extra.pop("problem", "Клиенты долго ждут в очереди."),
        proposal=extra.pop("proposal", "Ввести запись на время."),
        expected_effect=extra.pop("expected_effect", "Меньше ожидания."),
        created_at=timezone.now() - timedelta(days=days_ago) if days_ago else None,
        **extra,
    )


def make_voters(idea, count):
    voters = [make_user(role=ROLE_USERS["staff"]) for _ in range(count)]
    for voter in voters:
        services.idea_vote_cast(idea=idea, user=voter)
    return voters


def make_meeting(by, *, days_ago=0, attendees=()):
    return services.meeting_create(
        held_on=timezone.localdate() - timedelta(days=days_ago),
        minutes="Обсудили идеи.",
        attendees=list(attendees) or [by],
        by=by,
    )


def bulk_ideas(author, count, *, status=Idea.Status.SUBMITTED, office=None):
    """Many ideas in one query, for tests about data size (no history needed)."""
    now = timezone.now()
    start = next(_seq) * 10_000
    return Idea.objects.bulk_create(
        Idea(
            title=f"Массовая идея {start + i}",
            problem="Проблема.",
            proposal="Предложение.",
            expected_effect="Эффект.",
            author=author,
            office=office,
            status=status,
            created_at=now - timedelta(days=i % 60),
            status_changed_at=now,
        )
        for i in range(count)
    )


def bulk_votes(ideas, voters):
    Vote.objects.bulk_create(Vote(idea=idea, user=user) for idea in ideas for user in voters)
    for idea in ideas:
        Idea.objects.filter(pk=idea.pk).update(vote_count=len(voters))


def make_author(office_code, **extra):
    """A member of staff in the office with ``office_code``: their ideas are that office's."""
    user = make_user(role=ROLE_USERS["staff"], **extra)
    Profile.objects.create(user=user, office=Office.objects.get(code=office_code))
    return user


def make_accepted(idea, by, *, meeting=None):
    """``idea`` accepted at a meeting (a new one unless given)."""
    meeting = meeting or make_meeting(by)
    services.decision_record(meeting=meeting, idea=idea, outcome="accept", by=by)
    return Idea.objects.get(pk=idea.pk)


def make_implemented(idea, by, *, meeting=None, implemented_on=None, **extra):
    """Accept ``idea`` (if it is not accepted yet) and mark it implemented,
    through the meeting's decisions as the working group does."""
    meeting = meeting or make_meeting(by)
    if idea.status not in (Idea.Status.ACCEPTED, Idea.Status.IN_PROGRESS):
        idea = make_accepted(idea, by, meeting=meeting)
    extra.setdefault("changes", "Сделано, как предлагали.")
    services.decision_record(
        meeting=meeting,
        idea=idea,
        outcome="implemented",
        by=by,
        implemented_on=implemented_on or timezone.localdate(),
        **extra,
    )
    return Idea.objects.get(pk=idea.pk)
