"""Editors keep profiles and journey maps in the admin; bad input is refused
in Russian and nothing is half-saved."""

import pytest
from django.utils import timezone

from articles.models import Article
from expert.models import ClientGroupProfile, JourneyStage, JourneyStep
from search.models import SearchDocument
from tests.expert.factories import make_journey, make_profile, make_route
from tests.factories import make_article, make_section

PROFILES = "/admin/expert/clientgroupprofile/"
STAGES = "/admin/expert/journeystage/"


@pytest.fixture
def profile_article(db):
    return make_article(
        make_section(), title="Профиль: молодёжь", slug="profil-molodezh", kind="profile"
    )


def _profile_data(article, **overrides):
    data = {
        "article": article.pk,
        "client_group": "youth",
        "who": "<p>Студенты колледжей</p>",
        "situations": "",
        "needs": "",
        "pains": "<p>Долгий ответ в мессенджере</p>",
        "helps": "",
        "services": "",
        "linked_articles": [],
        "_save": "Сохранить",
    }
    data.update(overrides)
    return data


def _errors(response):
    """Every error message of the admin form and its inlines, as one text."""
    parts = [str(response.context["adminform"].form.errors)]
    for inline in response.context.get("inline_admin_formsets", []):
        parts.append(str(inline.formset.errors))
        parts.append(str(inline.formset.non_form_errors()))
    return " ".join(parts)


def test_editor_adds_a_profile_and_search_finds_its_pains(editor_client, profile_article):
    before = profile_article.updated_at
    route = make_route(title="Путь студента")
    response = editor_client.post(
        PROFILES + "add/", _profile_data(profile_article, linked_articles=[route.pk])
    )
    assert response.status_code == 302, _errors(response)
    profile = ClientGroupProfile.objects.get()
    assert (profile.article, profile.client_group) == (profile_article, "youth")
    assert list(profile.linked_articles.all()) == [route]
    assert profile.history.count() == 2  # the row, then its links
    profile_article.refresh_from_db()
    assert profile_article.updated_at > before  # its content changed
    document = SearchDocument.objects.get(article=profile_article)
    assert "Долгий ответ в мессенджере" in document.body_text


def test_unknown_client_group_is_refused_and_nothing_saved(editor_client, profile_article):
    response = editor_client.post(
        PROFILES + "add/", _profile_data(profile_article, client_group="martians")
    )
    assert response.status_code == 200
    assert "Неизвестная группа клиентов «martians»" in _errors(response)
    assert not ClientGroupProfile.objects.exists()


def test_a_profile_of_an_article_of_another_kind_is_refused(editor_client, db):
    document = make_article(make_section(), title="Памятка по выплатам", kind="document")
    response = editor_client.post(PROFILES + "add/", _profile_data(document))
    assert response.status_code == 200
    assert (
        "«Памятка по выплатам» — документ, а здесь нужен материал вида: профиль клиентской группы"
        in _errors(response)
    )
    assert not ClientGroupProfile.objects.exists()


def test_a_linked_article_must_be_a_route_or_an_algorithm(editor_client, profile_article):
    route = make_route(title="Путь студента")
    case = make_article(make_section(), title="Кейс: трудный разговор", kind="case")
    response = editor_client.post(
        PROFILES + "add/", _profile_data(profile_article, linked_articles=[route.pk, case.pk])
    )
    assert response.status_code == 200
    errors = _errors(response)
    assert "«Кейс: трудный разговор» — кейс, а здесь нужен материал вида: " in errors
    assert "маршрут клиента, алгоритм оказания услуги" in errors
    assert not ClientGroupProfile.objects.exists()


def test_the_choices_offer_only_the_fitting_kinds(editor_client, profile_article):
    make_route(title="Путь студента")
    make_article(make_section(), title="Кейс: трудный разговор", kind="case")
    html = editor_client.get(PROFILES + "add/").content.decode()
    assert "Профиль: молодёжь" in html and "Путь студента" in html
    assert "Кейс: трудный разговор" not in html


def test_changing_a_profile_moves_updated_and_reindexes(editor_client, db):
    profile = make_profile(client_group="youth")
    article = profile.article
    Article.all_objects.filter(pk=article.pk).update(updated_at=timezone.now().replace(year=2024))
    data = _profile_data(article, pains="<p>Не отвечают на звонки</p>")
    response = editor_client.post(f"{PROFILES}{profile.pk}/change/", data)
    assert response.status_code == 302, _errors(response)
    article.refresh_from_db()
    assert article.updated_at.year == timezone.now().year
    assert "Не отвечают на звонки" in SearchDocument.objects.get(article=article).body_text


