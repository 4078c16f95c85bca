"""manage.py import_kb: a ZIP or a folder of the server, --section, --dry-run."""

import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Section
from kbimport.models import KbImportBatch
from tests.articles.files import docx
from tests.factories import make_section
from tests.kbimport.factories import sample_tree, zip_bytes

pytestmark = pytest.mark.django_db


def _run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_kb", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_zip_is_imported_under_a_section(tmp_path, administrator):
    root = make_section("Управление клиентским опытом", slug="cx")
    path = tmp_path / "диск.zip"
    path.write_bytes(zip_bytes(sample_tree()))
    out, err = _run(str(path), "--section", "cx", "--user", "administrator")
    assert "создано разделов — 3, материалов — 4" in out
    assert "материал: База/02_Обучение/Скрипт_звонка.txt → «Скрипт звонка»" in out
    assert "извлечение текста" in err  # the progress bar
    assert Section.objects.get(title="База").parent == root
    batch = KbImportBatch.objects.get()
    assert (batch.status, batch.created_by, batch.original_name) == (
        KbImportBatch.Status.IMPORTED,
        administrator,
        "диск.zip",
    )
    out, _err = _run(str(path), "--section", "cx")
    assert "проверен: будет создано разделов — 0, материалов — 0" in out  # nothing to write
    assert Article.objects.count() == 4


def test_the_dry_run_only_reports(tmp_path):
    path = tmp_path / "диск.zip"
    path.write_bytes(zip_bytes({**sample_tree(), "База/Вирус.exe": b"MZ"}))
    out, _err = _run(str(path), "--dry-run")
    assert "проверен: будет создано разделов — 3, материалов — 4" in out
    assert "пропущен: База/Вирус.exe — Файлы .exe прикреплять нельзя" in out
    assert not Article.all_objects.exists()
    assert KbImportBatch.objects.get().status == KbImportBatch.Status.CHECKED


def test_a_folder_is_imported_with_the_files_dates(tmp_path):
    folder = tmp_path / "Общий диск"
    (folder / "01_Методики").mkdir(parents=True)
    memo = folder / "01_Методики" / "Памятка_специалисту - копия.docx"
    memo.write_bytes(docx("Памятка специалисту"))
    os.utime(memo, (1_735_689_600, 1_735_689_600))  # 1 January 2025, 00:00 UTC
    (folder / "01_Методики" / "desktop.ini").write_text("[.ShellClassInfo]")
    out, _err = _run(str(folder))
    assert "создано разделов — 1, материалов — 1" in out
    article = Article.objects.get()
    assert (article.title, article.section.title) == ("Памятка специалисту", "Методики")
    assert article.updated_at.timestamp() == 1_735_689_600
    batch = KbImportBatch.objects.get()
    assert batch.source_path == str(folder.resolve())
    assert batch.files_skipped == 1
    memo.write_bytes(docx("Памятка специалисту, вторая редакция"))
    out, _err = _run(str(folder))
    assert "новых версий — 1" in out
    assert Article.objects.get().version == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Укажите ZIP-архив или папку"),
        (("/nonexistent/диск.zip",), "не найден"),
        (("{zip}", "--section", "nope"), "Раздел с адресом «nope» не найден"),
        (("{zip}", "--user", "nobody"), "Пользователь nobody не найден"),
        (("{bad}",), "Файл не похож на ZIP-архив"),
    ],
)
def test_bad_arguments_are_refused_in_russian(tmp_path, args, message):
    good, bad = tmp_path / "a.zip", tmp_path / "b.zip"
    good.write_bytes(zip_bytes(sample_tree()))
    bad.write_bytes(b"not a zip")
    args = [arg.format(zip=good, bad=bad) for arg in args]
    with pytest.raises(CommandError, match=message):
        _run(*args)
    assert not Article.all_objects.exists()


def test_the_web_imports_phase_runs_through_the_command(settings, administrator):
    from tests.kbimport.factories import import_zip

    settings.KB_IMPORT_RUNNER = "subprocess"  # queued, not run: the command runs it
    batch = import_zip(zip_bytes(sample_tree()), user=administrator, confirm=False)
    assert batch.status == KbImportBatch.Status.CHECKING
    out, _err = _run("--batch", str(batch.pk), "--phase", "check")
    assert f"Импорт №{batch.pk} проверен: будет создано разделов — 3" in out
    out, _err = _run("--batch", str(batch.pk), "--phase", "check")  # a second job: nothing
    assert Article.all_objects.count() == 0
