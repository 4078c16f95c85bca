"""Typed companions of the structured kinds on the article page.

A profile of a client group, a client journey map and a service algorithm
are still `Article`s (search, history, trash, targeting, proposals and
mandatory reading keep working), with their structured part in the app that
owns it. Such an app registers, in its ``AppConfig.ready``, a loader for its
kind: ``loader(*, request, article)`` returns the context of its block on
the article page (a dict with ``template``, the template to include) or
None when the article has no companion yet. Articles of the other kinds pay
nothing: no loader, no query.

The app may also register ``texts(*, article_ids)`` returning
{article id: plain text} of its structured fields, which search indexes
with the article's body (`search.services`), so that a profile's «боли» or
an algorithm's answers are found like the rest of the article.
"""

_LOADERS = {}
_TEXTS = {}


def companion_register(*, kind, loader, texts=None):
    """Make ``loader`` give the article page's block for articles of ``kind``
    and ``texts`` the words search finds them by."""
    _LOADERS[kind] = loader
    if texts is not None:
        _TEXTS[kind] = texts


def companion_texts(*, articles):
    """{article id: text} of the companions of ``articles`` (one call per
    registered kind among them, none for the other kinds)."""
    by_kind = {}
    for article in articles:
        if article.kind in _TEXTS:
            by_kind.setdefault(article.kind, []).append(article.pk)
    found = {}
    for kind, ids in by_kind.items():
        found.update(_TEXTS[kind](article_ids=ids))
    return found


def companion_context(*, request, article):
    """The block of ``article``'s companion (a dict with ``template``) or None."""
    loader = _LOADERS.get(article.kind)
    if loader is None:
        return None
    return loader(request=request, article=article)
