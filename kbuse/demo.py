"""Demo data for «Знания и индекс»: the staff of the offices, their reading of
the mandatory documents and the knowledge base's views per office and month.

* Staff: every office gets demo employees — a job centre 6–14, a territorial
  department 2–5, the managing centre 20 — about 600, as in the region.
  They are there to be counted: no role, no password, nobody logs in as them.
* Each office has an appetite for reading, fixed by the seed, that leans a
  little towards its CX index over the last year: the scatter chart shows a
  weak link, and the page's caveat («связь не означает причину») is as much
  a part of the demo as the dots.
* Views: the last ``MONTHS`` months (the month in progress up to
  yesterday), a row per article, office and day, spread over the published
  articles, the popular ones more; a summer dip.
* Mandatory documents: acknowledged by most staff some days or weeks after
  publication, sooner where the office reads more; some never.

Written with bulk inserts. Idempotent: the staff are made once (known by
their login prefix); their acknowledgements and the views only when there
are none yet.
"""

import datetime as dt
import math
import random
import statistics
from collections import Counter, defaultdict

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db.models import Sum
from django.utils import timezone

from articles.models import Acknowledgement, Article, ArticleViewDay
from dashboards import cx as cxm
from dashboards.forms import add_months
from feedback.models import MonthlySlice
from people.models import Office, Profile

MONTHS = 12
LOGIN_PREFIX = "demo-staff-"
VIEWS_PER_EMPLOYEE = 5.0  # a month, at an average appetite
FIRST_NAMES = [
    "Анна", "Мария", "Елена", "Ольга", "Татьяна", "Наталья", "Ирина", "Светлана", "Юлия",
    "Екатерина", "Алексей", "Дмитрий", "Сергей", "Андрей", "Игорь", "Павел", "Николай",
]  # fmt: skip
LAST_NAMES = [
    ("Иванов", "Иванова"), ("Смирнов", "Смирнова"), ("Кузнецов", "Кузнецова"),
    ("Попов", "Попова"), ("Васильев", "Васильева"), ("Соколов", "Соколова"),
    ("Михайлов", "Михайлова"), ("Новиков", "Новикова"), ("Фёдоров", "Фёдорова"),
    ("Морозов", "Морозова"), ("Волков", "Волкова"), ("Алексеев", "Алексеева"),
    ("Лебедев", "Лебедева"), ("Семёнов", "Семёнова"), ("Егоров", "Егорова"),
]  # fmt: skip
MALE = {"Алексей", "Дмитрий", "Сергей", "Андрей", "Игорь", "Павел", "Николай"}
POSITIONS = ["специалист", "ведущий специалист", "главный специалист", "консультант"]


def seed_kbuse():
    """Create what is missing; return the counts of what was created."""
    created = {"staff": 0, "acknowledgements": 0, "view_days": 0}
    offices = list(Office.objects.filter(is_active=True).order_by("code"))
    if not offices:
        return created
    rng = random.Random(2027)
    created["staff"] = _seed_staff(offices, rng)
    appetite = _appetites(offices, rng)
    staff = Profile.objects.filter(user__username__startswith=LOGIN_PREFIX)
    if not Acknowledgement.objects.filter(user__username__startswith=LOGIN_PREFIX).exists():
        created["acknowledgements"] = _seed_acknowledgements(staff, appetite, rng)
    if not ArticleViewDay.objects.exists():
        created["view_days"] = _seed_views(offices, appetite, rng)
    return created


def _staff_size(office, rng):
    if office.kind == Office.Kind.CENTER:
        return 20
    if office.kind == Office.Kind.DEPARTMENT:
        return rng.randint(2, 5)
    return rng.randint(6, 14)


def _seed_staff(offices, rng):
    if User.objects.filter(username__startswith=LOGIN_PREFIX).exists():
        return 0
    unusable = make_password(None)  # one unusable hash will do: nobody logs in
    users, offices_of = [], []
    for office in offices:
        for n in range(1, _staff_size(office, rng) + 1):
            first = rng.choice(FIRST_NAMES)
            male, female = rng.choice(LAST_NAMES)
            users.append(
                User(
                    username=f"{LOGIN_PREFIX}{office.code}-{n}"[:150],
                    first_name=first,
                    last_name=male if first in MALE else female,
                    password=unusable,
                )
            )
            offices_of.append(office)
    User.objects.bulk_create(users, batch_size=500)
    saved = User.objects.filter(username__in=[u.username for u in users]).in_bulk(
        field_name="username"
    )
    Profile.objects.bulk_create(
        [
            Profile(user=saved[user.username], office=office, position=rng.choice(POSITIONS))
            for user, office in zip(users, offices_of, strict=True)
        ],
        batch_size=500,
    )
    return len(users)


