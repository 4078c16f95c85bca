"""gunicorn's settings for the portal; gunicorn reads this file by itself when
started from the project folder (`gunicorn kb_portal.wsgi -w 4 …`).

Without REDIS_URL each worker has a cache of its own, and the workers then
disagree about cached sessions (a logout in one worker would not end the
session another has cached). Several workers without REDIS_URL are therefore
refused at start-up, unless ALLOW_LOCAL_CACHE=1 says it is meant; then the
settings read sessions from the database only. The login throttle is counted
in the database either way.
"""

import os

from kb_portal.env import env_bool


def on_starting(server):
    workers = server.cfg.workers
    if workers > 1 and not os.environ.get("REDIS_URL") and not env_bool("ALLOW_LOCAL_CACHE"):
        raise RuntimeError(
            f"{workers} workers without REDIS_URL would each keep a cache of their own. "
            "Set REDIS_URL=redis://host:6379/0 for a shared cache, run one worker (-w 1), "
            "or set ALLOW_LOCAL_CACHE=1 to run them with per-worker caches "
            "(sessions are then read from the database on every request)."
        )
