"""«Мастер»: one question at a time along the answers in the address, back
and restart, the path so far, a result as a checklist; a path that is not
one of the tree gets a Russian page, never an error."""

import pytest
from django.utils import timezone

from algorithms.models import DecisionAnswer, DecisionNode, NodeViewDay
from articles.models import Article
from tests.algorithms.factories import answer, build_tree, make_algorithm
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def _walk(article, *answers):
    if not answers:
        return f"/algorithms/{article.pk}/walk/"
    return f"/algorithms/{article.pk}/walk/{'.'.join(str(x.pk) for x in answers)}/"


@pytest.fixture
def algorithm(db):
    return make_algorithm(make_section("Алгоритмы оказания услуг", slug="algoritmy"))


def test_the_wizard_starts_with_the_first_question(staff_client, algorithm):
    response = staff_client.get(_walk(algorithm))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Гражданин достиг пенсионного возраста?" in page
    assert "Вопрос 1" in page
    yes, no = answer(algorithm, "В1", "Да"), answer(algorithm, "В1", "Нет")
    assert f'href="{_walk(algorithm, yes)}"' in page
    assert f'href="{_walk(algorithm, no)}"' in page
    assert "Пройденный путь" not in page
    assert "← Назад" not in page


def test_an_answer_leads_to_the_next_question_with_the_path_and_back(staff_client, algorithm):
    no = answer(algorithm, "В1", "Нет")
    response = staff_client.get(_walk(algorithm, no))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Есть подтверждённая учётная запись на Госуслугах?" in page
    assert "Вопрос 2" in page
    assert "Пройденный путь" in page
    assert "Гражданин достиг пенсионного возраста?</a> — <strong>Нет</strong>" in page
    assert f'<a href="{_walk(algorithm)}">← Назад</a>' in page
    assert f'<a href="{_walk(algorithm)}">Начать сначала</a>' in page
    assert response.context["walk"].back_url == _walk(algorithm)


def test_a_result_is_a_checklist_to_print(staff_client, algorithm):
    no, yes = answer(algorithm, "В1", "Нет"), answer(algorithm, "В2", "Да")
    response = staff_client.get(_walk(algorithm, no, yes))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Помочь подать заявление на «Работа России»" in page
    assert page.count('type="checkbox"') == 5  # three steps, two documents
    assert "Что сделать" in page and "Какие документы попросить" in page
    assert "<p>Здравствуйте! Сейчас оформим заявление вместе.</p>" in page
    assert (
        '<a href="https://trudvsem.ru/" rel="noopener noreferrer">Заявление на портале</a>' in page
    )
    assert f'<a href="{_walk(algorithm, no)}">← Назад</a>' in page
    # The printout: the address of this step, the day, the dates and the owner.
    assert f"http://testserver{_walk(algorithm, no, yes)}" in page
    assert timezone.localdate().strftime("%Y") in page
    assert "Распечатано" in page and "Алгоритм обновлён" in page
    assert "css/algorithms.css" in page and "js/algorithm-walk.js" in page
    # The ticks are the page's: no form is ever sent.
    assert "method=" not in page.split("data-checklist")[1].split("</form>")[0]


def test_a_result_links_only_to_materials_the_person_may_open(staff_client, algorithm):
    section = make_section()
    standard = make_article(section, title="Стандарт встречи клиента")
    draft = make_article(section, title="Черновик памятки", status=Article.Status.DRAFT)
    node = DecisionNode.objects.get(article=algorithm, code="И1")
    node.articles.add(standard, draft)
    page = staff_client.get(_walk(algorithm, answer(algorithm, "В1", "Да"))).content.decode()
    assert "Стандарт встречи клиента" in page
    assert "Черновик памятки" not in page


