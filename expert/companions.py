"""The profile's and the journey map's blocks on the article page, and the
words search finds them by (registered in ExpertConfig.ready through
articles.companions)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from expert import selectors
from expert.models import ClientGroupProfile, JourneyStage
from expert.svg import emotion_curve
from people.roles import EDITOR, has_role
from search.services import html_to_text


def _may_add(user):
    """Editors add companions (administrators only look): the hint is theirs."""
    return has_role(user, EDITOR)


def profile_block(*, request, article):
    """A profile with its group's live figures; for editors, a hint when the
    article has no profile yet; None for everyone else then."""
    profile = selectors.profile_of(article=article, user=request.user)
    if profile is None:
        if _may_add(request.user):
            return {"template": "expert/includes/profile_missing.html"}
        return None
    figures = selectors.profile_figures(client_group=profile.client_group)
    return {
        "template": "expert/includes/profile.html",
        "profile": profile,
        "figures": figures,
        "dashboard_url": figures.dashboard_url(),
        # Each topic opens the dashboard's comments of the group with it.
        "complaints": [(row, figures.comments_url(row.topic_id)) for row in figures.complaints],
        "linked": list(profile.linked_articles.all()),
    }


def journey_block(*, request, article):
    """The journey map: stages as columns, the emotion curve, pain points."""
    journey = selectors.journey_of(article=article)
    if journey is None:
        if _may_add(request.user):
            return {"template": "expert/includes/journey_missing.html"}
        return None
    return {
        "template": "expert/includes/journey.html",
        "journey": journey,
        "curve": emotion_curve(
            journey, title=_("Кривая эмоций клиента: %(title)s") % {"title": article.title}
        ),
        "page_address": request.build_absolute_uri(article.get_absolute_url()),
        "printed_on": timezone.localdate(),
    }


def profile_texts(*, article_ids):
    """{article id: the profile's words} for search (one query)."""
    found = {}
    rows = ClientGroupProfile.objects.filter(article_id__in=article_ids).only(
        "article_id", "client_group", *ClientGroupProfile.RICH_FIELDS
    )
    for profile in rows:
        lines = [str(profile.get_client_group_display())]
        lines += [html_to_text(getattr(profile, name)) for name in ClientGroupProfile.RICH_FIELDS]
        found[profile.article_id] = "\n".join(line for line in lines if line)
    return found


STEP_TEXT_FIELDS = (
    "steps__client_action",
    "steps__touchpoint",
    "steps__feeling_note",
    "steps__pain_points",
    "steps__our_action",
    "steps__responsible",
)


def journey_texts(*, article_ids):
    """{article id: the journey's stages and steps in words} for search (one query)."""
    found = {}
    rows = (
        JourneyStage.objects.filter(article_id__in=article_ids)
        .order_by("article_id", "order", "id", "steps__order", "steps__id")
        .values_list("article_id", "id", "title", "description", *STEP_TEXT_FIELDS)
    )
    seen_stages = set()
    for article_id, stage_id, title, description, *step in rows:
        lines = found.setdefault(article_id, [])
        if stage_id not in seen_stages:
            seen_stages.add(stage_id)
            lines += [title, description]
        lines += [value for value in step if value]
    return {pk: "\n".join(line for line in lines if line) for pk, lines in found.items()}
