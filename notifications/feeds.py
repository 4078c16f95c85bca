"""The private feeds' keys (the Atom feed of what a person follows, the
iCal calendar of their events): the URL holds the key and its HMAC under
SECRET_KEY, salted per purpose, so neither a guessed key, nor the table
alone, nor one feed's address opens anyone's other feed, and the profile
can show the address again. Revoking deletes it."""

import re
import secrets

from django.db import IntegrityError, transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from notifications.models import FeedToken

Purpose = FeedToken.Purpose

# The Atom feed's salt is the one its addresses were made with before the
# calendar came: existing links keep working.
_SALTS = {
    Purpose.ATOM: "kb_portal.notifications.feed",
    Purpose.CALENDAR: "kb_portal.events.calendar",
}
_TOKEN = re.compile(r"^([0-9a-f]{32})([0-9a-f]{32})$")


def _mac(key, purpose):
    return salted_hmac(_SALTS[purpose], key, algorithm="sha256").hexdigest()[:32]


def feed_token_value(feed_token):
    """The secret part of the feed's URL."""
    return feed_token.key + _mac(feed_token.key, feed_token.purpose)


@transaction.atomic
def feed_token_create(*, user, purpose=Purpose.ATOM):
    """A new key for ``user``'s feed of ``purpose``; the old one (if any)
    stops working, the person's other feed is left alone."""
    FeedToken.objects.filter(user=user, purpose=purpose).delete()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return FeedToken.objects.create(
                    user=user, purpose=purpose, key=secrets.token_hex(16)
                )
        except IntegrityError:  # the same key twice: practically never; try again
            continue
    raise RuntimeError("Could not make a unique feed key.")


def feed_token_revoke(*, user, purpose=Purpose.ATOM):
    """``user``'s feed address of ``purpose`` stops working. Returns whether
    there was one."""
    return FeedToken.objects.filter(user=user, purpose=purpose).delete()[0] > 0


def feed_user(token, *, purpose=Purpose.ATOM):
    """The active person whose feed of ``purpose`` ``token`` opens, or None —
    for a wrong, forged, revoked or other feed's token alike (the caller
    answers 404 with no hint)."""
    match = _TOKEN.match(token or "")
    if match is None:
        return None
    key, mac = match.groups()
    if not constant_time_compare(mac, _mac(key, purpose)):
        return None
    found = FeedToken.objects.select_related("user").filter(key=key, purpose=purpose).first()
    if found is None or not found.user.is_active:
        return None
    return found.user


def feed_tokens_of(*, user):
    """The person's feed keys by purpose (one query), for the profile."""
    return {token.purpose: token for token in FeedToken.objects.filter(user=user)}
