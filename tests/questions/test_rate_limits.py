"""Rate limits a person does not hit by accident but a script does, per hour,
from settings that refuse bad values loudly."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from questions import services
from questions.models import Answer, ErrorReport, Question
from tests.kb_portal.test_settings_env import _import_settings
from tests.questions.factories import answer, ask, report


def test_defaults(settings):
    assert (settings.QUESTIONS_PER_HOUR, settings.ANSWERS_PER_HOUR) == (20, 60)
    assert settings.ERROR_REPORTS_PER_HOUR == 20


def test_the_21st_question_in_an_hour_is_refused_in_russian(settings, staff, staff_client, article):
    for i in range(20):
        ask(article, staff, f"Вопрос {i}")
    response = staff_client.post(f"/questions/articles/{article.pk}/ask/", {"text": "Ещё"})
    assert response.status_code == 200
    assert "Вы задали уже 20 вопросов за час" in response.content.decode()
    assert Question.objects.count() == 20


def test_deleted_questions_count_too_and_the_hour_passes(settings, staff, editor, article):
    settings.QUESTIONS_PER_HOUR = 2
    first = ask(article, staff)
    services.question_delete(question=first, by=editor)
    ask(article, staff)
    with pytest.raises(ValidationError, match="2 вопросов за час"):
        ask(article, staff)
    Question.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    ask(article, staff)  # an hour later the person may ask again
    assert Question.objects.count() == 3


def test_the_limit_is_per_person(settings, staff, colleague, article):
    settings.QUESTIONS_PER_HOUR = 1
    ask(article, staff)
    ask(article, colleague)
    assert Question.objects.count() == 2


def test_answers_are_limited(settings, staff, colleague, article, client_for):
    settings.ANSWERS_PER_HOUR = 3
    question = ask(article, staff)
    for i in range(3):
        answer(question, colleague, f"Ответ {i}")
    response = client_for(colleague).post(f"/questions/{question.pk}/answer/", {"text": "Ещё"})
    assert "Вы дали уже 3 ответов за час" in response.content.decode()
    assert Answer.objects.count() == 3


def test_error_reports_are_limited(settings, staff, staff_client, article):
    settings.ERROR_REPORTS_PER_HOUR = 2
    report(article, staff)
    report(article, staff)
    response = staff_client.post(f"/questions/articles/{article.pk}/report/", {"text": "Ещё"})
    assert "Вы отправили уже 2 сообщений о неточностях за час" in response.content.decode()
    assert ErrorReport.objects.count() == 2


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("QUESTIONS_PER_HOUR", "many", "QUESTIONS_PER_HOUR='many' is not an integer"),
        ("ANSWERS_PER_HOUR", "0", "ANSWERS_PER_HOUR=0 must be at least 1"),
        ("ERROR_REPORTS_PER_HOUR", "-5", "ERROR_REPORTS_PER_HOUR=-5 must be at least 1"),
    ],
)
def test_a_bad_setting_stops_start_up(variable, value, message):
    result = _import_settings(**{"DEBUG": "1", variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
