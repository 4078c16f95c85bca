"""Editors build a decision tree on the algorithm's admin page: nodes and
answers as two inlines, checked as one tree before anything is written."""

import pytest

from algorithms.models import DecisionAnswer, DecisionNode
from algorithms.services import algorithm_validate
from tests.algorithms.factories import make_algorithm

pytestmark = pytest.mark.django_db

NODE_FIELDS = ["code", "kind", "text", "explanation", "steps", "documents", "script", "links"]


def _url(article):
    return f"/admin/algorithms/algorithm/{article.pk}/change/"


def _form(nodes=(), answers=(), *, stored_nodes=(), stored_answers=()):
    """The change form's data: ``stored_*`` are dicts for the rows already
    there (with ``id``), the others new rows."""
    data = {}
    rows = [*stored_nodes, *nodes]
    data.update(
        {
            "decision_nodes-TOTAL_FORMS": str(len(rows)),
            "decision_nodes-INITIAL_FORMS": str(len(stored_nodes)),
            "decision_nodes-MIN_NUM_FORMS": "0",
            "decision_nodes-MAX_NUM_FORMS": "1000",
        }
    )
    for index, row in enumerate(rows):
        for name in NODE_FIELDS:
            data[f"decision_nodes-{index}-{name}"] = row.get(name, "")
        data[f"decision_nodes-{index}-order"] = str(row.get("order", index))
        if row.get("is_start"):
            data[f"decision_nodes-{index}-is_start"] = "on"
        if row.get("DELETE"):
            data[f"decision_nodes-{index}-DELETE"] = "on"
        if "id" in row:
            data[f"decision_nodes-{index}-id"] = str(row["id"])
        for article_id in row.get("articles", []):
            data.setdefault(f"decision_nodes-{index}-articles", [])
            data[f"decision_nodes-{index}-articles"].append(str(article_id))
    rows = [*stored_answers, *answers]
    data.update(
        {
            "decision_answers-TOTAL_FORMS": str(len(rows)),
            "decision_answers-INITIAL_FORMS": str(len(stored_answers)),
            "decision_answers-MIN_NUM_FORMS": "0",
            "decision_answers-MAX_NUM_FORMS": "1000",
        }
    )
    for index, row in enumerate(rows):
        for name in ["from_code", "label", "to_code"]:
            data[f"decision_answers-{index}-{name}"] = row.get(name, "")
        data[f"decision_answers-{index}-order"] = str(row.get("order", index))
        if row.get("DELETE"):
            data[f"decision_answers-{index}-DELETE"] = "on"
        if "id" in row:
            data[f"decision_answers-{index}-id"] = str(row["id"])
    return data


def q(code, text, *, start=False, **extra):
    return {"code": code, "kind": "question", "text": text, "is_start": start, **extra}


def r(code, text, **extra):
    return {"code": code, "kind": "result", "text": text, **extra}


def a(source, label, target):
    return {"from_code": source, "label": label, "to_code": target}


TREE = [
    q("В1", "Гражданин достиг пенсионного возраста?", start=True),
    r("И1", "Предложить поиск работы без статуса безработного"),
    q("В2", "Обучается очно?"),
    r("И2", "Зарегистрировать как ищущего работу", steps="Принять заявление\nНазначить встречу"),
    r("И3", "Зарегистрировать в качестве безработного", documents="Паспорт"),
]
TREE_ANSWERS = [
    a("В1", "Да", "И1"),
    a("В1", "Нет", "В2"),
    a("В2", "Да", "И2"),
    a("В2", "Нет", "И3"),
]


def _errors(response):
    return [
        str(error)
        for error in response.context["inline_admin_formsets"][1].formset.non_form_errors()
    ]


def test_an_editor_builds_a_whole_tree_in_one_save(editor_client):
    article = make_algorithm(tree=False)
    before = article.updated_at
    response = editor_client.post(_url(article), _form(TREE, TREE_ANSWERS))
    assert response.status_code == 302, response.context and _errors(response)
    assert DecisionNode.objects.filter(article=article).count() == 5
    answers = DecisionAnswer.objects.filter(article=article).select_related("from_node", "to_node")
    assert sorted((x.from_node.code, x.label, x.to_node.code) for x in answers) == sorted(
        (x["from_code"], x["label"], x["to_code"]) for x in TREE_ANSWERS
    )
    assert algorithm_validate(article=article) == []
    article.refresh_from_db()
    assert article.updated_at > before  # the tree is the article's content
    node = DecisionNode.objects.get(article=article, code="И2")
    assert node.history.count() == 1
    assert node.step_lines() == ["Принять заявление", "Назначить встречу"]


def _refused(editor_client, article, data):
    nodes = list(DecisionNode.objects.filter(article=article).values_list("code", "text", "kind"))
    answers = list(DecisionAnswer.objects.filter(article=article).values_list("label", "to_node"))
    response = editor_client.post(_url(article), data)
    assert response.status_code == 200
    errors = _errors(response)
    assert errors[0] == "Дерево не сохранено, ничего не изменилось:"
    # Nothing half-saved: the nodes' inline (valid on its own) wrote nothing either.
    assert (
        list(DecisionNode.objects.filter(article=article).values_list("code", "text", "kind"))
        == nodes
    )
    assert (
        list(DecisionAnswer.objects.filter(article=article).values_list("label", "to_node"))
        == answers
    )
    assert "Дерево не сохранено" in response.content.decode()
    return errors[1:]


