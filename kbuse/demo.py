"""Demo data for «Знания и индекс»: the knowledge base's views per office and
day. The staff they are counted against are people.demo's (about 600 over
the offices); their mandatory reading is articles.demo's.

* Each office has an appetite for reading, fixed by the seed, that leans a
  little towards its CX index over the last year: the scatter chart shows a
  weak link, and the page's caveat («связь не означает причину») is as much
  a part of the demo as the dots.
* Views: the last ``MONTHS`` months (the month in progress up to
  yesterday), a row per article, office and day, spread over the published
  articles, the popular ones more; a summer dip.

Written with bulk inserts. Idempotent: the views are made only when there
are none yet.
"""

import datetime as dt
import math
import random
import statistics
from collections import Counter, defaultdict

from django.db.models import Sum
from django.utils import timezone

from articles.models import Article, ArticleViewDay
from dashboards import cx as cxm
from dashboards.forms import add_months
from feedback.models import MonthlySlice
from people.models import Office, Profile

MONTHS = 12
VIEWS_PER_EMPLOYEE = 5.0  # a month, at an average appetite


def seed_kbuse():
    """Create what is missing; return the counts of what was created."""
    created = {"view_days": 0}
    offices = list(Office.objects.filter(is_active=True).order_by("code"))
    if not offices or ArticleViewDay.objects.exists():
        return created
    rng = random.Random(2027)
    created["view_days"] = _seed_views(offices, _appetites(offices, rng), rng)
    return created


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
