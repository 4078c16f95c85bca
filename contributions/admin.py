from django.contrib import admin

from contributions.models import Helpfulness, Review, ReviewReminder


class ReadOnlyAdmin(admin.ModelAdmin):
    """Answers and checks are written by people on the portal, never here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Helpfulness)
class HelpfulnessAdmin(ReadOnlyAdmin):
    list_display = ["article", "user", "helpful", "reason", "answered_at", "article_version"]
    list_filter = ["helpful", "reason"]
    search_fields = ["article__title", "text"]
    list_select_related = ["article", "user"]
    date_hierarchy = "answered_at"


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["article", "reviewer", "reviewed_at", "article_version"]
    search_fields = ["article__title", "note"]
    list_select_related = ["article", "reviewer"]
    date_hierarchy = "reviewed_at"


@admin.register(ReviewReminder)
class ReviewReminderAdmin(ReadOnlyAdmin):
    """What manage.py send_review_reminders sent: one row per article, stage
    and review date."""

    list_display = ["article", "stage", "review_due", "sent_on", "recipients"]
    list_filter = ["stage", "sent_on"]
    search_fields = ["article__title"]
    list_select_related = ["article"]
    date_hierarchy = "sent_on"
