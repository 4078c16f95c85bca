import re
from datetime import date, datetime
from functools import wraps

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import Model, URLField
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

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


class ReadableHistoryHelper(HistoricalRecordContextHelper):
    """The changes of a version in words a person reads: dates in Russian and
    local time, choices by their label, yes/no, related rows by name, "—" for
    nothing (simple-history shows ``None``, ``True`` and raw UTC timestamps)."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if isinstance(value, list):
            return [str(item) for item in value] or "—"
        if value is None or value == "":
            return "—"
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return gettext("да") if value else gettext("нет")
        if isinstance(value, datetime):
            return formats.date_format(timezone.localtime(value), "j E Y, H:i")
        if isinstance(value, date):
            return formats.date_format(value, "j E Y")
        if isinstance(value, Model):
            return str(value)
        if isinstance(value, DeletedObject):
            return f"№ {value.pk}"  # the related row is gone for good
        return value


class PortalFieldsAdmin(admin.ModelAdmin):
    """Admin form fields as the portal wants them. Names for the inputs
    Django's admin leaves without a label: the date and the time of a
    date-time field sit after the plain text "Дата:" and "Время:", which
    screen readers do not connect to them. Addresses typed without a scheme
    are https (Django 6's default, and no deprecation warning now)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, URLField):
            kwargs.setdefault("assume_scheme", "https")
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(field.widget, AdminSplitDateTime):
            label = capfirst(field.label or db_field.name)
            date_input, time_input = field.widget.widgets
            date_input.attrs["aria-label"] = gettext("%(field)s: дата") % {"field": label}
            time_input.attrs["aria-label"] = gettext("%(field)s: время") % {"field": label}
        return field


class HistoryAdmin(PortalFieldsAdmin, SimpleHistoryAdmin):
    """simple-history's admin held to the change view's rules.

    Its revert view runs outside a transaction, lets anyone who may *view* an
    object post the old version back, and answers 500 to an address that is
    not a number. Here the revert runs in one transaction (a form may lock the
    row), only people who may change the object may revert it (others see the
    old version with every field disabled), and a wrong address is a 404.
    """

    object_history_list_template = "admin/kb_history_list.html"
    object_history_form_template = "admin/kb_history_form.html"

    def history_form_view_title(self, request, obj):
        if self.revert_disabled(request, obj):
            return gettext("Прежняя версия: %(object)s") % {"object": obj}
        return gettext("Восстановить прежнюю версию: %(object)s") % {"object": obj}

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryHelper(self.model, historical_record)

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
