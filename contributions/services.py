"""Writes: a person's helpfulness answer, an owner's «проверено, актуально»."""

import calendar
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from simple_history.utils import bulk_update_with_history

from articles.models import Article
from contributions.models import Helpfulness, Review


def helpfulness_record(*, article, user, helpful, reason="", text=""):
    """Record (or change) ``user``'s answer on ``article``; one row per pair.

    A «да» keeps no reason or text. Two first answers at once (a double
    click) race to insert: the loser's insert fails on the unique constraint
    and it updates the winner's row instead, so neither gets an error.
    """
    values = {
        "helpful": helpful,
        "reason": "" if helpful else reason,
        "text": "" if helpful else text,
        "article_version": article.version,
        "answered_at": timezone.now(),
    }
    try:
        with transaction.atomic():
            answer, _ = Helpfulness.objects.update_or_create(
                article=article, user=user, defaults=values
            )
    except IntegrityError:
        with transaction.atomic():
            answer, _ = Helpfulness.objects.update_or_create(
                article=article, user=user, defaults=values
            )
    return answer


def add_months(day, months):
    """``day`` moved by ``months``; the 31st becomes the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_interval_months(lifecycle):
    if lifecycle == Article.Lifecycle.DYNAMIC:
        return settings.REVIEW_INTERVAL_DYNAMIC_MONTHS
    return settings.REVIEW_INTERVAL_EVERGREEN_MONTHS


@transaction.atomic
def article_review(*, article, by, note=""):
    """Record that ``by`` checked ``article`` and it is still true.

    «Следующая актуализация» moves to today plus the lifecycle's interval.
    The article is updated without save(): the content did not change, so
    neither «обновлено» nor the version moves; the history still gets a row
    with the reason, so the check is on record.
    """
    article = Article.objects.select_for_update().get(pk=article.pk)
    review = Review.objects.create(
        article=article, reviewer=by, note=note, article_version=article.version
    )
    article.review_due = add_months(timezone.localdate(), review_interval_months(article.lifecycle))
    article.reviewed_at = review.reviewed_at
    bulk_update_with_history(
        [article],
        Article,
        ["review_due", "reviewed_at"],
        default_user=by,
        default_change_reason=gettext("проверено, актуально"),
    )
    return review
