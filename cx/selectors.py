"""What the CX block shows every employee: the region and the reader's office
for the last complete month.

Nothing is computed here: the index, its change, the five groups, the topics
and the operational indicators are the dashboard's own (``dashboards.
selectors.cx_report`` and the functions beside it), for the month that
``dashboards.forms.last_complete`` names — the same month the dashboard opens
on with «месяц» chosen. What this module adds is the choice of what a person
who is not a manager may see: aggregates, and a few comments of the top
topics as bare text (masked on import, ``feedback.masking``), without the
date, the office, the service or the scores of the answer they came with.
"""

from dataclasses import dataclass, field

from dashboards import cx as cxm
from dashboards import selectors as dash
from dashboards.forms import Filters, PeriodKind, last_complete, this_month
from feedback.models import OperationalIndicator
from people.models import Profile

TOPICS_SHOWN = 5
COMMENTS_PER_TOPIC = 3


@dataclass
class TopicComments:
    row: dash.TopicRow
    comments: list  # of str: the comment text only


@dataclass
class Scope:
    """The month's figures of the region or of one office (its subtree)."""

    cx: cxm.Cx
    previous: cxm.Cx
    change: float | None
    groups: dict  # {code: GroupScore}, the dashboard's weighted groups
    topics: list = field(default_factory=list)  # of TopicComments
    indicators: list = field(default_factory=list)  # of (code, value), offices only

    @property
    def indicator_rows(self):
        """(label, value, digits) of the indicators, labelled in the reader's
        language; counts are whole numbers, means keep a decimal."""
        labels = dict(OperationalIndicator.Code.choices)
        return [
            (labels[code], value, 0 if code in dash.SUMMED_INDICATORS else 1)
            for code, value in self.indicators
        ]


@dataclass
class Block:
    period: object  # dashboards.forms.Period of one month
    previous_period: object
    region: Scope
    office: object = None  # people.Office, or None without one in the profile
    office_scope: Scope | None = None
    # The office's subtree is every office (the managing centre at the root):
    # its figures are the region's and are not shown twice.
    office_is_region: bool = False

    @property
    def topics_scope(self):
        """The figures whose topics the page shows: the office's, else the region's."""
        return self.office_scope or self.region


def person_office_id(user):
    """The office of ``user``'s profile, or None (one query)."""
    return Profile.objects.filter(user_id=user.pk).values_list("office_id", flat=True).first()


def cx_block(*, office_id):
    """The block for a reader of office ``office_id`` (None: region only).

    Two queries when cached (the offices and the data stamp). The region's
    figures are one cache entry for everyone, each office's another, both
    keyed by the dashboard's data stamp: an import shows at once, and a
    cache outage only makes the page compute them again.
    """
    tree = dash.OfficeTree(dash.offices_all())
    stamp, latest = dash.data_stamp()
    current_month = this_month()
    period = last_complete(PeriodKind.MONTH, latest=latest, current_month=current_month)

    def figures(office):
        parts = f"{period.start}|{current_month}|{office.pk if office else ''}|{tree.token}"
        return dash.cached(
            "cx_block",
            stamp,
            parts,
            lambda: _scope(tree, office, period, latest=latest, current_month=current_month),
        )

    block = Block(period=period, previous_period=period.previous(), region=figures(None))
    office = tree.by_id.get(office_id) if office_id else None
    if office is not None:
        block.office = office
        block.office_is_region = len(tree.subtree(office)) == len(tree.offices)
        if not block.office_is_region:
            block.office_scope = figures(office)
    return block


def _scope(tree, office, period, *, latest, current_month):
    filters = Filters(period=period, office_id=office.pk if office else None)
    report = dash.cx_report(
        filters, tree, latest_month=latest, current_month=current_month, with_comments=False
    )
    office_ids = [o.pk for o in tree.subtree(office)] if office else None
    seen = set()
    scope = Scope(
        cx=report.cx,
        previous=report.previous,
        change=report.change,
        groups=report.groups,
        topics=[
            TopicComments(row, _comments(filters, office_ids, row.topic_id, seen))
            for row in report.topics[:TOPICS_SHOWN]
        ],
    )
    if office is not None:
        scope.indicators = _indicators(office_ids, period)
    return scope


def _comments(filters, office_ids, topic_id, seen):
    """The newest few comments of a topic, as text only (one query). A text
    already shown (``seen``: under another topic, or the same words from
    another client) is not repeated."""
    texts = dash.topic_comments(filters, office_ids, topic_id=topic_id).values_list(
        "comment", flat=True
    )
    chosen = []
    for text in texts[: COMMENTS_PER_TOPIC * 3]:
        key = " ".join(text.lower().split())
        if key not in seen and len(chosen) < COMMENTS_PER_TOPIC:
            seen.add(key)
            chosen.append(text)
    return chosen


def _indicators(office_ids, period):
    """(code, value) of the operational indicators of the office's subtree
    for the period, in the reference list's order: the dashboard's rule
    (sums for counts, means for times and shares; one query)."""
    row = dash.Row("office", "", None)
    dash.attach_indicators([row], {"office": office_ids}, period)
    return [
        (code, row.indicators[code])
        for code in OperationalIndicator.Code.values
        if code in row.indicators
    ]
