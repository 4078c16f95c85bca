"""Builders of profiles and journey maps for the expert app's tests."""

import itertools

from articles.models import Article
from expert.models import ClientGroupProfile, JourneyStage, JourneyStep
from tests.factories import make_article, make_section

_seq = itertools.count(1)


def make_profile(article=None, *, client_group="youth", linked=(), **fields):
    """A profile article (made when not given) with its profile."""
    if article is None:
        n = next(_seq)
        article = make_article(
            make_section(), title=f"Профиль {n}", slug=f"profil-{n}", kind=Article.Kind.PROFILE
        )
    fields.setdefault("who", "<p>Студенты и выпускники колледжей.</p>")
    fields.setdefault("pains", "<ul><li>Не знают, с чего начать поиск работы.</li></ul>")
    profile = ClientGroupProfile.objects.create(
        article=article, client_group=client_group, **fields
    )
    profile.linked_articles.add(*linked)
    return profile


def make_route(section=None, **extra):
    n = next(_seq)
    extra.setdefault("title", f"Маршрут {n}")
    extra.setdefault("slug", f"marshrut-{n}")
    return make_article(section or make_section(), kind=Article.Kind.ROUTE, **extra)


def make_journey(article=None, *, feelings=((1, -1), (-2, 0), (2,)), pains=None):
    """A journey map of ``article`` (a new route when None): one stage per
    tuple of ``feelings``, one step per feeling. ``pains``: {step number:
    pain text} (steps numbered from 1 through the stages)."""
    article = article or make_route()
    pains = pains or {}
    number = 0
    for position, stage_feelings in enumerate(feelings, start=1):
        stage = JourneyStage.objects.create(
            article=article, order=position, title=f"Этап {position}"
        )
        JourneyStep.objects.bulk_create(
            JourneyStep(
                stage=stage,
                order=i,
                client_action=f"Клиент делает шаг {number + i}",
                feeling=feeling,
                pain_points=pains.get(number + i, ""),
                our_action="Специалист помогает",
            )
            for i, feeling in enumerate(stage_feelings, start=1)
        )
        number += len(stage_feelings)
    return article
