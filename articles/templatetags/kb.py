from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles.selectors import section_tree

register = template.Library()


@register.simple_tag(takes_context=True)
def sidebar_tree(context, current_section_id=None):
    """The section tree for the sidebar, rendered once per tree version and
    open section: the same for every person, and the costliest part of the
    layout to render."""
    tree = section_tree(context.get("request"))
    key = f"kb:sidebar:{tree.stamp}:{current_section_id or 0}"
    html = cache.get(key)
    if html is None:
        open_ids = {node.id for node in tree.ancestors(current_section_id)}
        html = render_to_string(
            "articles/includes/sidebar_tree.html",
            {"roots": tree.roots, "current_id": current_section_id, "open_ids": open_ids},
        )
        cache.set(key, html, 60 * 60)
    return mark_safe(html)  # noqa: S308 - rendered by our template, escaped there


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (page links, filters)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    if "page" not in changes:
        query.pop("page", None)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def overdue(day):
    return day is not None and day < timezone.localdate()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def page_address(context, path):
    """The full address of ``path`` for a printout: PORTAL_URL (the address
    people know the portal by) when set, else the address of this request."""
    if settings.PORTAL_URL:
        return settings.PORTAL_URL.rstrip("/") + path
    return context["request"].build_absolute_uri(path)
