"""Every questions URL × every role, anonymous too; a refused request changes nothing."""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from articles.models import Article
from notifications.models import Notification
from questions.models import Answer, ErrorReport, Question
from tests.factories import ROLE_USERS, make_article, make_user
from tests.questions.factories import answer, ask, report

ROLES = ["staff", "editor", "working_group", "manager", "administrator"]
EDITORS = {"editor", "administrator"}

# name -> (method, url template, data)
URLS = {
    "ask": ("get", "/questions/articles/{article}/ask/", None),
    "ask_post": ("post", "/questions/articles/{article}/ask/", {"text": "Новый вопрос"}),
    "report_form": ("get", "/questions/articles/{article}/report/", None),
    "report_post": ("post", "/questions/articles/{article}/report/", {"text": "Ошибка"}),
    "answer": ("get", "/questions/{question}/answer/", None),
    "answer_post": ("post", "/questions/{question}/answer/", {"text": "Ответ"}),
    "resolve": ("post", "/questions/{question}/resolve/", None),
    "reopen": ("post", "/questions/{resolved}/reopen/", None),
    "delete": ("post", "/questions/{question}/delete/", None),
    "faq": ("post", "/questions/{question}/faq/", None),
    "answer_best": ("post", "/questions/answers/{answer}/best/", None),
    "answer_delete": ("post", "/questions/answers/{answer}/delete/", None),
    "report": ("get", "/questions/reports/{report}/", None),
    "report_close": (
        "post",
        "/questions/reports/{report}/",
        {"status": "fixed", "comment": "Исправлено"},
    ),
    "my": ("get", "/questions/my/", None),
    "admin_questions": ("get", "/admin/questions/question/", None),
    "admin_answers": ("get", "/admin/questions/answer/", None),
    "admin_reports": ("get", "/admin/questions/errorreport/", None),
    "admin_report": ("get", "/admin/questions/errorreport/{report}/change/", None),
}
OPEN_TO_ALL = {
    "ask": 200,
    "ask_post": 302,
    "report_form": 200,
    "report_post": 302,
    "answer": 200,
    "answer_post": 302,
    "my": 200,
}
MODERATION = {"resolve", "reopen", "delete", "faq", "answer_best", "answer_delete"}


def expected(role, name):
    if name in OPEN_TO_ALL:
        return OPEN_TO_ALL[name]
    editor = role in EDITORS
    if name in MODERATION:
        return 302 if editor else 403
    if name in {"report", "admin_questions", "admin_answers", "admin_reports", "admin_report"}:
        return 200 if editor else (404 if name == "report" else 403)
    if name == "report_close":
        return 302 if editor else 404
    raise AssertionError(name)


@pytest.fixture
def world(db):
    owner = make_user(role=ROLE_USERS["staff"])
    asker, reporter = make_user(role=ROLE_USERS["staff"]), make_user(role=ROLE_USERS["staff"])
    article = make_article(owner=owner)
    question = ask(article, asker)
    reply = answer(question, owner)
    resolved = ask(article, asker, "Решённый вопрос")
    resolved.resolved_at = resolved.created_at
    resolved.save()
    return {
        "article": article.pk,
        "question": question.pk,
        "resolved": resolved.pk,
        "answer": reply.pk,
        "report": report(article, reporter).pk,
    }


def _state():
    return (
        Question.objects.count(),
        Question.objects.filter(deleted_at__isnull=True, resolved_at__isnull=True).count(),
        Question.objects.filter(best_answer__isnull=False).count(),
        Question.objects.filter(faq_article__isnull=False).count(),
        Answer.objects.filter(deleted_at__isnull=True).count(),
        ErrorReport.objects.filter(status="open").count(),
        ErrorReport.objects.count(),
        Article.all_objects.count(),
        Notification.objects.count(),
    )


def _request(client, name, world, **kwargs):
    method, template, data = URLS[name]
    return getattr(client, method)(template.format(**world), data=data, **kwargs)


@pytest.mark.parametrize("name", list(URLS))
def test_anonymous_is_sent_to_login_and_changes_nothing(client, world, name):
    before = _state()
    response = _request(client, name, world)
    assert response.status_code == 302
    location = urlsplit(response["Location"]).path
    assert location in {"/accounts/login/", "/admin/login/"}
    assert _state() == before


@pytest.mark.parametrize(("role", "name"), [(r, n) for r in ROLES for n in URLS], ids=str)
def test_role_gets_expected_status(world, role, name):
    client = Client()
    client.force_login(make_user(role=ROLE_USERS[role]))
    before = _state()
    response = _request(client, name, world, follow=name.startswith("admin_"))
    assert response.status_code == expected(role, name)
    if response.status_code in (403, 404):
        assert _state() == before


def test_the_matrix_covers_every_url_of_the_app():
    import re

    from questions.urls import urlpatterns

    paths = {
        re.sub(r"\{\w+\}", "1", template)
        for _method, template, _data in URLS.values()
        if template.startswith("/questions/")
    }
    for pattern in urlpatterns:
        route = "^/questions/" + re.sub(r"<int:\w+>", "1", str(pattern.pattern)) + "$"
        assert any(re.match(route, path) for path in paths), pattern.name


def test_editors_cannot_change_or_delete_in_the_admin(editor_client, world):
    url = f"/admin/questions/question/{world['question']}/change/"
    assert editor_client.get(url).status_code == 200  # a read-only view
    editor_client.post(url, {"text": "Подменённый текст"})
    assert Question.objects.get(pk=world["question"]).text == "Сколько хранить журнал записи?"
    assert (
        editor_client.get(f"/admin/questions/question/{world['question']}/delete/").status_code
        == 403
    )
    assert editor_client.get("/admin/questions/question/add/").status_code == 403


def test_the_admin_action_deletes_softly_through_the_service(editor_client, editor, world):
    response = editor_client.post(
        "/admin/questions/question/",
        {"action": "hide", "_selected_action": [world["question"]]},
        follow=True,
    )
    assert response.status_code == 200
    question = Question.objects.get(pk=world["question"])
    assert question.deleted_by == editor
    assert question.history.latest().history_change_reason == "вопрос удалён"
