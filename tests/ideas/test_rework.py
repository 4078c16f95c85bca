"""«Нужна доработка»: the idea gets a status of its own («на доработке»), so
its badge never says «подана» beside that decision; the author's edit
submits it again."""

import importlib

import pytest
from django.apps import apps

from ideas import selectors, services
from ideas.demo import seed_ideas
from ideas.models import Idea
from tests.factories import ROLE_USERS, make_user
from tests.ideas.factories import make_idea

VALID = {
    "title": "Запись на приём по телефону и онлайн",
    "problem": "Клиенты долго ждут.",
    "proposal": "Ввести запись.",
    "expected_effect": "Меньше ожидания.",
}


def _send_back(meeting, idea, by):
    return services.decision_record(
        meeting=meeting, idea=idea, outcome="rework", by=by, rationale="Уточните, какие ЦЗН."
    )


def _badge(status):
    label = Idea.Status(status).label
    return f'<span class="badge idea-status idea-status--{status}">{label}</span>'


def test_badge_agrees_with_the_rework_decision_on_list_and_page(
    staff_client, idea, meeting, working_group
):
    _send_back(meeting, idea, working_group)
    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.REWORK
    for url in ["/ideas/", idea.get_absolute_url()]:
        html = staff_client.get(url).content.decode()
        assert _badge("rework") in html, url
        assert "Нужна доработка" in html or "нужна доработка" in html.lower(), url
        assert _badge("submitted") not in html, url


def test_author_reworks_and_the_idea_is_submitted_again(staff_client, idea, meeting, working_group):
    _send_back(meeting, idea, working_group)
    sent_back_at = Idea.objects.get(pk=idea.pk).status_changed_at
    html = staff_client.get(idea.get_absolute_url()).content.decode()
    assert "вернула идею на доработку" in html
    response = staff_client.post(f"/ideas/{idea.pk}/edit/", {**VALID, "tags": ""})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == Idea.Status.SUBMITTED
    assert idea.status_changed_at > sent_back_at  # it waits for an answer from now on
    assert idea.history.order_by("-history_date", "-history_id")[0].history_change_reason == (
        "автор доработал идею"
    )
    agenda, _total = selectors.review_agenda()
    assert "rework" in agenda[0].agenda_reasons


def test_rework_idea_stays_on_the_agenda_and_says_it_waits_for_the_author(
    wg_client, idea, meeting, working_group
):
    _send_back(meeting, idea, working_group)
    html = wg_client.get("/ideas/review/").content.decode()
    assert "на доработке у автора" in html
    services.idea_update(idea=idea, by=idea.author, **VALID)
    html = wg_client.get("/ideas/review/").content.decode()
    assert "вернулась после доработки" in html


def test_working_group_may_take_up_an_idea_on_rework(wg_client, idea, meeting, working_group):
    _send_back(meeting, idea, working_group)
    html = wg_client.get(idea.get_absolute_url()).content.decode()
    assert "Взять на рассмотрение" in html
    wg_client.post(f"/ideas/{idea.pk}/status/", {"status": "under_review"})
    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.UNDER_REVIEW


def test_votes_stay_open_on_rework(client_for, colleague, idea, meeting, working_group):
    _send_back(meeting, idea, working_group)
    client_for(colleague).post(f"/ideas/{idea.pk}/vote/")
    assert Idea.objects.get(pk=idea.pk).vote_count == 1


def test_others_still_cannot_edit_an_idea_on_rework(
    client_for, colleague, idea, meeting, working_group
):
    _send_back(meeting, idea, working_group)
    assert client_for(colleague).get(f"/ideas/{idea.pk}/edit/").status_code == 403


def test_migration_moves_ideas_sent_back_before_the_new_status(staff, meeting, working_group):
    migration = importlib.import_module(
        "ideas.migrations.0003_rework_status_comment_notification_comment"
    )
    untouched = make_idea(staff, title="Не доработана")
    reworked = make_idea(staff, title="Доработана")
    for idea in (untouched, reworked):
        _send_back(meeting, idea, working_group)
    # As the old code left them: back to «подана»; one of them edited since.
    Idea.objects.update(status=Idea.Status.SUBMITTED)
    services.idea_update(idea=reworked, by=staff, **VALID)
    accepted = make_idea(staff, title="Просто подана")
    migration.mark_rework(apps, None)
    statuses = dict(Idea.objects.values_list("title", "status"))
    assert statuses["Не доработана"] == Idea.Status.REWORK
    assert statuses[VALID["title"]] == Idea.Status.SUBMITTED
    assert statuses[accepted.title] == Idea.Status.SUBMITTED


@pytest.fixture
def demo_users(db):
    names = ("sotrudnik", "redaktor", "rabgruppa", "rukovoditel", "administrator")
    return {
        name: make_user(name, role=ROLE_USERS["working_group"] if name == "rabgruppa" else None)
        for name in names
    }


def test_demo_idea_sent_back_shows_on_rework(client_for, demo_users):
    seed_ideas(demo_users)
    idea = Idea.objects.get(title="Навигация по ЦЗН: цветные линии на полу")
    assert idea.status == Idea.Status.REWORK
    html = client_for(demo_users["sotrudnik"]).get("/ideas/").content.decode()
    row = html.split(f'href="/ideas/{idea.pk}/"')[1].split("</article>")[0]
    assert _badge("rework") in row
    assert "Нужна доработка" in row
