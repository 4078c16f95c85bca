"""Validation, dedup, writing and rollback of feedback imports, through the services."""

import datetime as dt
from unittest import mock

import pytest

from feedback import services
from feedback.aggregates import slices_refresh
from feedback.models import FeedbackResponse, ImportBatch, MonthlySlice, RejectedRow
from tests.feedback.factories import (
    HEADERS,
    INDICATOR_HEADERS,
    csv_bytes,
    feedback_row,
    import_file,
    with_computed_values,
    xlsx_book,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


def _slices():
    fields = [f.name for f in MonthlySlice._meta.fields if f.name != "id"]
    return sorted(MonthlySlice.objects.values_list(*fields))


def _assert_slices_match_raw():
    """The slices the import left equal the slices rebuilt from all responses."""
    left = _slices()
    slices_refresh()
    assert left == _slices()


def _reasons(batch):
    return dict(RejectedRow.objects.filter(batch=batch).values_list("row_number", "reasons"))


def test_good_rows_are_written_with_their_values(office, service):
    content = csv_bytes(
        [
            feedback_row(
                external_id="Q-1",
                source="ЕЦП «Работа России»",
                submitted_at="31.03.2026 23:30",
                client_group="Молодёжь/студент",
                service="содействие в поиске подходящей работы",
                channel="ЕПГУ",
                nps="10",
                comment="  Очень   помогли  ",
            )
        ]
    )
    batch = import_file(content)
    assert (batch.status, batch.rows_imported, batch.rows_rejected) == ("imported", 1, 0)
    response = FeedbackResponse.objects.get()
    assert response.batch == batch
    assert (response.source, response.external_id, response.channel) == ("ecp", "Q-1", "epgu")
    assert (response.client_group, response.service, response.office) == ("youth", service, office)
    assert (response.csat, response.nps, response.problem_solved) == (5, 10, "yes")
    assert response.comment == "Очень помогли"
    # 23:30 in Samara on 31 March is still March, whatever the UTC date.
    assert response.month == dt.date(2026, 3, 1)
    assert response.submitted_at == dt.datetime(2026, 3, 31, 19, 30, tzinfo=dt.UTC)
    assert MonthlySlice.objects.get().responses == 1


def test_a_blank_score_is_no_answer_never_zero(office):
    batch = import_file(csv_bytes([feedback_row(csat="", nps="", waiting="", on_time="")]))
    response = FeedbackResponse.objects.get(batch=batch)
    assert (response.csat, response.nps, response.waiting, response.on_time) == (
        None,
        None,
        None,
        None,
    )
    assert response.politeness == 5
    row = MonthlySlice.objects.get()
    assert (row.responses, row.csat_n, row.nps_n, row.politeness_n) == (1, 0, 0, 1)


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"submitted_at": "32.13.2025"}, "Дата ответа: «32.13.2025» — не дата"),
        ({"submitted_at": "вчера"}, "Дата ответа: «вчера» — не дата"),
        ({"submitted_at": "01.01.2099"}, "дата в будущем"),
        ({"submitted_at": ""}, "Дата ответа: не указана"),
        ({"csat": "6"}, "Удовлетворённость (CSAT): 6 — вне диапазона 1–5"),
        ({"politeness": "0"}, "Вежливость: 0 — вне диапазона 1–5"),
        ({"nps": "11"}, "Готовность рекомендовать (NPS): 11 — вне диапазона 0–10"),
        # Quoted as typed, with the comma, not as the number it was read as.
        ({"ces": "4,5"}, "Лёгкость (CES): «4,5» — не целое число от 1 до 5"),
        ({"ces": "6,0"}, "Лёгкость (CES): 6,0 — вне диапазона 1–5"),
        ({"submitted_at": "01.01.2099"}, "Дата ответа: «01.01.2099» — дата в будущем"),
        ({"competence": "хорошо"}, "Компетентность: «хорошо» — не целое число"),
        ({"office": "ЦЗН Ленинскго района"}, "Возможно, имелось в виду «ЦЗН Ленинского района»"),
        ({"office": "Марс"}, "неизвестное подразделение «Марс»"),
        ({"client_group": "пенсионер"}, "Группа клиентов: неизвестное значение «пенсионер»"),
        ({"channel": "почта"}, "Канал: неизвестное значение «почта». Допустимые значения: очно"),
        ({"source": "газета"}, "Источник: неизвестное значение «газета»"),
        ({"service": "Полёт на Луну"}, "Услуга: неизвестная услуга «Полёт на Луну»"),
        ({"client_type": ""}, "Тип клиента: не указано"),
        ({"on_time": "может быть"}, "Услуга в срок: «может быть» — ожидается «да» или «нет»"),
        ({"external_id": "x" * 101}, "Номер в источнике: длиннее 100 знаков"),
    ],
)
def test_each_bad_row_is_rejected_with_its_row_number_and_reason(office, service, values, reason):
    content = csv_bytes([feedback_row(), feedback_row(**values), feedback_row()])
    batch = import_file(content)
    assert (batch.rows_read, batch.rows_imported, batch.rows_rejected) == (3, 2, 1)
    reasons = _reasons(batch)
    assert list(reasons) == [3]  # the header is row 1
    assert reason in reasons[3]


