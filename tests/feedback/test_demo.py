"""The demo feedback tells a story: enough answers, good and bad offices,
small ones, groups that differ, a trend that improves, client groups of
realistic sizes, comments and complaints; a second run adds nothing."""

import pytest
from django.db.models import Avg, Count

from dashboards import selectors
from dashboards.forms import Filters, Period, PeriodKind, add_months, last_complete, this_month
from dashboards.selectors import EMPLOYERS_ROW
from feedback.aggregates import slices_refresh
from feedback.demo import seed_feedback
from feedback.models import (
    ClientGroup,
    FeedbackResponse,
    MonthlySlice,
    OperationalIndicator,
    Service,
)
from fixtures import demo_content
from kb_portal.demo import _seed_offices
from people.models import Office

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db, settings):
    """Seeded once per test: it takes seconds, so the checks share one test.

    The test settings shrink the demo for the rest of the suite; this test
    checks the full size that `make run` seeds.
    """
    settings.DEMO_FEEDBACK_SCALE = 1.0
    _seed_offices(demo_content.OFFICES, parent=None)
    return seed_feedback()


def test_demo_feedback_is_big_varied_consistent_and_idempotent(demo):
    assert demo["feedback"] >= 50_000
    assert Service.objects.count() >= 12
    assert FeedbackResponse.objects.values("office").distinct().count() == Office.objects.count()
    assert FeedbackResponse.objects.values("month").distinct().count() == 18
    for field in ("client_group", "channel", "source", "service"):
        assert FeedbackResponse.objects.values(field).distinct().count() >= 5, field
    averages = sorted(
        FeedbackResponse.objects.values("office")
        .annotate(a=Avg("csat"))
        .values_list("a", flat=True)
    )
    assert averages[-1] - averages[0] > 0.8  # clearly better and clearly worse offices
    small = (
        FeedbackResponse.objects.values("office")
        .annotate(n=Count("id"))
        .filter(n__lt=30 * 18)
        .count()
    )
    assert 1 <= small <= 10  # a few offices with too few answers to rank
    commented = FeedbackResponse.objects.exclude(comment="")
    assert commented.count() > 2000
    low = commented.filter(csat__lte=2).values_list("comment", flat=True)[:50]
    assert all("спасибо" not in comment.lower() for comment in low)
    assert FeedbackResponse.objects.filter(complaint=True, complaint_justified=True).exists()
    assert FeedbackResponse.objects.filter(csat__isnull=True).exists()  # blanks stay blank
    assert OperationalIndicator.objects.count() == Office.objects.count() * 18 * 7

    # The slices agree with the raw responses…
    fields = [f.name for f in MonthlySlice._meta.fields if f.name != "id"]
    seeded = sorted(MonthlySlice.objects.values_list(*fields))
    slices_refresh()
    assert seeded == sorted(MonthlySlice.objects.values_list(*fields))

    # …and a second run adds nothing.
    count = FeedbackResponse.objects.count()
    assert seed_feedback() == {"services": 0, "feedback": 0, "indicators": 0}
    assert FeedbackResponse.objects.count() == count


@pytest.fixture
def story(db, settings):
    settings.DEMO_FEEDBACK_SCALE = 0.2  # ~11,000 answers: enough for the story, quick
    _seed_offices(demo_content.OFFICES, parent=None)
    seed_feedback()
    tree = selectors.OfficeTree(selectors.offices_all())
    current = this_month()
    quarter = last_complete(PeriodKind.QUARTER, latest=current, current_month=current)
    return selectors.cx_report(Filters(period=quarter), tree, current_month=current)


def test_demo_groups_differ_effort_and_waiting_weakest(story):
    groups = {code: g.value for code, g in story.groups.items()}
    assert max(groups.values()) - min(groups.values()) >= 8
    assert max(groups, key=groups.get) == "F"  # politeness and competence
    assert min(groups, key=groups.get) == "E"  # the effort
    k_parts = {key: share.value for key, share in story.groups["K"].components}
    assert min(k_parts, key=k_parts.get) == "waiting"


def test_demo_trend_improves_and_offices_differ(story):
    trend = [cx.value for _month, cx in story.trend]
    assert trend[-1] - trend[0] >= 4  # the year's story: better waiting and effort
    assert trend[-1] > story.previous.value
    ranked = [row.cx.value for row in story.offices if row.rank]
    assert max(ranked) - min(ranked) >= 10


def test_demo_client_groups_are_sized_like_a_real_region(story):
    sizes = {row.key: row.cx.responses for row in story.client_groups}
    assert max(sizes, key=sizes.get) in {ClientGroup.JOBSEEKER, ClientGroup.UNEMPLOYED}
    assert sizes[ClientGroup.OTHER] < min(sizes[ClientGroup.JOBSEEKER], sizes[EMPLOYERS_ROW]) / 3
    ranking = [row.key for row in story.client_groups]
    assert ranking[0] != ClientGroup.OTHER
    raw = dict(
        FeedbackResponse.objects.values_list("client_group").annotate(n=Count("id")).order_by()
    )
    assert max(raw, key=raw.get) != ClientGroup.OTHER  # even with the employers in it
    # The same words as the articles' «Профиль клиентской группы: гражданин с инвалидностью».
    assert ClientGroup.DISABLED.label == "гражданин с инвалидностью"


def test_demo_topics_show_one_office_with_a_queue_problem(story):
    from feedback.demo import QUEUE_OFFICE
    from feedback.models import ResponseTopic, Topic

    queue = Topic.objects.get(name="Очередь и ожидание")
    rows = {row.name: row for row in story.topics}
    assert len(rows) >= 8  # comments about many subjects
    # The last three complete months: the story's, against the three before.
    current = story.current_month
    period = Period(PeriodKind.CUSTOM, add_months(current, -3), add_months(current, -1))
    office = Office.objects.get(code=QUEUE_OFFICE)
    tree = selectors.OfficeTree(selectors.offices_all())

    def queue_row(office_id):
        filters = Filters(period=period, office_id=office_id)
        report = selectors.cx_report(filters, tree, current_month=current)
        return {row.name: row for row in report.topics}["Очередь и ожидание"]

    region_share = queue_row(None).share
    mine = queue_row(office.pk)
    assert mine.share > 3 * region_share  # the office stands out…
    assert mine.change > 5  # …and it got worse lately
    assert mine.negative >= 1  # complaints about it
    assert ResponseTopic.objects.filter(topic=queue, office=office).exists()
    # Personal data in the demo comments was masked on the way in.
    stored = FeedbackResponse.objects.filter(comment__contains="[телефон]")
    assert stored.exists()
    assert not FeedbackResponse.objects.filter(comment__contains="8-917-555").exists()
