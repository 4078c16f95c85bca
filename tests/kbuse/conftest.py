"""A small region for «Знания и индекс»: offices, their staff, articles, and
helpers that put views, acknowledgements, ideas, cases and answers into a month."""

import datetime as dt

import pytest
from django.utils import timezone

from articles.models import Acknowledgement, ArticleViewDay
from cases.models import Case
from dashboards.forms import add_months
from ideas.models import Idea
from people import roles
from people.models import Office, Profile
from tests.cases.factories import make_case
from tests.dashboards.factories import GOOD, responses, save
from tests.factories import make_article, make_user

MARCH, APRIL, MAY = dt.date(2026, 3, 1), dt.date(2026, 4, 1), dt.date(2026, 5, 1)
PERIOD = {"start": "2026-03", "end": "2026-05"}


def office(title, code, parent=None, kind=Office.Kind.JOB_CENTRE):
    return Office.objects.create(title=title, code=code, kind=kind, parent=parent)


def employee(office, *, active=True, role=roles.STAFF, username=None):
    user = make_user(username, role=role, is_active=active)
    Profile.objects.create(user=user, office=office)
    return user


def at(month, day=10, hour=12):
    return timezone.make_aware(dt.datetime(month.year, month.month, day, hour, 0))


def views(article, office, month, count):
    """``count`` views in ``month``, on its first day and its last: the page
    adds the days of a month up, and no day of the next month."""
    last = add_months(month, 1) - dt.timedelta(days=1)
    for day, n in ((month, count // 2), (last, count - count // 2)):
        if n:
            ArticleViewDay.objects.create(article=article, office=office, date=day, views=n)


def acknowledge(article, user, when, *, version=None):
    Acknowledgement.objects.create(
        article=article,
        user=user,
        acknowledged_at=when,
        article_version=version or article.version,
    )


def idea(office, when):
    author = make_user(role=roles.STAFF)
    return Idea.objects.create(
        title="Запись на приём по времени",
        problem="Очередь.",
        proposal="Запись.",
        expected_effect="Меньше ожидания.",
        author=author,
        office=office,
        created_at=when,
    )


def closed_case(office, *, closed, due):
    return make_case(
        office,
        created_at=closed - dt.timedelta(days=3),
        due_date=due,
        status=Case.Status.RESOLVED,
        action_taken="Позвонили клиенту.",
        closed_at=closed,
    )


def answers(office, month, count, **scores):
    save(responses(office, count, month=month, **{**GOOD, **scores}))


@pytest.fixture
def region(db):
    """The managing centre; the north department with two job centres; the
    south department with one."""
    root = office("Управляющий центр", "uc", kind=Office.Kind.CENTER)
    north = office("Северный отдел", "north", root, Office.Kind.DEPARTMENT)
    lenin = office("ЦЗН Ленинского района", "lenin", north)
    samara = office("ЦЗН Самарского района", "samara", north)
    south = office("Южный отдел", "south", root, Office.Kind.DEPARTMENT)
    kirov = office("ЦЗН Кировского района", "kirov", south)
    return {
        "root": root,
        "north": north,
        "lenin": lenin,
        "samara": samara,
        "south": south,
        "kirov": kirov,
    }


@pytest.fixture
def mandatory(db):
    """A mandatory document published in February, another in April, and a
    plain article."""
    first = make_article(title="Кодекс клиентоцентричности", mandatory=True)
    second = make_article(title="Стандарт приёма", mandatory=True)
    plain = make_article(title="Кейс: трудный разговор")
    type(first).all_objects.filter(pk=first.pk).update(published_at=at(dt.date(2026, 2, 1), 5))
    type(first).all_objects.filter(pk=second.pk).update(published_at=at(APRIL, 20))
    for article in (first, second, plain):
        article.refresh_from_db()
    return {"first": first, "second": second, "plain": plain}
