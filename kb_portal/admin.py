import re
from functools import wraps

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from people.roles import can_use_admin

# The date links above a list (date_hierarchy): Django turns them into dates
# and fails with a 500 on a year like 99999999999999999999 or 9999.
DATE_PARTS = {"__year": (1, 9998), "__month": (1, 12), "__day": (1, 31)}


def bad_date_part(request):
    """Whether a date link parameter of a list is not a possible date part."""
    for name, value in request.GET.items():
        for suffix, (low, high) in DATE_PARTS.items():
            if name.endswith(suffix) and not (
                re.fullmatch(r"[0-9]{1,4}", value) and low <= int(value) <= high
            ):
                return True
    return False


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

    def admin_view(self, view, cacheable=False):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if bad_date_part(request):
                # What Django does with any other wrong filter value: the plain
                # list, with a mark that something was wrong.
                return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
            return view(request, *args, **kwargs)

        return super().admin_view(checked, cacheable)

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


class HistoryAdmin(SimpleHistoryAdmin):
    """simple-history's admin held to the change view's rules.

    Its revert view runs outside a transaction, lets anyone who may *view* an
    object post the old version back, and answers 500 to an address that is
    not a number. Here the revert runs in one transaction (a form may lock the
    row), only people who may change the object may revert it (others see the
    old version with every field disabled), and a wrong address is a 404.
    """

    def _check_ids(self, object_id, version_id=None):
        history_pk = self.model.history.model._meta.pk
        try:
            self.model._meta.pk.to_python(unquote(object_id))
            if version_id is not None:
                history_pk.to_python(version_id)
        except ValidationError:
            raise Http404 from None

    def history_view(self, request, object_id, extra_context=None):
        self._check_ids(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_ids(object_id, version_id)
        may_change = self.has_change_permission(request)
        if request.method == "POST" and not may_change:
            raise PermissionDenied
        request._kb_history_read_only = not may_change
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not getattr(request, "_kb_history_read_only", False):
            return form

        class ReadOnlyForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for field in self.fields.values():
                    field.disabled = True

        return ReadOnlyForm
