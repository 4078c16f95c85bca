"""The idea bank in the admin: for administrators to look things up and to
correct wording. Status, votes and counters are read-only here: they change
only through the portal's pages, which notify people and keep counts exact."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ideas.models import Comment, Decision, Idea, Implementation, ReviewMeeting, Vote
from kb_portal.admin import HistoryAdmin

# What the working group's review sets on an idea: shown, never edited here.
REVIEW_FIELDS = [
    "status",
    "status_comment",
    "duplicate_of",
    "author",
    "office",
    "vote_count",
    "comment_count",
    "ice_score",
    "created_at",
    "status_changed_at",
    "first_reviewed_at",
    "decided_at",
]


@admin.register(Idea)
class IdeaAdmin(HistoryAdmin):
    list_display = ["id", "title", "status", "author", "office", "vote_count", "created_at"]
    list_display_links = ["id", "title"]
    list_filter = ["status", "created_at"]
    search_fields = ["title", "problem", "proposal"]
    list_select_related = ["author", "office"]
    raw_id_fields = ["author", "office", "duplicate_of"]
    filter_horizontal = ["articles"]
    fieldsets = [
        (None, {"fields": ["title", "problem", "proposal", "expected_effect", "tags", "articles"]}),
        (
            _("Рассмотрение"),
            {"fields": REVIEW_FIELDS},
        ),
    ]
    # The review's results change only through the portal's services.
    readonly_fields = REVIEW_FIELDS

    def has_add_permission(self, request):
        return False  # ideas are submitted on the portal, with the author's office


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["idea", "user", "created_at"]
    list_select_related = ["idea", "user"]
    raw_id_fields = ["idea", "user"]
    readonly_fields = ["idea", "user", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["idea", "author", "created_at", "deleted_at"]
    list_select_related = ["idea", "author"]
    list_filter = ["created_at"]
    search_fields = ["text"]
    fields = ["idea", "author", "text", "created_at", "deleted_at", "deleted_by"]
    readonly_fields = ["idea", "author", "created_at", "deleted_at", "deleted_by"]

    def has_add_permission(self, request):
        return False


class DecisionInline(admin.TabularInline):
    model = Decision
    fk_name = "meeting"
    extra = 0
    fields = ["idea", "outcome", "rationale", "responsible", "due_date", "merged_into"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReviewMeeting)
class ReviewMeetingAdmin(admin.ModelAdmin):
    list_display = ["held_on", "created_by", "created_at"]
    date_hierarchy = "held_on"
    fields = ["held_on", "attendees", "minutes", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]
    filter_horizontal = ["attendees"]
    inlines = [DecisionInline]

    def has_add_permission(self, request):
        return False  # meetings are recorded on /ideas/review/


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["idea", "outcome", "meeting", "responsible", "due_date"]
    list_filter = ["outcome"]
    list_select_related = ["idea", "meeting", "responsible"]
    search_fields = ["rationale", "idea__title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Implementation)
class ImplementationAdmin(HistoryAdmin):
    """Read-only, like decisions: the working group records an implementation
    on the portal with the decision «реализовано», which changes the idea's
    status and tells people; the history shows every version."""

    list_display = ["idea", "implemented_on", "recorded_by", "recorded_at"]
    list_select_related = ["idea", "recorded_by"]
    list_filter = ["implemented_on"]
    search_fields = ["changes", "idea__title"]
    date_hierarchy = "implemented_on"
    fields = [
        "idea",
        "decision",
        "changes",
        "implemented_on",
        "articles",
        "recorded_by",
        "recorded_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