def test_all_reasons_of_a_row_are_listed(office):
    batch = import_file(csv_bytes([feedback_row(csat="7", nps="-1", channel="голубь")]))
    reasons = _reasons(batch)[2].splitlines()
    assert len(reasons) == 3


def test_employers_may_leave_the_client_group_blank(office):
    import_file(csv_bytes([feedback_row(client_type="работодатель", client_group="")]))
    assert FeedbackResponse.objects.get().client_group == "other"


def test_the_same_file_twice_never_duplicates(office):
    content = csv_bytes([feedback_row(external_id="1"), feedback_row(external_id="2")])
    first = import_file(content)
    second = import_file(content)
    assert (first.rows_imported, first.rows_duplicate) == (2, 0)
    assert (second.rows_imported, second.rows_duplicate, second.rows_to_import) == (0, 2, 0)
    assert FeedbackResponse.objects.count() == 2
    _assert_slices_match_raw()


def test_an_overlapping_export_without_ids_adds_only_the_new_rows(office):
    old = [feedback_row(external_id="", submitted_at=f"0{day}.03.2026 10:00") for day in (1, 2)]
    new = [feedback_row(external_id="", submitted_at="03.03.2026 10:00")]
    import_file(csv_bytes(old))
    batch = import_file(csv_bytes(old + new))
    assert (batch.rows_read, batch.rows_imported, batch.rows_duplicate) == (3, 1, 2)
    assert FeedbackResponse.objects.count() == 3


def test_repeats_within_one_file_count_as_duplicates(office):
    row = feedback_row(external_id="same")
    batch = import_file(csv_bytes([row, row, feedback_row(external_id="other")]))
    assert (batch.rows_imported, batch.rows_duplicate) == (2, 1)


def test_the_same_id_from_another_source_is_another_response(office):
    rows = [
        feedback_row(external_id="7", source="анкета"),
        feedback_row(external_id="7", source="QR"),
    ]
    assert import_file(csv_bytes(rows)).rows_imported == 2


def test_validation_shows_counts_and_writes_nothing(office):
    import_file(csv_bytes([feedback_row(external_id="old")]))
    content = csv_bytes(
        [feedback_row(external_id="old"), feedback_row(external_id="new"), feedback_row(csat="9")]
    )
    batch = import_file(content, confirm=False)
    assert batch.status == ImportBatch.Status.VALIDATED
    assert (batch.rows_read, batch.rows_duplicate, batch.rows_rejected) == (3, 1, 1)
    assert batch.rows_to_import == 1
    assert FeedbackResponse.objects.count() == 1
    assert batch.rejected_rows.count() == 1  # downloadable before confirming


def test_a_row_written_by_another_import_meanwhile_is_skipped_not_doubled(office):
    """Two imports at once: the unique key with ON CONFLICT DO NOTHING skips the row."""
    content = csv_bytes([feedback_row(external_id="race"), feedback_row(external_id="mine")])
    batch = import_file(content, confirm=False)
    assert batch.rows_to_import == 2
    import_file(csv_bytes([feedback_row(external_id="race")]))  # the other import wins
    services.batch_confirm(batch=batch)
    batch.refresh_from_db()
    assert (batch.rows_imported, batch.rows_duplicate) == (1, 1)
    assert FeedbackResponse.objects.filter(external_id="race").count() == 1


def test_nothing_is_half_saved_when_writing_fails(office, other_office):
    import_file(csv_bytes([feedback_row(external_id="before")]))
    slices_before = _slices()
    content = csv_bytes(
        [feedback_row(external_id=str(i), office="ЦЗН Кировского района") for i in range(30)]
    )
    batch = import_file(content, confirm=False)
    real_write = services._ResponseWriter.write
    calls = []

    def failing_write(self, rows, topics=None):
        calls.append(len(rows))
        # some rows (and their topic links) reach the tables…
        real_write(self, rows[:10], None if topics is None else topics[:10])
        raise RuntimeError("disk full")  # …then the database gives up

    with mock.patch.object(services._ResponseWriter, "write", failing_write):
        services.batch_confirm(batch=batch)
    batch.refresh_from_db()
    assert calls
    assert batch.status == ImportBatch.Status.FAILED
    assert "Ничего не записано" in batch.error
    assert FeedbackResponse.objects.count() == 1
    assert _slices() == slices_before
    assert batch.rows_imported == 0


