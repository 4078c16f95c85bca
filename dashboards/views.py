from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from people.roles import can_view_cx_dashboard


def cx_dashboard(request):
    """Placeholder until the CX dashboard lands (issue 5)."""
    if not can_view_cx_dashboard(request.user):
        raise PermissionDenied
    return render(request, "placeholder.html", {"title": "Индекс клиентоцентричности"})
