"""«Клиентский опыт»: the CX block every employee sees."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse

from cx import selectors
from dashboards.cx import GROUP_CODES, GROUP_RULES
from dashboards.forms import month_label
from people.roles import can_view_cx_dashboard


def can_view_cx_block(user):
    """Every signed-in, active person: the block holds aggregates only."""
    return user.is_authenticated and user.is_active


def cx_block(request):
    """The region's and the reader's office's CX for the last complete month."""
    if not can_view_cx_block(request.user):
        raise PermissionDenied
    block = selectors.cx_block(office_id=selectors.person_office_id(request.user))
    groups = [
        (
            code,
            block.region.groups[code],
            block.office_scope.groups[code] if block.office_scope else None,
            GROUP_RULES[code],
        )
        for code in GROUP_CODES
    ]
    context = {
        # Not «block»: inside {% block %} that name is the block itself.
        "summary": block,
        "month": month_label(block.period.start),
        "previous_month": month_label(block.previous_period.start),
        "groups": groups,
        "min_responses": settings.CX_MIN_RESPONSES,
        "dashboard_url": _dashboard_url(request.user, block),
    }
    return render(request, "cx/block.html", context)


def _dashboard_url(user, block):
    """The dashboard on the same month (and office), for those who may see it."""
    if not can_view_cx_dashboard(user):
        return None
    query = {"period": "month", "month": f"{block.period.start:%Y-%m}"}
    if block.office_scope:
        query["office"] = block.office.pk
    return f"{reverse('dashboards:cx')}?{urlencode(query)}"
