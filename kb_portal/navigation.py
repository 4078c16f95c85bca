"""The main menu: the same for everyone with the same roles on the same page."""

from django.template.loader import render_to_string

from kb_portal.fragments import fragment

# The role flags of ``context_processors.portal`` that decide which links show.
MENU_FLAGS = (
    "can_view_cases",
    "can_import_feedback",
    "can_import_kb",
    "can_review_proposals",
    "can_view_kb_health",
    "can_view_reports",
)


@fragment
def main_menu_html(current, app, flags):
    """The menu for the page ``current`` (a view name) of ``app``, with the
    links the role ``flags`` (names from MENU_FLAGS that are on) allow."""
    return render_to_string(
        "includes/main_menu.html",
        {"current": current, "app": app, **dict.fromkeys(flags, True)},
    )


def main_menu(request, roles):
    """The menu for ``request``'s page; ``roles`` holds the flags by name."""
    match = request.resolver_match
    flags = tuple(name for name in MENU_FLAGS if roles[name])
    return main_menu_html(match.view_name if match else "", match.app_name if match else "", flags)
