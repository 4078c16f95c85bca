from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from taggit.models import Tag

from articles import mandatory, report, report_exports, targeting
from articles.companions import companion_context
from articles.models import Article, Attachment, Section
from articles.selectors import is_possible_tag_slug, section_tree, subtree_counts, with_sections
from articles.services import AckResult, article_acknowledge, article_count_view
from articles.serving import attachment_response
from contributions.selectors import article_reader_state
from contributions.views import article_page_context
from ideas.selectors import article_ideas
from notifications.subscriptions import with_follow_state
from onboarding.selectors import article_step_note
from people.models import Office
from people.roles import can_view_mandatory_report, is_editor
from proposals.diff import fields_diff
from questions.views import article_page_context as questions_page_context

PAGE_SIZE = 20


def _filter_cards(request, articles):
    """Apply the kind and tag filters from the query string."""
    kind = request.GET.get("kind", "")
    if kind in Article.Kind.values:
        articles = articles.filter(kind=kind)
    else:
        kind = ""
    tag = request.GET.get("tag", "")
    if tag:
        possible = is_possible_tag_slug(tag)
        articles = articles.filter(tags__slug=tag) if possible else articles.none()
    return articles, {"kind": kind, "tag": tag}


def _card_page(request, articles, tree):
    """One page of article cards, their sections filled from the tree."""
    page = Paginator(articles.for_cards(), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_sections(page.object_list, tree)
    return page


def kb_index(request):
    tree = section_tree(request)
    counts = subtree_counts(tree, list(tree.by_id))
    return render(request, "articles/kb_index.html", {"tree": tree, "counts": counts})


def section_detail(request, slug):
    section = with_follow_state(Section.objects.filter(slug=slug), user=request.user).first()
    if section is None:
        return _redirect_from_old_slug(Section, slug)
    tree = section_tree(request)
    node = tree.by_id.get(section.id)
    if node is None:  # an ancestor is in the trash
        raise Http404
    include_subsections = request.GET.get("all") == "1"
    section_ids = tree.descendant_ids(section.id) if include_subsections else [section.id]
    articles = Article.objects.listed_for(request.user).filter(section_id__in=section_ids)
    articles, filters = _filter_cards(request, articles)
    page = _card_page(request, articles.order_by("title"), tree)
    child_counts = subtree_counts(tree, [child.id for child in node.children])
    return render(
        request,
        "articles/section_detail.html",
        {
            "section": section,
            "node": node,
            "breadcrumbs": tree.ancestors(section.id, include_self=False),
            "child_counts": child_counts,
            # A section that only groups subsections says where its articles are.
            "in_subsections": sum(child_counts.values()),
            "page": page,
            "filters": filters,
            "include_subsections": include_subsections,
            "kinds": Article.Kind.choices,
            "current_section_id": section.id,
        },
    )


def article_detail(request, section_slug, slug):
    visible = Article.objects.visible_to(request.user)
    article = (
        visible.select_related("section", "owner", "owner__profile", "owner__profile__position")
        .prefetch_related("tags")
        .filter(slug=slug)
        .first()
    )
    if article is None:
        return _redirect_from_old_slug(Article, slug, visible=visible)
    if article.section.deleted_at is not None:
        raise Http404
    if article.section.slug != section_slug:  # moved, or its section renamed
        return redirect(article, permanent=True)
    tree = section_tree(request)
    breadcrumbs = tree.ancestors(article.section_id)
    # The reader's office, and whether the article is «для вас», come with
    # the rest of what differs per person (no query of their own).
    targets = [node.target_audience_id for node in breadcrumbs if node.target_audience_id]
    if article.target_audience_id:
        targets.append(article.target_audience_id)
    reader = article_reader_state(article=article, user=request.user, targets=targets)
    if article.is_published:
        article_count_view(article=article, office_id=reader.office_id)
    files = list(article.attachments.all())
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "breadcrumbs": breadcrumbs,
            "article_for_you": reader.for_you and article.is_published,
            # Audio and video play on the page, images make a gallery; the rest
            # is listed to open or download (a presentation with its slides' text).
            "players": [file for file in files if file.playable],
            "images": [file for file in files if file.is_image],
            "attachments": [file for file in files if not (file.playable or file.is_image)],
            # «Печать» without script: the page as it prints (?print=1).
            "print_view": request.GET.get("print") == "1",
            "related": with_sections(
                visible.filter(related=article).for_cards().order_by("title"), tree
            ),
            **_reading_context(article, reader),
            "current_section_id": article.section_id,
            **article_page_context(request, article, reader=reader),
            **questions_page_context(request, article, asked=reader.has_questions),
            # Read only when the reader state counted some: no query otherwise.
            "article_ideas": article_ideas(article_id=article.pk) if reader.idea_count else (),
            "article_idea_count": reader.idea_count,
            "follows_article": reader.follows_article,
            "follows_section": reader.follows_section,
            # «Шаг k из M пути новичка»: a query only when the article is on the reader's path.
            "path_note": article_step_note(user=request.user, step_id=reader.path_step_id),
            # The structured part of a profile, journey map or algorithm (articles.companions).
            "companion": companion_context(request=request, article=article),
        },
    )


