"""manage.py import_feedback: the same import for scripts and big files."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from feedback.models import FeedbackResponse, ImportBatch, OperationalIndicator
from tests.factories import png_bytes
from tests.feedback.factories import csv_bytes, feedback_row

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


def test_the_web_phases_run_through_the_command(tmp_path, office):
    from feedback import services
    from tests.feedback.factories import upload

    file = upload(csv_bytes([feedback_row()]))
    batch = services.batch_create(
        kind="feedback", upload=file, user=None, info=services.upload_inspect(file)
    )
    _run(batch=batch.pk, phase="validate")
    batch.refresh_from_db()
    assert batch.status == "validated"
    _run(batch=batch.pk, phase="write")
    batch.refresh_from_db()
    assert (batch.status, batch.rows_imported) == ("imported", 1)
