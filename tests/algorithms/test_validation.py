"""algorithm_validate: the whole tree checked, each problem in Russian words
naming the node."""

import pytest

from algorithms.models import DecisionAnswer, DecisionNode
from algorithms.services import algorithm_validate
from articles.models import Article
from tests.algorithms.factories import ANSWERS, NODES, answer, build_tree, chain, make_algorithm
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def _algorithm(nodes=NODES, answers=ANSWERS):
    article = make_algorithm(tree=False)
    build_tree(article, nodes, answers)
    return article


def test_a_whole_tree_has_no_problems():
    assert algorithm_validate(article=make_algorithm()) == []
    nodes, answers = chain(12)
    assert algorithm_validate(article=_algorithm(nodes, answers)) == []


def test_an_algorithm_without_nodes_has_no_problems():
    assert algorithm_validate(article=make_algorithm(tree=False)) == []


def test_a_cycle_is_named_node_by_node():
    article = make_algorithm()
    DecisionAnswer.objects.filter(pk=answer(article, "В2", "Нет").pk).update(
        to_node=DecisionNode.objects.get(article=article, code="В1")
    )
    problems = algorithm_validate(article=article)
    assert (
        "В алгоритме цикл: В1 → В2 → В1. Ответы должны вести только вперёд — к следующим "
        "вопросам и итогам." in problems
    )


def test_an_answer_to_itself_is_a_cycle():
    nodes = [("В1", "question", "Есть паспорт?", True), ("И1", "result", "Принять", False)]
    problems = algorithm_validate(
        article=_algorithm(nodes, [("В1", "Да", "И1"), ("В1", "Нет", "В1")])
    )
    assert any("цикл: В1 → В1" in problem for problem in problems)


def test_a_question_without_answers_is_a_dead_end():
    article = make_algorithm()
    DecisionAnswer.objects.filter(from_node__code="В2").delete()
    problems = algorithm_validate(article=article)
    assert (
        "Вопрос В2 «Есть подтверждённая учётная запись на Госуслугах?» — тупик: у него нет ни "
        "одного ответа. Добавьте ответы или сделайте узел итогом." in problems
    )
    # И2 and И3 are now out of reach, and said so.
    assert any(p.startswith("До узлов И2 «") and "И3 «" in p for p in problems)


def test_an_answer_leading_nowhere():
    article = make_algorithm()
    DecisionNode.objects.filter(article=article, code="И3").delete()  # SET_NULL on the answer
    assert algorithm_validate(article=article) == [
        "Ответ «Нет» на вопрос В2 «Есть подтверждённая учётная запись на Госуслугах?» никуда "
        "не ведёт: укажите код узла, к которому он ведёт."
    ]


def test_two_starts():
    article = make_algorithm()
    DecisionNode.objects.filter(article=article, code="В2").update(is_start=True)
    assert algorithm_validate(article=article) == [
        "Начало у алгоритма одно, а отмечено несколько узлов: В1, В2."
    ]


def test_no_start():
    article = make_algorithm()
    DecisionNode.objects.filter(article=article).update(is_start=False)
    assert algorithm_validate(article=article) == [
        "Не отмечено начало: отметьте «начало» у узла, с которого начинается алгоритм."
    ]


def test_unreachable_nodes_are_reported():
    nodes = [*NODES, ("И9", "result", "Забытый итог", False)]
    problems = algorithm_validate(article=_algorithm(nodes))
    assert problems == [
        "До узлов И9 «Забытый итог» не дойти от начала: ни один путь ответов к ним не ведёт. "
        "Свяжите их ответами или удалите."
    ]


def test_a_result_with_answers():
    article = make_algorithm()
    DecisionNode.objects.filter(article=article, code="В2").update(kind="result")
    problems = algorithm_validate(article=article)
    assert problems[0].startswith(
        "Узел В2 «Есть подтверждённая учётная запись на Госуслугах?» — итог"
    )


def test_the_same_answer_twice():
    answers = [*ANSWERS, ("В2", "да ", "И3")]
    problems = algorithm_validate(article=_algorithm(answers=answers))
    assert problems == [
        "У вопроса В2 «Есть подтверждённая учётная запись на Госуслугах?» два ответа «да »."
    ]


def test_an_answer_tied_to_another_algorithm():
    article = make_algorithm()
    other = make_algorithm(slug="drugoj")
    stray = DecisionNode.objects.get(article=other, code="И1")
    DecisionAnswer.objects.filter(pk=answer(article, "В1", "Да").pk).update(to_node=stray)
    problems = algorithm_validate(article=article)
    assert "Ответ «Да» связан с узлом другого алгоритма." in problems


def test_other_kinds_are_articles_with_no_tree():
    assert algorithm_validate(article=make_article(kind=Article.Kind.DOCUMENT)) == []