def test_a_value_the_database_refuses_rolls_back_every_row(office):
    """A check constraint failing at write time (here forced) leaves nothing behind."""
    batch = import_file(csv_bytes([feedback_row(), feedback_row()]), confirm=False)
    real_check = services.checker_for

    def lenient(kind, mapping):
        checker = real_check(kind, mapping)
        original = checker.check

        def check(cells):
            values, reasons = original(cells)
            if values is not None and values["external_id"].endswith(("2", "4", "6", "8", "0")):
                values["csat"] = 9  # slips past validation, the database refuses it
            return values, reasons

        checker.check = check
        return checker

    with mock.patch.object(services, "checker_for", lenient):
        services.batch_confirm(batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert not FeedbackResponse.objects.exists()
    assert not MonthlySlice.objects.exists()


def test_xlsx_with_real_dates_and_numbers_imports(office):
    rows = [
        feedback_row(submitted_at=dt.datetime(2026, 2, 10, 9, 15), csat=4, nps=8, external_id=1),
        feedback_row(submitted_at=dt.date(2026, 2, 11), csat=None, external_id=2.0),
    ]
    batch = import_file(xlsx_bytes(rows), name="отзывы.xlsx")
    assert (batch.rows_imported, batch.rows_rejected) == (2, 0), _reasons(batch)
    assert sorted(FeedbackResponse.objects.values_list("external_id", "csat")) == [
        ("1", 4),
        ("2", None),
    ]


def test_a_date_cell_out_of_range_is_quoted_as_the_sheet_shows_it(office):
    rows = [
        feedback_row(submitted_at=dt.datetime(2099, 1, 1, 10, 30)),
        feedback_row(submitted_at=dt.date(1999, 12, 31)),
    ]
    batch = import_file(xlsx_bytes(rows), name="отзывы.xlsx")
    reasons = _reasons(batch)
    assert "Дата ответа: «01.01.2099 10:30» — дата в будущем" in reasons[2]
    assert "Дата ответа: «31.12.1999» — дата в будущем или раньше 2000 года" in reasons[3]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ";"), ("utf-8-sig", ","), ("cp1251", ";"), ("cp1251", ",")],
)
def test_every_encoding_and_delimiter_imports_the_same(office, encoding, delimiter):
    content = csv_bytes(
        [feedback_row(comment="Ждал, но помогли; спасибо", client_group="предпенсионер 50+")],
        encoding=encoding,
        delimiter=delimiter,
    )
    batch = import_file(content)
    assert batch.rows_imported == 1
    response = FeedbackResponse.objects.get()
    assert (response.comment, response.client_group) == (
        "Ждал, но помогли; спасибо",
        "pre_retirement",
    )


def test_other_headers_are_mapped_by_the_person(office):
    headers = ["Дата", "ЦЗН", "Тип", "Категория", "Канал обращения", "Откуда", "Оценка"]
    content = csv_bytes(
        [["15.03.2026", "czn-leninskij", "гражданин", "безработный", "очно", "анкета", "4"]],
        headers=headers,
    )
    file_batch = import_file(content, confirm=False)
    assert services.mapping_missing("feedback", file_batch.mapping["columns"]) == ["Источник"]
    columns = {**file_batch.mapping["columns"], "source": 5}
    services.batch_map(batch=file_batch, columns=columns)
    file_batch.refresh_from_db()
    assert file_batch.rows_to_import == 1
    services.batch_confirm(batch=file_batch)
    response = FeedbackResponse.objects.get()
    assert (response.office, response.csat, response.source) == (office, 4, "survey")


def test_rollback_removes_the_batch_and_its_slices_only(office, manager):
    keep = import_file(csv_bytes([feedback_row(external_id="keep", submitted_at="01.02.2026")]))
    batch = import_file(csv_bytes([feedback_row(external_id=str(i)) for i in range(5)]))
    assert FeedbackResponse.objects.count() == 6
    services.batch_rollback(batch=batch, user=manager)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.ROLLED_BACK
    assert (batch.rolled_back_by, batch.rolled_back_at is not None) == (manager, True)
    assert list(FeedbackResponse.objects.values_list("batch", flat=True)) == [keep.pk]
    assert list(MonthlySlice.objects.values_list("month", flat=True)) == [dt.date(2026, 2, 1)]
    _assert_slices_match_raw()
    with pytest.raises(services.RollbackError):
        services.batch_rollback(batch=batch, user=manager)


