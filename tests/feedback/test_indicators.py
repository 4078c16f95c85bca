"""Operational indicators go through the same import; a re-import updates values."""

import datetime as dt
from decimal import Decimal

import pytest

from feedback import services
from feedback.models import ImportBatch, OperationalIndicator
from tests.feedback.factories import INDICATOR_HEADERS, csv_bytes, import_file, xlsx_bytes

pytestmark = pytest.mark.django_db


def _file(rows, **kwargs):
    return csv_bytes(rows, headers=INDICATOR_HEADERS, **kwargs)


def _values():
    return sorted(OperationalIndicator.objects.values_list("month", "code", "value"))


def test_indicators_are_imported_by_label_or_code(office):
    content = _file(
        [
            ["ЦЗН Ленинского района", "03.2026", "число обращений", "1 250"],
            ["czn-leninskij", "2026-03", "on_time_share", "97,5"],
            ["ЦЗН Ленинского района", "март 2026", "Среднее время ожидания, мин", "12.25"],
        ]
    )
    batch = import_file(content, name="показатели.csv", kind="indicators")
    assert (batch.status, batch.rows_imported, batch.rows_rejected) == ("imported", 3, 0)
    march = dt.date(2026, 3, 1)
    assert _values() == [
        (march, "contacts", Decimal("1250.00")),
        (march, "on_time_share", Decimal("97.50")),
        (march, "wait_minutes", Decimal("12.25")),
    ]
    assert set(OperationalIndicator.objects.values_list("batch", flat=True)) == {batch.pk}


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (["Марс", "03.2026", "contacts", "1"], "неизвестное подразделение «Марс»"),
        (["czn-leninskij", "13.2026", "contacts", "1"], "Месяц: «13.2026» — не месяц"),
        (["czn-leninskij", "03.2026", "улыбки", "1"], "Показатель: неизвестное значение «улыбки»"),
        (["czn-leninskij", "03.2026", "contacts", "много"], "Значение: «много» — не число"),
        (["czn-leninskij", "03.2026", "contacts", "-5"], "вне допустимых пределов"),
        (["czn-leninskij", "03.2026", "on_time_share", "120"], "не может быть больше 100"),
        (["czn-leninskij", "03.2026", "contacts", ""], "Значение: не указано"),
    ],
)
def test_bad_indicator_rows_are_rejected_with_a_reason(office, row, reason):
    batch = import_file(_file([row]), kind="indicators")
    assert batch.rows_rejected == 1
    assert reason in batch.rejected_rows.get().reasons


def test_reimport_updates_the_value_and_rollback_restores_the_old_one(office, manager):
    first = import_file(_file([["czn-leninskij", "03.2026", "contacts", "100"]]), kind="indicators")
    second = import_file(
        _file(
            [
                ["czn-leninskij", "03.2026", "contacts", "120"],
                ["czn-leninskij", "03.2026", "complaints", "3"],
            ]
        ),
        kind="indicators",
    )
    assert (second.rows_imported, second.rows_updated, second.rows_duplicate) == (2, 1, 0)
    assert OperationalIndicator.objects.get(code="contacts").value == Decimal("120.00")

    services.batch_rollback(batch=second, user=manager)
    indicator = OperationalIndicator.objects.get()
    assert (indicator.code, indicator.value, indicator.batch) == (
        "contacts",
        Decimal("100.00"),
        first,
    )


def test_the_same_values_again_are_duplicates(office):
    content = _file([["czn-leninskij", "03.2026", "contacts", "100"]])
    import_file(content, kind="indicators")
    again = import_file(content, kind="indicators")
    assert (again.rows_imported, again.rows_duplicate) == (0, 1)


def test_one_key_twice_in_a_file_with_different_values_is_rejected(office):
    batch = import_file(
        _file(
            [
                ["czn-leninskij", "03.2026", "contacts", "100"],
                ["czn-leninskij", "03.2026", "contacts", "100"],
                ["czn-leninskij", "03.2026", "contacts", "200"],
            ]
        ),
        kind="indicators",
    )
    assert (batch.rows_imported, batch.rows_duplicate, batch.rows_rejected) == (1, 1, 1)
    assert "строке 2" in batch.rejected_rows.get().reasons


def test_indicators_from_xlsx_with_date_cells(office):
    content = xlsx_bytes(
        [["czn-leninskij", dt.datetime(2026, 4, 1), "contacts", 80]], headers=INDICATOR_HEADERS
    )
    batch = import_file(content, name="показатели.xlsx", kind="indicators")
    assert batch.kind == ImportBatch.Kind.INDICATORS
    assert _values() == [(dt.date(2026, 4, 1), "contacts", Decimal("80.00"))]
