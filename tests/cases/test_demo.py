"""The demo's cases: in several offices, some overdue, some closed; made once."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from cases.demo import seed_cases
from cases.models import Case


def test_demo_cases_tell_a_story(db, settings):
    settings.DEMO_FEEDBACK_SCALE = 0.3
    call_command("seed_demo", allow_production=True, verbosity=0, stdout=StringIO())
    cases = Case.objects.all()
    assert cases.values("office").distinct().count() >= 3
    today = timezone.localdate()
    assert cases.filter(status__in=Case.OPEN, due_date__lt=today).exists()
    closed = cases.filter(status__in=Case.CLOSED)
    assert closed.exists()
    assert not closed.filter(action_taken="").exists()
    assert all(case.history.exists() for case in cases[:5])
    assert seed_cases() == {"cases": 0}
