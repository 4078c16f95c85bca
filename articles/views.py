from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from taggit.models import Tag

from articles.models import Acknowledgement, Article, Attachment, Section
from articles.selectors import is_possible_tag_slug, section_tree, subtree_counts, with_sections
from articles.services import article_acknowledge, article_count_view
from articles.serving import attachment_response
from contributions.selectors import article_reader_state
from contributions.views import article_page_context
from ideas.selectors import article_ideas
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
    section = Section.objects.filter(slug=slug).first()
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
        visible.select_related("section", "owner", "owner__profile")
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
    # The reader's office comes with the rest of what differs per person (no query of its own).
    reader = article_reader_state(article=article, user=request.user)
    if article.is_published:
        article_count_view(article=article, office_id=reader.office_id)
    tree = section_tree(request)
    files = list(article.attachments.all())
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "breadcrumbs": tree.ancestors(article.section_id),
            # Audio and video play on the page; the rest is listed to open or download.
            "players": [file for file in files if file.playable],
            "attachments": [file for file in files if not file.playable],
            "related": with_sections(
                visible.filter(related=article).for_cards().order_by("title"), tree
            ),
            "acknowledged": article.mandatory and reader.acknowledged,
            "current_section_id": article.section_id,
            **article_page_context(request, article, reader=reader),
            **questions_page_context(request, article, asked=reader.has_questions),
            # Read only when the reader state counted some: no query otherwise.
            "article_ideas": article_ideas(article_id=article.pk) if reader.idea_count else (),
            "article_idea_count": reader.idea_count,
        },
    )


def mandatory_list(request):
    """Every mandatory document, with whether this person has read it."""
    tree = section_tree(request)
    articles = with_sections(
        Article.objects.published().filter(mandatory=True).for_cards().order_by("title"), tree
    )
    read = dict(
        Acknowledgement.objects.filter(user=request.user, article__in=articles).values_list(
            "article_id", "acknowledged_at"
        )
    )
    show_unread = request.GET.get("unread") == "1"
    rows = [
        (article, read.get(article.pk))
        for article in articles
        if not (show_unread and article.pk in read)
    ]
    return render(
        request,
        "articles/mandatory_list.html",
        {"rows": rows, "unread_count": len(articles) - len(read), "show_unread": show_unread},
    )


@require_POST
def article_acknowledge_view(request, pk):
    article = get_object_or_404(Article.objects.published(), pk=pk, mandatory=True)
    article_acknowledge(article=article, user=request.user)
    return redirect(article)


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
