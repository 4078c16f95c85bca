"""Reads for «Знания и индекс»: how the knowledge base is used, per office and
month, beside the CX index of the same office and month.

A row is an office of the chosen level together with its sub-offices; the
total is the person's whole scope (the region, or their office's subtree).
Per row and month:

* employees — active users whose profile's office is in the row (today's
  staff: the portal keeps no history of who worked where);
* views — what ``articles.ArticleViewDay`` counted for those offices, the
  days added up by month (views by people without an office are in the
  region's total only; what is still in the cache's buffer is not yet);
  before the first month with any view counted, «not counted» rather than 0;
* mandatory reading — acknowledged pairs of (mandatory published document ×
  employee of the document's audience) by the end of the month, of all such
  pairs, each pair once whatever versions it acknowledged: documents count
  from the month they were published, people and audiences are today's (the
  audience rule and counts of the reading report, ``articles.report``);
* ideas — ideas with the row's office submitted in the month;
* cases — cases of the row closed in the month and how many of them by their
  due date (``cases.selectors.case_figures_by_month``: the CX dashboard's rule);
* the CX index of the month and its change to the month before, from the
  monthly slices through ``dashboards.cx`` (the one formula); fewer than
  CX_MIN_RESPONSES answers: shown greyed, not used in the correlation.

Nine queries, whatever the number of offices and months: each one is
grouped by office and month.
"""

import datetime as dt
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, DateField, Exists, Min, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Acknowledgement, Article, ArticleViewDay
from articles.report import pair_counts
from cases.selectors import case_figures_by_month
from dashboards import cx as cxm
from dashboards.forms import add_months
from feedback.models import MonthlySlice
from ideas.models import Idea
from kbuse.forms import Measure
from people.models import Office

_SUMS = {name: Sum(name) for name in cxm.COUNT_FIELDS}
ONE_DAY = dt.timedelta(days=1)


# --- Offices and levels ----------------------------------------------------------------


def scope_root_offices(scope, tree):
    """The offices at the top of what ``scope`` sees: the region's roots, or
    the person's office."""
    if scope.everything:
        return tree.children(None)
    office = tree.by_id.get(scope.office.pk) if scope.office else None
    return [office] if office else []


def scope_offices(scope, tree):
    """Every office the scope sees, in tree order."""
    return [office for root in scope_root_offices(scope, tree) for office in tree.subtree(root)]


def office_levels(scope, tree):
    """[(level, label)] of the levels of the offices in the scope, top first."""
    kinds = dict(Office.Kind.choices)
    by_level = defaultdict(list)
    for office in scope_offices(scope, tree):
        by_level[office.level].append(office)
    choices = []
    for level, offices in sorted(by_level.items()):
        names = ", ".join(str(kinds.get(k, k)) for k in dict.fromkeys(o.kind for o in offices))
        choices.append(
            (
                level,
                _("уровень %(level)s — %(kinds)s: %(count)s")
                % {"level": level + 1, "kinds": names, "count": len(offices)},
            )
        )
    return choices


def default_level(scope, tree):
    """The level just below the top of the scope, as the CX dashboard's rows
    (the children of the office shown); the top itself when it has none."""
    levels = [level for level, _label in office_levels(scope, tree)]
    if not levels:
        return 0
    return levels[1] if len(levels) > 1 else levels[0]


# --- The figures -------------------------------------------------------------------------


@dataclass
class Cell:
    """One row's figures in one month."""

    month: dt.date
    employees: int = 0
    views: int | None = 0  # None: views were not counted yet that month
    mandatory: int = 0  # mandatory documents published by the month's end
    # Pairs (document × employee in the document's audience) of those documents.
    reading_pairs: int = 0
    acknowledged: int = 0  # of those pairs
    ideas: int = 0
    cases_closed: int = 0
    cases_on_time: int = 0
    cx: cxm.Cell = field(default_factory=lambda: cxm.Cell(None, 0))
    previous: cxm.Cell = field(default_factory=lambda: cxm.Cell(None, 0))

    @property
    def views_per_employee(self):
        if self.views is None or not self.employees:
            return None
        return self.views / self.employees

    @property
    def reading(self):
        """The share in % of the pairs (document × employee of its audience)
        acknowledged."""
        pairs = self.reading_pairs
        return 100 * self.acknowledged / pairs if pairs else None

    @property
    def ideas_per_100(self):
        return 100 * self.ideas / self.employees if self.employees else None

    @property
    def on_time(self):
        return 100 * self.cases_on_time / self.cases_closed if self.cases_closed else None

    @property
    def change(self):
        """The index's change to the month before, in points; None without both."""
        if self.cx.value is None or self.previous.value is None:
            return None
        return self.cx.value - self.previous.value

    @property
    def change_enough(self):
        return self.cx.enough and self.previous.enough

    def measure(self, name):
        return {
            Measure.VIEWS: self.views_per_employee,
            Measure.READING: self.reading,
            Measure.IDEAS: self.ideas_per_100,
            Measure.CASES: self.on_time,
        }[name]


