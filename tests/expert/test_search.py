"""Search finds profiles and journey maps by their own fields."""

from articles.models import Article
from expert.companions import journey_texts, profile_texts
from search.services import search_index_articles
from tests.expert.factories import make_journey, make_profile, make_route
from tests.search.factories import titles


def _indexed(*articles):
    search_index_articles(article_ids=[article.pk for article in articles])


def test_search_finds_a_journey_map_by_a_pain_point(staff_client, db):
    route = make_journey(
        make_route(title="Путь клиента с инвалидностью"),
        feelings=((0, -2),),
        pains={2: "Нет пандуса у крыльца"},
    )
    other = make_journey(make_route(title="Путь студента"), feelings=((1,),))
    _indexed(route, other)
    response = staff_client.get("/search/", {"q": "пандус"})
    assert titles(response) == ["Путь клиента с инвалидностью"]


def test_search_finds_a_profile_by_its_pains_and_its_group(staff_client, db):
    profile = make_profile(client_group="pre_retirement", pains="<p>Мелкий шрифт в договорах</p>")
    profile.article.title = "Профиль: опытные соискатели"
    profile.article.save()
    _indexed(profile.article)
    assert titles(staff_client.get("/search/", {"q": "шрифт"})) == ["Профиль: опытные соискатели"]
    # The group's name from the reference list counts too.
    assert titles(staff_client.get("/search/", {"q": "предпенсионер"})) == [
        "Профиль: опытные соискатели"
    ]


def test_texts_are_read_in_one_query_for_many_articles(db, django_assert_num_queries):
    routes = [make_journey(feelings=((1, -1), (0,))) for _ in range(5)]
    profiles = [make_profile() for _ in range(5)]
    with django_assert_num_queries(1):
        found = journey_texts(article_ids=[route.pk for route in routes])
    assert set(found) == {route.pk for route in routes}
    assert "Клиент делает шаг 2" in found[routes[0].pk]
    assert "Этап 2" in found[routes[0].pk]
    with django_assert_num_queries(1):
        found = profile_texts(article_ids=[p.article_id for p in profiles])
    assert "Не знают, с чего начать поиск работы." in found[profiles[0].article_id]
    assert "<" not in found[profiles[0].article_id]  # text, not markup


def test_the_article_kinds_are_registered():
    from articles import companions

    assert companions._TEXTS[Article.Kind.PROFILE] is profile_texts
    assert companions._TEXTS[Article.Kind.ROUTE] is journey_texts
