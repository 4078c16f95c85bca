"""Questions, answers and error reports in the admin, for editors to look
things up. They are written on the portal; here they are read-only, and the
actions that change them go through ``questions.services`` like the pages."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from questions import services
from questions.models import Answer, ErrorReport, Question


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _each(modeladmin, request, queryset, service, done):
    changed = 0
    for obj in queryset:
        try:
            service(obj, request.user)
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(getattr(error, "messages", [str(error)]))
            modeladmin.message_user(request, f"{obj}: {text}", messages.ERROR)
        else:
            changed += 1
    if changed:
        modeladmin.message_user(request, done % {"count": changed}, messages.SUCCESS)


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "article", "author", "created_at", "resolved_at", "deleted_at"]
    list_filter = ["created_at", "resolved_at", "deleted_at"]
    search_fields = ["text", "article__title"]
    list_select_related = ["article", "author"]
    date_hierarchy = "created_at"
    actions = ["hide"]

    @admin.action(description=_("Удалить выбранные вопросы (останутся в истории)"))
    def hide(self, request, queryset):
        _each(
            self,
            request,
            queryset,
            lambda q, by: services.question_delete(question=q, by=by),
            _("Удалено вопросов: %(count)d."),
        )

    def has_hide_permission(self, request):
        return self.has_view_permission(request)


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "question", "author", "created_at", "deleted_at"]
    list_filter = ["created_at", "deleted_at"]
    search_fields = ["text", "question__text"]
    list_select_related = ["question", "author"]
    date_hierarchy = "created_at"
    actions = ["hide"]

    @admin.action(description=_("Удалить выбранные ответы (останутся в истории)"))
    def hide(self, request, queryset):
        _each(
            self,
            request,
            queryset,
            lambda a, by: services.answer_delete(answer=a, by=by),
            _("Удалено ответов: %(count)d."),
        )

    def has_hide_permission(self, request):
        return self.has_view_permission(request)


@admin.register(ErrorReport)
class ErrorReportAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "article", "author", "status", "created_at", "closed_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["text", "quote", "article__title"]
    list_select_related = ["article", "author"]
    date_hierarchy = "created_at"

    def view_on_site(self, obj):
        return obj.get_absolute_url()
