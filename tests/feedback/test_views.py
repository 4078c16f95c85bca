"""The import pages: upload → mapping with preview → counts → confirm → rejected rows → rollback."""

import functools
import re
from unittest import mock

import pytest
from django.contrib.auth.models import User

from feedback import services
from feedback.models import FeedbackResponse, ImportBatch
from tests.factories import png_bytes
from tests.feedback.factories import (
    HEADERS,
    csv_bytes,
    feedback_row,
    import_file,
    read_table,
    upload,
    xlsx_book,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(manager):
    """Imports started by the manager the pages are looked at as."""
    return functools.partial(import_file, user=manager)


def _upload(client, content, name="отзывы.csv", kind="feedback"):
    return client.post("/feedback/imports/", {"kind": kind, "file": upload(content, name)})


def _mapping_data(response):
    form = response.context["form"]
    return {name: form[name].value() or "" for name in form.fields}


def test_the_whole_flow_from_upload_to_import(manager_client, office, manager):
    content = csv_bytes([feedback_row(external_id="1"), feedback_row(csat="6")])
    response = _upload(manager_client, content)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/feedback/imports/{batch.pk}/mapping/"
    assert (batch.created_by, batch.status, batch.original_name) == (
        manager,
        "uploaded",
        "отзывы.csv",
    )

    page = manager_client.get(response["Location"])
    assert page.status_code == 200
    assert "Первые строки файла" in page.text
    assert "Всё понятно объяснили" in page.text  # the preview
    response = manager_client.post(f"/feedback/imports/{batch.pk}/mapping/", _mapping_data(page))
    assert response["Location"] == f"/feedback/imports/{batch.pk}/"

    page = manager_client.get(response["Location"])
    assert "Итог проверки" in page.text
    assert "Записать 1 строку" in page.text
    assert "Удовлетворённость (CSAT): 6 — вне диапазона 1–5." in page.text
    assert not FeedbackResponse.objects.exists()

    response = manager_client.post(f"/feedback/imports/{batch.pk}/confirm/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.rows_imported, batch.rows_rejected) == ("imported", 1, 1)
    page = manager_client.get(f"/feedback/imports/{batch.pk}/")
    assert "Итог импорта" in page.text
    assert "Откатить этот импорт" in page.text


def test_confirming_twice_imports_once(manager_client, office, mine):
    batch = mine(csv_bytes([feedback_row()]), confirm=False)
    manager_client.post(f"/feedback/imports/{batch.pk}/confirm/")
    response = manager_client.post(f"/feedback/imports/{batch.pk}/confirm/", follow=True)
    assert "не ждёт подтверждения" in response.text
    assert FeedbackResponse.objects.count() == 1


def test_the_mapping_step_requires_the_required_columns(manager_client, office):
    content = csv_bytes([["15.03.2026", "5"]], headers=["Когда", "Оценка"])
    response = _upload(manager_client, content)
    batch = ImportBatch.objects.get()
    page = manager_client.get(response["Location"])
    data = _mapping_data(page)
    assert data["csat"] == "1"  # «Оценка» is an alias of CSAT
    data["submitted_at"] = "0"
    data["office"] = "0"  # the same column twice
    response = manager_client.post(f"/feedback/imports/{batch.pk}/mapping/", data)
    assert response.status_code == 200
    assert "Обязательная колонка: выберите её в файле." in response.text
    assert "Эта колонка файла уже выбрана для «Дата ответа»." in response.text
    batch.refresh_from_db()
    assert batch.status == "uploaded"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "a.csv", "Файл пустой (0 байт)."),
        (png_bytes(), "a.csv", "Файл не похож на таблицу"),
        (csv_bytes([]), "a.csv", "В файле нет строк с данными: только заголовок."),
        ("a;b\r\n1;2\r\n".encode("utf-16"), "a.csv", "UTF-16"),
    ],
)
def test_a_bad_file_gets_a_russian_error_and_nothing_is_saved(
    manager_client, content, name, message
):
    response = _upload(manager_client, content, name)
    assert response.status_code == 200
    assert message in response.text
    assert not ImportBatch.objects.exists()


def test_a_file_over_the_limit_is_refused(manager_client, settings):
    settings.FEEDBACK_IMPORT_MAX_MB = 1
    response = _upload(manager_client, b"a;b\r\n" + b"1;2\r\n" * 300_000)
    assert "Файл больше 1 МБ" in response.text
    assert not ImportBatch.objects.exists()


def test_imported_values_are_shown_as_text(manager_client, office, mine):
    row = feedback_row(csat="9", comment="<script>alert(1)</script>", office="<b>ЦЗН</b>")
    batch = mine(csv_bytes([row]))
    page = manager_client.get(f"/feedback/imports/{batch.pk}/")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<b>ЦЗН</b>" not in page.text


