"""Reads of the expert app: a profile's live figures and a journey map.

Nothing is computed here that the dashboard computes: a profile's index,
CSAT, five groups, answers and complaint topics are those of
``dashboards.selectors.cx_report`` for the dashboard's own default period
(the last complete quarter, ``dashboards.forms.last_complete``) filtered to
the profile's client group, cached under the dashboard's data stamp
(``dashboards.selectors.cached``), so an import shows at once. The figures
are the citizens' (client groups describe citizens: an employer's answer
carries «иное» only because the field must hold something), exactly what
the dashboard shows with «граждане» and the group chosen.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.urls import reverse

from articles.models import Article
from dashboards import cx as cxm
from dashboards import selectors as dash
from dashboards.forms import Filters, PeriodKind, last_complete, this_month
from expert.models import ClientGroupProfile, JourneyStage

COMPLAINT_TOPICS = 5


@dataclass
class ProfileFigures:
    filters: Filters  # the dashboard's filters these figures are for
    cx: cxm.Cx
    groups: dict  # {code: GroupScore}: the dashboard's weighted groups
    complaints: list  # of dashboards.selectors.TopicRow, most complained about first

    @property
    def period(self):
        return self.filters.period

    @property
    def weakest(self):
        """The weakest of the five groups (the dashboard's «слабее всего»), or None."""
        ranked = cxm.ranked_groups(self.groups)
        return ranked[0][2] if ranked else None

    def dashboard_url(self):
        """The dashboard on the same period, client type and group."""
        return f"{reverse('dashboards:cx')}?{urlencode(self.filters.query())}"

    def comments_url(self, topic_id):
        """The dashboard's comments of this group and period with the topic."""
        query = urlencode(self.filters.query(topic=topic_id))
        return f"{reverse('dashboards:cx_comments')}?{query}"


def profile_filters(*, client_group, latest, current_month):
    """The dashboard's filters of a profile's figures: the last complete
    quarter (the dashboard's default period), the group's citizens, the region."""
    period = last_complete(PeriodKind.QUARTER, latest=latest, current_month=current_month)
    return Filters(period=period, client_type=cxm.CITIZEN, client_group=client_group)


def profile_figures(*, client_group):
    """The live figures of ``client_group``: one query (the data stamp) when
    cached, the dashboard's report queries when not."""
    stamp, latest = dash.data_stamp()
    current_month = this_month()
    latest = latest or current_month  # as the dashboard: no data yet, the quarter before this
    filters = profile_filters(client_group=client_group, latest=latest, current_month=current_month)
    return dash.cached(
        "expert_profile",
        stamp,
        f"{filters.cache_key()}|{latest}|{current_month}",
        lambda: _figures(filters, latest=latest, current_month=current_month),
    )


def _figures(filters, *, latest, current_month):
    # The region's figures do not depend on the offices' names or places,
    # so the tree is read only here, on a miss, and is no part of the key.
    tree = dash.OfficeTree(dash.offices_all())
    report = dash.cx_report(
        filters, tree, latest_month=latest, current_month=current_month, with_comments=False
    )
    complaints = sorted(
        (row for row in report.topics if row.negative),
        key=lambda row: (-row.negative, -row.count, row.name),
    )
    return ProfileFigures(
        filters=filters,
        cx=report.cx,
        groups=report.groups,
        complaints=complaints[:COMPLAINT_TOPICS],
    )


def profile_of(*, article, user):
    """The profile of ``article`` with the linked routes and algorithms
    ``user`` may open (two queries), or None."""
    linked = (
        Article.objects.visible_to(user)
        .filter(section__deleted_at__isnull=True)
        .select_related("section")
        .only("id", "title", "slug", "kind", "status", "summary", "section_id", "section__slug")
        .order_by("kind", "title")
    )
    return (
        ClientGroupProfile.objects.filter(article_id=article.pk)
        .prefetch_related(Prefetch("linked_articles", queryset=linked))
        .first()
    )


@dataclass
class Journey:
    """A journey map: its stages with their steps, numbered through."""

    stages: list  # of JourneyStage, each with ``steps`` prefetched

    def __post_init__(self):
        number = 0
        for stage in self.stages:
            stage.step_list = list(stage.steps.all())
            for step in stage.step_list:
                number += 1
                step.number = number

    @property
    def steps(self):
        return [step for stage in self.stages for step in stage.step_list]

    @property
    def pain_count(self):
        return sum(1 for step in self.steps if step.pains)


def journey_of(*, article):
    """The journey map of ``article`` (two queries), or None without stages."""
    stages = list(JourneyStage.objects.filter(article_id=article.pk).prefetch_related("steps"))
    return Journey(stages) if stages else None
