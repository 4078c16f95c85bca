"""Small helpers for the staff directory's templates."""

import re

from django import template

register = template.Library()

EXTENSION_RE = re.compile(r"(?:доб\.?|ext\.?)\s*(\d+)\s*$", re.IGNORECASE)


@register.filter
def tel_href(phone):
    """A tel: address for a phone as people write it: «+7 846 200-00-00 доб. 12»
    → «tel:+78462000000;ext=12». Only digits and a leading «+» remain."""
    phone = phone or ""
    extension = EXTENSION_RE.search(phone)
    number = phone[: extension.start()] if extension else phone
    digits = re.sub(r"\D", "", number)
    if not digits:
        return ""
    href = "tel:" + ("+" if number.strip().startswith("+") else "") + digits
    return href + (f";ext={extension.group(1)}" if extension else "")


@register.filter
def initials(user):
    """«ПА» for Анна Петрова: what stands in for a photo."""
    letters = (user.last_name[:1] + user.first_name[:1]) or user.get_username()[:1]
    return letters.upper()