def _reading_context(article, reader):
    """What the article page says about mandatory reading to this person:
    only when the document is mandatory for them (``reader.in_audience``)."""
    mine = article.mandatory and article.is_published and reader.in_audience
    if not mine:
        return {"mandatory_for_me": False, "acknowledged": False}
    acknowledged = reader.acknowledged
    deadline = article.mandatory_deadline
    return {
        "mandatory_for_me": True,
        "acknowledged": acknowledged,
        "acknowledged_at": reader.acknowledged_at,
        "reading_state": mandatory.reading_state(deadline=deadline, acknowledged=acknowledged),
        # Read before a round asked again: what changed, and since which version.
        "reasked": not acknowledged and reader.ack_version is not None,
        "read_version": reader.ack_version,
        "round_summary": reader.round_summary,
    }


def mandatory_list(request):
    """The mandatory documents that apply to this person, with their state."""
    rows = mandatory.mandatory_rows(user=request.user, tree=section_tree(request))
    unread = [row for row in rows if row.state != mandatory.State.READ]
    show_unread = request.GET.get("unread") == "1"
    return render(
        request,
        "articles/mandatory_list.html",
        {
            "rows": unread if show_unread else rows,
            "total": len(rows),
            "unread_count": len(unread),
            "overdue_count": sum(row.state == mandatory.State.OVERDUE for row in rows),
            "show_unread": show_unread,
            "can_view_report": can_view_mandatory_report(request.user),
        },
    )


def for_you_list(request):
    """«Для вас»: every published material targeted at the person's position
    and office, newest first (the home page shows the first few)."""
    page = _card_page(request, targeting.for_you(request.user), section_tree(request))
    no_position = not page.paginator.count and not targeting.has_position(request.user)
    return render(request, "articles/for_you.html", {"page": page, "no_position": no_position})


def _posted_version(request):
    value = request.POST.get("version", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


@require_POST
def article_acknowledge_view(request, pk):
    article = get_object_or_404(Article.objects.published(), pk=pk, mandatory=True)
    result = article_acknowledge(
        article=article, user=request.user, version=_posted_version(request)
    )
    if result == AckResult.NOT_FOR_YOU:
        messages.info(
            request,
            _("Этот документ не входит в обязательные для вас: отмечать ознакомление не нужно."),
        )
    elif result == AckResult.OUTDATED:
        messages.warning(
            request,
            _(
                "Пока вы читали, документ изменили и попросили ознакомиться с новой версией. Ваша "
                "отметка сохранена для прочитанной версии; прочитайте новую и отметьте ещё раз."
            ),
        )
    else:
        messages.success(request, _("Отмечено: вы ознакомились с документом."))
    return redirect(article)


def _version_record(article, version):
    """The latest history entry of ``article`` with ``version``, or None."""
    return article.history.filter(version=version).order_by("-history_id").first()


def article_compare(request, pk):
    """What changed in an article between two versions (``from`` and ``to``,
    the current one by default), word by word. Staff compare only versions
    that were published; editors any."""
    article = get_object_or_404(
        Article.objects.visible_to(request.user).select_related("section"), pk=pk
    )
    versions = []
    for name, default in (("from", None), ("to", article.version)):
        value = request.GET.get(name, "")
        if value.isascii() and value.isdigit() and len(value) < 10:
            versions.append(int(value))
        elif default is not None and not value:
            versions.append(default)
        else:
            raise Http404
    old, new = (_version_record(article, version) for version in versions)
    readable = {Article.Status.PUBLISHED, Article.Status.ARCHIVED}
    if old is None or new is None:
        raise Http404
    if not is_editor(request.user) and not {old.status, new.status} <= readable:
        raise Http404
    return render(
        request,
        "articles/article_compare.html",
        {
            "article": article,
            "old": old,
            "new": new,
            "rows": fields_diff(old, new),
            "current_section_id": article.section_id,
        },
    )


def article_history(request, pk):
    article = get_object_or_404(
        Article.objects.visible_to(request.user).select_related("section"), pk=pk
    )
    records = article.history.select_related("history_user").only(
        "history_id",
        "history_date",
        "history_type",
        "history_change_reason",
        "status",
        "version",
        "history_user__first_name",
        "history_user__last_name",
        "history_user__username",
    )
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/article_history.html",
        {"article": article, "page": page, "current_section_id": article.section_id},
    )