def _appetites(offices, rng):
    """{office id: how much its staff read, around 1}, leaning towards the
    office's CX index over the last year (one query)."""
    since = add_months(timezone.localdate().replace(day=1), -MONTHS)
    counts = defaultdict(dict)
    for office_id, client_type, *values in (
        MonthlySlice.objects.filter(month__gte=since)
        .order_by()
        .values_list("office_id", "client_type")
        .annotate(**{name: Sum(name) for name in cxm.COUNT_FIELDS})
    ):
        counts[office_id][client_type] = dict(zip(cxm.COUNT_FIELDS, values, strict=True))
    index = {o: cxm.cx_cell(by_type).value for o, by_type in counts.items()}
    known = [value for value in index.values() if value is not None]
    mean = statistics.fmean(known) if known else 0
    spread = statistics.pstdev(known) if len(known) > 1 else 0
    appetite = {}
    for office in offices:
        lean = 0.0
        if spread and index.get(office.pk) is not None:
            lean = 0.22 * (index[office.pk] - mean) / spread
        appetite[office.pk] = math.exp(lean + rng.gauss(0, 0.35))
    return appetite


def _seed_acknowledgements(staff, appetite, rng):
    now = timezone.now()
    documents = list(
        Article.objects.published()
        .filter(mandatory=True, published_at__isnull=False)
        .only("id", "published_at", "version")
        .order_by("pk")
    )
    marks = []
    for profile in staff.only("user_id", "office_id").order_by("pk"):
        keen = appetite.get(profile.office_id, 1.0)
        for document in documents:
            if rng.random() > min(0.97, 0.6 + 0.25 * keen):
                continue  # never read it
            delay = dt.timedelta(days=rng.expovariate(keen / 18), hours=rng.uniform(8, 17))
            when = document.published_at + delay
            if when < now:
                marks.append(
                    Acknowledgement(
                        article_id=document.pk,
                        user_id=profile.user_id,
                        acknowledged_at=when,
                        article_version=document.version,
                    )
                )
    Acknowledgement.objects.bulk_create(marks, batch_size=1000)
    return len(marks)


def _seed_views(offices, appetite, rng):
    today = timezone.localdate()
    current = today.replace(day=1)
    articles = list(Article.objects.published().order_by("pk").values_list("pk", flat=True))
    if not articles:
        return 0
    # A long tail: the first articles in a shuffled order are read most.
    order = articles[:]
    rng.shuffle(order)
    weights = [1 / (rank + 2) for rank in range(len(order))]
    staff = Counter(
        Profile.objects.filter(user__is_active=True, office__isnull=False).values_list(
            "office_id", flat=True
        )
    )
    rows = []
    for back in range(MONTHS - 1, -1, -1):
        month = add_months(current, -back)
        length = (add_months(month, 1) - month).days
        # The month in progress: the days before today (today's are the live ones).
        days = today.day - 1 if month == current else length
        if days <= 0:
            continue
        season = 0.75 if month.month in (7, 8) else 1.0
        share = days / length
        for office in offices:
            mean = VIEWS_PER_EMPLOYEE * appetite[office.pk] * season * share
            total = round(staff[office.pk] * mean * rng.uniform(0.85, 1.15))
            if total <= 0:
                continue
            picks = rng.choices(order, weights, k=total)
            for (article_id, day), views in Counter(
                (article_id, rng.randrange(days)) for article_id in picks
            ).items():
                rows.append(
                    ArticleViewDay(
                        article_id=article_id,
                        office=office,
                        date=month + dt.timedelta(days=day),
                        views=views,
                    )
                )
        # Readers without an office: a few views a month, in the region's total.
        for day, views in Counter(
            rng.randrange(days) for _ in range(max(1, round(12 * share)))
        ).items():
            rows.append(
                ArticleViewDay(
                    article_id=order[0],
                    office=None,
                    date=month + dt.timedelta(days=day),
                    views=views,
                )
            )
    ArticleViewDay.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
