from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from articles.models import Article
from articles.selectors import section_tree, with_sections
from notifications.feeds import feed_user
from updates.forms import NewsFilterForm
from updates.selectors import feed_articles, news_articles

PAGE_SIZE = 20


@require_GET
def news_list(request):
    """«Что нового»: published and substantively updated articles, newest
    first, by section (with its subsections) and kind. A wrong filter value
    is named on the page and left out."""
    tree = section_tree(request)
    form = NewsFilterForm(request.GET, tree=tree)
    filters = form.filters()
    section_ids = tree.descendant_ids(filters["section"]) if filters["section"] else None
    articles = news_articles(section_ids=section_ids, kind=filters["kind"])
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_sections(page.object_list, tree)
    return render(
        request,
        "updates/news_list.html",
        {"form": form, "filters": filters, "page": page},
    )


class PersonalFeed(Feed):
    """A person's private Atom feed: what they follow and what is mandatory
    for them. Every text is escaped before it goes into the feed's HTML
    summary, so nothing from an article can become markup in a reader."""

    feed_type = Atom1Feed

    def get_object(self, request, token):
        user = feed_user(token)
        if user is None:
            raise Http404
        return user

    def title(self, user):
        return _("База знаний СЗН: что нового для %(name)s") % {
            "name": user.get_full_name() or user.get_username()
        }

    def subtitle(self, user):
        return _("Новое и изменённое в том, за чем вы следите, и обязательные документы.")

    def link(self, user):
        return reverse("updates:news")

    def items(self, user):
        tree = section_tree()
        return with_sections(feed_articles(user=user, tree=tree), tree)

    def item_title(self, article):
        if article.update_at and article.update_at >= article.news_at:
            return _("Изменено: %(title)s") % {"title": article.title}
        return article.title

    def item_description(self, article):
        parts = []
        if article.update_summary and article.update_at and article.update_at >= article.news_at:
            parts.append(_("Что изменилось: %(summary)s") % {"summary": article.update_summary})
        if article.summary:
            parts.append(article.summary)
        parts.append(str(Article.Kind(article.kind).label))
        return "".join(linebreaks(escape(part)) for part in parts)

    def item_link(self, article):
        return reverse(
            "articles:article",
            kwargs={"section_slug": article.section.slug, "slug": article.slug},
        )

    def item_guid(self, article):
        return f"kb-article-{article.pk}-{article.news_at:%Y%m%d%H%M%S}"

    def item_guid_is_permalink(self, article):
        return False

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.news_at


news_feed = login_not_required(PersonalFeed())
