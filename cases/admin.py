"""Case rules are edited here by administrators; cases themselves are worked
on at /cases/ (the admin only shows them)."""

from django.contrib import admin

from cases.forms import CaseRuleForm
from cases.models import Case, CaseRule
from kb_portal.admin import HistoryAdmin


@admin.register(CaseRule)
class CaseRuleAdmin(HistoryAdmin):
    form = CaseRuleForm
    list_display = [
        "title",
        "is_active",
        "order",
        "complaint",
        "csat_at_most",
        "nps_at_most",
        "problem_not_solved",
        "with_comment",
    ]
    list_filter = ["is_active"]
    search_fields = ["title"]
    fields = [
        "title",
        "is_active",
        "order",
        "complaint",
        "csat_at_most",
        "nps_at_most",
        "problem_not_solved",
        "with_comment",
        "confirm_catch_all",
    ]


@admin.register(Case)
class CaseAdmin(HistoryAdmin):
    list_display = ["pk", "office", "status", "assignee", "due_date", "created_at", "closed_at"]
    list_filter = ["status", "response_removed"]
    list_select_related = ["office", "assignee", "rule"]
    search_fields = ["office__title", "action_taken"]
    raw_id_fields = ["response", "office", "assignee", "rule"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