def test_a_cycle_is_refused_with_the_nodes_named(editor_client):
    article = make_algorithm(tree=False)
    answers = [*TREE_ANSWERS[:3], a("В2", "Нет", "В1")]
    problems = _refused(editor_client, article, _form(TREE, answers))
    assert (
        "В алгоритме цикл: В1 → В2 → В1. Ответы должны вести только вперёд — к следующим "
        "вопросам и итогам." in problems
    )


def test_a_dead_end_is_refused(editor_client):
    article = make_algorithm(tree=False)
    nodes = [*TREE, q("В3", "Есть справка о доходах?")]
    answers = [*TREE_ANSWERS[:3], a("В2", "Нет", "В3")]
    problems = _refused(editor_client, article, _form(nodes, answers))
    assert (
        "Вопрос В3 «Есть справка о доходах?» — тупик: у него нет ни одного ответа. Добавьте "
        "ответы или сделайте узел итогом." in problems
    )


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "",
            "Ответ «Нет» на вопрос В2 «Обучается очно?» никуда не ведёт: укажите код узла, "
            "к которому он ведёт.",
        ),
        ("И7", "Ответ «Нет» на вопрос В2 «Обучается очно?» ведёт к узлу «И7», а такого нет."),
    ],
)
def test_an_answer_to_nowhere_is_refused(editor_client, target, message):
    article = make_algorithm(tree=False)
    answers = [*TREE_ANSWERS[:3], a("В2", "Нет", target)]
    assert message in _refused(editor_client, article, _form(TREE, answers))


def test_an_answer_to_an_unknown_question_is_refused(editor_client):
    article = make_algorithm(tree=False)
    answers = [*TREE_ANSWERS, a("В9", "Может быть", "И1")]
    problems = _refused(editor_client, article, _form(TREE, answers))
    assert "Ответ «Может быть» дан на вопрос «В9», а такого узла нет." in problems


def test_two_starts_are_refused(editor_client):
    article = make_algorithm(tree=False)
    nodes = [*TREE]
    nodes[2] = {**nodes[2], "is_start": True}
    problems = _refused(editor_client, article, _form(nodes, TREE_ANSWERS))
    assert problems == ["Начало у алгоритма одно, а отмечено несколько узлов: В1, В2."]


def test_unreachable_nodes_are_refused(editor_client):
    article = make_algorithm(tree=False)
    nodes = [*TREE, r("И9", "Направить к юристу")]
    problems = _refused(editor_client, article, _form(nodes, TREE_ANSWERS))
    assert problems == [
        "До узлов И9 «Направить к юристу» не дойти от начала: ни один путь ответов к ним не "
        "ведёт. Свяжите их ответами или удалите."
    ]


def test_a_change_to_a_stored_tree_that_breaks_it_is_refused(editor_client):
    article = make_algorithm()
    stored = _stored(article)
    # Deleting И3, which «Нет» of В2 leads to.
    stored["nodes"] = [{**row, "DELETE": row["code"] == "И3"} for row in stored["nodes"]]
    problems = _refused(
        editor_client,
        article,
        _form(stored_nodes=stored["nodes"], stored_answers=stored["answers"]),
    )
    assert any("ведёт к узлу «И3», а такого нет" in problem for problem in problems)


def _stored(article):
    nodes = [
        {
            "id": node.pk,
            "code": node.code,
            "kind": node.kind,
            "text": node.text,
            "is_start": node.is_start,
            "order": node.order,
            **{name: getattr(node, name) for name in NODE_FIELDS[3:]},
        }
        for node in DecisionNode.objects.filter(article=article)
    ]
    answers = [
        {
            "id": answer.pk,
            "from_code": answer.from_node.code,
            "label": answer.label,
            "to_code": answer.to_node.code if answer.to_node else "",
            "order": answer.order,
        }
        for answer in DecisionAnswer.objects.filter(article=article).select_related(
            "from_node", "to_node"
        )
    ]
    return {"nodes": nodes, "answers": answers}


def test_a_renamed_code_is_followed_by_its_answers(editor_client):
    article = make_algorithm()
    stored = _stored(article)
    stored["nodes"] = [
        {**row, "code": "В2-онлайн"} if row["code"] == "В2" else row for row in stored["nodes"]
    ]
    response = editor_client.post(
        _url(article), _form(stored_nodes=stored["nodes"], stored_answers=stored["answers"])
    )
    assert response.status_code == 302, _errors(response)
    assert algorithm_validate(article=article) == []
    assert DecisionAnswer.objects.filter(article=article, to_node__code="В2-онлайн").count() == 1
    assert DecisionAnswer.objects.filter(article=article, from_node__code="В2-онлайн").count() == 2


