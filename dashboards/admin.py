from django.contrib import admin

from dashboards.models import CxReportSent


@admin.register(CxReportSent)
class CxReportSentAdmin(admin.ModelAdmin):
    """What manage.py send_cx_reports sent: one row per person and month.
    Written only by the command; a row deleted here lets it send again."""

    list_display = ["month", "user", "office", "sent_at"]
    list_filter = ["month"]
    search_fields = ["user__username", "user__last_name", "office__title"]
    list_select_related = ["user", "office"]
    date_hierarchy = "month"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
