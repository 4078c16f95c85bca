"""Builders for the mandatory-reading tests: a small region, people in it,
and mandatory documents for an audience — through the services the admin
uses."""

import itertools

from django.contrib.auth.models import Group

from articles.mandatory import audience_of, mandatory_snapshot
from articles.services import article_mandatory_apply
from people.audiences import AudienceSpec
from people.models import Office, Profile
from tests.factories import make_article, make_position, make_user

_seq = itertools.count(1)


def office(title, *, parent=None, kind="job_centre"):
    return Office.objects.create(title=title, code=f"o-{next(_seq)}", kind=kind, parent=parent)


def fresh(*offices):
    """Offices re-read after the tree changed (MPTT moves lft/rght in the database)."""
    found = {o.pk: o for o in Office.objects.filter(pk__in=[o.pk for o in offices])}
    return [found[o.pk] for o in offices]


def region():
    """A centre with two departments, each with two job centres."""
    centre = office("Управляющий центр", kind="center")
    north = office("Северный отдел", parent=centre, kind="department")
    south = office("Южный отдел", parent=centre, kind="department")
    offices = {
        "centre": centre,
        "north": north,
        "south": south,
        "n1": office("ЦЗН Северный-1", parent=north),
        "n2": office("ЦЗН Северный-2", parent=north),
        "s1": office("ЦЗН Южный-1", parent=south),
        "s2": office("ЦЗН Южный-2", parent=south),
    }
    refreshed = fresh(*offices.values())
    return dict(zip(offices, refreshed, strict=True))


def person(username, *, office=None, position=None, role=None, **extra):
    user = make_user(username, role=role, **extra)
    Profile.objects.create(
        user=user, office=office, position=make_position(position) if position else None
    )
    return user


def role(name):
    return Group.objects.get(name=name)


def spec(*, offices=(), positions=(), roles=()):
    return AudienceSpec.of(
        offices=offices,
        positions=[make_position(title) for title in positions],
        roles=[role(name) for name in roles],
    )


def mandatory_article(*, audience=None, deadline=None, by=None, **extra):
    """A published mandatory article for ``audience`` (a spec; everyone
    without one), its audience told as the admin would."""
    article = make_article(mandatory=True, mandatory_deadline=deadline, **extra)
    article_mandatory_apply(
        article=article,
        before=mandatory_snapshot(article_id=None),
        spec=audience or AudienceSpec(),
        by=by,
    )
    return article


def reack(article, *, summary="Изменён порядок приёма.", by=None, body=None):
    """Save a change and start a re-acknowledgement round, as the admin does."""
    before = mandatory_snapshot(article_id=article.pk)
    article.body = body or (article.body + "<p>Новый абзац.</p>")
    article.save()
    return article_mandatory_apply(
        article=article,
        before=before,
        spec=audience_of(article),
        reack_summary=summary,
        by=by,
    ).round