def test_after_rollback_the_same_file_imports_again(office, manager):
    content = csv_bytes([feedback_row(external_id="1")])
    services.batch_rollback(batch=import_file(content), user=manager)
    assert import_file(content).rows_imported == 1


def test_rejected_rows_keep_the_original_cells(office):
    row = feedback_row(csat="8", comment='=HYPERLINK("http://x","y")')
    batch = import_file(csv_bytes([row]))
    rejected = batch.rejected_rows.get()
    assert rejected.values == row
    assert len(rejected.values) == len(HEADERS)


def test_a_corrected_export_of_rejected_rows_imports_the_original_text(office):
    """Our export puts ' before =; importing the corrected file takes it off again."""
    import_file(csv_bytes([feedback_row(comment="'=)", external_id="z")]))
    assert FeedbackResponse.objects.get().comment == "=)"


def _formula_book(**values):
    """The template as a program writes it: formulas with no computed value."""
    return xlsx_book({"Данные": [HEADERS, feedback_row(**values)]}, formulas=True)


def test_a_formula_without_a_computed_value_rejects_the_row_saying_so(office):
    """Read blank, it would have been a silent «no answer»."""
    batch = import_file(_formula_book(csat="=4+1", comment="=A1"), name="отзывы.xlsx")
    assert (batch.rows_imported, batch.rows_rejected) == (0, 1)
    reasons = _reasons(batch)[2].splitlines()
    assert reasons == [
        "Удовлетворённость (CSAT): в ячейке формула «=4+1» без вычисленного значения — такой "
        "файл сохранила программа, а не Excel. Откройте файл в Excel, сохраните его и "
        "загрузите снова.",
        "Комментарий: в ячейке формула «=A1» без вычисленного значения — такой файл сохранила "
        "программа, а не Excel. Откройте файл в Excel, сохраните его и загрузите снова.",
    ]
    assert batch.rejected_rows.get().values[HEADERS.index("Комментарий")] == "=A1"


def test_a_formula_in_a_required_column_is_one_reason_not_two(office):
    batch = import_file(_formula_book(submitted_at="=TODAY()", nps="11"), name="отзывы.xlsx")
    reasons = _reasons(batch)[2].splitlines()
    assert len(reasons) == 2
    assert reasons[0].startswith("Дата ответа: в ячейке формула «=TODAY()»")
    assert "не указана" not in " ".join(reasons)
    assert "Готовность рекомендовать (NPS): 11 — вне диапазона 0–10" in reasons[1]


def test_a_formula_excel_computed_is_read_as_its_value(office):
    column = HEADERS.index("Удовлетворённость (CSAT)")
    reference = f"{chr(ord('A') + column)}2"
    content = with_computed_values(_formula_book(csat="=2+2"), {reference: 4})
    batch = import_file(content, name="отзывы.xlsx")
    assert (batch.rows_imported, batch.rows_rejected) == (1, 0), _reasons(batch)
    assert FeedbackResponse.objects.get().csat == 4


def test_a_formula_in_an_indicators_book_is_refused_too(office):
    rows = [INDICATOR_HEADERS, ["czn-leninskij", "03.2026", "contacts", "=SUM(B1:B9)"]]
    content = xlsx_book({"Показатели": rows}, formulas=True)
    batch = import_file(content, name="показатели.xlsx", kind="indicators")
    assert batch.rows_rejected == 1
    assert _reasons(batch)[2].startswith("Значение: в ячейке формула «=SUM(B1:B9)»")
    assert "не указано" not in _reasons(batch)[2]


def test_indicator_values_are_quoted_as_typed(office):
    content = csv_bytes(
        [["czn-leninskij", "03.2026", "contacts", "-1 250,5"]], headers=INDICATOR_HEADERS
    )
    batch = import_file(content, kind="indicators")
    assert "Значение: «-1 250,5» — вне допустимых пределов" in _reasons(batch)[2]


def test_a_group_written_the_old_way_still_imports(office):
    """«инвалид» was the group's label before it was renamed; older files say so."""
    import_file(csv_bytes([feedback_row(client_group="инвалид")]))
    assert FeedbackResponse.objects.get().client_group == "disabled"
