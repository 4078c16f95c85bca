"""Writes of «Путь новичка»: a person's «Изучено» marks."""

from django.db import transaction
from django.http import Http404

from onboarding.models import ReadingPathProgress, ReadingPathStep
from onboarding.selectors import visible_steps

MAX_ID = 2**63 - 1


def person_step(*, user, step_id):
    """Step ``step_id`` if it is on an active path for ``user``'s position
    and its article is one staff can read; else Http404 (a step of another
    path, a hidden one or none at all look the same)."""
    if step_id > MAX_ID:  # the URL takes any digits; the column does not
        raise Http404
    step = (
        ReadingPathStep.objects.filter(
            visible_steps(), pk=step_id, path__is_active=True, path__position__staff__user=user
        )
        .select_related("article")
        .first()
    )
    if step is None:
        raise Http404
    return step


@transaction.atomic
def progress_mark(*, user, step_id):
    """Mark the step «Изучено». Marking it again changes nothing (the first
    mark's time stays). Returns the step."""
    step = person_step(user=user, step_id=step_id)
    ReadingPathProgress.objects.get_or_create(user=user, step=step)
    return step


@transaction.atomic
def progress_unmark(*, user, step_id):
    """Take the person's mark off the step (nothing to take: nothing changes)."""
    step = person_step(user=user, step_id=step_id)
    ReadingPathProgress.objects.filter(user=user, step=step).delete()
    return step
