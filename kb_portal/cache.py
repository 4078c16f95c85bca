"""A Redis cache that is a speed-up, not a single point of failure.

Django's RedisCache raises on every call while Redis is unreachable, and
every page uses the cache (sessions, the section tree, the sidebar), so an
outage of the cache used to take the whole portal down. This backend answers
as an empty cache instead: a read misses, a write is dropped, ``incr()``
raises ``CacheUnavailable`` (a ``ValueError``, like a key that vanished, which
callers already handle). Pages then come from the database, slower.

A circuit breaker, one per process and Redis server, keeps an outage cheap:
after a failure the server is not asked again for ``retry_seconds``, so a
frozen Redis costs one socket timeout per window, not one per call, and the
outage is logged once, when it starts, and once more when it ends.

Keys written or deleted while Redis was out of reach are remembered and
deleted once it answers again, before anything else is read: otherwise a
Redis that was only frozen or cut off would come back with the sessions of
people who logged out meanwhile.
"""

import logging
import threading
import time
from functools import partial
from urllib.parse import urlsplit

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("kb_portal.cache")

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
DEFAULT_TIMEOUT_SECONDS = 0.25
DEFAULT_RETRY_SECONDS = 5.0
# Keys remembered for deletion per process; far more than the sessions and
# pages a worker touches in an outage of minutes.
MAX_STALE_KEYS = 100_000


class CacheUnavailable(ValueError):
    """``incr()``/``decr()`` while the cache is out of reach."""


def _server_name(server):
    """host:port/db of a Redis URL, never its password (it goes to the log)."""
    parts = urlsplit(server)
    if parts.scheme == "unix":
        return parts.path
    return f"{parts.hostname}:{parts.port or 6379}{parts.path}"


class CircuitBreaker:
    """Whether one Redis server is worth asking, shared by a process's threads."""

    def __init__(self, name, retry_seconds):
        self.name = name
        self.retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self.down_since = None  # time.monotonic() of the first failure of an outage
        self.retry_at = 0.0
        self.skipped_calls = 0
        self.stale_keys = set()
        self._stale_overflow = False

    @property
    def is_open(self):
        """True while calls skip the server: it failed less than retry_seconds ago."""
        return self.down_since is not None and time.monotonic() < self.retry_at

    def record_failure(self, error, stale_keys):
        with self._lock:
            now = time.monotonic()
            self.retry_at = now + self.retry_seconds
            self._remember(stale_keys)
            if self.down_since is not None:
                return
            self.down_since = now
        logger.warning(
            "Cache %s is unreachable (%s): pages and sessions work from the database "
            "without it; trying again every %s s.",
            self.name,
            error,
            self.retry_seconds,
        )

    def record_skip(self, stale_keys):
        with self._lock:
            self.skipped_calls += 1
            self._remember(stale_keys)

    def pending_stale_keys(self):
        with self._lock:
            return list(self.stale_keys)

    def record_recovery(self, deleted_keys):
        with self._lock:
            if self.down_since is None:
                return
            seconds = time.monotonic() - self.down_since
            skipped = self.skipped_calls
            self.stale_keys.difference_update(deleted_keys)
            self.down_since = None
            self.skipped_calls = 0
            self._stale_overflow = False
        logger.warning(
            "Cache %s answers again after %.1f s; %d calls went without it, "
            "%d keys written meanwhile were deleted.",
            self.name,
            seconds,
            skipped,
            len(deleted_keys),
        )

    def _remember(self, keys):
        if len(self.stale_keys) + len(keys) <= MAX_STALE_KEYS:
            self.stale_keys.update(keys)
        elif not self._stale_overflow:
            self._stale_overflow = True
            logger.error(
                "Cache %s: more than %d keys changed during the outage; the rest may "
                "stay stale until they expire.",
                self.name,
                MAX_STALE_KEYS,
            )


_breakers = {}
_breakers_lock = threading.Lock()


def breaker_for(servers, retry_seconds):
    key = (tuple(servers), retry_seconds)
    with _breakers_lock:
        if key not in _breakers:
            _breakers[key] = CircuitBreaker(_server_name(servers[0]), retry_seconds)
        return _breakers[key]


class ResilientRedisCacheClient(RedisCacheClient):
    """Django's Redis client, each call guarded by the circuit breaker."""

    def __init__(self, servers, *, breaker, **options):
        super().__init__(servers, **options)
        self._breaker = breaker

    def _guarded(self, call, fallback, stale_keys=()):
        breaker = self._breaker
        if breaker.is_open:
            breaker.record_skip(stale_keys)
            return fallback()
        pending = breaker.pending_stale_keys() if breaker.down_since is not None else []
        try:
            if pending:
                super().delete_many(pending)
            result = call()
        except UNREACHABLE as error:
            breaker.record_failure(error, stale_keys)
            return fallback()
        if breaker.down_since is not None:
            breaker.record_recovery(pending)
        return result

    def add(self, key, value, timeout):
        return self._guarded(partial(super().add, key, value, timeout), _false, [key])

    def get(self, key, default):
        return self._guarded(partial(super().get, key, default), lambda: default)

    def set(self, key, value, timeout):
        self._guarded(partial(super().set, key, value, timeout), _none, [key])

    def touch(self, key, timeout):
        return self._guarded(partial(super().touch, key, timeout), _false)

    def delete(self, key):
        return self._guarded(partial(super().delete, key), _false, [key])

    def get_many(self, keys):
        keys = list(keys)
        return self._guarded(partial(super().get_many, keys), dict)

    def has_key(self, key):
        return self._guarded(partial(super().has_key, key), _false)

    def incr(self, key, delta):
        return self._guarded(partial(super().incr, key, delta), _unavailable, [key])

    def set_many(self, data, timeout):
        self._guarded(partial(super().set_many, data, timeout), _none, list(data))

    def delete_many(self, keys):
        keys = list(keys)
        self._guarded(partial(super().delete_many, keys), _none, keys)

    def clear(self):
        return self._guarded(partial(super().clear), _false)

    def ping(self):
        return self._guarded(lambda: bool(self.get_client(None).ping()), _false)


def _false():
    return False


def _none():
    return None


def _unavailable():
    raise CacheUnavailable("The cache is unreachable.")


class ResilientRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that survives Redis being down.

    OPTIONS: ``retry_seconds`` (how long a failed server is left alone) and
    redis-py's ``socket_connect_timeout``/``socket_timeout`` (both default to
    0.25 s, so a frozen server costs a quarter of a second, not a hung worker).
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        options = dict(self._options)
        self._retry_seconds = float(options.pop("retry_seconds", DEFAULT_RETRY_SECONDS))
        options.setdefault("socket_connect_timeout", DEFAULT_TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", DEFAULT_TIMEOUT_SECONDS)
        self._options = options

    @cached_property
    def _cache(self):
        breaker = breaker_for(self._servers, self._retry_seconds)
        return ResilientRedisCacheClient(self._servers, breaker=breaker, **self._options)

    def is_available(self):
        """For /healthz: False while the breaker is open, else a real PING."""
        if self._cache._breaker.is_open:
            return False
        return self._cache.ping()
