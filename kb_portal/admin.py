from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from people.roles import can_use_admin


class KBAdminSite(admin.AdminSite):
    """The editors' and administrators' back office.

    Access follows the roles (Django groups), not the ``is_staff`` flag, so
    granting a role in one place is enough. People without such a role get a
    403, and the admin's own login page is replaced by the portal's.
    """

    site_header = _("База знаний: управление")
    site_title = _("База знаний")
    index_title = _("Управление содержимым")
    enable_nav_sidebar = True

    def has_permission(self, request):
        return can_use_admin(request.user)

    # Overriding login() drops Django's own marker, and without it the login
    # middleware would send people to the portal's login with the admin's
    # login page as "next", which then refuses even an editor.
    @login_not_required
    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect("admin:index")
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next", request.get_full_path()))
