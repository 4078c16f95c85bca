"""Reads for «Аналитика чтения»: how much the knowledge base is read, per
article, section and office, and what search leads to.

Views come from ``articles.ArticleViewDay`` (day × article × reader's
office): a count, never a log of who read what. Views by readers without an
office count in the region's figures only. Staff are today's active people
by the office of their profile (``people.Profile``).

A fixed number of queries whatever the data: staff per office, views per
article, the live articles, the daily (weekly) series of the articles shown,
views per office, and the search log grouped by query. Sections and office
subtotals are added up in Python from the trees.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, TruncWeek
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleViewDay
from people.models import Profile
from readstats.forms import OfficeSort
from search.models import SearchQuery

LIST_SIZE = 20
ONE_DAY = dt.timedelta(days=1)


def per_100(views, staff):
    return 100 * views / staff if staff else None


def share(part, whole):
    return 100 * part / whole if whole else None


@dataclass
class ArticleRow:
    article_id: int
    title: str
    url: str
    section: str
    views: int
    per_100: float | None
    series: list = field(default_factory=list)  # views per bucket (day or week)


@dataclass
class SectionRow:
    title: str
    views: int
    articles: int  # published ones
    share: float | None
    own: bool = False  # the chosen section's own articles, not a subsection's


@dataclass
class OfficeRow:
    office: object  # None: readers without an office
    depth: int
    own_views: int = 0
    views: int = 0  # the office and everything under it
    own_staff: int = 0
    staff: int = 0

    @property
    def title(self):
        return self.office.title if self.office is not None else None

    @property
    def indent(self):
        return min(self.depth, 3)

    @property
    def per_100(self):
        return per_100(self.views, self.staff)


@dataclass
class QueryRow:
    query: str
    searches: int
    clicked: int
    results: int

    @property
    def click_through(self):
        return share(self.clicked, self.searches)


@dataclass
class SearchFigures:
    searches: int  # first pages of results asked for
    clicked: int  # of them, with at least one result opened
    top: list  # [QueryRow]
    unopened: list  # [QueryRow]: found something, nobody opened it

    @property
    def click_through(self):
        return share(self.clicked, self.searches)


@dataclass
class Report:
    filters: object
    buckets: list  # the first day of each bucket of the series
    total_views: int
    staff: int
    top: list
    least: list
    sections: list
    offices: list
    without_office: OfficeRow | None  # the region only
    search: SearchFigures

    @property
    def per_100(self):
        return per_100(self.total_views, self.staff)


def buckets(filters):
    """The first day of each point of the sparklines: days, or the Mondays
    of the weeks the period touches."""
    if not filters.weekly:
        return [filters.start + ONE_DAY * i for i in range(filters.days)]
    monday = filters.start - ONE_DAY * filters.start.weekday()
    points = []
    while monday <= filters.end:
        points.append(monday)
        monday += ONE_DAY * 7
    return points


def _window(filters):
    """Aware datetimes of the period's first moment and the moment after it."""
    zone = timezone.get_current_timezone()
    first = dt.datetime.combine(filters.start, dt.time.min, tzinfo=zone)
    return first, first + ONE_DAY * filters.days


def reading_report(*, scope, tree, sections, filters, root=None):
    """Everything the page (and its exports) shows for ``filters``.

    ``scope``: the person's office scope; ``tree``: every office
    (``dashboards.selectors.OfficeTree``); ``sections``: the live section
    tree (``articles.selectors.section_tree``); ``root``: the office chosen
    in the filter (within the scope), else the whole scope.
    """
    if root is None and not scope.everything:
        root = tree.by_id[scope.office.pk]
    offices = tree.subtree(root) if root is not None else tree.offices
    office_ids = [o.pk for o in offices]

    def in_offices(queryset, name="office_id"):
        return queryset if root is None else queryset.filter(**{f"{name}__in": office_ids})

    section_ids = None
    if filters.section_id is not None:
        section_ids = sections.descendant_ids(filters.section_id)
    days = ArticleViewDay.objects.filter(date__gte=filters.start, date__lte=filters.end)
    days = in_offices(days)
    if section_ids is not None:
        days = days.filter(article__section_id__in=section_ids)

    # 1. Staff per office (None: a profile without an office).
    staff_by_office = dict(
        in_offices(Profile.objects.filter(user__is_active=True))
        .order_by()
        .values_list("office_id")
        .annotate(n=Count("id"))
    )
    staff = sum(staff_by_office.values())
    # 2. Views per article.
    by_article = dict(days.order_by().values_list("article_id").annotate(n=Sum("views")))
    # 3. The live articles of the live sections chosen.
    live = Article.objects.filter(section_id__in=section_ids or list(sections.by_id))
    articles = list(
        live.order_by("title", "id").values_list("id", "title", "slug", "section_id", "status")
    )
    published = [a for a in articles if a[4] == Article.Status.PUBLISHED]

    def row(article):
        pk, title, slug, section_id, _status = article
        node = sections.by_id[section_id]
        views = by_article.get(pk, 0)
        return ArticleRow(
            article_id=pk,
            title=title,
            url=reverse("articles:article", kwargs={"section_slug": node.slug, "slug": slug}),
            section=node.title,
            views=views,
            per_100=per_100(views, staff),
        )

    ranked = sorted(published, key=lambda a: -by_article.get(a[0], 0))
    top = [row(a) for a in ranked[:LIST_SIZE] if by_article.get(a[0])]
    least = [row(a) for a in sorted(published, key=lambda a: by_article.get(a[0], 0))[:LIST_SIZE]]
    points = buckets(filters)
    _fill_series([*top, *least], days, points, weekly=filters.weekly)

    # 4. Views per office.
    by_office = dict(days.order_by().values_list("office_id").annotate(n=Sum("views")))
    office_rows, without = _office_rows(
        offices, root, by_office, staff_by_office, sort=filters.sort, region=root is None
    )
    total = sum(by_office.values())
    return Report(
        filters=filters,
        buckets=points,
        total_views=total,
        staff=staff,
        top=top,
        least=least,
        sections=_section_rows(sections, filters.section_id, articles, by_article),
        offices=office_rows,
        without_office=without,
        search=search_figures(filters),
    )