@pytest.mark.parametrize(("fmt", "name"), [("csv", "отзывы.csv"), ("xlsx", "отзывы.xlsx")])
def test_rejected_rows_download_in_the_same_format_harmlessly(
    manager_client, office, fmt, name, mine
):
    rows = [feedback_row(csat="0", comment='=HYPERLINK("http://x","y")'), feedback_row()]
    content = xlsx_bytes(rows) if fmt == "xlsx" else csv_bytes(rows)
    batch = mine(content, name=name)
    response = manager_client.get(f"/feedback/imports/{batch.pk}/rejected.{fmt}")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    table = read_table(response.content, fmt)
    assert table[0] == [*HEADERS, "Причина"]
    assert len(table) == 2
    # CSV needs the apostrophe; XLSX holds the text as typed, in a string cell.
    prefix = "'" if fmt == "csv" else ""
    assert table[1][-2] == prefix + '=HYPERLINK("http://x","y")'
    assert "вне диапазона" in table[1][-1]


def test_a_corrected_rejected_file_reimports_without_duplicates(manager_client, office, mine):
    batch = mine(
        csv_bytes([feedback_row(external_id="ok"), feedback_row(external_id="bad", csat="0")])
    )
    table = read_table(
        manager_client.get(f"/feedback/imports/{batch.pk}/rejected.csv").content, "csv"
    )
    fixed = [row[: len(HEADERS)] for row in table[1:]]
    fixed[0][HEADERS.index("Удовлетворённость (CSAT)")] = "4"
    again = mine(csv_bytes(fixed))
    assert (again.rows_imported, again.rows_rejected) == (1, 0)
    assert FeedbackResponse.objects.count() == 2


