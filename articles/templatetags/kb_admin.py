from django import template

from articles import services

register = template.Library()


@register.simple_tag
def trash_until():
    """The day something deleted now leaves the trash for good."""
    return services.trash_until()
