"""Reads of the notification centre."""

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from notifications.models import (
    EMAIL_BY_DEFAULT,
    DigestFrequency,
    DigestSetting,
    Kind,
    Notification,
    NotificationPreference,
)
from people.roles import can_view_cx_dashboard, is_editor

UNREAD_CACHE_SECONDS = 600


def unread_cache_key(user_id):
    return f"notifications:unread:{user_id}"


def unread_notification_count(*, user):
    """How many of ``user``'s notifications are unread, for the site header
    on every page: cached per person, so a page costs no query for it. The
    services drop the entry when they add notifications or mark them read;
    the timeout covers what the admin deletes."""
    key = unread_cache_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.unread().filter(recipient=user).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def notification_list(*, user):
    """``user``'s notifications, newest first (the model's ordering)."""
    return Notification.objects.filter(recipient=user).only(
        "id", "kind", "text", "url", "created_at", "read_at"
    )


# The settings page groups the kinds by the part of the portal they come from.
KIND_AREAS = [
    (_("Банк идей"), [Kind.IDEA_STATUS, Kind.IDEA_COMMENT, Kind.IDEA_MERGE]),
    (_("Предложения"), [Kind.PROPOSAL_NEW, Kind.PROPOSAL_STATUS]),
    (_("Вопросы"), [Kind.QUESTION_NEW, Kind.QUESTION_ANSWER, Kind.ERROR_REPORT]),
    (_("Актуализация"), [Kind.REVIEW_DUE, Kind.REVIEW_ESCALATION]),
    (_("Обязательные документы"), [Kind.MANDATORY]),
    (_("Обращения"), [Kind.CASE_NEW, Kind.CASE_OVERDUE]),
    (_("Клиентский опыт"), [Kind.CX_REPORT]),
    (_("Подписки"), [Kind.SUBSCRIPTION]),
]
# Kinds that reach only some people. Everything else can reach anyone: anyone
# may submit an idea, propose, ask, or be made the owner of an article (and
# so get its questions, error reports and review reminders).
EDITOR_KINDS = frozenset({Kind.PROPOSAL_NEW, Kind.REVIEW_ESCALATION})
CX_KINDS = frozenset({Kind.CASE_NEW, Kind.CASE_OVERDUE, Kind.CX_REPORT})


def kinds_for(*, user):
    """The kinds of notification that can reach ``user``, in the areas' order:
    editors' queues only to editors, cases and the CX report only to managers,
    the working group and administrators."""
    hidden = set()
    if not is_editor(user):
        hidden |= EDITOR_KINDS
    if not can_view_cx_dashboard(user):
        hidden |= CX_KINDS
    return [kind for _area, kinds in KIND_AREAS for kind in kinds if kind not in hidden]


def kind_short_label(kind):
    """The kind's label without its area («Банк идей: новый комментарий» ->
    «Новый комментарий»): the area is the group's heading."""
    label = str(Kind(kind).label).split(": ", 1)[-1]
    return label[:1].upper() + label[1:]


def kind_areas(*, kinds):
    """[(area title, [kinds])] of ``kinds``, areas with none left out."""
    wanted = set(kinds)
    areas = []
    for title, area_kinds in KIND_AREAS:
        shown = [kind for kind in area_kinds if kind in wanted]
        if shown:
            areas.append((title, shown))
    return areas


def email_preferences(*, user):
    """kind -> whether ``user`` also gets it by e-mail, for every kind."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return {kind: chosen.get(kind, kind in EMAIL_BY_DEFAULT) for kind in Kind.values}


def email_recipients(*, user_ids, kind):
    """Of ``user_ids``, the active people with an address who want ``kind``
    by e-mail (their own choice, or the kind's default): their addresses."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "email"
        )
    )
    default = kind in EMAIL_BY_DEFAULT
    wanted = [user_id for user_id in user_ids if chosen.get(user_id, default)]
    if not wanted:
        return []
    return list(
        get_user_model()
        .objects.filter(pk__in=wanted, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )


def digest_frequency(*, user):
    """How often ``user`` wants the digest (never without a choice)."""
    chosen = DigestSetting.objects.filter(user=user).values_list("frequency", flat=True).first()
    return chosen or DigestFrequency.NEVER
