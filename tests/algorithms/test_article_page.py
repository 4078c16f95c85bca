"""The algorithm on its article page (articles.companions): a start button
and the first question; and search finds the algorithm by its tree."""

import pytest

from algorithms.models import DecisionAnswer, DecisionNode
from articles.models import Article
from search.services import search_index_articles
from tests.algorithms.factories import answer, build_tree, make_algorithm
from tests.factories import make_article, make_section
from tests.search.factories import titles

pytestmark = pytest.mark.django_db


def test_the_page_offers_the_wizard_and_the_first_question(staff_client):
    article = make_algorithm()
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert f'<a class="button" href="/algorithms/{article.pk}/walk/">Пройти алгоритм</a>' in page
    assert "<strong>Гражданин достиг пенсионного возраста?</strong>" in page
    no = answer(article, "В1", "Нет")
    assert f'<a href="/algorithms/{article.pk}/walk/{no.pk}/">Нет</a>' in page


def test_editors_get_a_link_to_the_tree(editor_client):
    article = make_algorithm()
    page = editor_client.get(article.get_absolute_url()).content.decode()
    assert f'href="/admin/algorithms/algorithm/{article.pk}/change/"' in page


def test_an_algorithm_without_nodes_shows_nothing_extra(staff_client):
    article = make_algorithm(tree=False)
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert "Пройти алгоритм" not in page
    assert "algorithm-start" not in page


def test_an_algorithm_that_is_one_result_offers_the_wizard_only(staff_client):
    article = make_algorithm(tree=False)
    build_tree(article, [("И1", "result", "Принять заявление очно", True)], [])
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert "Пройти алгоритм" in page
    assert "Ответы на первый вопрос" not in page


def test_other_kinds_have_no_block_even_with_nodes(staff_client):
    article = make_article(kind=Article.Kind.STANDARD)
    build_tree(article)
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert "Пройти алгоритм" not in page


def test_search_finds_an_algorithm_by_its_answers_steps_and_documents(client_for, staff):
    section = make_section()
    article = make_algorithm(section, title="Подбор мер поддержки работодателю")
    DecisionNode.objects.filter(article=article, code="И2").update(
        steps="Проверить сведения о квотировании рабочих мест", documents="Выписка из ЕГРЮЛ"
    )
    DecisionAnswer.objects.filter(article=article, label="Да").update(label="Стажировка молодёжи")
    make_article(section, title="Памятка о вежливости", kind=Article.Kind.STANDARD)
    search_index_articles(article_ids=list(Article.objects.values_list("pk", flat=True)))
    client = client_for(staff)
    for query in ["квотирование", "ЕГРЮЛ", "стажировка", "пенсионного возраста"]:
        assert titles(client.get("/search/", {"q": query})) == [article.title], query
