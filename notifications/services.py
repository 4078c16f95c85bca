"""Writes of the notification centre: telling people, marking as read,
choosing e-mail per kind.

Rules decided here:
- Nobody gets two notifications about one event: recipients are deduplicated.
- A notification leads to a path on this site (``url`` starts with one «/»);
  e-mail carries it as an absolute link only when PORTAL_URL is set, never
  as a bare path.
- E-mail goes out after the transaction commits, only when EMAIL_HOST is set,
  and only to those whose preference for the kind says so.
- The unread count in the header is cached per person; every write here drops
  the affected entries now and again after the commit.
"""

import logging
import smtplib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from notifications.models import (
    DigestFrequency,
    DigestSetting,
    Kind,
    Notification,
    NotificationPreference,
)
from notifications.selectors import email_recipients, unread_cache_key

logger = logging.getLogger(__name__)

SUBJECT_MAX = 120


def is_local_url(url):
    """A path on this site: one leading slash, no scheme, no host."""
    return (
        isinstance(url, str)
        and url.startswith("/")
        and not url.startswith("//")
        and "\\" not in url
        and not any(ch in url for ch in "\r\n\t")
    )


def unread_forget(*, user_ids):
    """Drop the cached unread counts of ``user_ids``: now, so the rest of this
    request counts afresh, and again after the commit, in case another
    request cached the old count in between."""
    keys = [unread_cache_key(user_id) for user_id in set(user_ids)]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def one_line(text, limit=SUBJECT_MAX):
    """``text`` on one line (a mail subject refuses line breaks), cut with «…»."""
    return Truncator(" ".join(str(text).split())).chars(limit)


def portal_link(url):
    """``url`` (a path on this site) as an absolute link for an e-mail, or
    None without PORTAL_URL: a bare path is no link in a letter."""
    if not settings.PORTAL_URL:
        return None
    return settings.PORTAL_URL.rstrip("/") + url


@transaction.atomic
def notification_send(
    *,
    recipients,
    kind,
    text,
    url,
    target=None,
    subject=None,
    email_text=None,
    email_html=None,
):
    """Tell each of ``recipients`` (users or their ids; each once) ``text``,
    leading to ``url``; e-mail those who want ``kind`` by e-mail after the
    commit. Returns the number of people told.

    The letter says ``text`` unless ``email_text`` (longer, plain text) is
    given; either way the link to ``url`` is added below. ``email_html``, an
    HTML version of the letter already escaped (rendered from a template),
    goes with it as an alternative; it carries its own link."""
    kind = Kind(kind)
    if not is_local_url(url):
        raise ValueError(f"A notification leads to a path on this site, not {url!r}.")
    user_ids = sorted({getattr(person, "pk", person) for person in recipients})
    if not user_ids:
        return 0
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            recipient_id=user_id,
            kind=kind,
            text=text,
            url=url,
            target_type=target_type,
            target_id=target.pk if target is not None else None,
            created_at=now,
        )
        for user_id in user_ids
    )
    unread_forget(user_ids=user_ids)
    if settings.EMAIL_HOST:
        emails = email_recipients(user_ids=user_ids, kind=kind)
        if emails:
            body = text if email_text is None else email_text
            link = portal_link(url)
            if link:
                body += "\n\n" + _("Открыть на портале: %(link)s") % {"link": link}
            letter_subject = one_line(subject or text)
            transaction.on_commit(
                lambda: _send_emails(
                    subject=letter_subject, body=body, html=email_html, emails=emails
                )
            )
    return len(user_ids)


def _send_emails(*, subject, body, emails, html=None):
    """Send one letter per person. A mail server that is down or refuses an
    address must not undo what is already saved, so SMTP and connection
    errors are logged, not raised; anything else is a bug and propagates."""
    try:
        with get_connection(fail_silently=False) as connection:
            for email in emails:
                try:
                    send_mail(
                        subject,
                        body,
                        None,
                        [email],
                        connection=connection,
                        html_message=html,
                    )
                except smtplib.SMTPRecipientsRefused:
                    logger.warning("notifications: mail server refused the address %s", email)
    # OSError: a refused or timed-out connection, and a mail host whose name
    # does not resolve (socket.gaierror), which is neither of those two.
    except (smtplib.SMTPException, OSError) as error:
        logger.error("notifications: could not send %d e-mails: %s", len(emails), error)


@transaction.atomic
def notification_mark_read(*, user, notification=None):
    """Mark one of ``user``'s notifications read, or all of them. Another
    person's notification is never touched. Returns how many changed."""
    unread = Notification.objects.unread().filter(recipient=user)
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    changed = unread.update(read_at=timezone.now())
    unread_forget(user_ids=[user.pk])
    return changed


@transaction.atomic
def notifications_delete_for(*, target):
    """Delete every notification about ``target`` (its words must not live on
    in people's lists once it is gone)."""
    told = Notification.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    )
    unread_forget(user_ids=list(told.values_list("recipient_id", flat=True)))
    return told.delete()[0]


@transaction.atomic
def preferences_set(*, user, email_kinds, kinds=None):
    """Save ``user``'s choice among ``kinds`` (all kinds by default): those in
    ``email_kinds`` also by e-mail, the rest on the site only. Kinds outside
    ``kinds`` (not shown to the person) keep whatever they were."""
    email_kinds = {Kind(kind) for kind in email_kinds}
    for kind in Kind if kinds is None else [Kind(kind) for kind in kinds]:
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"email": kind in email_kinds}
        )


def digest_frequency_set(*, user, frequency):
    """Save how often ``user`` wants the digest (a ``DigestFrequency``)."""
    frequency = DigestFrequency(frequency)
    DigestSetting.objects.update_or_create(user=user, defaults={"frequency": frequency})
