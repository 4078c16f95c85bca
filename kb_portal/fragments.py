"""Pieces of pages that are the same for everyone who sees them, rendered
once per process instead of on every page view.

A fragment is a function of its arguments only: it never sees a request or a
person, so nobody can get another person's data from the cache by
construction. Whatever the piece shows must be in the arguments (the cache
key), together with the language and the script prefix its links are
reversed under. Forms keep their ``{% csrf_token %}`` in the calling
template: the token is per person and never cached.

With DEBUG on nothing is cached, so an edited template shows at once.
"""

from functools import lru_cache, wraps

from django.conf import settings
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

FRAGMENTS_PER_FUNCTION = 512


def fragment(render):
    """Decorate ``render(*args) -> html``: the HTML is cached per process,
    per language, per script prefix and per the (hashable) arguments."""

    @lru_cache(maxsize=FRAGMENTS_PER_FUNCTION)
    def cached(language, prefix, *args):
        return render(*args)

    @wraps(render)
    def wrapper(*args):
        if settings.DEBUG:
            return mark_safe(render(*args))  # noqa: S308 — rendered by the template engine
        return mark_safe(cached(get_language(), get_script_prefix(), *args))  # noqa: S308

    wrapper.cache_clear = cached.cache_clear
    wrapper.cache_info = cached.cache_info
    return wrapper