@dataclass
class Row:
    office: Office | None  # None: the total of the scope
    label: str
    cells: list  # of Cell, one a month
    total: bool = False


@dataclass
class Point:
    row: Row
    cell: Cell
    x: float
    y: float

    @property
    def greyed(self):
        return not self.cell.cx.enough


@dataclass
class Correlation:
    """Pearson's r over the points with enough answers, and how many there were."""

    r: float | None
    n: int

    @property
    def strength(self):
        """The size of r in words: what it is, never why."""
        if self.r is None:
            return None
        size = abs(self.r)
        if size < 0.1:
            return _("связи почти нет")
        if size < 0.3:
            return _("слабая связь")
        if size < 0.5:
            return _("умеренная связь")
        return _("заметная связь")

    @property
    def direction(self):
        if self.r is None or abs(self.r) < 0.1:
            return None
        return (
            _("прямая: больше одного — выше другое")
            if self.r > 0
            else _("обратная: больше одного — ниже другое")
        )


@dataclass
class Report:
    filters: object
    months: list
    rows: list  # of Row, the offices of the level in tree order
    total: Row
    first_counted: dt.date | None  # the first month with views counted, if any
    points: list = field(default_factory=list)
    correlation: Correlation | None = None

    @property
    def has_views(self):
        return self.first_counted is not None

    @property
    def all_rows(self):
        return [self.total, *self.rows]


def _month_bounds(start, end):
    """Aware datetimes of the first moment of ``start`` and of the month after ``end``."""
    zone = timezone.get_current_timezone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    after = dt.datetime.combine(add_months(end, 1), dt.time.min, tzinfo=zone)
    return first, after


