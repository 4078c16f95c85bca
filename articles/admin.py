from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from mptt.admin import DraggableMPTTAdmin, TreeRelatedFieldListFilter
from taggit.models import Tag

from articles.forms import (
    AUDIENCE_RULE,
    REACK_RULE,
    TARGET_RULE,
    ArticleAdminForm,
    AttachmentInlineForm,
    AttachmentInlineFormSet,
    SectionAdminForm,
)
from articles.history import ArticleHistoryContextHelper
from articles.mandatory import audience_of, mandatory_snapshot
from articles.models import (
    AcknowledgementRound,
    Article,
    ArticleTemplate,
    ArticleTrash,
    Attachment,
    MandatoryReminder,
    Section,
    SectionTrash,
)
from articles.richtext import editor_labels_json
from articles.services import (
    article_mandatory_apply,
    article_published_notify,
    article_restore,
    article_target_apply,
    article_trash,
    article_update_record,
    attachment_extract_text,
    mandatory_notify,
    section_restore,
    section_target_apply,
    section_trash,
    trash_cutoff,
    trash_until,
)
from contributions.selectors import article_helpfulness_counts, with_helpfulness_totals
from kb_portal.admin import HistoryAdmin, PortalFieldsAdmin
from people.audiences import audience_spec, members, spec_description
from readstats.selectors import with_recent_views
from search.services import search_index_articles

# The article form's fields that are not the model's: they exist only for
# people who may change the article (a view-only form has none of them).
MANDATORY_FORM_FIELDS = [
    "mandatory_offices",
    "mandatory_positions",
    "mandatory_roles",
    "confirm_empty_audience",
]
REACK_FORM_FIELDS = ["reack", "reack_summary"]
SUBSTANTIVE_FORM_FIELDS = ["substantive", "substantive_summary"]

TARGET_FORM_FIELDS = ["target_offices", "target_positions", "target_roles", "confirm_empty_target"]
TARGET_FIELDSET = (
    _("Для кого (блок «Для вас» на главной)"),
    {"fields": [*TARGET_FORM_FIELDS, "target_state"], "description": TARGET_RULE},
)


class TargetStateMixin:
    @admin.display(description=_("сейчас"))
    def target_state(self, obj):
        if obj is None or obj.pk is None or not obj.target_audience_id:
            return _("Не адресован никому особо: в блоке «Для вас» не показывается.")
        spec = audience_spec(obj.target_audience)
        count = members(spec).count()
        return ngettext(
            "Для кого: %(audience)s — %(count)s сотрудник.",
            "Для кого: %(audience)s — сотрудников: %(count)s.",
            count,
        ) % {"audience": spec_description(spec), "count": count}


