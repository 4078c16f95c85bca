"""The demo data of «Знания и индекс»: a year of views per office over the
demo's staff (people.demo), made once, so that the chart is not empty from
the start."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import ArticleViewDay
from dashboards.forms import add_months
from kbuse.demo import MONTHS, seed_kbuse
from people import roles
from people.demo import seed_positions, seed_staff
from people.models import Office
from tests.factories import make_article
from tests.kbuse.conftest import answers, employee, office


@pytest.fixture
def small_region(db):
    root = office("Управляющий центр", "uc", kind=Office.Kind.CENTER)
    department = office("Северный отдел", "north", root, Office.Kind.DEPARTMENT)
    centres = [office(f"ЦЗН {i}", f"czn-{i}", department) for i in range(4)]
    document = make_article(title="Кодекс", mandatory=True)
    type(document).all_objects.filter(pk=document.pk).update(
        published_at=timezone.now() - dt.timedelta(days=200)
    )
    for _ in range(5):
        make_article()
    last = add_months(timezone.localdate().replace(day=1), -1)
    for i, centre in enumerate(centres):
        answers(centre, last, 40, csat=5 if i % 2 else 3)
    seed_positions()
    seed_staff()
    return {"root": root, "department": department, "centres": centres, "document": document}


def test_views_are_made_once(small_region):
    created = seed_kbuse()
    assert created["view_days"] == ArticleViewDay.objects.count() > 0
    days = set(ArticleViewDay.objects.values_list("date", flat=True))
    today = timezone.localdate()
    this_month = today.replace(day=1)
    assert min(days).replace(day=1) == add_months(this_month, -(MONTHS - 1))
    assert max(days) < today  # today's views are the live ones
    assert len(days) > MONTHS * 20  # a row per day, not per month
    assert ArticleViewDay.objects.filter(office=None).exists()
    assert seed_kbuse() == {"view_days": 0}


def test_the_demo_page_has_dots_on_its_chart(small_region):
    seed_kbuse()
    client = Client()
    client.force_login(employee(small_region["root"], role=roles.MANAGER))
    response = client.get("/dashboards/knowledge/", {"level": "2"})
    assert response.status_code == 200
    assert response.context["report"].points
    assert "<circle" in str(response.context["chart"])