def test_deleting_a_question_takes_its_answers(editor_client):
    article = make_algorithm()
    stored = _stored(article)
    # В2 goes with И2, И3 and its two answers; «Нет» of В1 now leads to И2's replacement И4.
    gone = {"В2", "И2", "И3"}
    nodes = [{**row, "DELETE": row["code"] in gone} for row in stored["nodes"]]
    answers = [
        {**row, "to_code": "И4"} if row["label"] == "Нет" and row["from_code"] == "В1" else row
        for row in stored["answers"]
    ]
    data = _form([r("И4", "Принять заявление очно")], stored_nodes=nodes, stored_answers=answers)
    response = editor_client.post(_url(article), data)
    assert response.status_code == 302, _errors(response)
    assert sorted(DecisionNode.objects.filter(article=article).values_list("code", flat=True)) == [
        "В1",
        "И1",
        "И4",
    ]
    assert DecisionAnswer.objects.filter(article=article).count() == 2
    assert algorithm_validate(article=article) == []


def test_two_nodes_with_one_code_are_refused(editor_client):
    article = make_algorithm(tree=False)
    nodes = [*TREE, r("И3", "Ещё один итог")]
    response = editor_client.post(_url(article), _form(nodes, TREE_ANSWERS))
    assert response.status_code == 200
    assert not DecisionNode.objects.filter(article=article).exists()


def test_a_link_that_is_not_an_address_is_refused(editor_client):
    article = make_algorithm(tree=False)
    nodes = [*TREE]
    nodes[4] = {**nodes[4], "links": "Памятка | javascript:alert(1)"}
    response = editor_client.post(_url(article), _form(nodes, TREE_ANSWERS))
    assert response.status_code == 200
    assert "Строка 1: «javascript:alert(1)» — не адрес." in response.content.decode()
    assert not DecisionNode.objects.filter(article=article).exists()


def test_the_page_shows_the_tree_its_check_and_where_people_stop(editor_client):
    from algorithms.services import node_view_count

    article = make_algorithm()
    start = DecisionNode.objects.get(article=article, code="В1")
    for _ in range(4):
        node_view_count(node=start)
    node_view_count(node=DecisionNode.objects.get(article=article, code="И1"))
    page = editor_client.get(_url(article)).content.decode()
    assert "Дерево в порядке" in page
    assert "где останавливаются" in page.lower()
    assert "25%" in page  # И1: one of four starts
    assert "«Нет»" in page and "Принять заявление очно" in page


def test_a_saved_tree_is_found_by_search(editor_client, client_for, staff):
    article = make_algorithm(tree=False)
    nodes = [*TREE]
    nodes[4] = {**nodes[4], "documents": "Трудовая книжка"}
    assert editor_client.post(_url(article), _form(nodes, TREE_ANSWERS)).status_code == 302
    results = client_for(staff).get("/search/", {"q": "трудовая книжка"}).context["page"]
    assert [result.article.pk for result in results] == [article.pk]


def test_the_list_shows_only_algorithms(editor_client):
    from tests.factories import make_article

    make_algorithm(title="Подбор мер поддержки работодателю")
    make_article(title="Памятка о вежливости")
    page = editor_client.get("/admin/algorithms/algorithm/").content.decode()
    assert "Подбор мер поддержки работодателю" in page
    assert "Памятка о вежливости" not in page


def test_an_administrator_may_look_but_not_change(client_for, administrator):
    article = make_algorithm()
    client = client_for(administrator)
    assert client.get(_url(article)).status_code == 200
    response = client.post(_url(article), _form(TREE, TREE_ANSWERS))
    assert response.status_code == 403
    assert DecisionNode.objects.filter(article=article).count() == 5


@pytest.mark.parametrize("role", ["staff", "working_group", "manager"])
def test_other_roles_have_no_admin(request, client_for, role):
    article = make_algorithm()
    client = client_for(request.getfixturevalue(role))
    # The admin refuses through its login view, which answers 403 to the signed-in.
    assert client.get(_url(article), follow=True).status_code == 403
    assert client.post(_url(article), _form(TREE, TREE_ANSWERS), follow=True).status_code == 403
    assert client.get("/admin/algorithms/decisionnode/", follow=True).status_code == 403
    assert DecisionNode.objects.filter(article=article).count() == 5


def test_a_code_freed_by_a_deletion_may_be_taken_in_the_same_save(editor_client):
    article = make_algorithm()
    stored = _stored(article)
    old = DecisionNode.objects.get(article=article, code="И3")
    nodes = [{**row, "DELETE": row["code"] == "И3"} for row in stored["nodes"]]
    data = _form(
        [r("И3", "Записать на приём к специалисту")],
        stored_nodes=nodes,
        stored_answers=stored["answers"],
    )
    response = editor_client.post(_url(article), data)
    assert response.status_code == 302, _errors(response)
    assert not DecisionNode.objects.filter(pk=old.pk).exists()
    # «Нет» of В2 (not touched in the form) leads to the new И3, not nowhere.
    no = DecisionAnswer.objects.get(article=article, from_node__code="В2", label="Нет")
    assert no.to_node.text == "Записать на приём к специалисту"
    assert algorithm_validate(article=article) == []
