from datetime import date, timedelta

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from search.models import SearchQuery
from search.selectors import search_report

REPORT_WEEKS = 12


def _monday(day):
    return day - timedelta(days=day.weekday())


@admin.register(SearchQuery)
class SearchQueryAdmin(admin.ModelAdmin):
    """Not a list of rows but the weekly report editors plan their writing by."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        this_week = _monday(timezone.localdate())
        try:
            week = _monday(date.fromisoformat(request.GET.get("week", "")))
        except ValueError:
            week = this_week
        # No earlier than 2000: the calendar's first week overflows once made a datetime.
        week = min(max(week, _monday(date(2000, 1, 3))), this_week)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Что ищут сотрудники"),
            "report": search_report(week_start=week),
            "weeks": [this_week - timedelta(weeks=n) for n in range(REPORT_WEEKS)],
            "week": week,
            "previous_week": week - timedelta(weeks=1),
            "next_week": week + timedelta(weeks=1) if week < this_week else None,
        }
        return TemplateResponse(request, "admin/search/searchquery/report.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        raise PermissionDenied  # single searches are not browsed one by one
