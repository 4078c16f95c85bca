from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from people.roles import can_import_feedback


def import_list(request):
    """Placeholder until the feedback import lands (issue 5)."""
    if not can_import_feedback(request.user):
        raise PermissionDenied
    return render(request, "placeholder.html", {"title": "Импорт отзывов"})