def knowledge_report(*, scope, tree, filters):
    """Every row and month of the page (and of its exports) for ``filters``."""
    months = filters.months
    start, end = filters.start, filters.end
    visible = scope_offices(scope, tree)
    visible_ids = [office.pk for office in visible]
    row_offices = [office for office in visible if office.level == filters.level]

    def in_scope(queryset, name="office_id"):
        return queryset if scope.everything else queryset.filter(**{f"{name}__in": visible_ids})

    first_moment, after_end = _month_bounds(start, end)

    # 1. Employees per office (None: no profile or no office).
    employees = dict(
        in_scope(get_user_model().objects.filter(is_active=True), "profile__office_id")
        .order_by()
        .values_list("profile__office_id")
        .annotate(n=Count("id"))
    )
    # 2. Views per office and month, the days added up; 3. the first month
    # counted at all.
    views = {
        (office_id, month): count
        for office_id, month, count in (
            in_scope(ArticleViewDay.objects.filter(date__gte=start, date__lt=add_months(end, 1)))
            .annotate(m=TruncMonth("date", output_field=DateField()))
            .order_by()
            .values_list("office_id", "m")
            .annotate(n=Sum("views"))
        )
    }
    first_day = ArticleViewDay.objects.aggregate(first=Min("date"))["first"]
    first_counted = first_day.replace(day=1) if first_day else None
    # 4. Mandatory documents published by the period's end, by month of publication.
    # Their audiences by today's active staff, per office (the rule of the
    # reading report, articles.report): one query.
    mandatory = Article.objects.published().filter(mandatory=True, published_at__lt=after_end)
    documents = list(
        mandatory.only(
            "id", "published_at", "mandatory_audience_id", "mandatory_deadline",
            "ack_required_version",
        ).order_by("pk")
    )  # fmt: skip
    published = {d.pk: timezone.localtime(d.published_at).date().replace(day=1) for d in documents}
    published_months = list(published.values())
    audience = defaultdict(int)  # (office, month it counts from) -> people
    for (article_id, office_id), counts in pair_counts(
        documents=documents, office=None if scope.everything else scope.office
    ).items():
        audience[office_id, max(published[article_id], start)] += counts.audience
    # 5. Their acknowledgements by today's active staff: each (person,
    # document) pair once, by its first acknowledgement (a person asked
    # again after a change acknowledges each version: the pair was read by
    # the month's end all the same), by the month of it and the month the
    # document was published: a pair counts from the later of the two.
    earlier = Acknowledgement.objects.filter(
        user_id=OuterRef("user_id"), article_id=OuterRef("article_id")
    ).filter(
        Q(acknowledged_at__lt=OuterRef("acknowledged_at"))
        | Q(acknowledged_at=OuterRef("acknowledged_at"), pk__lt=OuterRef("pk"))
    )
    acknowledged = defaultdict(int)  # (office, month it counts from) -> pairs
    for office_id, ack_month, pub_month, count in (
        in_scope(
            Acknowledgement.objects.filter(
                article__in=mandatory, user__is_active=True, acknowledged_at__lt=after_end
            ).exclude(Exists(earlier)),
            "user__profile__office_id",
        )
        .annotate(
            ack_month=TruncMonth("acknowledged_at", output_field=DateField()),
            pub_month=TruncMonth("article__published_at", output_field=DateField()),
        )
        .order_by()
        .values_list("user__profile__office_id", "ack_month", "pub_month")
        .annotate(n=Count("id"))
    ):
        acknowledged[office_id, max(ack_month, pub_month, start)] += count
    # 6. Ideas per office and month.
    ideas = {
        (office_id, month): count
        for office_id, month, count in (
            in_scope(Idea.objects.filter(created_at__gte=first_moment, created_at__lt=after_end))
            .annotate(m=TruncMonth("created_at", output_field=DateField()))
            .order_by()
            .values_list("office_id", "m")
            .annotate(n=Count("id"))
        )
    }
    # 8. The CX counts per office, month and client type, from a month
    # earlier (for the change).
    slices = {}
    for month, office_id, client_type, *values in (
        in_scope(MonthlySlice.objects.filter(month__gte=add_months(start, -1), month__lte=end))
        .order_by()
        .values_list("month", "office_id", "client_type")
        .annotate(**_SUMS)
    ):
        slices[office_id, month, client_type] = values

    # 7. Cases closed in each month, on time or not, per row: the rule of
    # the CX dashboard's (cases.selectors), one query.
    row_ids = {office.pk: [o.pk for o in tree.subtree(office)] for office in row_offices}
    total_ids = [*visible_ids, None] if scope.everything else visible_ids
    closed = case_figures_by_month(
        targets={**row_ids, None: total_ids}, start=start, end=add_months(end, 1) - ONE_DAY
    )

    cx_months = [add_months(start, -1), *months]
    client_types = sorted({client_type for _o, _m, client_type in slices})

    def build(key, ids):
        """The cells of the row ``key`` (an office's id, None: the total), of
        the offices ``ids`` (None among them: what has no office)."""
        staff = sum(employees.get(office_id, 0) for office_id in ids)
        reading = pairs = 0
        for office_id in ids:  # acknowledged before the period, and the audiences
            reading += acknowledged.get((office_id, start), 0)
            pairs += audience.get((office_id, start), 0)
        cx = {}
        for month in cx_months:
            by_type = {}
            for client_type in client_types:
                rows = [
                    slices[key]
                    for key in ((office_id, month, client_type) for office_id in ids)
                    if key in slices
                ]
                if rows:
                    by_type[client_type] = dict(
                        zip(cxm.COUNT_FIELDS, map(sum, zip(*rows, strict=True)), strict=True)
                    )
            cx[month] = cxm.cx_cell(by_type)
        cells = []
        for month in months:
            if month != start:
                reading += sum(acknowledged.get((office_id, month), 0) for office_id in ids)
                pairs += sum(audience.get((office_id, month), 0) for office_id in ids)
            cases = closed[key][month]
            cells.append(
                Cell(
                    month=month,
                    employees=staff,
                    views=(
                        sum(views.get((office_id, month), 0) for office_id in ids)
                        if first_counted and month >= first_counted
                        else None
                    ),
                    mandatory=sum(1 for m in published_months if m <= month),
                    reading_pairs=pairs,
                    acknowledged=reading,
                    ideas=sum(ideas.get((office_id, month), 0) for office_id in ids),
                    cases_closed=cases.closed,
                    cases_on_time=cases.on_time,
                    cx=cx[month],
                    previous=cx[add_months(month, -1)],
                )
            )
        return cells

    office_rows = [
        Row(office, office.title, build(office.pk, row_ids[office.pk])) for office in row_offices
    ]
    total_label = _("Весь регион") if scope.everything else scope.office.title
    total = Row(None, total_label, build(None, total_ids), total=True)
    report = Report(
        filters=filters,
        months=months,
        rows=office_rows,
        total=total,
        first_counted=first_counted,
    )
    report.points = chart_points(report.rows, filters.measure)
    report.correlation = correlation(report.points)
    return report


def chart_points(rows, measure):
    """A point per office row and month that has both the measure and an index."""
    points = []
    for row in rows:
        for cell in row.cells:
            x, y = cell.measure(measure), cell.cx.value
            if x is not None and y is not None:
                points.append(Point(row, cell, x, y))
    return points


def correlation(points):
    """Pearson's r of the points with enough answers; None for fewer than
    three or when either side does not vary."""
    used = [p for p in points if not p.greyed]
    if len(used) < 3:
        return Correlation(None, len(used))
    try:
        r = statistics.correlation([p.x for p in used], [p.y for p in used])
    except statistics.StatisticsError:  # one side is constant
        return Correlation(None, len(used))
    return Correlation(None if math.isnan(r) else r, len(used))
