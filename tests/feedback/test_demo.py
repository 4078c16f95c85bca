"""The demo feedback tells a story: enough answers, good and bad offices,
small ones, comments and complaints; a second run adds nothing."""

import pytest
from django.db.models import Avg, Count

from feedback.aggregates import slices_refresh
from feedback.demo import seed_feedback
from feedback.models import FeedbackResponse, MonthlySlice, OperationalIndicator, Service
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
