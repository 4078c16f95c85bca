from django import template
from django.conf import settings
from django.utils import timezone

register = template.Library()


@register.simple_tag
def trash_until():
    """The day something deleted now leaves the trash for good."""
    return timezone.localdate() + timezone.timedelta(days=settings.TRASH_RETENTION_DAYS)
