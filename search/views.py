from django.shortcuts import get_object_or_404, redirect, render

from articles.models import Article
from articles.selectors import section_tree
from people.roles import is_editor
from search.forms import SearchForm
from search.selectors import search_articles
from search.services import search_click_log, search_log


def results(request):
    form = SearchForm(request.GET, may_see_drafts=is_editor(request.user))
    query = form.query()
    tree = section_tree(request)
    section_id = form.value("section")
    if section_id not in tree.by_id:
        section_id = None
    found = search_articles(
        query=query,
        filters=form.filters(),
        section_id=section_id,
        tree=tree,
        page_number=request.GET.get("page"),
    )
    log = None
    if found.words:
        log = search_log(
            query=" ".join(query.lower().replace("ё", "е").split()),
            filters=form.active(),
            results=found.total,
            user=request.user,
            page=found.page.number,
            corrected=found.suggestion,
        )
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "query": query,
            "site_search_query": query,  # the header's search box (base.html)
            "found": found,
            "page": found.page,
            "log": log,
            "section_id": section_id,
            "active_filters": form.active(),
        },
    )


def click(request, search_id, article_id):
    """Count that a result was opened, then open it."""
    article = get_object_or_404(
        Article.objects.visible_to(request.user).select_related("section"), pk=article_id
    )
    position = request.GET.get("pos", "")
    search_click_log(
        search_id=search_id,
        article=article,
        position=min(int(position), 100_000) if position.isascii() and position.isdigit() else 0,
    )
    return redirect(article)
