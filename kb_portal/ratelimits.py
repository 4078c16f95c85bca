"""The per-hour limits on what a person may send (proposals, questions,
answers, error reports): one rule, counted the same way everywhere."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone


def hourly_limit_check(*, user, rows, since_field, limit, message, error=ValidationError):
    """Raise ``error(message)`` when ``rows`` (the person's own rows of one
    kind) hold ``limit`` or more from the last hour by ``since_field``.

    The person's row is locked first, inside the caller's transaction: two
    requests of one person wait for each other, so the count each one reads
    includes the other's row and the limit cannot be passed in parallel.
    ``message`` may use ``%(limit)d``."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
    since = timezone.now() - timedelta(hours=1)
    if rows.filter(**{f"{since_field}__gte": since}).count() >= limit:
        raise error(message, params={"limit": limit})