def attachment_download(request, pk):
    """Attachments go only to logged-in people who may see the article."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("article"),
        pk=pk,
        article__in=Article.objects.visible_to(request.user),
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return attachment_response(request, attachment, handle)


def tag_list(request):
    published = Q(article__status=Article.Status.PUBLISHED, article__deleted_at__isnull=True)
    tags = Tag.objects.annotate(n=Count("article", filter=published)).filter(n__gt=0)
    return render(request, "articles/tag_list.html", {"tags": tags.order_by("name")})


def tag_detail(request, slug):
    if not is_possible_tag_slug(slug):
        raise Http404
    tag = get_object_or_404(Tag, slug=slug)
    articles = Article.objects.listed_for(request.user).filter(tags=tag)
    articles, filters = _filter_cards(request, articles)
    page = _card_page(request, articles.order_by("-updated_at"), section_tree(request))
    return render(
        request,
        "articles/tag_detail.html",
        {"tag": tag, "page": page, "filters": filters, "kinds": Article.Kind.choices},
    )


def _redirect_from_old_slug(model, slug, visible=None):
    """Send an old address to where the page lives now (301), or 404."""
    old = (
        model.history.filter(slug=slug)
        .order_by("-history_date")
        .values_list("id", flat=True)
        .first()
    )
    if old is None:
        raise Http404
    queryset = visible if visible is not None else model.objects
    current = queryset.filter(pk=old).first()
    if current is None:
        raise Http404
    return redirect(current, permanent=True)


# --- «Ознакомление с обязательными документами» ------------------------------------


def _report_request(request):
    """The person's scope and the report's filters from the query string:
    (scope, office, article, documents), or an HttpResponse that answers
    instead (no office in the profile; an office outside the scope)."""
    if not can_view_mandatory_report(request.user):
        raise PermissionDenied
    scope = report.report_scope(request.user)
    if scope.no_office:
        return render(request, "articles/mandatory_report_scope.html", {"no_office": True})
    office = None
    value = request.GET.get("office", "")
    if value.isascii() and value.isdigit() and len(value) < 19:
        office = Office.objects.filter(pk=int(value)).first()
        if office is None and scope.everything:
            raise Http404
        if office is None or not scope.contains(office):
            # A head of an office is told the same about another office and
            # one that does not exist: ids cannot be probed.
            return render(
                request,
                "articles/mandatory_report_scope.html",
                {"office": scope.office},
                status=403,
            )
    documents = report.report_documents()
    article = None
    value = request.GET.get("article", "")
    if value.isascii() and value.isdigit():
        article = next((d for d in documents if str(d.pk) == value), None)
    return scope, office, article, documents


def mandatory_report(request):
    """Per document and per office: the audience, on time, late, not yet;
    drilled into an office, who has not read (a page of 100)."""
    answer = _report_request(request)
    if not isinstance(answer, tuple):
        return answer
    scope, office, article, documents = answer
    result = report.build_report(scope=scope, office=office, article=article, documents=documents)
    drilled = office or scope.office
    crumbs = []
    if office is not None:
        ancestors = office.get_ancestors()
        if not scope.everything:
            ancestors = ancestors.filter(lft__gte=scope.office.lft)
        crumbs = list(ancestors.only("id", "title"))
    unread = None
    if drilled is not None:
        wanted = [article] if article is not None else documents
        people = report.UnreadList(documents=wanted, office=drilled, total=result.total.not_yet)
        unread = Paginator(people, report.UNREAD_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/mandatory_report.html",
        {
            "report": result,
            "unread": unread,
            "drilled": drilled,
            "crumbs": crumbs,
            "query": request.GET.urlencode(),
            "documents": documents,
        },
    )


def mandatory_report_export(request, file_format):
    """The report as shown (same filters), with everyone who has not read."""
    if file_format not in ("xlsx", "csv"):
        raise Http404
    answer = _report_request(request)
    if not isinstance(answer, tuple):
        answer.status_code = 403  # a file, not a page: «no office» refuses too
        return answer
    scope, office, article, documents = answer
    result = report.build_report(scope=scope, office=office, article=article, documents=documents)
    wanted = [article] if article is not None else documents
    drilled = office or scope.office
    unread, left_out = [], 0
    if drilled is not None:  # as on the page: names for an office, not the whole region
        unread = report.UnreadList(
            documents=wanted, office=drilled, total=result.total.not_yet
        ).rows(limit=report.EXPORT_UNREAD_LIMIT)
        left_out = result.total.not_yet - len(unread)
    name = f"oznakomlenie-{timezone.localdate():%Y-%m-%d}"
    if file_format == "xlsx":
        response = HttpResponse(
            report_exports.to_xlsx(result, unread, left_out=left_out),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(
            report_exports.to_csv(result, unread, left_out=left_out).encode("utf-8"),
            content_type="text/csv; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response
