import functools

from django.conf import settings

from cases.selectors import can_view_cases
from kb_portal.navigation import main_menu
from kb_portal.reports import reports_for
from people.roles import (
    can_import_feedback,
    can_import_kb,
    can_review_ideas,
    can_use_admin,
    can_view_cx_dashboard,
    is_editor,
)


def portal(request):
    """What the base layout needs on every page."""
    user = getattr(request, "user", None)
    context = {
        "can_use_admin": bool(user and can_use_admin(user)),
        "can_review_ideas": bool(user and can_review_ideas(user)),
        "can_view_cx_dashboard": bool(user and can_view_cx_dashboard(user)),
        "can_import_feedback": bool(user and can_import_feedback(user)),
        "can_import_kb": bool(user and can_import_kb(user)),
        "can_view_cases": bool(user and can_view_cases(user)),
        # Owners are editors: the role check is cached, an ownership check
        # would cost a query on every page.
        "can_view_kb_health": bool(user and is_editor(user)),
        "can_review_proposals": bool(user and is_editor(user)),
        # «Отчёты» lists the reports above and those of the knowledge base.
        "can_view_reports": bool(user and reports_for(user)),
        "debug": settings.DEBUG,
    }
    # Lazy: only pages with the menu (a signed-in person's) build it.
    context["main_menu"] = functools.cache(lambda: main_menu(request, context))
    return context
