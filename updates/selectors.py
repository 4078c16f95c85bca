"""«Что нового»: published articles and their substantive updates, newest first."""

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest

from articles.mandatory import mandatory_for
from articles.models import Article, ArticleUpdate
from notifications.models import Subscription


def news_articles(*, section_ids=None, kind=None, article_ids=None, since=None, extra=()):
    """Published articles, each with its latest substantive update
    (``update_at``, ``update_summary``; None without one) and ``news_at``,
    the later of its publication and that update: ordered by it, newest
    first. ``section_ids``/``kind``/``article_ids`` narrow the list;
    ``since`` keeps what happened after it; ``extra`` columns are loaded
    beside a card's."""
    latest = ArticleUpdate.objects.filter(article=OuterRef("pk")).order_by("-at", "-id")
    articles = Article.objects.published()
    if section_ids is not None or article_ids is not None:
        wanted = Q(pk__in=[])
        if section_ids is not None:
            wanted |= Q(section_id__in=section_ids)
        if article_ids is not None:
            wanted |= Q(pk__in=article_ids)
        articles = articles.filter(wanted)
    if kind:
        articles = articles.filter(kind=kind)
    published = Coalesce("published_at", "updated_at")
    articles = articles.annotate(
        update_at=Subquery(latest.values("at")[:1]),
        update_summary=Subquery(latest.values("summary")[:1]),
    ).annotate(news_at=Greatest(published, Coalesce("update_at", published)))
    if since is not None:
        articles = articles.filter(news_at__gt=since)
    return articles.for_cards(*extra).order_by("-news_at", "-id")


def followed_scope(*, user, tree):
    """What ``user`` follows: (ids of the followed sections and every live
    section below them, ids of the followed articles). One query."""
    section_ids, article_ids = set(), set()
    rows = Subscription.objects.filter(user=user).values_list("section_id", "article_id")
    for section_id, article_id in rows:
        if section_id is not None:
            section_ids.update(tree.descendant_ids(section_id))
        else:
            article_ids.add(article_id)
    return section_ids, article_ids


FEED_SIZE = 50


def feed_articles(*, user, tree, limit=FEED_SIZE):
    """The person's feed: what they follow and the mandatory documents for
    them, newest first (two queries)."""
    section_ids, article_ids = followed_scope(user=user, tree=tree)
    articles = news_articles().filter(
        Q(section_id__in=section_ids)
        | Q(pk__in=article_ids)
        | Q(pk__in=mandatory_for(user).values("pk"))
    )
    return articles[:limit]