@pytest.mark.parametrize("kind", ["feedback", "indicators"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_templates_download_and_import_as_they_are(manager_client, office, kind, fmt, mine):
    response = manager_client.get(f"/feedback/imports/template/{kind}.{fmt}")
    assert response.status_code == 200
    batch = mine(response.content, name=f"t.{fmt}", kind=kind, confirm=False)
    assert batch.status == "validated"
    assert batch.rows_read == 1
    assert services.mapping_missing(kind, batch.mapping["columns"]) == []


def test_unknown_template_is_404(manager_client):
    assert manager_client.get("/feedback/imports/template/feedback.pdf").status_code == 404


def test_rollback_asks_first_then_rolls_back_on_post(manager_client, office, mine):
    batch = mine(csv_bytes([feedback_row(), feedback_row()]))
    page = manager_client.get(f"/feedback/imports/{batch.pk}/rollback/")
    assert "Будет удалено 2 отзывов" in page.text or "Будет удалено 2 отзыва" in page.text
    assert FeedbackResponse.objects.count() == 2
    response = manager_client.post(f"/feedback/imports/{batch.pk}/rollback/", follow=True)
    assert "Импорт откачен" in response.text
    assert not FeedbackResponse.objects.exists()
    batch.refresh_from_db()
    assert batch.status == "rolled_back"
    assert "откачен" in manager_client.get("/feedback/imports/").text


def test_a_running_import_page_refreshes_itself(manager_client, office, mine):
    batch = mine(csv_bytes([feedback_row()]), confirm=False)
    ImportBatch.objects.filter(pk=batch.pk).update(status="running", rows_processed=1)
    page = manager_client.get(f"/feedback/imports/{batch.pk}/")
    assert re.search(r'<meta http-equiv="refresh" content="\d+">', page.text)
    assert "обработано 1 из 1 строки" in page.text
    ImportBatch.objects.filter(pk=batch.pk).update(status="imported")
    assert "http-equiv" not in manager_client.get(f"/feedback/imports/{batch.pk}/").text


def test_a_failed_import_says_why(manager_client, office, mine):
    batch = mine(csv_bytes([feedback_row()]), confirm=False)
    services.batch_fail(batch, "Строка 5 не читается", phase="write")
    page = manager_client.get(f"/feedback/imports/{batch.pk}/")
    assert "Строка 5 не читается" in page.text
    assert "Ничего не записано." in page.text


def test_the_original_file_is_served_only_through_the_view(manager_client, office, mine):
    content = csv_bytes([feedback_row()])
    batch = mine(content)
    response = manager_client.get(f"/feedback/imports/{batch.pk}/file/")
    assert b"".join(response.streaming_content) == content
    assert "sandbox" in response["Content-Security-Policy"]


def test_the_web_import_runs_in_a_separate_process_by_default(
    manager_client, office, settings, mine
):
    batch = mine(csv_bytes([feedback_row()]), confirm=False)
    settings.FEEDBACK_IMPORT_RUNNER = "subprocess"
    with (
        mock.patch("feedback.services.subprocess.Popen") as popen,
        mock.patch("feedback.services.transaction.on_commit", lambda func: func()),
    ):
        manager_client.post(f"/feedback/imports/{batch.pk}/confirm/")
    command = popen.call_args.args[0]
    assert command[-5:] == ["import_feedback", "--batch", str(batch.pk), "--phase", "write"]
    assert popen.call_args.kwargs["start_new_session"] is True
    batch.refresh_from_db()
    assert batch.status == "running"  # the page shows progress until the process ends


def test_the_thread_runner_imports_too(client, office, settings, transactional_db):
    """For the development server: the job runs in a thread with its own connection."""
    # A transactional test may follow another that emptied the role groups.
    client.force_login(User.objects.create_superuser("root", password="x-1234-word"))
    batch = import_file(csv_bytes([feedback_row()]), confirm=False)
    settings.FEEDBACK_IMPORT_RUNNER = "thread"
    started = []
    with mock.patch(
        "feedback.services.threading.Thread.start", lambda thread: started.append(thread)
    ):
        client.post(f"/feedback/imports/{batch.pk}/confirm/")
    assert len(started) == 1
    started[0].run()  # what the thread would do, here, to keep the test deterministic
    batch.refresh_from_db()
    assert (batch.status, batch.rows_imported) == ("imported", 1)


def test_an_unknown_runner_fails_loudly(office, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.FEEDBACK_IMPORT_RUNNER = "celery"
    with pytest.raises(ImproperlyConfigured, match="FEEDBACK_IMPORT_RUNNER"):
        import_file(csv_bytes([feedback_row()]))


def _book_of_months():
    """Two visible sheets of responses, March active, and a hidden draft first."""
    return xlsx_book(
        {
            "Черновик": [HEADERS, feedback_row(external_id="draft", csat="1")],
            "Февраль": [HEADERS, feedback_row(external_id="feb", submitted_at="10.02.2026")],
            "Март": [HEADERS, *[feedback_row(external_id=f"mar-{i}") for i in range(2)]],
        },
        active=2,
        hidden=("Черновик",),
    )


def test_a_hidden_first_sheet_is_not_imported_and_the_page_names_the_sheet(
    manager_client, office, mine
):
    batch = mine(_book_of_months(), name="книга.xlsx")
    assert sorted(FeedbackResponse.objects.values_list("external_id", flat=True)) == [
        "mar-0",
        "mar-1",
    ]
    page = manager_client.get(f"/feedback/imports/{batch.pk}/")
    assert re.search(r"<dt>Лист</dt><dd>Март</dd>", page.text)


def test_the_mapping_step_offers_the_other_visible_sheets(manager_client, office):
    response = _upload(manager_client, _book_of_months(), name="книга.xlsx")
    batch = ImportBatch.objects.get()
    page = manager_client.get(response["Location"])
    assert "Первые строки файла — лист «Март»" in page.text
    choices = [value for value, _label in page.context["sheet_form"].fields["sheet"].choices]
    assert choices == ["Февраль", "Март"]  # never the hidden one
    assert "mar-0" in page.text and "feb" not in page.text

    response = manager_client.post(
        f"/feedback/imports/{batch.pk}/mapping/", {"sheet": "Февраль", "choose_sheet": "1"}
    )
    assert response["Location"] == f"/feedback/imports/{batch.pk}/mapping/"
    page = manager_client.get(response["Location"])
    assert "Первые строки файла — лист «Февраль»" in page.text
    assert "feb" in page.text
    manager_client.post(f"/feedback/imports/{batch.pk}/mapping/", _mapping_data(page))
    batch.refresh_from_db()
    assert (batch.status, batch.rows_read, batch.mapping["table"]["sheet"]) == (
        "validated",
        1,
        "Февраль",
    )
    manager_client.post(f"/feedback/imports/{batch.pk}/confirm/")
    assert list(FeedbackResponse.objects.values_list("external_id", flat=True)) == ["feb"]


def test_choosing_a_sheet_after_a_check_forgets_that_check(manager_client, office, mine):
    batch = mine(_book_of_months(), name="книга.xlsx", confirm=False)
    assert (batch.status, batch.rows_read) == ("validated", 2)
    manager_client.post(
        f"/feedback/imports/{batch.pk}/mapping/", {"sheet": "Февраль", "choose_sheet": "1"}
    )
    batch.refresh_from_db()
    assert (batch.status, batch.rows_read, batch.rows_rejected) == ("uploaded", 0, 0)


def test_a_hidden_or_unknown_sheet_cannot_be_chosen(manager_client, office, mine):
    batch = mine(_book_of_months(), name="книга.xlsx", confirm=False)
    response = manager_client.post(
        f"/feedback/imports/{batch.pk}/mapping/", {"sheet": "Черновик", "choose_sheet": "1"}
    )
    assert response.status_code == 200
    assert "В книге нет видимого листа с таким названием." in response.text
    batch.refresh_from_db()
    assert (batch.status, batch.mapping["table"]["sheet"]) == ("validated", "Март")


def test_a_book_of_one_visible_sheet_offers_no_choice(manager_client, office):
    content = xlsx_book({"Лист1": [HEADERS, feedback_row()]})
    response = _upload(manager_client, content, name="книга.xlsx")
    page = manager_client.get(response["Location"])
    assert page.context["sheet_form"] is None
    assert "Первые строки файла — лист «Лист1»" in page.text


def test_a_runaway_quote_in_a_csv_gets_a_russian_error(manager_client):
    lines = [";".join(HEADERS), '"кавычка открыта', "x" * 1_100_000]
    response = _upload(manager_client, "\r\n".join(lines).encode())
    assert response.status_code == 200
    assert "не читается как CSV: в ней ячейка длиннее" in response.text
    assert "field larger" not in response.text
    assert not ImportBatch.objects.exists()
