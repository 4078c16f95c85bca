"""Feedback in the admin, for administrators: the service list is edited
here; imports, responses and indicators are looked at, never edited by hand
(imports and rollbacks go through the import pages, which keep the monthly
slices right)."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from feedback.models import (
    FeedbackResponse,
    ImportBatch,
    OperationalIndicator,
    Service,
    Topic,
)
from feedback.topics import topics_reapply_start, words_errors
from kb_portal.admin import HistoryAdmin


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


class TopicForm(forms.ModelForm):
    """A topic, refused when someone else saved it since this form was opened."""

    seen_changed_at = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Topic
        fields = ["name", "words", "is_active", "order"]
        widgets = {"words": forms.Textarea(attrs={"rows": 12, "cols": 60})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A blank box gets the same explanation as a box of stop words.
        self.fields["words"].error_messages["required"] = words_errors("")[0]
        if self.instance.pk and not self.is_bound:
            self.initial["seen_changed_at"] = self.instance.changed_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # The admin's change view runs in a transaction: the row stays
            # locked until this save ends, so two saves cannot both pass.
            current = Topic.objects.select_for_update().get(pk=self.instance.pk)
            if cleaned.get("seen_changed_at") != current.changed_at.isoformat():
                when = formats.date_format(
                    timezone.localtime(current.changed_at), "DATETIME_FORMAT"
                )
                raise forms.ValidationError(
                    gettext(
                        "Эту тему уже изменил другой сотрудник (%(when)s). Ваши правки не "
                        "сохранены: откройте тему заново и внесите их ещё раз."
                    )
                    % {"when": when}
                )
        return cleaned


@admin.register(Topic)
class TopicAdmin(HistoryAdmin):
    """The topics dictionary. A topic is never deleted (its counts in past
    reports would vanish): «действует» off takes it off every comment."""

    form = TopicForm
    list_display = ["name", "is_active", "order", "changed_at"]
    list_editable = []
    list_filter = ["is_active"]
    search_fields = ["name", "words"]
    fields = ["name", "words", "is_active", "order", "seen_changed_at"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if topics_reapply_start(topic_ids=[obj.pk]):
            message = gettext("Комментарии размечены темой «%(name)s» заново.")
        else:
            message = gettext(
                "Комментарии размечаются темой «%(name)s» заново в фоне; на панели "
                "индекса новые цифры появятся через минуту-другую."
            )
        self.message_user(request, message % {"name": obj.name}, messages.INFO)
