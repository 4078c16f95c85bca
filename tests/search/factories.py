"""Articles made the way the app makes them, then indexed as the app does."""

from search.services import search_index_articles
from tests.factories import make_article


def make_indexed(section=None, *, tags=(), **fields):
    """An article with its tags, indexed (what the admin's save does)."""
    article = make_article(section, **fields)
    if tags:
        article.tags.add(*tags)
    search_index_articles(article_ids=[article.pk])
    return article


def titles(response):
    """The titles of the results on the page, in order."""
    return [result.article.title for result in response.context["page"]]


def docx_with_text(*paragraphs):
    """A real (minimal) Word document whose paragraphs hold ``paragraphs``."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    namespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>" for text in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(
            "word/document.xml",
            f'<w:document xmlns:w="{namespace}"><w:body>{body}</w:body></w:document>',
        )
    return buffer.getvalue()
