"""The companions' own rules, whatever way the data arrives."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.models import Article
from expert.models import ClientGroupProfile, JourneyStage, JourneyStep
from tests.expert.factories import make_journey, make_profile, make_route
from tests.factories import make_article, make_section


@pytest.fixture
def document(db):
    return make_article(make_section(), title="Памятка по выплатам", kind=Article.Kind.DOCUMENT)


def _messages(excinfo, field):
    return excinfo.value.message_dict[field]


@pytest.mark.parametrize("feeling", [-3, 3, 10])
def test_feeling_outside_minus_two_plus_two_is_refused_in_russian(db, feeling):
    stage = JourneyStage.objects.create(article=make_route(), title="Обращение")
    step = JourneyStep(stage=stage, client_action="Звонит в ЦЗН", feeling=feeling)
    with pytest.raises(ValidationError) as excinfo:
        step.full_clean()
    assert _messages(excinfo, "feeling") == ["Чувство клиента — целое число от −2 до +2."]


def test_the_database_refuses_a_feeling_outside_the_range_too(db):
    stage = JourneyStage.objects.create(article=make_route(), title="Обращение")
    with pytest.raises(IntegrityError), transaction.atomic():
        JourneyStep.objects.create(stage=stage, client_action="Звонит", feeling=5)
    assert not JourneyStep.objects.exists()


@pytest.mark.parametrize("feeling", [-2, -1, 0, 1, 2])
def test_every_feeling_of_the_scale_is_accepted(db, feeling):
    stage = JourneyStage.objects.create(article=make_route(), title="Обращение")
    JourneyStep(stage=stage, client_action="Звонит", feeling=feeling).full_clean()


def test_unknown_client_group_is_refused_in_russian(db):
    profile = make_profile(client_group="youth")
    profile.client_group = "martians"
    with pytest.raises(ValidationError) as excinfo:
        profile.full_clean()
    (message,) = _messages(excinfo, "client_group")
    assert "Неизвестная группа клиентов «martians»" in message
    assert "справочника, по которому загружаются отзывы" in message


def test_the_database_refuses_an_unknown_client_group_too(db):
    profile = make_profile(client_group="youth")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClientGroupProfile.objects.filter(pk=profile.pk).update(client_group="martians")
    profile.refresh_from_db()
    assert profile.client_group == "youth"


def test_the_client_groups_are_the_feedback_reference_list(db):
    from feedback.models import ClientGroup

    field = ClientGroupProfile._meta.get_field("client_group")
    assert list(field.choices) == list(ClientGroup.choices)


def test_a_profile_belongs_to_a_profile_article(document):
    profile = ClientGroupProfile(article=document, client_group="youth")
    with pytest.raises(ValidationError) as excinfo:
        profile.full_clean()
    assert _messages(excinfo, "article") == [
        "«Памятка по выплатам» — документ, а здесь нужен материал вида: профиль клиентской группы."
    ]


def test_a_journey_stage_belongs_to_a_route(document):
    stage = JourneyStage(article=document, title="Обращение")
    with pytest.raises(ValidationError) as excinfo:
        stage.full_clean()
    assert "нужен материал вида: маршрут клиента" in _messages(excinfo, "article")[0]


def test_one_profile_per_article(db):
    profile = make_profile()
    with pytest.raises(ValidationError) as excinfo:
        ClientGroupProfile(article=profile.article, client_group="svo").full_clean()
    assert _messages(excinfo, "article") == [
        "У этого материала уже есть профиль клиентской группы."
    ]


def test_rich_text_is_sanitised_on_save(db):
    profile = make_profile(
        pains='<p onclick="steal()">Очередь</p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">ссылка</a>'
    )
    profile.refresh_from_db()
    assert "<script" not in profile.pains
    assert "onclick" not in profile.pains
    assert "javascript:" not in profile.pains
    assert "Очередь" in profile.pains


def test_every_companion_keeps_its_history(db):
    profile = make_profile()
    profile.needs = "<p>Быстрый ответ</p>"
    profile.save()
    assert profile.history.count() == 2
    route = make_journey(feelings=((1,),))
    stage = JourneyStage.objects.get(article=route)
    step = JourneyStep.objects.get(stage=stage)
    step.feeling = -1
    step.save()
    stage.title = "Первое обращение"
    stage.save()
    assert stage.history.count() == 2
    assert [h.feeling for h in step.history.order_by("history_id")] == [-1]  # bulk: no first
    step_id = step.pk
    step.delete()
    assert JourneyStep.history.filter(id=step_id, history_type="-").exists()


def test_pain_points_are_the_non_blank_lines(db):
    step = JourneyStep(pain_points="Долго ждать\n\n  Непонятная форма  \n")
    assert step.pains == ["Долго ждать", "Непонятная форма"]
