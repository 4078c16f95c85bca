"""The import itself: the tree kept, drafts with their files and text, the
dry run, re-imports, new versions and what is skipped and why."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from articles.models import Article, Attachment, Section
from articles.services import section_trash
from kbimport import services
from kbimport.models import ImportedFile, ImportedFolder, KbImportBatch
from search.models import SearchDocument
from tests.articles.files import docx, pdf
from tests.factories import make_section
from tests.kbimport.factories import import_zip, sample_tree, zip_bytes

pytestmark = pytest.mark.django_db


def _tree():
    return [
        (section.level, section.title)
        for section in Section.objects.all()  # tree order
    ]


def test_folders_become_sections_and_files_draft_articles(administrator):
    batch = import_zip(zip_bytes(sample_tree()), user=administrator)
    assert batch.status == KbImportBatch.Status.IMPORTED, batch.error
    assert _tree() == [(0, "База"), (1, "Нормативные документы"), (1, "Обучение")]
    articles = {a.title: a for a in Article.objects.select_related("section")}
    assert set(articles) == {"Регламент приёма", "Приказ", "Презентация", "Скрипт звонка"}
    assert all(a.status == Article.Status.DRAFT for a in articles.values())
    assert articles["Регламент приёма"].section.title == "Нормативные документы"
    assert articles["Презентация"].kind == Article.Kind.PRESENTATION
    assert articles["Приказ"].kind == Article.Kind.DOCUMENT
    (attachment,) = articles["Регламент приёма"].attachments.all()
    assert attachment.original_name == "Регламент_приёма.pdf"
    assert attachment.kind == "document"
    assert attachment.extraction_status == Attachment.ExtractionStatus.OK
    assert "Регламент приёма граждан" in attachment.extracted_text
    assert default_storage.exists(attachment.file.name)
    # The file's date (ZIP entry, local time) is the article's date, in history too.
    expected = timezone.make_aware(dt.datetime(2025, 3, 14, 10, 30))
    assert articles["Приказ"].updated_at == expected
    assert articles["Приказ"].history.get().updated_at == expected
    assert articles["Приказ"].history.get().history_user == administrator
    assert "Импорт базы знаний №" in articles["Приказ"].history.get().history_change_reason
    # Searchable at once (the index is written in the same transaction).
    assert SearchDocument.objects.filter(article__in=articles.values()).count() == 4
    assert (batch.sections_created, batch.articles_created, batch.files_skipped) == (3, 4, 0)
    assert not batch.file  # the archive is not kept once imported


def test_the_tree_goes_under_the_chosen_section_and_into_its_namesakes():
    root = make_section("Управление клиентским опытом")
    existing = make_section("Обучение", parent=root)
    tree = {
        "Обучение/Памятка.txt": "Памятка".encode(),
        "Новая тема/Заметка.txt": "Заметка".encode(),
    }
    batch = import_zip(zip_bytes(tree), root=root)
    assert batch.status == KbImportBatch.Status.IMPORTED, batch.error
    assert Article.objects.get(title="Памятка").section == existing
    assert Article.objects.get(title="Заметка").section.parent == root
    assert batch.sections_created == 1
    assert set(ImportedFolder.objects.values_list("path", "section_id")) == {
        ("Обучение", existing.pk),
        ("Новая тема", Section.objects.get(title="Новая тема").pk),
    }


def test_cp866_and_utf8_names_make_the_same_cyrillic_tree():
    tree = {"Клиенты/Молодёжь.txt": "Текст 1".encode(), "Клиенты/Участники СВО.txt": "Т 2".encode()}
    batch = import_zip(zip_bytes(tree, cp866={"Клиенты/Молодёжь.txt"}))
    assert batch.status == KbImportBatch.Status.IMPORTED, batch.error
    assert _tree() == [(0, "Клиенты")]
    assert set(Article.objects.values_list("title", flat=True)) == {"Молодёжь", "Участники СВО"}


def test_the_dry_run_reports_and_writes_nothing(administrator):
    tree = {**sample_tree(), "База/Старый.doc": b"\xd0\xcf\x11\xe0" + b"\x00" * 100}
    batch = import_zip(zip_bytes(tree), user=administrator, confirm=False)
    assert batch.status == KbImportBatch.Status.CHECKED, batch.error
    assert not Section.objects.exists()
    assert not Article.all_objects.exists()
    assert not ImportedFile.objects.exists()
    report = batch.report
    assert [row["title"] for row in report["sections"]] == [
        "База",
        "Нормативные документы",
        "Обучение",
    ]
    files = {row["path"]: row for row in report["files"]}
    memo = files["База/02_Обучение/1.2 Презентация (1).pptx"]
    assert (memo["title"], memo["kind"], memo["folder"], memo["action"]) == (
        "Презентация",
        "presentation",
        "База/02_Обучение",
        "create",
    )
    assert memo["date"].startswith("2025-03-14T10:30:00")
    assert report["skipped"] == [
        {"path": "База/Старый.doc", "reason": report["skipped"][0]["reason"]}
    ]
    assert "Файлы .doc прикреплять нельзя" in report["skipped"][0]["reason"]
    assert (batch.sections_created, batch.articles_created, batch.files_skipped) == (3, 4, 1)


def test_a_reimport_of_the_same_archive_creates_nothing():
    content = zip_bytes(sample_tree())
    import_zip(content)
    counts = (Section.all_objects.count(), Article.all_objects.count(), Attachment.objects.count())
    history = Article.history.count()
    again = import_zip(content, confirm=False)
    assert again.status == KbImportBatch.Status.CHECKED
    assert (again.to_write, again.files_unchanged) == (0, 4)
    again = import_zip(content)
    assert again.status == KbImportBatch.Status.IMPORTED
    assert (again.sections_created, again.articles_created, again.articles_updated) == (0, 0, 0)
    assert (
        Section.all_objects.count(),
        Article.all_objects.count(),
        Attachment.objects.count(),
    ) == counts
    assert Article.history.count() == history


def test_a_changed_file_becomes_a_new_version_of_its_article(administrator):
    tree = sample_tree()
    import_zip(zip_bytes(tree))
    article = Article.objects.get(title="Приказ")
    old = article.attachments.get()
    old_name, version = old.file.name, article.version
    article.title = "Приказ о стандарте клиентоцентричности"  # an editor's own work stays
    article.save()
    tree["База/01_Нормативные документы/Приказ - копия.docx"] = docx("Приказ, новая редакция")
    changed = zip_bytes(
        tree, dates={"База/01_Нормативные документы/Приказ - копия.docx": (2025, 6, 1, 9, 0, 0)}
    )
    batch = import_zip(changed, user=administrator)
    assert batch.status == KbImportBatch.Status.IMPORTED, batch.error
    assert (batch.articles_created, batch.articles_updated, batch.files_unchanged) == (0, 1, 3)
    article.refresh_from_db()
    assert article.title == "Приказ о стандарте клиентоцентричности"
    assert article.version == version + 2  # the editor's save, then the import's
    assert article.updated_at == timezone.make_aware(dt.datetime(2025, 6, 1, 9, 0))
    attachment = article.attachments.get()
    assert attachment.pk == old.pk  # replaced, not added
    assert attachment.file.name != old_name
    assert "новая редакция" in attachment.extracted_text
    records = list(attachment.history.order_by("history_date"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert records[0].file == old_name and records[1].file == attachment.file.name
    latest = article.history.order_by("-history_date").first()
    assert latest.history_user == administrator
    assert "Новая версия файла" in latest.history_change_reason
    record = ImportedFile.objects.get(path="База/01_Нормативные документы/Приказ - копия.docx")
    assert record.batch == batch
    assert record.attachment == attachment
    assert Section.all_objects.count() == 3  # no folder made twice


def test_the_replaced_file_is_deleted_after_the_commit(django_capture_on_commit_callbacks):
    tree = {"Раздел/Памятка.txt": "Первая редакция".encode()}
    import_zip(zip_bytes(tree))
    old_name = Attachment.objects.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        import_zip(zip_bytes({"Раздел/Памятка.txt": "Вторая редакция".encode()}))
    assert not default_storage.exists(old_name)
    assert default_storage.exists(Attachment.objects.get().file.name)


def test_files_are_skipped_with_the_upload_checks_reason():
    tree = {
        "Раздел/Настоящий.pdf": pdf(["Текст"]),
        "Раздел/Поддельный.pdf": b"<html><script>alert(1)</script></html>",
        "Раздел/Программа.exe": b"MZ\x90\x00",
        "Раздел/Пустой.txt": b"",
        "Раздел/Thumbs.db": b"\x00" * 10,
        "Раздел/Копия.pdf": pdf(["Текст"]),  # the same bytes as «Настоящий.pdf»
    }
    batch = import_zip(zip_bytes(tree))
    assert batch.status == KbImportBatch.Status.IMPORTED, batch.error
    assert list(Article.objects.values_list("title", flat=True)) == ["Настоящий"]
    reasons = {row["path"].split("/")[-1]: row["reason"] for row in batch.report["skipped"]}
    assert "Содержимое файла «Поддельный.pdf» не похоже на PDF" in reasons["Поддельный.pdf"]
    assert "Файлы .exe прикреплять нельзя" in reasons["Программа.exe"]
    assert reasons["Пустой.txt"] == "Файл пустой."
    assert reasons["Thumbs.db"] == "служебный файл Windows"
    assert reasons["Копия.pdf"] == "такой же файл уже есть в архиве: Раздел/Настоящий.pdf"


def test_a_file_too_big_for_an_attachment_is_skipped_unread(settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    batch = import_zip(zip_bytes({"Раздел/Большой.txt": "я" * 2000, "Раздел/Малый.txt": "я"}))
    (skipped,) = batch.report["skipped"]
    assert skipped["path"] == "Раздел/Большой.txt"
    assert skipped["reason"].startswith("Файл слишком большой")


def test_a_file_moved_to_another_folder_is_not_imported_twice():
    import_zip(zip_bytes({"Старое место/Памятка.txt": "Текст памятки".encode()}))
    batch = import_zip(zip_bytes({"Новое место/Памятка.txt": "Текст памятки".encode()}))
    assert batch.articles_created == 0
    assert (
        "уже импортирован как «Памятка» (Старое место/Памятка.txt)"
        in batch.report["skipped"][0]["reason"]
    )
    assert not Section.objects.filter(title="Новое место").exists()


def test_files_of_a_section_in_the_trash_wait_for_it():
    import_zip(zip_bytes({"Раздел/Первый.txt": "один".encode()}))
    section_trash(section=Section.objects.get(title="Раздел"))
    batch = import_zip(
        zip_bytes({"Раздел/Первый.txt": "один".encode(), "Раздел/Второй.txt": "два".encode()})
    )
    assert batch.articles_created == 0
    (skipped,) = batch.report["skipped"]
    assert "раздел «Раздел» лежит в корзине" in skipped["reason"]
    assert Section.all_objects.count() == 1


def test_an_article_in_the_trash_gets_no_new_version():
    import_zip(zip_bytes({"Раздел/Памятка.txt": "один".encode()}))
    article = Article.objects.get()
    article.deleted_at = timezone.now()
    article.save()
    batch = import_zip(zip_bytes({"Раздел/Памятка.txt": "два".encode()}))
    assert batch.articles_updated == 0
    assert "лежит в корзине" in batch.report["skipped"][0]["reason"]


def test_a_failure_while_writing_leaves_nothing_behind(monkeypatch):
    real = services._create
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_create", failing)
    batch = import_zip(zip_bytes(sample_tree()))
    assert batch.status == KbImportBatch.Status.FAILED
    assert "Внутренняя ошибка при импорте (RuntimeError). Ничего не записано" in batch.error
    assert not Section.all_objects.exists()
    assert not Article.all_objects.exists()
    assert not Attachment.objects.exists()
    assert not ImportedFile.objects.exists() and not ImportedFolder.objects.exists()
    # The files saved before the failure are gone with the rows.
    assert not default_storage.exists("attachments") or _no_files_under("attachments")
    # Restarted, it imports everything once.
    monkeypatch.setattr(services, "_create", real)
    assert services.batch_restart(batch=batch)
    batch.refresh_from_db()
    assert batch.status == KbImportBatch.Status.IMPORTED, batch.error
    assert Article.objects.count() == 4


def _no_files_under(folder):
    folders, files = default_storage.listdir(folder)
    return not files and all(_no_files_under(f"{folder}/{name}") for name in folders)


def test_a_section_chosen_then_deleted_stops_the_import_with_a_message():
    root = make_section("Временный")
    batch = import_zip(zip_bytes(sample_tree()), root=root, confirm=False)
    section_trash(section=root)
    assert services.batch_confirm(batch=batch)
    batch.refresh_from_db()
    assert batch.status == KbImportBatch.Status.FAILED
    assert batch.error.startswith("Раздел «Временный», куда шёл импорт, удалён")
    assert Article.all_objects.count() == 0


def test_only_one_import_is_written_at_a_time():
    first = import_zip(zip_bytes(sample_tree()), confirm=False)
    second = import_zip(zip_bytes({"Другое/Файл.txt": b"x"}), confirm=False)
    KbImportBatch.objects.filter(pk=first.pk).update(
        status=KbImportBatch.Status.RUNNING, runner_pid=None, heartbeat_at=timezone.now()
    )
    assert not services.batch_confirm(batch=second)
    second.refresh_from_db()
    assert second.status == KbImportBatch.Status.CHECKED


def test_cancelling_drops_the_archive():
    batch = import_zip(zip_bytes(sample_tree()), confirm=False)
    name = batch.file.name
    assert services.batch_cancel(batch=batch)
    batch.refresh_from_db()
    assert batch.status == KbImportBatch.Status.CANCELLED
    assert not default_storage.exists(name)
    assert not services.batch_confirm(batch=batch)


def test_files_at_the_archives_root_need_a_section():
    tree = {"Памятка.txt": "Текст".encode(), "Раздел/Заметка.txt": "Другой".encode()}
    batch = import_zip(zip_bytes(tree))
    assert batch.status == KbImportBatch.Status.IMPORTED, batch.error
    assert list(Article.objects.values_list("title", flat=True)) == ["Заметка"]
    assert "файл лежит в корне архива" in batch.report["skipped"][0]["reason"]
    root = make_section("Куда")
    batch = import_zip(zip_bytes(tree), root=root)
    assert Article.objects.get(title="Памятка").section == root


def test_a_deep_long_path_fits_the_historys_reason():
    folder = "/".join(["Очень длинное название папки общего диска"] * 4)
    batch = import_zip(zip_bytes({f"{folder}/Памятка специалисту.txt": "Текст".encode()}))
    assert batch.status == KbImportBatch.Status.IMPORTED, batch.error
    reason = Article.objects.get().history.get().history_change_reason
    assert len(reason) <= 100
    assert reason.startswith(f"Импорт базы знаний №{batch.pk}: …")
    assert reason.endswith("/Памятка специалисту.txt")
    assert all(len(record.history_change_reason) <= 100 for record in Section.history.all())
