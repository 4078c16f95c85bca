from functools import partial

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField

from articles.models import Article
from articles.richtext import editor_labels_json
from expert.forms import KindArticleField, KindArticlesField
from expert.models import (
    FEELING_ERROR,
    LINKED_KINDS,
    UNKNOWN_GROUP,
    ClientGroupProfile,
    JourneyStage,
    JourneyStep,
)
from expert.services import companion_changed
from kb_portal.admin import HistoryAdmin


def _stored_article_id(model, pk, path):
    """The article an object belonged to before this save (None when new)."""
    if pk is None:
        return None
    return model.objects.filter(pk=pk).values_list(path, flat=True).first()


class ChoiceMessagesMixin:
    """A choice the model refuses with its own words (an unknown client group,
    a feeling off the scale) is refused by the form with the same words:
    Django's form field would say only «выберите корректный вариант»."""

    choice_messages = {"client_group": UNKNOWN_GROUP, "feeling": FEELING_ERROR}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        message = self.choice_messages.get(db_field.name)
        if field is not None and message:
            field.error_messages["invalid_choice"] = message
        return field


class CompanionAdmin(ChoiceMessagesMixin, HistoryAdmin):
    """A companion is its article's content: saving or deleting it moves the
    article's «обновлено» and updates its search text (in the admin's
    transaction, so a refused save changes neither)."""

    article_kinds = ()
    article_path = "article_id"  # the lookup of the article an object belongs to

    class Media:
        js = ["js/prose-editor-ru.js"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            kwargs["form_class"] = partial(KindArticleField, kinds=self.article_kinds)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(db_field, ProseEditorField):
            field.widget.attrs["data-kb-editor-labels"] = editor_labels_json()
        return field

    def save_model(self, request, obj, form, change):
        # Where it was before, if an editor moved it to another article.
        request._expert_before = _stored_article_id(type(obj), obj.pk, self.article_path)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = not change or form.has_changed() or any(f.has_changed() for f in formsets)
        if changed:
            before = getattr(request, "_expert_before", None)
            companion_changed(article_ids=[self.article_of(form.instance), before])

    def article_of(self, obj):
        return obj.article_id

    def delete_model(self, request, obj):
        article_id = self.article_of(obj)
        super().delete_model(request, obj)
        companion_changed(article_ids=[article_id])

    def delete_queryset(self, request, queryset):
        article_ids = list(queryset.values_list(self.article_path, flat=True))
        super().delete_queryset(request, queryset)
        companion_changed(article_ids=article_ids)


@admin.register(ClientGroupProfile)
class ClientGroupProfileAdmin(CompanionAdmin):
    """«Профили клиентских групп»: the structured part of a profile article."""

    article_kinds = (Article.Kind.PROFILE,)
    list_display = ["article", "client_group", "linked_count", "modified_at", "site_link"]
    list_filter = ["client_group"]
    list_select_related = ["article__section"]
    search_fields = ["article__title", "who", "needs", "pains"]
    filter_horizontal = ["linked_articles"]
    fieldsets = [
        (None, {"fields": ["article", "client_group"]}),
        (
            _("Кто эти клиенты"),
            {"fields": ["who", "situations", "needs", "pains", "helps", "services"]},
        ),
        (
            _("Маршруты и алгоритмы"),
            {
                "fields": ["linked_articles"],
                "description": _(
                    "Только материалы видов «маршрут клиента» и «алгоритм оказания услуги»."
                ),
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(links=Count("linked_articles"))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "linked_articles":
            kwargs["form_class"] = partial(KindArticlesField, kinds=LINKED_KINDS)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("маршрутов и алгоритмов"), ordering="links")
    def linked_count(self, profile):
        return profile.links

    @admin.display(description=_("на сайте"))
    def site_link(self, profile):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            profile.article.get_absolute_url(),
            _("открыть"),
        )


class StepInline(ChoiceMessagesMixin, admin.StackedInline):
    model = JourneyStep
    extra = 1
    fields = [
        "order",
        "client_action",
        ("touchpoint", "channel"),
        ("feeling", "feeling_note"),
        "pain_points",
        "our_action",
        ("responsible", "standard_time"),
    ]
    # Short texts: three lines each keeps a stage of several steps on a screen.
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}
    verbose_name = _("шаг")
    verbose_name_plural = _("шаги этапа (по порядку)")


class RouteFilter(admin.SimpleListFilter):
    """The routes that have stages (a list of every article would be thousands)."""

    title = _("маршрут")
    parameter_name = "article"

    def lookups(self, request, model_admin):
        routes = (
            Article.objects.filter(journey_stages__isnull=False)
            .distinct()
            .order_by("title")
            .values_list("pk", "title")
        )
        return [(str(pk), title) for pk, title in routes]

    def queryset(self, request, queryset):
        value = self.value()
        # A number the database can hold; anything else is the plain list.
        if value and value.isascii() and value.isdigit() and len(value) < 10:
            return queryset.filter(article_id=int(value))
        return queryset


@admin.register(JourneyStage)
class JourneyStageAdmin(CompanionAdmin):
    """«Карта пути клиента»: the stages of a route, each with its steps."""

    article_kinds = (Article.Kind.ROUTE,)
    inlines = [StepInline]
    list_display = ["title", "article", "order", "step_count", "pain_count", "site_link"]
    list_filter = [RouteFilter]
    list_select_related = ["article__section"]
    search_fields = ["title", "article__title", "steps__client_action", "steps__pain_points"]
    ordering = ["article__title", "order", "id"]
    fields = ["article", "order", "title", "description"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                steps_total=Count("steps", distinct=True),
                pains_total=Count("steps", filter=~Q(steps__pain_points=""), distinct=True),
            )
        )

    def get_search_results(self, request, queryset, search_term):
        results, _duplicates = super().get_search_results(request, queryset, search_term)
        return results.distinct(), False

    @admin.display(description=_("шагов"), ordering="steps_total")
    def step_count(self, stage):
        return stage.steps_total

    @admin.display(description=_("шагов с болями"), ordering="pains_total")
    def pain_count(self, stage):
        return stage.pains_total

    @admin.display(description=_("на сайте"))
    def site_link(self, stage):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            stage.article.get_absolute_url(),
            _("открыть"),
        )


@admin.register(JourneyStep)
class JourneyStepAdmin(CompanionAdmin):
    """Every step of every map: to find one by its pain points, and its history."""

    article_path = "stage__article_id"
    list_display = ["__str__", "stage", "order", "feeling", "has_pains"]
    list_filter = ["feeling", "channel"]
    list_select_related = ["stage__article"]
    search_fields = ["client_action", "pain_points", "our_action", "stage__title"]
    fields = [*StepInline.fields[:1], "stage", *StepInline.fields[1:]]
    formfield_overrides = StepInline.formfield_overrides

    def article_of(self, obj):
        return obj.stage.article_id

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "stage":
            kwargs["queryset"] = JourneyStage.objects.select_related("article")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("есть боли"), boolean=True)
    def has_pains(self, step):
        return bool(step.pains)
