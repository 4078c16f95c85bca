from django import template
from django.utils import timezone

from articles.selectors import section_tree

register = template.Library()


@register.inclusion_tag("articles/includes/sidebar_tree.html")
def sidebar_tree(current_section_id=None):
    tree = section_tree()
    open_ids = (
        {node.id for node in tree.ancestors(current_section_id)} if current_section_id else set()
    )
    return {"roots": tree.roots, "current_id": current_section_id, "open_ids": open_ids}


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
