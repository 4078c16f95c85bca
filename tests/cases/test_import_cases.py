"""Cases open from an import, inside its transaction; a rollback undoes them
unless someone worked on them; re-importing opens no second case."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from cases import services
from cases.models import Case, CaseRule
from feedback import services as feedback_services
from feedback.models import FeedbackResponse, ImportBatch
from notifications.models import Kind, Notification
from tests.feedback.factories import csv_bytes, feedback_row, import_file

OFFICE = "ЦЗН Ленинского района"
OTHER = "ЦЗН Кировского района"


def _rows():
    return [
        feedback_row(office=OFFICE, external_id="good"),  # nothing wrong: no case
        feedback_row(office=OFFICE, external_id="complaint", complaint="да", comment=""),
        feedback_row(office=OFFICE, external_id="csat", csat="2", comment=""),
        feedback_row(
            office=OTHER, external_id="unsolved", problem_solved="нет", comment="Не помогли"
        ),
        # Not solved but silent: the default rule wants a comment.
        feedback_row(
            office=OFFICE, external_id="unsolved-silent", problem_solved="нет", comment=""
        ),
        feedback_row(office=OTHER, external_id="nps", nps="3", comment="Не посоветую"),
        feedback_row(office=OFFICE, external_id="nps-silent", nps="4", comment=""),
        feedback_row(office=OFFICE, external_id="nps-5", nps="5", comment="Так себе"),
    ]


def _cases_by_id():
    return {
        case.response.external_id: case
        for case in Case.objects.select_related("response", "rule", "office")
    }


def test_default_rules_come_with_the_migration(db):
    assert list(CaseRule.objects.values_list("title", flat=True)) == [
        "Жалоба клиента",
        "Низкая удовлетворённость (CSAT не выше 2)",
        "Вопрос не решён, клиент оставил комментарий",
        "Не порекомендует (NPS не выше 4), клиент оставил комментарий",
    ]


def test_an_import_opens_a_case_for_each_matching_response(region, head, settings):
    settings.CASE_SLA_WORKING_DAYS = 5
    batch = import_file(csv_bytes(_rows()))
    assert batch.status == ImportBatch.Status.IMPORTED
    cases = _cases_by_id()
    assert set(cases) == {"complaint", "csat", "unsolved", "nps"}
    assert cases["complaint"].rule.title == "Жалоба клиента"
    assert cases["unsolved"].office == region["other"]
    assert all(case.status == Case.Status.NEW for case in cases.values())
    opened = timezone.localdate(cases["csat"].created_at)  # the portal's day, not UTC's
    assert cases["csat"].due_date == services.working_days_add(opened, 5)
    # History has the creation of each case, as the case is.
    assert Case.history.filter(history_type="+").count() == 4
    fields = ("id", "response_id", "office_id", "rule_id", "status", "created_at", "due_date")
    assert set(Case.history.values_list(*fields)) == set(Case.objects.values_list(*fields))
    # The head of ЦЗН Ленинского района is told once, with the count.
    (note,) = Notification.objects.filter(recipient=head, kind=Kind.CASE_NEW)
    assert "2" in note.text
    assert f"office={region['office'].pk}" in note.url


def test_the_creation_of_a_case_is_recorded_as_the_importing_persons(region, head):
    batch = import_file(csv_bytes(_rows()), user=head)
    assert batch.status == ImportBatch.Status.IMPORTED, batch.error
    assert set(Case.history.values_list("history_type", "history_user_id")) == {("+", head.pk)}
    assert Case.history.count() == Case.objects.count() == 4


def test_the_first_matching_rule_is_named(region):
    import_file(csv_bytes([feedback_row(office=OFFICE, complaint="да", csat="1", comment="")]))
    assert Case.objects.get().rule.title == "Жалоба клиента"


def test_inactive_rules_open_nothing(region):
    CaseRule.objects.update(is_active=False)
    import_file(csv_bytes(_rows()))
    assert FeedbackResponse.objects.count() == 8
    assert not Case.objects.exists()


def test_rule_matching_in_python_and_in_sql_agree(region):
    import_file(csv_bytes(_rows()))
    for rule in CaseRule.objects.all():
        in_sql = set(FeedbackResponse.objects.filter(rule.condition()).values_list("pk", flat=True))
        in_python = {r.pk for r in FeedbackResponse.objects.all() if rule.matches(r)}
        assert in_sql == in_python, rule.title
        assert in_sql, rule.title


def test_a_catch_all_rule_opens_a_case_for_every_response(region):
    CaseRule.objects.create(title="Все", order=99)
    import_file(csv_bytes(_rows()))
    assert Case.objects.count() == 8
    assert Case.objects.get(response__external_id="good").rule.title == "Все"
    # Earlier rules still win where they match.
    assert Case.objects.get(response__external_id="complaint").rule.title == "Жалоба клиента"


def test_reimporting_a_file_opens_no_second_case(region):
    import_file(csv_bytes(_rows()))
    again = import_file(csv_bytes(_rows()), name="повтор.csv")
    assert again.rows_duplicate == 8
    assert Case.objects.count() == 4


def test_opening_twice_for_one_batch_adds_nothing(region):
    batch = import_file(csv_bytes(_rows()))
    assert services.cases_open_for_batch(batch=batch) == 0
    assert Case.objects.count() == 4


def test_a_failing_import_leaves_no_case(region, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("slices broke after the cases")

    original = feedback_services.cases_open_for_batch

    def open_then_fail(*, batch):
        original(batch=batch)
        assert Case.objects.count() == 4  # written inside the import's transaction
        raise RuntimeError("the import fails after the cases were opened")

    monkeypatch.setattr(feedback_services, "cases_open_for_batch", open_then_fail)
    batch = import_file(csv_bytes(_rows()))
    assert batch.status == ImportBatch.Status.FAILED
    assert not FeedbackResponse.objects.exists()
    assert not Case.objects.exists()
    assert not Case.history.exists()


def test_a_rollback_removes_the_cases_nobody_worked_on(region, administrator):
    batch = import_file(csv_bytes(_rows()))
    feedback_services.batch_rollback(batch=batch, user=administrator)
    assert not FeedbackResponse.objects.exists()
    assert not Case.objects.exists()
    assert Case.history.filter(history_type="-").count() == 4


def test_a_rollback_keeps_a_case_someone_worked_on(region, administrator, head):
    batch = import_file(csv_bytes(_rows()))
    worked = Case.objects.get(response__external_id="csat")
    services.case_update(
        case=worked,
        user=head,
        version=worked.version,
        status=Case.Status.IN_PROGRESS,
        assignee=head,
        action_taken="",
        contacted_back=True,
    )
    feedback_services.batch_rollback(batch=batch, user=administrator)
    assert not FeedbackResponse.objects.exists()
    kept = Case.objects.get()
    assert kept.pk == worked.pk
    assert kept.response is None
    assert kept.response_removed
    assert kept.status == Case.Status.IN_PROGRESS
    assert kept.history.first().history_change_reason == "откат импорта"


def test_sla_of_zero_or_less_is_a_loud_error(settings):
    for days in (0, -3):
        settings.CASE_SLA_WORKING_DAYS = days
        with pytest.raises(ImproperlyConfigured, match="CASE_SLA_WORKING_DAYS"):
            services.sla_working_days()


def test_sla_of_zero_in_the_environment_stops_the_start(monkeypatch):
    from kb_portal.env import env_int

    monkeypatch.setenv("CASE_SLA_WORKING_DAYS", "0")
    with pytest.raises(ImproperlyConfigured, match="CASE_SLA_WORKING_DAYS"):
        env_int("CASE_SLA_WORKING_DAYS", 5, minimum=1)


def test_an_import_with_a_bad_sla_fails_whole(region, settings):
    settings.CASE_SLA_WORKING_DAYS = 0
    batch = import_file(csv_bytes(_rows()))
    assert batch.status == ImportBatch.Status.FAILED
    assert not FeedbackResponse.objects.exists()
    assert not Case.objects.exists()


def test_working_days_skip_the_weekend():
    import datetime as dt

    friday = dt.date(2026, 3, 13)
    assert services.working_days_add(friday, 1) == dt.date(2026, 3, 16)
    assert services.working_days_add(friday, 5) == dt.date(2026, 3, 20)
