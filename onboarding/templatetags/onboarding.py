from django import template

from onboarding.selectors import person_paths

register = template.Library()


@register.simple_tag(takes_context=True)
def current_reading_paths(context):
    """The person's current «Путь новичка» paths, for the home page's block
    (one query, whatever the number of steps)."""
    request = context.get("request")
    if request is None:
        return []
    return person_paths(user=request.user, current_only=True)