def _fill_series(rows, days, points, *, weekly):
    """Each row's views per point of ``points`` (one query for all)."""
    if not rows:
        return
    wanted = days.filter(article_id__in={r.article_id for r in rows}).order_by()
    if weekly:
        wanted = wanted.annotate(bucket=TruncWeek("date")).values_list("article_id", "bucket")
    else:
        wanted = wanted.values_list("article_id", "date")
    counts = {}
    for article_id, bucket, n in wanted.annotate(n=Sum("views")):
        if isinstance(bucket, dt.datetime):  # TruncWeek of a date on some backends
            bucket = bucket.date()
        counts[article_id, bucket] = n
    for r in rows:
        r.series = [counts.get((r.article_id, point), 0) for point in points]


def _section_rows(sections, section_id, articles, by_article):
    """The top-level sections, or the chosen section's own articles and its
    subsections: each with the views of everything under it."""
    views_in, count_in = {}, {}
    for pk, _title, _slug, sid, status in articles:
        views_in[sid] = views_in.get(sid, 0) + by_article.get(pk, 0)
        count_in[sid] = count_in.get(sid, 0) + (status == Article.Status.PUBLISHED)

    def total(node_id, table):
        return sum(table.get(i, 0) for i in sections.descendant_ids(node_id))

    rows = []
    if section_id is None:
        nodes = sections.roots
    else:
        chosen = sections.by_id[section_id]
        nodes = chosen.children
        if views_in.get(section_id) or count_in.get(section_id):
            rows.append(
                SectionRow(
                    chosen.title,
                    views_in.get(section_id, 0),
                    count_in.get(section_id, 0),
                    None,
                    own=True,
                )
            )
    rows += [SectionRow(n.title, total(n.id, views_in), total(n.id, count_in), None) for n in nodes]
    whole = sum(r.views for r in rows)
    for r in rows:
        r.share = share(r.views, whole)
    return rows


def _office_rows(offices, root, by_office, staff_by_office, *, sort, region):
    """The offices in tree order, each with its subtree's totals, ordered by ``sort``."""
    top_level = root.level if root is not None else 0
    rows = {
        o.pk: OfficeRow(
            office=o,
            depth=o.level - top_level,
            own_views=by_office.get(o.pk, 0),
            own_staff=staff_by_office.get(o.pk, 0),
        )
        for o in offices
    }
    # Children come after their parents in tree order: add up from the end.
    for o in reversed(offices):
        node = rows[o.pk]
        node.views += node.own_views
        node.staff += node.own_staff
        parent = rows.get(o.parent_id)
        if parent is not None:
            parent.views += node.views
            parent.staff += node.staff
    ordered = [rows[o.pk] for o in offices]
    if sort == OfficeSort.VIEWS:
        ordered.sort(key=lambda r: -r.views)
    elif sort == OfficeSort.PER_100:
        ordered.sort(key=lambda r: (r.per_100 is None, -(r.per_100 or 0)))
    without = None
    if region and (by_office.get(None) or staff_by_office.get(None)):
        without = OfficeRow(
            office=None,
            depth=0,
            own_views=by_office.get(None, 0),
            views=by_office.get(None, 0),
            own_staff=staff_by_office.get(None, 0),
            staff=staff_by_office.get(None, 0),
        )
    return ordered, without


def search_figures(filters, *, limit=LIST_SIZE):
    """The search log of the period (the whole region: the log keeps no
    office): first pages of results asked for, how many of them led to an
    opened result, the most frequent queries with their click-through, and
    those that found something nobody opened. One query, grouped by the
    query's text (a period holds a few thousand different ones at most)."""
    start, after = _window(filters)
    searches = SearchQuery.objects.filter(created_at__gte=start, created_at__lt=after, page=1)
    # Joined to their clicks (a search with several counts once: distinct),
    # cheaper than a subquery per search.
    grouped = [
        QueryRow(query, n, clicked, found)
        for query, n, clicked, found in searches.order_by()
        .values("query")
        .annotate(
            n=Count("id", distinct=True),
            clicked=Count("clicks__search_id", distinct=True),
            found=Max("results"),
        )
        .values_list("query", "n", "clicked", "found")
    ]
    grouped.sort(key=lambda row: (-row.searches, row.query))
    return SearchFigures(
        searches=sum(row.searches for row in grouped),
        clicked=sum(row.clicked for row in grouped),
        top=grouped[:limit],
        unopened=[row for row in grouped if row.results and not row.clicked][:limit],
    )


def with_recent_views(articles, *, days=30):
    """``articles`` annotated with ``views_30``: their views of the last
    ``days`` days (today included), one subquery the database runs only for
    the rows it returns (the article admin's list)."""
    since = timezone.localdate() - ONE_DAY * (days - 1)
    recent = (
        ArticleViewDay.objects.filter(article_id=OuterRef("pk"), date__gte=since)
        .order_by()
        .values("article_id")
        .annotate(n=Sum("views"))
        .values("n")[:1]
    )
    return articles.annotate(views_30=Coalesce(Subquery(recent), 0))
