"""A session engine whose store cannot be read: what cached_db looked like
when Redis was down and the cache raised."""

from django.contrib.sessions.backends.db import SessionStore as DBStore


class SessionStore(DBStore):
    def load(self):
        raise ConnectionError("the session store is unreachable")