@pytest.mark.parametrize("path", ["abc", "0", "12..3", "1.2.", "-1", "9" * 40, "1" + ".1" * 300])
def test_a_garbage_path_gets_a_russian_page(staff_client, algorithm, path):
    response = staff_client.get(f"/algorithms/{algorithm.pk}/walk/{path}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Адрес шага неверен" in page or "Такого пути в этом алгоритме нет" in page
    assert f'href="{_walk(algorithm)}">Начать сначала</a>' in page
    assert not NodeViewDay.objects.exists()


def test_a_path_the_tree_no_longer_has_offers_the_last_step_found(staff_client, algorithm):
    no = answer(algorithm, "В1", "Нет")
    yes_first = answer(algorithm, "В1", "Да")  # an answer of the first question, not the second
    response = staff_client.get(_walk(algorithm, no, yes_first))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Такого пути в этом алгоритме нет" in page
    assert f'href="{_walk(algorithm, no)}">Продолжить с последнего найденного шага</a>' in page


def test_an_answer_of_another_algorithm_is_not_a_path(staff_client, algorithm):
    other = make_algorithm(slug="drugoj-algoritm")
    response = staff_client.get(_walk(algorithm, answer(other, "В1", "Нет")))
    assert response.status_code == 404
    assert "Такого пути в этом алгоритме нет" in response.content.decode()


def test_an_answer_leading_nowhere_says_so(staff_client, algorithm):
    DecisionNode.objects.filter(article=algorithm, code="И1").delete()
    response = staff_client.get(_walk(algorithm, answer(algorithm, "В1", "Да")))
    assert response.status_code == 404
    assert "Ответ «Да» пока никуда не ведёт" in response.content.decode()


def test_a_question_without_answers_says_so(staff_client, algorithm):
    DecisionAnswer.objects.filter(from_node__code="В2").delete()
    response = staff_client.get(_walk(algorithm, answer(algorithm, "В1", "Нет")))
    assert response.status_code == 200
    assert "У этого вопроса пока нет ответов" in response.content.decode()


def test_an_algorithm_without_nodes_has_no_wizard(staff_client):
    article = make_algorithm(tree=False)
    assert staff_client.get(_walk(article)).status_code == 404


def test_other_kinds_have_no_wizard(staff_client):
    article = make_article(kind=Article.Kind.DOCUMENT)
    build_tree(article)
    assert staff_client.get(_walk(article)).status_code == 404


def test_a_draft_is_walked_by_editors_only_and_not_counted(client_for, staff, editor):
    article = make_algorithm(status=Article.Status.DRAFT)
    assert client_for(staff).get(_walk(article)).status_code == 404
    assert client_for(editor).get(_walk(article)).status_code == 200
    assert not NodeViewDay.objects.exists()


def test_an_algorithm_in_the_trash_has_no_wizard(staff_client, algorithm):
    Article.all_objects.filter(pk=algorithm.pk).update(deleted_at=timezone.now())
    assert staff_client.get(_walk(algorithm)).status_code == 404


def test_node_texts_are_text_not_markup(staff_client, algorithm):
    script = '<script>alert("x")</script>'
    DecisionNode.objects.filter(article=algorithm, code="В1").update(
        text=f"Есть паспорт? {script}", explanation="<img src=x onerror=alert(1)>"
    )
    DecisionNode.objects.filter(article=algorithm, code="И1").update(
        steps=f"Шаг {script}",
        documents="<b>Паспорт</b>",
        script=f"Скажите {script}",
        links="Форма | javascript:alert(1)\nЕщё | //evil.example/\nСвоя | /kb/x/",
    )
    DecisionAnswer.objects.filter(article=algorithm, label="Да").update(label=f"Да {script}")
    yes = answer(algorithm, "В1", f"Да {script}")
    for url in [_walk(algorithm), _walk(algorithm, yes), algorithm.get_absolute_url()]:
        page = staff_client.get(url).content.decode()
        assert "<script>alert" not in page, url
        assert "<img src=x" not in page and "<b>Паспорт" not in page, url
        assert "javascript:" not in page and "//evil.example" not in page, url
    assert "&lt;script&gt;" in page
    result = staff_client.get(_walk(algorithm, yes)).content.decode()
    assert 'href="/kb/x/"' in result
