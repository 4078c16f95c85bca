"""Writes of the expert app beyond the admin's own saving."""

from articles.models import Article
from search.services import search_index_articles


def companion_changed(*, article_ids):
    """A profile or a journey map of these articles changed: it is their
    content, so «обновлено» moves and search finds the new words (in the
    caller's transaction: a rolled back edit leaves no trace)."""
    article_ids = sorted({pk for pk in article_ids if pk})
    if not article_ids:
        return
    for article in Article.all_objects.filter(pk__in=article_ids).only("id", "updated_at"):
        article.content_changed()
    search_index_articles(article_ids=article_ids)