def _without(fieldsets, hidden):
    return [
        (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
        for name, options in fieldsets
    ]


class TrashOnDeleteAdmin(HistoryAdmin):
    """Deleting moves to the trash; the confirmation page and the message
    after it say so (Django's would say "deleted successfully")."""

    def delete_view(self, request, object_id, extra_context=None):
        context = {"title": _("Перемещение в корзину"), **(extra_context or {})}
        return super().delete_view(request, object_id, context)

    def delete_model(self, request, obj):
        self.trash(obj)
        request._kb_trashed = 1

    def delete_queryset(self, request, queryset):
        request._kb_trashed = sum(self.trash(obj) for obj in queryset)

    def trash(self, obj):
        """Move ``obj`` to the trash; return 1, or 0 if it was there already."""
        raise NotImplementedError

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        trashed = getattr(request, "_kb_trashed", None)
        if trashed is not None and level == messages.SUCCESS:
            del request._kb_trashed
            until = formats.date_format(trash_until(), "DATE_FORMAT")
            message = gettext(
                "Перемещено в корзину: %(count)d. До %(until)s это можно восстановить."
            ) % {"count": trashed, "until": until}
        return super().message_user(request, message, level, *args, **kwargs)


@admin.register(Section)
class SectionAdmin(TargetStateMixin, DraggableMPTTAdmin, TrashOnDeleteAdmin):
    form = SectionAdminForm
    readonly_fields = ["target_state"]
    list_display = ["tree_actions", "indented_title", "slug", "modified_at"]
    list_display_links = ["indented_title"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [(None, {"fields": ["title", "slug", "parent", "description"]}), TARGET_FIELDSET]
    mptt_level_indent = 24
    expand_tree_by_default = True

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Who only looks (administrators) gets no inputs: the form's own
        # fields cannot be shown read-only.
        return [fs for fs in _without(fieldsets, TARGET_FORM_FIELDS) if fs[1]["fields"]]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if hasattr(form, "target_spec"):
            section_target_apply(section=obj, spec=form.target_spec)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            # django-mptt swaps in its own bulk delete, which destroys the rows
            # (and fails on sections holding articles); Django's own action goes
            # through delete_queryset(), that is, to the trash.
            actions["delete_selected"] = (
                delete_selected,
                "delete_selected",
                delete_selected.short_description,
            )
        return actions

    @transaction.atomic
    def _move_node(self, request):
        response = super()._move_node(request)
        if response.content.startswith(b"OK"):
            # django-mptt moves rows without save(), so history would miss the
            # move; saving the moved section records its new place.
            section = Section.all_objects.get(pk=request.POST["cut_item"])
            section._change_reason = gettext("перемещён в дереве разделов")
            section.save()
        return response

    def trash(self, obj):
        obj.refresh_from_db()
        if obj.deleted_at is not None:
            return 0  # went to the trash with a parent chosen too
        section_trash(section=obj)
        return 1

    def get_deleted_objects(self, objs, request):
        # Nothing is destroyed: the confirmation lists what goes to the trash
        # (Django's list of "related objects that will be deleted" would say
        # the opposite), and nothing inside blocks it.
        objs = list(objs)
        lines = []
        for section in objs:
            if any(section.is_descendant_of(other) for other in objs):
                continue  # goes with its chosen parent
            subtree = section.get_descendants(include_self=True)
            lines.append(
                gettext("«%(title)s» — подразделов: %(sections)d, материалов: %(articles)d")
                % {
                    "title": section.title,
                    "sections": section.get_descendant_count(),
                    "articles": Article.objects.filter(section__in=subtree).count(),
                }
            )
        return lines, {}, set(), []


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentInlineForm
    formset = AttachmentInlineFormSet
    extra = 1
    fields = ["file", "title", "kind", "size_display", "text_state", "address", "created_at"]
    readonly_fields = ["kind", "size_display", "text_state", "address", "created_at"]

    @admin.display(description=_("адрес для вставки в текст"))
    def address(self, attachment):
        return attachment.get_absolute_url() if attachment.pk else "—"

    @admin.display(description=_("размер"))
    def size_display(self, attachment):
        from django.template.defaultfilters import filesizeformat

        return filesizeformat(attachment.size) if attachment.pk else "—"

    @admin.display(description=_("текст для поиска"))
    def text_state(self, attachment):
        return attachment.extraction_summary if attachment.pk else "—"


class SectionTreeFilter(TreeRelatedFieldListFilter):
    """django-mptt's filter by a section and its subsections, with a wrong
    value treated the way Django treats one (the plain list) instead of a 500,
    and its "no section" choice passed to the database as a yes/no."""

    def queryset(self, request, queryset):
        isnull = self.used_parameters.get(self.lookup_kwarg_isnull)
        if isnull is not None:
            value = isnull[-1] if isinstance(isnull, list) else isnull
            queryset = queryset.filter(**{self.lookup_kwarg_isnull: value})
        if not self.lookup_val:
            return queryset
        try:
            root = self.other_model._default_manager.get(**{self.rel_name: self.lookup_val})
        except (ValueError, ValidationError, ObjectDoesNotExist) as error:
            raise IncorrectLookupParameters(error) from error
        subtree = root.get_descendants(include_self=True)
        return queryset.filter(**{f"{self.field_path}__{self.rel_name}__in": subtree})


class ReviewOverdueFilter(admin.SimpleListFilter):
    title = _("актуализация")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("просрочена")),
            ("soon", _("в ближайшие 30 дней")),
            ("none", _("дата не указана")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.filter(review_due__lt=today)
        if self.value() == "soon":
            return queryset.filter(
                review_due__gte=today, review_due__lte=today + timezone.timedelta(days=30)
            )
        if self.value() == "none":
            return queryset.filter(review_due__isnull=True)
        return queryset


@admin.register(Article)
class ArticleAdmin(TargetStateMixin, TrashOnDeleteAdmin):
    form = ArticleAdminForm
    inlines = [AttachmentInline]
    list_display = [
        "title",
        "section",
        "kind",
        "status",
        "mandatory",
        "review_state",
        "updated_at",
        "owner",
        "helpfulness_totals",
        "views_30_days",
        "site_link",
    ]
    list_filter = [
        ("section", SectionTreeFilter),
        "kind",
        "status",
        "mandatory",
        ReviewOverdueFilter,
        "lifecycle",
    ]
    list_select_related = ["section", "owner"]
    search_fields = ["title", "summary", "slug"]
    autocomplete_fields = ["section", "owner", "related"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "updated_at"
    actions = ["publish", "send_to_review", "archive"]
    save_on_top = True
    object_history_list_template = "admin/articles/article/history_list.html"
    fieldsets = [
        (
            None,
            {"fields": ["section", "title", "slug", "kind", "summary", "body", "loaded_version"]},
        ),
        (
            _("Публикация и актуальность"),
            {"fields": ["status", "lifecycle", "owner", "review_due", "published_at"]},
        ),
        (
            _("Обязательное ознакомление"),
            {
                "fields": [
                    "mandatory",
                    *MANDATORY_FORM_FIELDS[:3],
                    "mandatory_deadline",
                    MANDATORY_FORM_FIELDS[3],
                ],
                "description": AUDIENCE_RULE,
            },
        ),
        TARGET_FIELDSET,
        (_("Утверждение"), {"fields": ["approved_on", "approval_number"]}),
        (_("Метки и связи"), {"fields": ["tags", "related", "external_url"]}),
    ]
    readonly_fields = ["helpfulness_block", "mandatory_state", "target_state"]
    substantive_fieldset = (
        _("Существенное изменение"),
        {
            "fields": SUBSTANTIVE_FORM_FIELDS,
            "description": _(
                "Отметьте, если изменение важно читателям: материал поднимется в «Что нового» "
                "с вашим текстом, подписчики получат уведомление."
            ),
        },
    )
    reack_fieldset = (
        _("Повторное ознакомление"),
        {"fields": [*REACK_FORM_FIELDS, "mandatory_state"], "description": REACK_RULE},
    )
    helpfulness_fieldset = (
        _("Полезность для читателей"),
        {
            "fields": ["helpfulness_block"],
            "description": _(
                "Ответы на вопрос «Материал был полезен?» под материалом. Ответ сотрудника "
                "относится к версии, которую он видел."
            ),
        },
    )

    class Media:
        js = ["js/tag-suggest.js", "js/prose-editor-ru.js"]

    @admin.display(description=_("актуализация"), ordering="review_due")
    def review_state(self, article):
        if article.review_due is None:
            return "—"
        label = article.review_due.strftime("%d.%m.%Y")
        if article.review_overdue:
            return format_html('<strong style="color:#b00020">{} ⚠</strong>', label)
        return label

    @admin.display(description=_("полезен: да / нет"), ordering="helpful_no")
    def helpfulness_totals(self, article):
        if not (article.helpful_yes or article.helpful_no):
            return "—"
        return f"{article.helpful_yes} / {article.helpful_no}"

    @admin.display(description=_("Просмотры за 30 дней"), ordering="views_30")
    def views_30_days(self, article):
        return article.views_30

    @admin.display(description=_("ответы «да / нет»"))
    def helpfulness_block(self, article):
        if article is None or article.pk is None:
            return "—"
        return render_to_string(
            "admin/articles/article/helpfulness.html",
            {"counts": article_helpfulness_counts(article=article), "article": article},
        )

    def get_queryset(self, request):
        # Each row's «да / нет» and views of the last 30 days, counted by the
        # database as subqueries (only for the rows a page returns). Here,
        # not in the changelist's own queryset: the changelist orders this
        # one, and a column can only be sorted by what it already has.
        return with_recent_views(with_helpfulness_totals(super().get_queryset(request)))

    @admin.display(description=_("на сайте"))
    def site_link(self, article):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            article.get_absolute_url(),
            _("открыть"),
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "tags":
            query = "app_label=articles&model_name=article&field_name=tags"
            field.widget.attrs["data-suggest-url"] = f"{reverse('admin:autocomplete')}?{query}"
        if db_field.name == "body" and field is not None:
            field.widget.attrs["data-kb-editor-labels"] = editor_labels_json()
        return field

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            fieldsets = [
                *fieldsets[:2],
                self.substantive_fieldset,
                fieldsets[2],
                self.reack_fieldset,
                *fieldsets[3:],
            ]
            fieldsets = [*fieldsets, self.helpfulness_fieldset]
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # The version check and the audience's inputs belong to saving; people
        # who only look read the audience in «mandatory_state».
        hidden = {
            "loaded_version",
            *MANDATORY_FORM_FIELDS,
            *REACK_FORM_FIELDS,
            *SUBSTANTIVE_FORM_FIELDS,
            *TARGET_FORM_FIELDS,
        }
        return [fs for fs in _without(fieldsets, hidden) if fs[1]["fields"]]

    @admin.display(description=_("сейчас"))
    def mandatory_state(self, article):
        if article is None or article.pk is None or not article.mandatory:
            return _("Документ не отмечен как обязательный.")
        spec = audience_of(article)
        count = members(spec).count()
        text = ngettext(
            "Для кого: %(audience)s — %(count)s сотрудник.",
            "Для кого: %(audience)s — сотрудников: %(count)s.",
            count,
        ) % {"audience": spec_description(spec), "count": count}
        if article.ack_required_version:
            text += " " + gettext("Нужно ознакомиться с версией %(version)s.") % {
                "version": article.ack_required_version
            }
        return format_html(
            '{} <a href="{}?article={}">{}</a>',
            text,
            reverse("articles:mandatory_report"),
            article.pk,
            _("Кто ознакомился"),
        )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("owner", request.user.pk)
        # A new article of a kind (?kind=case) starts with that kind's
        # template, unless the address brings a text of its own.
        kind = initial.get("kind")
        if kind in Article.Kind.values and not initial.get("body"):
            template = ArticleTemplate.objects.filter(kind=kind).exclude(body="")
            body = template.values_list("body", flat=True).first()
            if body:
                initial["body"] = body
        return initial

    def add_view(self, request, form_url="", extra_context=None):
        context = {**(extra_context or {}), **self._template_choices(request)}
        return super().add_view(request, form_url, context)

    def _template_choices(self, request):
        """The kind step before a new article's form: a link per kind that
        has a template (no script needed), and which one was applied."""
        if request.method != "GET":
            return {}
        labels = dict(Article.Kind.choices)
        kinds = ArticleTemplate.objects.exclude(body="").values_list("kind", flat=True)
        kinds = sorted((kind for kind in kinds if kind in labels), key=list(labels).index)
        choices = []
        for kind in kinds:
            query = request.GET.copy()
            query["kind"] = kind
            choices.append({"kind": kind, "label": labels[kind], "query": query.urlencode()})
        chosen = request.GET.get("kind", "")
        applied = chosen in kinds and not request.GET.get("body")
        return {
            "template_choices": choices,
            "template_chosen": chosen,
            "template_applied": labels[chosen] if applied else "",
        }

    def get_historical_record_context_helper(self, request, historical_record):
        return ArticleHistoryContextHelper(self.model, historical_record)

    def save_model(self, request, obj, form, change):
        before = mandatory_snapshot(article_id=obj.pk)  # the row as stored, under the form's lock
        was_published = change and (
            Article.all_objects.filter(pk=obj.pk, status=Article.Status.PUBLISHED).exists()
        )
        super().save_model(request, obj, form, change)
        # Also the path of a history revert, which saves no related objects.
        if hasattr(form, "mandatory_spec"):
            applied = article_mandatory_apply(
                article=obj,
                before=before,
                spec=form.mandatory_spec,
                reack_summary=form.reack_summary,
                by=request.user,
            )
            self._tell_editor(request, applied)
        self._substantive(request, obj, form, was_published)
        if hasattr(form, "target_spec"):
            article_target_apply(article=obj, spec=form.target_spec)
        search_index_articles(article_ids=[obj.pk])

    def _substantive(self, request, obj, form, was_published):
        """«Существенное изменение» recorded (once per version: a round saved
        with it has recorded it already), or a first publication announced."""
        if getattr(form, "substantive_summary", "") and obj.is_published:
            article_update_record(article=obj, summary=form.substantive_summary, by=request.user)
        elif obj.is_published and not was_published and obj.deleted_at is None:
            article_published_notify(article=obj, by=request.user)

    def _tell_editor(self, request, applied):
        if applied.round is not None:
            message = ngettext(
                "Повторное ознакомление запрошено: уведомлён %(count)s сотрудник.",
                "Повторное ознакомление запрошено: уведомлено сотрудников — %(count)s.",
                applied.told,
            )
        elif applied.told:
            message = ngettext(
                "Документ стал обязательным: уведомлён %(count)s сотрудник.",
                "Документ стал обязательным: уведомлено сотрудников — %(count)s.",
                applied.told,
            )
        else:
            return
        self.message_user(request, message % {"count": applied.told}, messages.INFO)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Again, now with the tags and attachments saved.
        search_index_articles(article_ids=[form.instance.pk])

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Attachment:
            replaced = [obj for obj, fields in formset.changed_objects if "file" in fields]
            for attachment in [*formset.new_objects, *replaced]:
                attachment_extract_text(attachment=attachment)
        if change and formset.has_changed():
            form.instance.content_changed()

    def trash(self, obj):
        article_trash(article=obj)
        return 1

    def get_deleted_objects(self, objs, request):
        # What goes to the trash, not Django's list of rows it would delete.
        objs = list(objs)
        counts = dict(
            Attachment.objects.filter(article__in=objs)
            .values_list("article")
            .annotate(count=Count("pk"))
            .values_list("article", "count")
        )
        lines = []
        for article in objs:
            line = f"«{article.title}»"
            if counts.get(article.pk):
                line += gettext(" — вместе с вложениями: %(count)d") % {"count": counts[article.pk]}
            lines.append(line)
        return lines, {}, set(), []

    def _set_status(self, request, queryset, status, message):
        with transaction.atomic():
            changed = []
            # Without the changelist's joins: PostgreSQL cannot lock the nullable
            # side of an outer join (the owner), and only articles need locking.
            for article in queryset.select_related(None).select_for_update():
                if article.status != status:
                    before = mandatory_snapshot(article_id=article.pk)
                    article.status = status
                    article.save()
                    changed.append(article.pk)
                    # Published now: its audience is told, as from the form.
                    mandatory_notify(article=article, before=before)
                    if status == Article.Status.PUBLISHED:
                        article_published_notify(article=article, by=request.user)
            search_index_articles(article_ids=changed)
        changed = len(changed)
        self.message_user(request, message % {"count": changed}, messages.SUCCESS)

    @admin.action(description=_("Опубликовать"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(
            request, queryset, Article.Status.PUBLISHED, _("Опубликовано материалов: %(count)s.")
        )

    @admin.action(description=_("Отправить на проверку"), permissions=["change"])
    def send_to_review(self, request, queryset):
        self._set_status(
            request, queryset, Article.Status.REVIEW, _("На проверку отправлено: %(count)s.")
        )

    @admin.action(description=_("Перенести в архив"), permissions=["change"])
    def archive(self, request, queryset):
        self._set_status(
            request, queryset, Article.Status.ARCHIVED, _("Перенесено в архив: %(count)s.")
        )


@admin.register(ArticleTemplate)
class ArticleTemplateAdmin(HistoryAdmin):
    """Editors keep one template per kind; a new article of that kind starts
    with it. Not deleted: an empty text means no template, and the history
    keeps every earlier one."""

    list_display = ["kind", "has_text", "modified_at"]
    fields = ["kind", "body"]
    ordering = ["kind"]

    class Media:
        js = ["js/prose-editor-ru.js"]

    @admin.display(description=_("есть текст"), boolean=True)
    def has_text(self, template):
        return bool(template.body)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        # The kind of a saved template stays: a new kind is a new template.
        return ["kind"] if obj is not None else []

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body" and field is not None:
            field.widget.attrs["data-kb-editor-labels"] = editor_labels_json()
        return field


class ReadOnlyRecordAdmin(PortalFieldsAdmin):
    """Records the portal's services write; editors and administrators look
    them up."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AcknowledgementRound)
class AcknowledgementRoundAdmin(ReadOnlyRecordAdmin):
    list_display = [
        "article",
        "article_version",
        "started_at",
        "started_by",
        "deadline",
        "notified",
    ]
    list_select_related = ["article", "started_by"]
    search_fields = ["article__title", "summary"]
    date_hierarchy = "started_at"
    show_full_result_count = False


@admin.register(MandatoryReminder)
class MandatoryReminderAdmin(ReadOnlyRecordAdmin):
    list_display = ["article", "stage", "deadline", "article_version", "sent_on", "recipients"]
    list_filter = ["stage"]
    list_select_related = ["article"]
    search_fields = ["article__title"]
    show_full_result_count = False


class TrashAdmin(PortalFieldsAdmin):
    """Deleted rows, kept for TRASH_RETENTION_DAYS; editors can bring them back."""

    actions = ["restore"]
    list_display_links = None
    search_fields = ["title", "slug"]

    def get_queryset(self, request):
        # Filtered here, not only by the proxy's manager: for SectionTrash
        # django-mptt makes the tree manager (every section) the default one.
        return super().get_queryset(request).filter(deleted_at__isnull=False)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_restore_permission(self, request):
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")

    @admin.display(description=_("удалено"), ordering="deleted_at")
    def deleted_on(self, obj):
        return obj.deleted_at

    @admin.display(description=_("будет удалено навсегда"))
    def purge_on(self, obj):
        # The day in the portal's time zone: a UTC date is a day early after 20:00 in Samara.
        return timezone.localdate(obj.deleted_at + (timezone.now() - trash_cutoff()))

    def restore_one(self, obj):
        raise NotImplementedError

    @admin.action(description=_("Восстановить"), permissions=["restore"])
    def restore(self, request, queryset):
        # Work on the real model, not the proxy: history listens to the real one.
        base_model = self.model._meta.concrete_model
        count = 0
        for obj in base_model.all_objects.filter(pk__in=queryset.values("pk")):
            if obj.deleted_at is not None:
                self.restore_one(obj)
                count += 1
        self.message_user(
            request,
            ngettext("Восстановлен %(count)d объект.", "Восстановлено объектов: %(count)d.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ArticleTrash)
class ArticleTrashAdmin(TrashAdmin):
    list_display = ["title", "section", "deleted_on", "purge_on"]
    list_select_related = ["section"]

    def restore_one(self, obj):
        article_restore(article=obj)


@admin.register(SectionTrash)
class SectionTrashAdmin(TrashAdmin):
    list_display = ["title", "parent", "deleted_on", "purge_on"]

    def restore_one(self, obj):
        section_restore(section=obj)


# taggit's own admin shows tags but not how often they are used.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
