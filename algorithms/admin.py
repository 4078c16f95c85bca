from django.contrib import admin
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from algorithms.forms import AnswerForm, AnswerFormSet, NodeForm, NodeFormSet
from algorithms.models import Algorithm, DecisionAnswer, DecisionNode, walk_url
from algorithms.selectors import STATS_DAYS, algorithm_tree, node_counts
from algorithms.services import algorithm_validate
from articles.models import Article
from kb_portal.admin import HistoryAdmin, PortalFieldsAdmin
from search.services import search_index_articles


class NodeInline(admin.StackedInline):
    model = DecisionNode
    form = NodeForm
    formset = NodeFormSet
    extra = 1
    autocomplete_fields = ["articles"]
    verbose_name = _("узел")
    verbose_name_plural = _("узлы: вопросы и итоги")
    fieldsets = [
        (None, {"fields": [("code", "kind", "is_start", "order"), "text", "explanation"]}),
        (
            _("Для итога: что делать"),
            {
                "fields": ["steps", "documents", "script", "articles", "links"],
                "classes": ["collapse"],
                "description": _("Заполняется у итогов: у вопросов мастер эти поля не показывает."),
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("articles")


class AnswerInline(admin.TabularInline):
    model = DecisionAnswer
    form = AnswerForm
    formset = AnswerFormSet
    fk_name = "article"
    extra = 2
    verbose_name = _("ответ")
    verbose_name_plural = _("ответы: от вопроса к следующему узлу")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("from_node", "to_node")


@admin.register(Algorithm)
class AlgorithmAdmin(PortalFieldsAdmin):
    """The decision tree of an algorithm article: its nodes and answers on one
    page, checked as a whole tree before anything is written. The article
    itself (title, text, status…) is edited in «Материалы»."""

    inlines = [NodeInline, AnswerInline]
    list_display = ["title", "section", "status", "node_total", "updated_at", "site_link"]
    list_filter = ["status"]
    list_select_related = ["section"]
    search_fields = ["title", "summary"]
    fields = ["material", "tree_state", "tree_outline", "stop_counts"]
    readonly_fields = fields
    save_on_top = True

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(kind=Article.Kind.ALGORITHM)
            .annotate(nodes_count=Count("decision_nodes"))
        )

    def has_add_permission(self, request):
        return False  # an algorithm is an article: it is made in «Материалы»

    def has_delete_permission(self, request, obj=None):
        return False  # and goes to the trash from there

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST":
            # Two editors saving one tree at once: the second waits for the
            # first and is checked against what the first saved.
            Article.all_objects.select_for_update().filter(pk=obj.pk).values_list("pk").get()
        return obj

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        # The answers' formset checks the whole tree with the nodes' formset.
        if not hasattr(request, "_algorithm_tree_forms"):
            request._algorithm_tree_forms = {}
        kwargs["tree_forms"] = request._algorithm_tree_forms
        return kwargs

    def save_model(self, request, obj, form, change):
        pass  # nothing of the article is edited here

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if any(formset.has_changed() for formset in formsets):
            # The tree is content of the article: «обновлено» moves, and
            # search finds the algorithm by its new words.
            form.instance.content_changed()
            search_index_articles(article_ids=[form.instance.pk])

    @admin.display(description=_("узлов"), ordering="nodes_count")
    def node_total(self, article):
        return article.nodes_count

    @admin.display(description=_("на сайте"))
    def site_link(self, article):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            article.get_absolute_url(),
            _("открыть"),
        )

    @admin.display(description=_("материал"))
    def material(self, article):
        return format_html(
            '{} · <a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            article.get_status_display(),
            reverse("admin:articles_article_change", args=[article.pk]),
            _("изменить текст и публикацию"),
            article.get_absolute_url(),
            _("на сайте"),
            walk_url(article.pk),
            _("пройти мастер"),
        )

    @admin.display(description=_("проверка дерева"))
    def tree_state(self, article):
        problems = algorithm_validate(article=article)
        return render_to_string(
            "admin/algorithms/tree_state.html",
            {"problems": problems, "has_nodes": article.nodes_count > 0},
        )

    @admin.display(description=_("дерево от начала"))
    def tree_outline(self, article):
        tree = algorithm_tree(article=article)
        return render_to_string("admin/algorithms/tree_outline.html", {"rows": _outline(tree)})

    @admin.display(description=_("где останавливаются"))
    def stop_counts(self, article):
        return render_to_string(
            "admin/algorithms/stop_counts.html",
            {"rows": node_counts(article=article), "days": STATS_DAYS},
        )


def _outline(tree):
    """The tree from its start as indented rows (depth, answer, node); a node
    reached again is shown once and then referred to by its code."""
    rows, seen = [], set()

    def visit(node, depth, answer):
        repeated = node.pk in seen
        rows.append({"depth": depth, "answer": answer, "node": node, "repeated": repeated})
        if repeated or depth > 50:
            return
        seen.add(node.pk)
        for choice in tree.choices.get(node.pk, []):
            target = tree.nodes.get(choice.to_node_id)
            if target is None:
                rows.append({"depth": depth + 1, "answer": choice, "node": None})
            else:
                visit(target, depth + 1, choice)

    if tree.start is not None:
        visit(tree.start, 0, None)
    return rows


@admin.register(DecisionNode)
class DecisionNodeAdmin(HistoryAdmin):
    """The nodes of every algorithm, to find one and read its history; they
    are edited on their algorithm's page, where the whole tree is checked."""

    list_display = ["code", "text", "kind", "is_start", "article"]
    list_filter = ["kind", ("article", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["article"]
    search_fields = ["code", "text", "steps", "documents", "script"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
