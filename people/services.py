"""Writes of the people app: login throttling, and what a person says about
themselves in the staff directory (phone, subjects, photo).

Login throttling is counted in the database so that every worker sees it.

An attempt is counted *before* its password is checked, under a row lock:
of 30 simultaneous tries for one account at most LOGIN_MAX_FAILURES reach
the password check. A successful login gives its attempt back (the account's
count is cleared, the address's count goes down by one), so only failures
stay counted. The database is also where the sessions live, so the
throttle works whenever logging in can work at all, with or without the
cache.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from people.folding import expertise_key, name_key
from people.models import Expertise, LoginThrottle, Profile, photo_upload_to

# An address gets more tries than one account: a whole office may share one
# address behind NAT.
ADDRESS_LIMIT_FACTOR = 4


def _user_key(username):
    return "user:" + hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]


def _ip_key(ip):
    return f"ip:{ip or '-'}"


def _limits(*, username, ip):
    limit = settings.LOGIN_MAX_FAILURES
    return [(_user_key(username), limit), (_ip_key(ip), limit * ADDRESS_LIMIT_FACTOR)]


def _take(key, limit, now):
    """Count one attempt under ``key`` unless ``limit`` is reached; True if counted."""
    expires_at = now + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    for _round in range(5):
        with transaction.atomic():
            row = LoginThrottle.objects.select_for_update().filter(key=key).first()
            if row is None:
                try:
                    with transaction.atomic():
                        LoginThrottle.objects.create(key=key, attempts=1, expires_at=expires_at)
                    return True
                except IntegrityError:  # a simultaneous first attempt created it: lock that
                    continue
            if row.expires_at <= now:
                row.attempts = 0
            if row.attempts >= limit:
                return False
            row.attempts += 1
            # The lock lasts LOGIN_LOCKOUT_SECONDS from the last counted attempt.
            row.expires_at = expires_at
            row.save(update_fields=["attempts", "expires_at"])
            return True
    return False  # the row kept vanishing and reappearing: refuse rather than guess


def _give_back(key):
    LoginThrottle.objects.filter(key=key, attempts__gt=0).update(attempts=F("attempts") - 1)


def login_attempt_start(*, username, ip):
    """Count an attempt for the account and the address; False if either is locked.

    Each count is its own short transaction holding one row lock, so two
    attempts never wait for each other's second lock (no deadlock).
    """
    now = timezone.now()
    taken = []
    for key, limit in _limits(username=username, ip=ip):
        if not _take(key, limit, now):
            for earlier in taken:  # a refused attempt counts nowhere
                _give_back(earlier)
            return False
        taken.append(key)
    return True


def login_attempt_succeeded(*, username, ip):
    """The password was right: the account starts afresh, the address gets its try back."""
    LoginThrottle.objects.filter(key=_user_key(username)).update(attempts=0)
    _give_back(_ip_key(ip))
    LoginThrottle.objects.filter(expires_at__lt=timezone.now()).delete()


# --- The directory: what a person says about themselves -----------------------------------


def profile_search_refresh(*, user_ids):
    """Fold the names of ``user_ids`` into their profiles' search column again:
    for code that renames accounts (the users' admin does it on save)."""
    profiles = list(Profile.objects.filter(user_id__in=user_ids).select_related("user"))
    for profile in profiles:
        profile.search_name = name_key(profile.user)
    Profile.objects.bulk_update(profiles, ["search_name"], batch_size=500)


def expertise_resolve(*, names):
    """The Expertise rows of ``names`` (in their order), created when missing.
    A subject written differently («СВО», «сво») is the existing row."""
    keys = {expertise_key(name): name for name in names}
    found = {row.key: row for row in Expertise.objects.filter(key__in=list(keys))}
    for key, name in keys.items():
        if key not in found:
            try:
                with transaction.atomic():
                    found[key] = Expertise.objects.create(name=name)
            except IntegrityError:  # someone else added it a moment ago
                found[key] = Expertise.objects.get(key=key)
    return [found[key] for key in keys]


@transaction.atomic
def profile_contacts_update(*, user, phone, expertise, photo=None, remove_photo=False):
    """Save the person's own phone, subjects (names) and photo (a
    people.photos.CleanPhoto, or ``remove_photo``) together: all or nothing.

    The new photo file is written last and removed again if anything fails;
    the old one is removed only once the change is committed."""
    profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
    profile.phone = phone
    profile.expertise.set(expertise_resolve(names=expertise))
    old_photo = profile.photo.name if profile.photo else ""
    storage = profile.photo.storage
    new_photo = ""
    try:
        if photo is not None:
            new_photo = storage.save(
                photo_upload_to(profile, photo.storage_name()), ContentFile(photo.content)
            )
            profile.photo.name = new_photo
        elif remove_photo:
            profile.photo.name = ""
        profile.save(update_fields=["phone", "photo"])
    except BaseException:
        if new_photo:
            storage.delete(new_photo)
        raise
    if old_photo and old_photo != profile.photo.name:
        transaction.on_commit(lambda: storage.delete(old_photo))
    return profile


def profile_photo_remove(*, profile):
    """An administrator takes a photo down (admin: users)."""
    old_photo = profile.photo.name
    if not old_photo:
        return
    storage = profile.photo.storage
    Profile.objects.filter(pk=profile.pk).update(photo="")
    profile.photo.name = ""
    transaction.on_commit(lambda: storage.delete(old_photo))
