"""Reads for the article page: the person's answer and the last check."""

from contributions.models import Helpfulness, Review
from people.roles import is_editor


def can_review(user, article):
    """The article's owner and every editor may confirm it is still true."""
    return is_editor(user) or (user.is_authenticated and article.owner_id == user.pk)


def helpfulness_of(*, article, user):
    return Helpfulness.objects.filter(article=article, user=user).first()


def article_last_reviewed(*, article):
    return (
        Review.objects.filter(article=article)
        .order_by("-reviewed_at")
        .values_list("reviewed_at", flat=True)
        .first()
    )
