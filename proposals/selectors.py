"""Reads: who may see and decide proposals, the lists, the review page's data."""

from django.db.models import Count, Q
from django.http import Http404

from articles.models import Article, Section
from articles.selectors import section_tree
from people.roles import is_editor
from proposals.diff import fields_diff
from proposals.models import Proposal

DESK_LIMIT = 50
LIST_COLUMNS = (
    "id",
    "title",
    "status",
    "submitted_at",
    "created_at",
    "decided_at",
    "editor_comment",
    "article_id",
    "section_id",
    "author_id",
    "base_version",
    "article__id",
    "article__title",
    "article__slug",
    "article__version",
    "article__section__id",
    "article__section__slug",
    "section__id",
    "section__title",
    "section__slug",
    "author__id",
    "author__first_name",
    "author__last_name",
    "author__username",
)


def can_decide(user):
    """Editors accept, return and reject proposals."""
    return is_editor(user)


def visible_proposals(user):
    """Proposals ``user`` may open: their own, those on articles they own, and
    every one for editors."""
    proposals = Proposal.objects.all()
    if is_editor(user):
        return proposals
    return proposals.filter(Q(author=user) | Q(article__owner=user))


def proposal_for(*, user, pk):
    """The proposal ``pk`` as ``user`` may see it, or 404 (never 403: a
    proposal's existence is private too)."""
    proposal = (
        visible_proposals(user)
        .select_related(
            "article__section",
            "article__owner",
            "section",
            "author__profile__office",
            "decided_by",
            "created_article__section",
        )
        .filter(pk=pk)
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def article_for_proposal(*, user, pk):
    """A live article ``user`` may see, with its section (404 otherwise)."""
    article = Article.objects.visible_to(user).select_related("section").filter(pk=pk).first()
    if article is None or article.section.deleted_at is not None:
        raise Http404
    return article


def section_is_live(section):
    """Neither ``section`` nor any section above it is in the trash."""
    if section.deleted_at is not None:
        return False
    return not Section.all_objects.filter(
        tree_id=section.tree_id,
        lft__lt=section.lft,
        rght__gt=section.rght,
        deleted_at__isnull=False,
    ).exists()


def section_for_proposal(*, request, pk):
    """A live section whose ancestors are live too (404 otherwise). The cached
    tree holds only such sections, and the sidebar reads it anyway."""
    section = Section.objects.filter(pk=pk).first()
    if section is None or section.pk not in section_tree(request).by_id:
        raise Http404
    return section


def _list(queryset):
    return queryset.select_related("article__section", "section", "author").only(*LIST_COLUMNS)


def my_proposals(*, user):
    return list(_list(Proposal.objects.filter(author=user)).order_by("-submitted_at", "-pk"))


def queue(*, status):
    """The editors' queue filtered by ``status`` ('' for all), and the count
    of every status (two queries whatever the numbers)."""
    proposals = Proposal.objects.all()
    if status:
        proposals = proposals.filter(status=status)
    counts = dict(Proposal.objects.values_list("status").annotate(n=Count("id")).order_by())
    return _list(proposals).order_by("-submitted_at", "-pk"), counts


def pending_for_owner(*, user, limit=DESK_LIMIT):
    """Pending proposals on live articles ``user`` owns, oldest first: one query."""
    return list(
        _list(
            Proposal.objects.filter(
                status=Proposal.Status.PENDING,
                article__owner=user,
                article__deleted_at__isnull=True,
            )
        ).order_by("submitted_at", "pk")[:limit]
    )


def can_see_article(user, article):
    """Whether ``user`` may read ``article`` now, from the loaded row and its
    section (no query): the author of a proposal on an article that has
    since gone back to draft or to the trash must not read its new text."""
    if article.deleted_at is not None or article.section.deleted_at is not None:
        return False
    return is_editor(user) or article.status in {
        Article.Status.PUBLISHED,
        Article.Status.ARCHIVED,
    }


def review_data(proposal, *, user):
    """What the review page compares: the proposal against the article as it
    is now, and, when the article moved on since the proposal was made, what
    changed in it since (from history). Nothing of the article for someone
    who may no longer see it."""
    if not proposal.is_edit or not can_see_article(user, proposal.article):
        return {"diff": None, "stale": False, "since_base": None}
    article = proposal.article
    stale = proposal.is_open and article.version != proposal.base_version
    since_base = None
    if stale:
        base = article.history.filter(version=proposal.base_version).order_by("-history_id").first()
        if base is not None:
            since_base = [row for row in fields_diff(base, article) if row["changed"]]
    return {"diff": fields_diff(article, proposal), "stale": stale, "since_base": since_base}
