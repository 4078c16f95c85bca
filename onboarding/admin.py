from django import forms
from django.contrib import admin
from django.db.models import Count, Sum
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from kb_portal.admin import HistoryAdmin
from onboarding.models import ReadingPath, ReadingPathStep
from onboarding.selectors import visible_steps


class StepForm(forms.ModelForm):
    class Meta:
        model = ReadingPathStep
        fields = ["order", "article", "expected_minutes"]

    def clean_article(self):
        # The field lists articles in the trash too, so that a path keeping
        # one can still be saved; adding one from the trash is refused.
        article = self.cleaned_data["article"]
        kept = self.instance.pk is not None and self.instance.article_id == article.pk
        if article.deleted_at is not None and not kept:
            raise forms.ValidationError(
                gettext("Материал «%(title)s» в корзине: выберите другой.")
                % {"title": article.title}
            )
        return article


def minutes_text(minutes):
    hours, rest = divmod(minutes or 0, 60)
    if not hours:
        return ngettext("%(n)s минута", "%(n)s минут", rest) % {"n": rest}
    text = ngettext("%(n)s час", "%(n)s часов", hours) % {"n": hours}
    if rest:
        text += " " + ngettext("%(n)s минута", "%(n)s минут", rest) % {"n": rest}
    return text


class StepInline(admin.TabularInline):
    model = ReadingPathStep
    form = StepForm
    extra = 1
    fields = ["order", "article", "expected_minutes", "article_state"]
    readonly_fields = ["article_state"]
    autocomplete_fields = ["article"]
    verbose_name = _("шаг")
    verbose_name_plural = _("шаги пути (по порядку; сотрудники видят только опубликованные)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            kwargs["queryset"] = Article.all_objects.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("состояние материала"))
    def article_state(self, step):
        article = step.article if step.pk else None
        if article is None:
            return "—"
        if article.deleted_at is not None:
            return gettext("в корзине — сотрудники этот шаг не видят")
        if article.status != Article.Status.PUBLISHED:
            return gettext("%(status)s — сотрудники этот шаг не видят") % {
                "status": article.get_status_display()
            }
        return gettext("опубликован")


@admin.register(ReadingPath)
class ReadingPathAdmin(HistoryAdmin):
    """«Путь новичка»: the articles a newcomer in a position reads first."""

    inlines = [StepInline]
    list_display = ["title", "position", "is_active", "step_count", "total_time"]
    list_filter = ["is_active", "position"]
    list_select_related = ["position"]
    search_fields = ["title", "description", "position__title"]
    fields = ["title", "description", "position", "is_active", "total_time"]
    readonly_fields = ["total_time"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                step_total=Count("steps"),
                minutes_total=Sum("steps__expected_minutes"),
                minutes_visible=Sum(
                    "steps__expected_minutes", filter=visible_steps(prefix="steps__")
                ),
            )
        )

    @admin.display(description=_("шагов"), ordering="step_total")
    def step_count(self, path):
        return path.step_total

    @admin.display(description=_("всего времени"), ordering="minutes_total")
    def total_time(self, path):
        # The annotations of get_queryset: the list and the change form read
        # the path through it (a new path has none yet).
        minutes = getattr(path, "minutes_total", None) or 0
        visible = getattr(path, "minutes_visible", None) or 0
        if visible == minutes:
            return minutes_text(minutes)
        return gettext("%(all)s, из них в опубликованных материалах %(visible)s") % {
            "all": minutes_text(minutes),
            "visible": minutes_text(visible),
        }