def _stage_data(article, steps, **overrides):
    data = {
        "article": article.pk,
        "order": 1,
        "title": "Обращение",
        "description": "Попасть на приём",
        "steps-TOTAL_FORMS": len(steps),
        "steps-INITIAL_FORMS": 0,
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 1000,
        "_save": "Сохранить",
    }
    for i, step in enumerate(steps):
        fields = {
            "order": i + 1,
            "client_action": f"Шаг {i + 1}",
            "touchpoint": "",
            "channel": "",
            "feeling": 0,
            "feeling_note": "",
            "pain_points": "",
            "our_action": "",
            "responsible": "",
            "standard_time": "",
            **step,
        }
        data.update({f"steps-{i}-{name}": value for name, value in fields.items()})
    data.update(overrides)
    return data


def test_editor_adds_a_stage_with_steps(editor_client, db):
    route = make_route(title="Путь студента")
    steps = [
        {"client_action": "Звонит в ЦЗН", "feeling": -1, "pain_points": "Не дозвониться"},
        {"client_action": "Приходит на приём", "feeling": 2, "channel": "in_person"},
    ]
    response = editor_client.post(STAGES + "add/", _stage_data(route, steps))
    assert response.status_code == 302, _errors(response)
    stage = JourneyStage.objects.get()
    assert [(s.client_action, s.feeling) for s in stage.steps.all()] == [
        ("Звонит в ЦЗН", -1),
        ("Приходит на приём", 2),
    ]
    assert JourneyStep.history.count() == 2
    assert "Не дозвониться" in SearchDocument.objects.get(article=route).body_text


@pytest.mark.parametrize("feeling", ["3", "-5", "хорошо"])
def test_a_feeling_outside_the_scale_saves_neither_the_stage_nor_any_step(
    editor_client, db, feeling
):
    route = make_route()
    steps = [{"feeling": 1}, {"feeling": feeling}]
    response = editor_client.post(STAGES + "add/", _stage_data(route, steps))
    assert response.status_code == 200
    assert "Чувство клиента — целое число от −2 до +2." in _errors(response)
    assert not JourneyStage.objects.exists()
    assert not JourneyStep.objects.exists()


def test_a_stage_of_an_article_that_is_not_a_route_is_refused(editor_client, db):
    profile = make_profile()
    response = editor_client.post(STAGES + "add/", _stage_data(profile.article, [{}]))
    assert response.status_code == 200
    assert "нужен материал вида: маршрут клиента" in _errors(response)
    assert not JourneyStage.objects.exists()
    assert not JourneyStep.objects.exists()


def test_the_stage_list_filters_by_route(editor_client, db):
    first = make_journey(make_route(title="Путь студента"), feelings=((1,), (2,)))
    make_journey(make_route(title="Путь участника СВО"), feelings=((0,),))
    response = editor_client.get(STAGES, {"article": first.pk})
    assert response.status_code == 200
    stages = list(response.context["cl"].result_list)
    assert {stage.article_id for stage in stages} == {first.pk}
    assert len(stages) == 2


def test_moving_a_stage_to_another_route_reindexes_both(editor_client, db):
    first = make_journey(feelings=((1,),), pains={1: "Очередь у окна"})
    second = make_route()
    stage = JourneyStage.objects.get(article=first)
    step = stage.steps.get()
    data = _stage_data(second, [], title=stage.title)
    data.update(
        {
            "steps-TOTAL_FORMS": 1,
            "steps-INITIAL_FORMS": 1,
            "steps-0-id": step.pk,
            "steps-0-stage": stage.pk,
            "steps-0-order": 1,
            "steps-0-client_action": step.client_action,
            "steps-0-feeling": 1,
            "steps-0-pain_points": "Очередь у окна",
        }
    )
    response = editor_client.post(f"{STAGES}{stage.pk}/change/", data)
    assert response.status_code == 302, _errors(response)
    assert "Очередь у окна" in SearchDocument.objects.get(article=second).body_text
    assert "Очередь у окна" not in SearchDocument.objects.get(article=first).body_text


def test_deleting_a_stage_reindexes_its_route(editor_client, db):
    route = make_journey(feelings=((1,),), pains={1: "Очередь у окна"})
    stage = JourneyStage.objects.get(article=route)
    response = editor_client.post(f"{STAGES}{stage.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not JourneyStage.objects.exists()
    assert "Очередь у окна" not in SearchDocument.objects.get(article=route).body_text


@pytest.mark.parametrize(
    ("role", "list_status", "add_status"),
    [
        ("staff", 403, 403),
        ("working_group", 403, 403),
        ("manager", 403, 403),
        ("editor", 200, 200),
        ("administrator", 200, 403),  # may look, not write
    ],
)
def test_who_may_open_the_admin_of_profiles_and_maps(client_for, db, role, list_status, add_status):
    from tests.factories import ROLE_USERS, make_user

    client = client_for(make_user(role=ROLE_USERS[role]))
    for url in (PROFILES, STAGES, "/admin/expert/journeystep/"):
        assert client.get(url, follow=True).status_code == list_status, url
        assert client.get(url + "add/", follow=True).status_code == add_status, url
