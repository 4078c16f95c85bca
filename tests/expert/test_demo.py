"""The demo: a profile for every client group of the feedback data, and the
source's journey maps on the demo's own route articles."""

import pytest
from django.contrib.auth.models import User

from articles.models import Article
from expert.demo import JOURNEYS, seed_expert
from expert.models import ClientGroupProfile, JourneyStage, JourneyStep
from feedback.models import ClientGroup, FeedbackResponse
from kb_portal.demo import seed_demo

SOURCE_MAPS = {
    "marshrut-uchastnika-svo": "Участник СВО",
    "marshrut-chlenov-semej-mobilizovannyh": "Семьи мобилизованных",
    "put-klienta-studenta": "Путь клиента-студента",
    "put-klienta-zhenshchiny-s-detmi": "Женщина с детьми",
    "put-klienta-s-invalidnostyu": "Инвалид",
}


@pytest.fixture(autouse=True)
def _april():
    """The real day: the demo's answers are dated back from it."""


@pytest.fixture
def demo(db):
    seed_demo()


def _every_client_group_of_the_feedback_has_a_profile():
    groups_in_feedback = set(FeedbackResponse.objects.values_list("client_group", flat=True))
    assert groups_in_feedback == set(ClientGroup.values)
    profiles = ClientGroupProfile.objects.select_related("article")
    assert {p.client_group for p in profiles} == groups_in_feedback
    for profile in profiles:
        assert profile.article.kind == Article.Kind.PROFILE
        assert profile.article.is_published
        assert all(text for _heading, text in profile.sections), profile
        assert len(profile.sections) == len(ClientGroupProfile.RICH_FIELDS)
    # Attached to the demo's articles, not new ones beside them: one each.
    assert Article.objects.filter(kind=Article.Kind.PROFILE).count() == profiles.count()


def _the_sources_journey_maps_are_on_the_demo_routes():
    assert set(JOURNEYS) == set(SOURCE_MAPS)
    for slug in SOURCE_MAPS:
        stages = JourneyStage.objects.filter(article__slug=slug)
        assert 4 <= stages.count() <= 6, slug
        steps = JourneyStep.objects.filter(stage__article__slug=slug)
        assert steps.count() >= stages.count()
        feelings = set(steps.values_list("feeling", flat=True))
        assert min(feelings) < 0 < max(feelings), slug  # a curve, not a line
        assert steps.exclude(pain_points="").exists(), slug


def _a_second_run_creates_nothing():
    counts = (
        ClientGroupProfile.objects.count(),
        JourneyStage.objects.count(),
        JourneyStep.objects.count(),
    )
    assert seed_expert() == {"expert": 0}
    assert counts == (
        ClientGroupProfile.objects.count(),
        JourneyStage.objects.count(),
        JourneyStep.objects.count(),
    )


def _the_demo_pages_show_live_figures_and_maps(client):
    client.force_login(User.objects.get(username="sotrudnik"))
    for profile in ClientGroupProfile.objects.select_related("article__section"):
        response = client.get(profile.article.get_absolute_url())
        figures = response.context["companion"]["figures"]
        assert figures.cx.responses > 0, profile.client_group
        assert figures.cx.value is not None
    route = Article.objects.get(slug="marshrut-uchastnika-svo")
    html = client.get(route.get_absolute_url()).content.decode()
    assert "journey-curve__svg" in html and "персональный координатор" in html


def _search_finds_a_demo_journey_by_a_pain_point(client):
    client.force_login(User.objects.get(username="sotrudnik"))
    response = client.get("/search/", {"q": "пандуса"})
    titles = [result.article.title for result in response.context["page"]]
    assert "Путь клиента с инвалидностью" in titles


# Seeding takes a while: each test seeds once and checks several things.
def test_demo_profiles_and_journey_maps(demo):
    _every_client_group_of_the_feedback_has_a_profile()
    _the_sources_journey_maps_are_on_the_demo_routes()
    _a_second_run_creates_nothing()


def test_demo_pages_and_search(demo, client):
    _the_demo_pages_show_live_figures_and_maps(client)
    _search_finds_a_demo_journey_by_a_pain_point(client)
