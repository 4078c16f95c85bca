"""«Следить»: a person follows a section (with its subsections) or an
article, and is told when something they follow is published or changes in
substance (``articles.services.article_update_record``)."""

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext

from articles.models import Article, Section
from notifications.models import Kind, Subscription
from notifications.services import notification_send

NOTIFY_BATCH = 500


def followed_section_ids_above(section):
    """The ids of ``section`` and its ancestors: following any of them is
    following ``section``."""
    return list(
        Section.objects.filter(
            tree_id=section.tree_id, lft__lte=section.lft, rght__gte=section.rght
        ).values_list("pk", flat=True)
    )


def follower_ids(*, article, exclude=None):
    """Ids of the active people who follow ``article`` or a section above it,
    streamed in id order, each once."""
    sections = followed_section_ids_above(article.section)
    ids = (
        Subscription.objects.filter(Q(article=article) | Q(section_id__in=sections))
        .filter(user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    if exclude is not None:
        ids = ids.exclude(user_id=exclude.pk)
    return ids.iterator(chunk_size=2000)


def followers_notify(*, article, update=None, by=None):
    """Tell the followers of ``article`` that it was published (``update``
    None) or changed in substance (``update``, an ``ArticleUpdate``), in
    batches of NOTIFY_BATCH; never the editor who did it. Returns how many
    were told."""
    if update is None:
        text = gettext("Новый материал в разделе «%(section)s»: «%(title)s».") % {
            "section": article.section.title,
            "title": article.title,
        }
    else:
        text = gettext("Материал «%(title)s» изменён. Что изменилось: %(summary)s") % {
            "title": article.title,
            "summary": update.summary,
        }
    told, batch = 0, []
    url = article.get_absolute_url()

    def flush():
        return notification_send(
            recipients=batch, kind=Kind.SUBSCRIPTION, text=text, url=url, target=article
        )

    for user_id in follower_ids(article=article, exclude=by):
        batch.append(user_id)
        if len(batch) >= NOTIFY_BATCH:
            told += flush()
            batch = []
    if batch:
        told += flush()
    return told


def subscription_follow(*, user, section=None, article=None):
    """``user`` follows ``section`` or ``article`` (exactly one). Following
    twice is harmless. Returns the subscription."""
    if (section is None) == (article is None):
        raise ValueError("Follow a section or an article, not both or neither.")
    lookup = {"section": section} if section is not None else {"article": article}
    try:
        with transaction.atomic():
            subscription, _created = Subscription.objects.get_or_create(user=user, **lookup)
    except IntegrityError:  # a double click raced us
        subscription = Subscription.objects.get(user=user, **lookup)
    return subscription


def subscription_unfollow(*, user, section=None, article=None, pk=None):
    """``user`` stops following; another person's subscription is never
    touched. Returns how many were removed (0 or 1)."""
    mine = Subscription.objects.filter(user=user)
    if pk is not None:
        mine = mine.filter(pk=pk)
    elif section is not None:
        mine = mine.filter(section=section)
    elif article is not None:
        mine = mine.filter(article=article)
    else:
        return 0
    return mine.delete()[0]


def subscriptions_of(*, user):
    """``user``'s subscriptions with what they follow, for «Мои подписки»
    (one query)."""
    return list(
        Subscription.objects.filter(user=user)
        .filter(Q(section__isnull=True) | Q(section__deleted_at__isnull=True))
        .filter(Q(article__isnull=True) | Q(article__deleted_at__isnull=True))
        .select_related("section", "article", "article__section")
        .only(
            "id",
            "created_at",
            "section__title",
            "section__slug",
            "article__title",
            "article__slug",
            "article__section__slug",
        )
        .order_by("-created_at", "-id")
    )


def visible_article(*, user, pk):
    return Article.objects.visible_to(user).filter(pk=pk).select_related("section").first()


def with_follow_state(sections, *, user):
    """``sections`` annotated with ``followed`` (``user`` follows it) and
    ``followed_above`` (``user`` follows a section above it), in the same
    query."""
    mine = Subscription.objects.filter(user_id=user.pk)
    return sections.annotate(
        followed=Exists(mine.filter(section=OuterRef("pk"))),
        followed_above=Exists(
            mine.filter(
                section__tree_id=OuterRef("tree_id"),
                section__lft__lt=OuterRef("lft"),
                section__rght__gt=OuterRef("rght"),
            )
        ),
    )
