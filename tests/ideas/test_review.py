"""The working group's page: agenda, schedule discipline, the 30-day figure,
meetings, minutes and their exports."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from ideas import selectors, services
from ideas.models import Idea, ReviewMeeting
from kb_portal.spreadsheets import formula_safe
from tests.ideas.factories import make_idea, make_meeting, make_voters


def test_agenda_puts_long_waiting_ideas_first_then_ice_then_votes(working_group, db):
    fresh_popular = make_idea(title="Свежая популярная")
    make_voters(fresh_popular, 3)
    make_idea(title="Давняя", days_ago=45)
    scored = make_idea(title="С оценкой")
    meeting = make_meeting(working_group, days_ago=1)
    services.decision_record(
        meeting=meeting,
        idea=scored,
        outcome="rework",
        by=working_group,
        rationale="Уточнить",
        impact=9,
        confidence=9,
        ease=9,
    )
    decided = make_idea(title="Уже принята")
    services.decision_record(meeting=meeting, idea=decided, outcome="accept", by=working_group)
    agenda, total = selectors.review_agenda(last_meeting=meeting)
    assert [idea.title for idea in agenda] == ["Давняя", "С оценкой", "Свежая популярная"]
    assert total == 3
    assert "long_wait" in agenda[0].agenda_reasons
    assert agenda[0].waited_days == 45
    assert "rework" in agenda[1].agenda_reasons


def test_vote_threshold_is_a_setting(settings, db):
    idea = make_idea()
    make_voters(idea, 2)
    settings.IDEAS_VOTE_THRESHOLD = 2
    assert "popular" in selectors.review_agenda()[0][0].agenda_reasons
    settings.IDEAS_VOTE_THRESHOLD = 3
    assert "popular" not in selectors.review_agenda()[0][0].agenda_reasons


def test_next_review_is_a_month_after_the_last_and_warns_when_overdue(wg_client, working_group):
    html = wg_client.get("/ideas/review/").content.decode()
    assert "Заседаний ещё не было" in html
    make_meeting(working_group, days_ago=10)
    html = wg_client.get("/ideas/review/").content.decode()
    assert "Следующее заседание — не позже" in html
    ReviewMeeting.objects.update(held_on=timezone.localdate() - timedelta(days=45))
    response = wg_client.get("/ideas/review/")
    assert "Очередное заседание просрочено" in response.content.decode()
    assert response.context["schedule"]["overdue"] is True


def test_add_month_clamps_to_month_end():
    assert selectors.add_month(date(2026, 1, 31)) == date(2026, 2, 28)
    assert selectors.add_month(date(2026, 12, 15)) == date(2027, 1, 15)


def test_share_reviewed_within_30_days_per_month(working_group, db):
    now = timezone.now()
    in_time = make_idea(days_ago=50)
    late = make_idea(days_ago=50)
    make_idea(days_ago=45)  # never answered: late
    make_idea(days_ago=1)  # still within its 30 days: not counted as late
    meeting = make_meeting(working_group)
    for idea in (in_time, late):
        services.decision_record(meeting=meeting, idea=idea, outcome="accept", by=working_group)
    Idea.objects.filter(pk=in_time.pk).update(first_reviewed_at=now - timedelta(days=30))
    rows = selectors.review_speed_by_month(now=now)
    assert sum(row["total"] for row in rows) == 4
    assert sum(row["in_time"] for row in rows) == 1
    assert sum(row["pending"] for row in rows) == 1


def test_review_page_shows_the_figure_and_agenda(wg_client, db):
    idea = make_idea(title="Уголок для детей", days_ago=40)
    html = wg_client.get("/ideas/review/").content.decode()
    assert "доля идей, рассмотренных в течение 30 дней".lower() in html.lower()
    assert "Уголок для детей" in html
    assert "ждёт больше 30 дней" in html
    assert idea.get_absolute_url() in html


def test_meeting_is_recorded(wg_client, working_group, manager):
    response = wg_client.post(
        "/ideas/review/meetings/new/",
        {
            "held_on": timezone.localdate().isoformat(),
            "attendees": [working_group.pk, manager.pk],
            "minutes": "Обсудили очередь.",
        },
    )
    meeting = ReviewMeeting.objects.get()
    assert response["Location"] == meeting.get_absolute_url()
    assert set(meeting.attendees.all()) == {working_group, manager}
    assert meeting.created_by == working_group


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"held_on": "", "minutes": ""}, "Укажите дату заседания."),
        ({"held_on": "32.13.2026"}, "Дата в формате"),
        ({"held_on": "2999-01-01"}, "не может быть в будущем"),
        ({"held_on": "2026-01-10", "attendees": []}, "Отметьте участников заседания."),
        ({"held_on": "2026-01-10", "minutes": "я" * 20001}, "не больше 20000 символов"),
    ],
)
def test_bad_meeting_is_refused_in_russian(wg_client, working_group, data, message):
    data.setdefault("attendees", [working_group.pk])
    response = wg_client.post("/ideas/review/meetings/new/", data)
    assert message in response.content.decode()
    assert not ReviewMeeting.objects.exists()


@pytest.fixture
def minutes(working_group, colleague):
    meeting = make_meeting(working_group)
    idea = make_idea(colleague, title='=HYPERLINK("http://evil")')
    services.decision_record(
        meeting=meeting,
        idea=idea,
        outcome="reject",
        by=working_group,
        rationale="+7 причин; @все; -минус",
    )
    return meeting


def test_minutes_page_is_printable(wg_client, minutes):
    html = wg_client.get(f"/ideas/review/meetings/{minutes.pk}/print/").content.decode()
    assert "Протокол заседания рабочей группы" in html
    assert "+7 причин" in html


def test_minutes_xlsx_guards_against_formulas(wg_client, minutes):
    response = wg_client.get(f"/ideas/review/meetings/{minutes.pk}/minutes.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    # A string cell is never run, so the text is kept exactly as typed.
    values = [cell.value for cell in cells]
    assert '=HYPERLINK("http://evil")' in values
    assert "+7 причин; @все; -минус" in values


def test_minutes_csv_guards_against_formulas(wg_client, minutes):
    response = wg_client.get(f"/ideas/review/meetings/{minutes.pk}/minutes.csv")
    text = response.content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    assert '\'=HYPERLINK("http://evil")' in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_safe_cell_leaves_ordinary_values():
    assert formula_safe("Обычный текст") == "Обычный текст"
    assert formula_safe(5) == 5
    assert formula_safe("-1") == "'-1"


def test_unknown_export_format_is_404(wg_client, minutes):
    assert wg_client.get(f"/ideas/review/meetings/{minutes.pk}/minutes.pdf").status_code == 404


def test_status_history_is_visible_to_the_group_only(wg_client, staff_client, idea, working_group):
    services.idea_status_set(idea=idea, status="under_review", by=working_group, reason="Берём")
    html = wg_client.get(idea.get_absolute_url()).content.decode()
    assert "История статусов" in html
    assert "Берём" in html
    history = wg_client.get(idea.get_absolute_url()).context["history"]
    assert [r.status for r in history] == ["submitted", "under_review"]
    assert "История статусов" not in staff_client.get(idea.get_absolute_url()).content.decode()


def test_take_up_by_page_and_staff_cannot(wg_client, staff_client, idea):
    assert (
        staff_client.post(f"/ideas/{idea.pk}/status/", {"status": "under_review"}).status_code
        == 403
    )
    assert Idea.objects.get(pk=idea.pk).status == "submitted"
    wg_client.post(f"/ideas/{idea.pk}/status/", {"status": "under_review"})
    assert Idea.objects.get(pk=idea.pk).status == "under_review"
    response = wg_client.post(f"/ideas/{idea.pk}/status/", {"status": "implemented"}, follow=True)
    assert "Выберите новый статус из списка." in response.content.decode()
    assert Idea.objects.get(pk=idea.pk).status == "under_review"
