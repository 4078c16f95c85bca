"""The private Atom feed's key: the URL holds the key and its HMAC under
SECRET_KEY, so neither a guessed key nor the table alone opens anyone's
feed, and the profile can show the address again. Revoking deletes it."""

import re
import secrets

from django.db import IntegrityError, transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from notifications.models import FeedToken

_SALT = "kb_portal.notifications.feed"
_TOKEN = re.compile(r"^([0-9a-f]{32})([0-9a-f]{32})$")


def _mac(key):
    return salted_hmac(_SALT, key, algorithm="sha256").hexdigest()[:32]


def feed_token_value(feed_token):
    """The secret part of the feed's URL."""
    return feed_token.key + _mac(feed_token.key)


@transaction.atomic
def feed_token_create(*, user):
    """A new key for ``user``'s feed; the old one (if any) stops working."""
    FeedToken.objects.filter(user=user).delete()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return FeedToken.objects.create(user=user, key=secrets.token_hex(16))
        except IntegrityError:  # the same key twice: practically never; try again
            continue
    raise RuntimeError("Could not make a unique feed key.")


def feed_token_revoke(*, user):
    """``user``'s feed address stops working. Returns whether there was one."""
    return FeedToken.objects.filter(user=user).delete()[0] > 0


def feed_user(token):
    """The active person whose feed ``token`` opens, or None — for a wrong,
    forged or revoked token alike (the caller answers 404 with no hint)."""
    match = _TOKEN.match(token or "")
    if match is None:
        return None
    key, mac = match.groups()
    if not constant_time_compare(mac, _mac(key)):
        return None
    found = FeedToken.objects.select_related("user").filter(key=key).first()
    if found is None or not found.user.is_active:
        return None
    return found.user
