"""Login throttling kept in the shared cache, so every worker sees it."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(*, username, ip):
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [f"login-fail:user:{name}", f"login-fail:ip:{ip or '-'}"]


def login_is_locked(*, username, ip):
    user_key, ip_key = _keys(username=username, ip=ip)
    counts = cache.get_many([user_key, ip_key])
    limit = settings.LOGIN_MAX_FAILURES
    # An address gets more tries than one account: a whole office may share
    # one address behind NAT.
    return counts.get(user_key, 0) >= limit or counts.get(ip_key, 0) >= limit * 4


def login_failure_record(*, username, ip):
    for key in _keys(username=username, ip=ip):
        if not cache.add(key, 1, settings.LOGIN_LOCKOUT_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def login_failures_clear(*, username):
    cache.delete(_keys(username=username, ip=None)[0])
