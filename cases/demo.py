"""Demo cases: the default rules applied to the demo's responses of the last
five months (so the dashboard's default, the last complete quarter, has
closed cases), worked on as an office would — some closed (a few late), some in
progress, some overdue — in several offices. Idempotent: made once."""

import datetime as dt
import random

from django.contrib.auth.models import User
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cases.models import Case
from cases.services import rules_active, rules_filter, sla_working_days, working_days_add
from feedback.models import FeedbackResponse

MONTHS = 5
ACTIONS = [
    "Позвонили клиенту, извинились, записали на приём без очереди.",
    "Разобрали случай на планёрке, специалисту напомнили стандарт общения.",
    "Проверили документы клиента: выплата назначена, клиенту сообщили срок.",
    "Подобрали клиенту три вакансии и направили на собеседование.",
]
NOT_CONFIRMED = (
    "Проверили запись приёма и видеозапись: нарушений не нашли, клиенту объяснили порядок."
)


def seed_cases():
    """Create the demo cases if there are none; return {"cases": how many}."""
    if Case.objects.exists():
        return {"cases": 0}
    match, _rule_id = rules_filter(rules_active())
    if match is None:
        return {"cases": 0}
    rules = rules_active()
    today = timezone.localdate()
    since = timezone.now() - dt.timedelta(days=31 * MONTHS)
    responses = FeedbackResponse.objects.filter(submitted_at__gte=since).order_by("submitted_at")
    if match != "all":
        responses = responses.filter(match)
    worker = User.objects.filter(username="rukovoditel").first()
    rng = random.Random(13)
    days = sla_working_days()
    cases = []
    for response in responses.only(*_FIELDS):
        rule = next(r for r in rules if r.matches(response))
        opened = response.submitted_at + dt.timedelta(hours=2)
        due = working_days_add(timezone.localdate(opened), days)
        case = Case(
            response=response,
            office_id=response.office_id,
            rule=rule,
            created_at=opened,
            due_date=due,
        )
        _work(case, rng, today, worker)
        cases.append(case)
    bulk_create_with_history(cases, Case, batch_size=1000, default_user=worker)
    return {"cases": len(cases)}


_FIELDS = (
    "id",
    "office_id",
    "submitted_at",
    "complaint",
    "csat",
    "nps",
    "problem_solved",
    "comment",
)


def _work(case, rng, today, worker):
    """What the office did: most past-due cases closed (a fifth of them late),
    the rest in progress or still new — overdue."""
    roll = rng.random()
    age = (today - timezone.localdate(case.created_at)).days
    if age < 2 or (roll < 0.15 and age < 30):
        return  # new
    if age > 30 and roll < 0.03:
        case.status, case.assignee = Case.Status.IN_PROGRESS, worker  # long forgotten
        return
    if roll < 0.35 and case.due_date < today and age < 30:
        case.status, case.assignee = Case.Status.IN_PROGRESS, worker  # overdue, in work
        return
    if case.due_date >= today and roll < 0.6:
        case.status, case.assignee = Case.Status.IN_PROGRESS, worker
        return
    late = rng.random() < 0.2
    spent = rng.randint(3, 9) if late else rng.randint(1, 6)
    closed = case.created_at + dt.timedelta(days=spent if late else min(spent, 5), hours=3)
    if timezone.localdate(closed) > today:
        case.status, case.assignee = Case.Status.IN_PROGRESS, worker
        return
    if rng.random() < 0.15:
        case.status, case.action_taken = Case.Status.NOT_CONFIRMED, NOT_CONFIRMED
    else:
        case.status, case.action_taken = Case.Status.RESOLVED, rng.choice(ACTIONS)
        case.contacted_back = rng.random() < 0.8
    case.assignee, case.closed_at = worker, closed
