from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from algorithms.models import walk_url
from algorithms.selectors import algorithm_tree, path_parse, result_articles, tree_walk
from algorithms.services import node_view_count
from articles.models import Article
from articles.selectors import section_tree


@require_GET
def walk(request, article_id, path=""):
    """«Мастер»: the algorithm one question at a time along the answers in
    the address, to a result with its checklist. A path that is not one of
    this tree gets a page saying so (404), never an error."""
    article = get_object_or_404(
        Article.objects.visible_to(request.user)
        .filter(kind=Article.Kind.ALGORITHM)
        .select_related("section", "owner"),
        pk=article_id,
    )
    if article.section.deleted_at is not None:
        raise Http404
    tree = algorithm_tree(article=article)
    if tree.start is None:
        raise Http404
    walk = tree_walk(tree, path_parse(path))
    node = walk.node
    if not walk.error and article.is_published:
        node_view_count(node=node)
    context = {
        "article": article,
        "walk": walk,
        "node": node,
        "links": result_articles(node=node, user=request.user) if node.is_result else (),
        "crumbs": [*section_tree(request).ancestors(article.section_id), article],
        "resume_url": walk_url(article.pk, walk.path),
        "current_section_id": article.section_id,
        "printed_on": timezone.localdate(),
        "page_address": request.build_absolute_uri(),
    }
    return render(request, "algorithms/walk.html", context, status=404 if walk.error else 200)
