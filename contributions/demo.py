"""Demo answers to «Материал был полезен?», one «Проверено, актуально», and
the review reminders the daily job would have sent about the overdue demo
articles."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from articles.models import Article
from contributions.models import Helpfulness, Review, ReviewReminder
from contributions.services import article_review, helpfulness_record, review_reminders_send
from notifications.models import Kind, Notification

# (login, answer, reason, text) on the first published articles, in order.
ANSWERS = [
    ("sotrudnik", True, "", ""),
    ("rabgruppa", False, "unclear", "Не хватает примера заполнения."),
    ("rukovoditel", True, "", ""),
]


def seed_contributions(users):
    """Create what is missing; return counts of what was created."""
    created = {"helpfulness": 0, "reviews": 0, "review_reminders": 0}
    articles = list(Article.objects.published().order_by("id")[:2])
    for article in articles:
        for login, helpful, reason, text in ANSWERS:
            user = users[login]
            if not Helpfulness.objects.filter(article=article, user=user).exists():
                helpfulness_record(
                    article=article, user=user, helpful=helpful, reason=reason, text=text
                )
                created["helpfulness"] += 1
    if articles and not Review.objects.filter(article=articles[0]).exists():
        article_review(article=articles[0], by=users["redaktor"], note="Сверено с приказом.")
        created["reviews"] += 1
    created["review_reminders"] = seed_review_reminders()
    return created


def seed_review_reminders(today=None):
    """Replay the daily reminder job over the days the overdue demo articles
    passed through (their «soon» day, the day after the date, the escalation
    day), so the reminders carry the dates they would really have gone out
    on. Already recorded reminders are skipped by the job itself."""
    today = today or timezone.localdate()
    overdue = Article.objects.published().filter(review_due__lt=today)
    before = settings.REVIEW_REMINDER_DAYS_BEFORE
    late = settings.REVIEW_ESCALATION_DAYS
    days = set()
    for due in overdue.values_list("review_due", flat=True):
        days.update(due + timedelta(days=n) for n in (-before, 1, late))
    count = ReviewReminder.objects.count()
    for day in sorted(d for d in days if d <= today):
        last = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
        review_reminders_send(today=day, articles=overdue)
        # The notifications of a replayed day carry that day's morning.
        morning = timezone.make_aware(datetime.combine(day, time(8, 0)))
        Notification.objects.filter(
            pk__gt=last, kind__in=[Kind.REVIEW_DUE, Kind.REVIEW_ESCALATION]
        ).update(created_at=min(morning, timezone.now()))
    return ReviewReminder.objects.count() - count
