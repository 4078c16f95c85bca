"""Feedback in the admin, for administrators: the service list is edited
here; imports, responses and indicators are looked at, never edited by hand
(imports and rollbacks go through the import pages, which keep the monthly
slices right)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from feedback.models import (
    FeedbackResponse,
    ImportBatch,
    OperationalIndicator,
    Service,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["title", "code"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = [
        "original_name",
        "kind",
        "status",
        "created_by",
        "created_at",
        "rows_read",
        "rows_imported",
        "rows_duplicate",
        "rows_rejected",
        "page_link",
    ]
    list_filter = ["kind", "status"]
    list_select_related = ["created_by"]
    search_fields = ["original_name"]
    date_hierarchy = "created_at"
    # Rejected rows are on the import page, with the file to download; an
    # inline here could hold a million of them.
    exclude = ["mapping", "replaced", "file"]

    @admin.display(description=_("страница импорта"))
    def page_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("feedback:batch", args=[obj.pk]), _("открыть")
        )


@admin.register(FeedbackResponse)
class FeedbackResponseAdmin(ReadOnlyAdmin):
    list_display = [
        "submitted_at",
        "office",
        "client_type",
        "client_group",
        "channel",
        "source",
        "csat",
        "nps",
        "complaint",
    ]
    list_filter = ["source", "client_type", "client_group", "channel", "complaint", "month"]
    list_select_related = ["office"]
    search_fields = ["external_id", "comment"]
    raw_id_fields = ["batch", "office", "service"]
    show_full_result_count = False
    date_hierarchy = "submitted_at"


@admin.register(OperationalIndicator)
class OperationalIndicatorAdmin(ReadOnlyAdmin):
    list_display = ["month", "office", "code", "value", "batch"]
    list_filter = ["code", "month"]
    list_select_related = ["office", "batch"]
    search_fields = ["office__title", "office__code"]
