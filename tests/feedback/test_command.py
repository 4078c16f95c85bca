"""manage.py import_feedback: the same import for scripts and big files."""

import datetime as dt
import json
import os
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from feedback.models import FeedbackResponse, ImportBatch, OperationalIndicator
from tests.factories import png_bytes
from tests.feedback.factories import HEADERS, csv_bytes, feedback_row

pytestmark = pytest.mark.django_db


def _run(*args, **options):
    out, err = StringIO(), StringIO()
    call_command("import_feedback", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_it_imports_a_file_and_prints_the_counts(tmp_path, office, manager):
    path = tmp_path / "отзывы.csv"
    path.write_bytes(csv_bytes([feedback_row(), feedback_row(csat="0")]))
    out, _err = _run(str(path), user="manager")
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.created_by, batch.original_name) == (
        "imported",
        manager,
        "отзывы.csv",
    )
    assert "записано — 1" in out
    assert "отклонено — 1" in out
    assert "строка 3: Удовлетворённость (CSAT): 0 — вне диапазона 1–5." in out
    assert FeedbackResponse.objects.count() == 1


def test_the_progress_bar_is_drawn(tmp_path, office, monkeypatch):
    from feedback import services

    monkeypatch.setattr(services.Progress, "__init__", _eager_progress(services.Progress.__init__))
    path = tmp_path / "big.csv"
    path.write_bytes(csv_bytes([feedback_row() for _i in range(2500)]))
    _out, err = _run(str(path))
    assert "[" in err and "%" in err and "2 500 строк" in err


def _eager_progress(original):
    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.interval = 0

    return init


def test_dry_run_writes_nothing(tmp_path, office):
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes([feedback_row()]))
    out, _err = _run(str(path), dry_run=True)
    assert ImportBatch.objects.get().status == "validated"
    assert not FeedbackResponse.objects.exists()
    assert "прочитано строк — 1" in out


def test_indicators_with_a_mapping(tmp_path, office):
    path = tmp_path / "ind.csv"
    path.write_bytes(
        csv_bytes(
            [["czn-leninskij", "03.2026", "contacts", "5"]],
            headers=["ЦЗН", "Период", "Код", "Число"],
        )
    )
    mapping = json.dumps({"code": "Код", "value": "Число"}, ensure_ascii=False)
    _run(str(path), kind="indicators", mapping=mapping)
    assert OperationalIndicator.objects.get().value == 5


@pytest.mark.parametrize(
    ("content", "options", "message"),
    [
        (b"", {}, "0 байт"),
        (png_bytes(), {}, "не похож на таблицу"),
        (csv_bytes([["x"]], headers=["Что-то"]), {}, "не найдены обязательные колонки"),
        (csv_bytes([feedback_row()]), {"mapping": "{"}, "не JSON"),
        (csv_bytes([feedback_row()]), {"mapping": '{"csat": "Нет такой"}'}, "нет колонки"),
        (csv_bytes([feedback_row()]), {"user": "nobody"}, "не найден"),
    ],
)
def test_it_refuses_bad_input_and_saves_nothing(tmp_path, office, content, options, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        _run(str(path), **options)
    assert not ImportBatch.objects.exists()
    assert not FeedbackResponse.objects.exists()


def test_the_web_phases_run_through_the_command(tmp_path, office, settings):
    from feedback import services
    from tests.feedback.factories import upload

    settings.FEEDBACK_IMPORT_RUNNER = "subprocess"
    file = upload(csv_bytes([feedback_row()]))
    batch = services.batch_create(
        kind="feedback", upload=file, user=None, info=services.upload_inspect(file)
    )
    with mock.patch("feedback.services._spawn") as spawn:
        services.batch_map(batch=batch, columns=batch.mapping["columns"])
    spawn.assert_not_called()  # on commit: never, inside the test's transaction
    _run(batch=batch.pk, phase="validate")
    batch.refresh_from_db()
    assert batch.status == "validated"
    assert batch.runner_pid == os.getpid()  # who ran it is on the batch
    with mock.patch("feedback.services._spawn"):
        services.batch_confirm(batch=batch)
    _run(batch=batch.pk, phase="write")
    batch.refresh_from_db()
    assert (batch.status, batch.rows_imported) == ("imported", 1)


def test_a_phase_that_is_not_queued_is_not_run(office):
    """A second job for the same phase (or one for a cancelled batch) does nothing."""
    from tests.feedback.factories import import_file

    batch = import_file(csv_bytes([feedback_row()]), confirm=False)
    _run(batch=batch.pk, phase="write")  # validated, but nobody confirmed it
    batch.refresh_from_db()
    assert batch.status == "validated"
    assert not FeedbackResponse.objects.exists()


def test_check_marks_the_imports_whose_job_is_gone(office, settings):
    from feedback import services
    from tests.feedback.factories import import_file

    batch = import_file(csv_bytes([feedback_row()]), confirm=False)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status="running", phase="write", runner_pid=None, heartbeat_at=timezone.now()
    )
    out, _err = _run(check=True)
    assert "Прерванных импортов нет" in out
    ImportBatch.objects.filter(pk=batch.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(seconds=services.stale_seconds() + 1)
    )
    out, _err = _run(check=True)
    assert f"Импорт №{batch.pk}: Обработка прервалась: фоновая задача не запустилась" in out
    assert ImportBatch.objects.get(pk=batch.pk).status == "failed"


def test_it_reads_the_sheet_it_is_told(tmp_path, office):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "Пусто"
    data = workbook.create_sheet("Март")
    data.append(HEADERS)
    data.append(feedback_row())
    path = tmp_path / "книга.xlsx"
    workbook.save(path)
    with pytest.raises(
        CommandError, match="нет видимого листа «Апрель»; видимые листы: Пусто, Март"
    ):
        _run(str(path), sheet="Апрель")
    assert not ImportBatch.objects.exists()
    _run(str(path), sheet="Март")
    assert FeedbackResponse.objects.count() == 1
    assert ImportBatch.objects.get().mapping["table"]["sheet"] == "Март"
